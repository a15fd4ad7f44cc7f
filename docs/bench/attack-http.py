#!/usr/bin/env python3
"""Attack a policygraph server binary as docs/reliability.md describes;
print one line per attack: the answer, its time, the server's peak RSS
(VmHWM, reset before each attack) and the CPU it burns after answering.

usage: attack-http.py BIN PORT DATA DBPATH [attack ...]
  BIN    a policygraph binary (go build -o BIN ./cmd/policygraph)
  DATA   a data/ tree (policygraph gen --out DATA --cities 100 --plans 2 --measures 40)
  DBPATH a bolt store to create afresh; its log goes to DBPATH.log
  attack fill beside battery each health compare pct longname textplain
         yaml errlist utf8 ifmatch stalled (all when none is named)
"""
import http.client, json, os, socket, subprocess, sys, threading, time, statistics, urllib.parse

BIN, PORT, DATA, DB = sys.argv[1:5]
ONLY = set(sys.argv[5:])
HOST = "127.0.0.1"


def start():
    if os.path.exists(DB):  # fresh store
        import shutil; shutil.rmtree(DB) if os.path.isdir(DB) else os.remove(DB)
    p = subprocess.Popen([BIN, "serve", "--addr", f"{HOST}:{PORT}", "--data", DATA, "--db", "bolt", "--dbpath", DB,
                          "--write-token", "t", "--query-timeout", "10s"] + (["--max-scripts", os.environ["MAX_SCRIPTS"]] if os.environ.get("MAX_SCRIPTS") else []) + (["--write-timeout", "10s"] if os.environ.get("WRITE_TIMEOUT_FLAG") else []), stdout=subprocess.DEVNULL, stderr=open(DB + ".log", "w"))
    for _ in range(600):
        try:
            st, body = req("GET", "/v1/health", timeout=2)
            if st == 200:  # 503 while serve builds its first view ("warming")
                return p
        except Exception:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


def req(method, path, body=None, headers=None, timeout=120):
    c = http.client.HTTPConnection(HOST, int(PORT), timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def hwm(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) // 1024
    return 0


def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def reset_hwm(pid):
    try:
        open(f"/proc/{pid}/clear_refs", "w").write("5")
    except OSError:
        pass


def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def query(src, timeout=None, ctype="application/json"):
    body = {"query": src}
    if timeout:
        body["timeout"] = timeout
    t = time.time()
    st, data = req("POST", "/v1/query", json.dumps(body), {"Content-Type": ctype} if ctype else {})
    return st, data, time.time() - t


def code(data):
    try:
        return json.loads(data)["error"]["code"]
    except Exception:
        return ""


def health_probe(stop, out):
    while not stop.is_set():
        t = time.time()
        try:
            req("GET", "/v1/health", timeout=30)
        except Exception:
            out.append(99)
            continue
        out.append(time.time() - t)
        time.sleep(0.02)


HOSTILE = [
    "new Array(1e9).fill(1)",
    "var a = []; a.length = 4e9; a.indexOf(1)",
    "new Array(1e9).join('x')",
    "new Array(1000).fill('x'.repeat(1e6)).join('')",
    "'x'.repeat(1e9)",
    "'x'.padStart(1e9)",
    "Array.from({length: 1e9})",
    "Math.max.apply(null, {length: 1e9})",
    "[].concat(new Array(1e9))",
    "'a'.repeat(1e6).replaceAll('a', 'b'.repeat(1e3))",
    "var s = '0123456789abcdef'; var a = []; while(true){ s = s + s; a.push(s.split('')) }",
    "var a = []; while(true){ a.push({n: a.length, s: 'v' + a.length}) }",
    "var s = 'x'; while(true){ s = s + s }",
    "var s = 'x'; while(true){ s += s }",
    "var s = 'x'; while(true){ s = `${s}${s}` }",
    "function f(n){ return f(n+1) + 1 }; f(0)",
    "while(true){}",
    "var o = {}; for (var i = 0; ; i++) o['k' + i] = [i, i, i]",
]


def run(name, fn, p):
    if ONLY and name not in ONLY:
        return
    reset_hwm(p.pid)
    base = rss(p.pid)
    c0 = cpu_seconds(p.pid)
    t = time.time()
    try:
        res = fn()
    except Exception as e:
        res = f"error {e!r}"
    took = time.time() - t
    # CPU the server still burns after the answer.
    c1 = cpu_seconds(p.pid)
    time.sleep(3)
    c2 = cpu_seconds(p.pid)
    print(f"{name}: {res} | {took:.2f}s | RSS before {base} MiB, peak {hwm(p.pid)} MiB | CPU during {c1-c0:.1f}s, in the 3 s after {c2-c1:.1f}s", flush=True)


def main():
    p = start()
    try:
        print(f"server up, RSS {rss(p.pid)} MiB, health {req('GET', '/v1/health')[1].decode()}", flush=True)

        def fill():
            st, d, t = query("new Array(1e9).fill(1)")
            c = cpu_seconds(p.pid); time.sleep(20)
            return f"{st} {code(d)} after {t:.2f}s; 20 s later RSS {rss(p.pid)} MiB, CPU in those 20 s {cpu_seconds(p.pid)-c:.1f}s"
        run("fill", fill, p)

        def beside():
            res = {}
            def a():
                res["innocent"] = query("while(true){}", timeout=4)
            def b():
                time.sleep(0.1)
                res["hungry"] = query("var a = []; while(true){ a.push({n: a.length, s: 'v' + a.length}) }", timeout=9)
            ts = [threading.Thread(target=a), threading.Thread(target=b)]
            [x.start() for x in ts]; [x.join() for x in ts]
            return "innocent %d %s, hungry %d %s" % (res["innocent"][0], code(res["innocent"][1]), res["hungry"][0], code(res["hungry"][1]))
        run("beside", beside, p)

        def battery():
            stop = threading.Event()
            lat = []
            h = threading.Thread(target=health_probe, args=(stop, lat)); h.start()
            results = []
            lock = threading.Lock()
            def worker(srcs):
                for s in srcs:
                    st, d, t = query(s)
                    with lock:
                        results.append((st, code(d)))
            # Eight at once, each the whole list in a different order.
            ws = [threading.Thread(target=worker, args=(HOSTILE[i:] + HOSTILE[:i],)) for i in range(0, 16, 2)]
            [w.start() for w in ws]; [w.join() for w in ws]
            stop.set(); h.join()
            counts = {}
            for r in results:
                counts[r] = counts.get(r, 0) + 1
            lat.sort()
            return "%d queries %s; health p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d probes" % (
                len(results), sorted(counts.items()), 1000 * statistics.median(lat), 1000 * lat[int(len(lat) * 0.99)], 1000 * lat[-1], len(lat))
        run("battery", battery, p)

        def each():
            out = []
            for src in HOSTILE:
                time.sleep(2)
                reset_hwm(p.pid)
                st, d, t = query(src)
                out.append("\n   %-70s %d %-14s %5.1fs peak %d MiB" % (src[:70], st, code(d), t, hwm(p.pid)))
            return "".join(out)
        run("each", each, p)

        def health():
            lat = []
            for _ in range(200):
                t = time.time(); req("GET", "/v1/health"); lat.append(time.time() - t)
            lat.sort()
            return "p50 %.2f ms, max %.2f ms" % (1000 * statistics.median(lat), 1000 * lat[-1])
        run("health", health, p)

        def compare():
            q = "/v1/compare?technology=blockchain&cities=" + urllib.parse.quote(",".join(["city-0001"] * 2000))
            st, d = req("GET", q)
            return f"{st}, {len(d)} bytes, URL {len(q)} bytes"
        run("compare", compare, p)

        def pct():
            st, d = req("GET", "/v1/measures?city=%ZZ&limit=1")
            return f"{st} {d[:150].decode(errors='replace')}"
        run("pct", pct, p)

        def longname():
            st, d = req("GET", "/v1/nodes/" + "x" * (900 << 10))
            return f"{st} {d[:120].decode(errors='replace')}"
        run("longname", longname, p)

        def textplain():
            st, d, t = query("g.V().All()", ctype="text/plain")
            return f"{st} {code(d)}"
        run("textplain", textplain, p)

        auth = {"Authorization": "Bearer t", "Content-Type": "application/yaml"}

        def yaml_nested():
            body = "id: x-2021\nmeasures:\n" + "- " * 150000 + "1\n"
            t = time.time()
            st, d = req("PUT", "/v1/plans/x-2021", body, auth)
            return f"{st} {code(d)} {d[:160].decode(errors='replace')} in {1000*(time.time()-t):.0f} ms, body {len(body)} bytes"
        run("yaml", yaml_nested, p)

        def errlist():
            doc = "id: x-2021\ncity: city-0001\nissuer: x\ntitle: {en: X}\npublished: 2021-03-01\nsource: x\nmeasures:\n"
            body = doc + "".join("  - {id: bad-%d, kind: nonsense}\n" % i for i in range(30000))
            st, d = req("PUT", "/v1/plans/x-2021", body, auth)
            return f"{st} {code(d)}, answer {len(d)} bytes for a body of {len(body)} bytes"
        run("errlist", errlist, p)

        def utf8():
            body = "id: x-2021\n# \xb2\xe2\xca\xd4\n".encode("latin-1")
            st, d = req("PUT", "/v1/plans/x-2021", body, auth)
            return f"{st} {d[:160].decode(errors='replace')}"
        run("utf8", utf8, p)

        def ifmatch():
            st, d = req("PUT", "/v1/plans/city-0000-plan-00", open(os.path.join(DATA, "plans", sorted(os.listdir(os.path.join(DATA, "plans")))[0])).read().encode(), dict(auth, **{"If-Match": ""}))
            return f"{st} {code(d)}"
        run("ifmatch", ifmatch, p)

        def stalled():
            socks = []
            for _ in range(8):
                s = socket.socket()
                s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                s.connect((HOST, int(PORT)))
                s.sendall(b"GET /v1/export HTTP/1.1\r\nHost: x\r\n\r\n")
                socks.append(s)
            time.sleep(1)
            t = time.time()
            first = None
            while time.time() - t < 120:
                st, _ = req("GET", "/v1/ask?q=which+cities+use+blockchain")
                if first is None:
                    first = st
                if st == 200:
                    break
                time.sleep(0.25)
            took = time.time() - t
            for s in socks:
                s.close()
            return f"first /v1/ask {first}; 200 again after {took:.1f}s"
        run("stalled", stalled, p)
    finally:
        p.terminate()
        p.wait()


main()
