# Sourced by .ci/run: runs examples/quickstart.py against a live server and
# checks what it prints; checks that the notebook is built from the script.
run_quickstart() {
	if ! /usr/bin/python3 -c 'import pandas, requests, matplotlib' 2>/dev/null; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq python3-pandas python3-requests python3-matplotlib
	fi
	/usr/bin/python3 examples/build_notebook.py --check
	local dir bin log
	dir=$(mktemp -d)
	bin="$dir/policygraph"
	go build -o "$bin" ./cmd/policygraph
	log="$dir/serve.log"
	# The frozen fixture, so the figures below do not move when data/ grows.
	"$bin" serve --addr 127.0.0.1:0 --db memory --data testdata/data >"$log" 2>&1 &
	QUICKSTART_SERVER=$!
	local status=0
	check_quickstart "$dir" "$log" || status=$?
	kill "$QUICKSTART_SERVER" 2>/dev/null || true
	wait "$QUICKSTART_SERVER" 2>/dev/null || true
	return $status
}

# check_quickstart waits for the server of run_quickstart, runs the script
# against it and checks what it prints.
check_quickstart() {
	local dir=$1 log=$2 out
	local url=""
	for _ in $(seq 1 100); do
		url=$(grep -o 'serving http://[0-9.:]*' "$log" | head -n 1 | cut -d' ' -f2 || true)
		[ -n "$url" ] && break
		sleep 0.1
	done
	[ -n "$url" ] || { cat "$log"; return 1; }
	out=$(cd "$dir" && POLICYGRAPH_URL="$url" /usr/bin/python3 "$OLDPWD/examples/quickstart.py")
	echo "$out"
	for want in \
		"29 measures in 6 plans of 5 cities" \
		"mentions: iot 20, industrial-internet 30, data-center 32, ai 37, 5g 70" \
		"fuzhou × finance: explicit" \
		"read as /v1/cities?domain=finance&technology=blockchain" \
		"panel: 16 rows, 8 cities × 2 years; adopters: beijing 2020, fuzhou 2020" \
		"first to name blockchain: fuzhou 2020-06-02 → beijing 2020-06-09"; do
		if ! grep -qF "$want" <<<"$out"; then
			echo "quickstart.py did not print: $want"; return 1
		fi
	done
	[ -s "$dir/mentions.png" ] || { echo "no chart written"; return 1; }
	[ -s "$dir/adoption.png" ] || { echo "no adoption curve written"; return 1; }
	echo "quickstart.py: all expected results printed"
}
