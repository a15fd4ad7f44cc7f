// policygraph explorer: search, entity pages with a drawing of the
// neighbourhood, the comparison matrix and a query console, all over the
// public /v1 API. No build step and no network beyond this server.
"use strict";

const NS = "https://policygraph.org/ns#";
const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const main = document.getElementById("main");
const pg = (window.pg = { cy: null });

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = body.error || {};
    const sugg = e.suggestions && e.suggestions.length ? ` — did you mean ${e.suggestions.join(", ")}?` : "";
    throw new Error(`${e.message || r.statusText}${sugg}`);
  }
  return body;
}

function showError(err) {
  main.innerHTML = `<p class="error">${esc(err.message || err)}</p>`;
}

const nodeHref = (ref) => `#/node/${ref.split("/").map(encodeURIComponent).join("/")}`;
const basisClass = (b) => (b ? `basis-${b}` : "");

// ---- routing ----

async function route() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (parts[0] === "search") return await searchPage(params.get("q") || "");
    if (parts[0] === "node") return await nodePage(parts.slice(1).join("/"));
    if (parts[0] === "compare") return await comparePage(params.get("technology") || "blockchain", params.get("cities") || "");
    if (parts[0] === "console") return consolePage();
    return await homePage();
  } catch (err) {
    showError(err);
  }
}
window.addEventListener("hashchange", route);
document.getElementById("search-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = document.getElementById("search").value.trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});

// ---- home ----

async function homePage() {
  const cities = await api("/v1/cities");
  const plans = await api("/v1/plans");
  main.innerHTML = `
    <h1>Chinese new-infrastructure plans as a graph</h1>
    <p class="muted">City → plan → measure → technology → domain. Solid links are stated by the plan; dashed ones only inferred by an analyst. Search in English, 中文 or 日本語.</p>
    <h2>Cities</h2>
    <div class="cards">${cities.rows.map((c) => `
      <a class="card" href="${nodeHref("city/" + c.city)}"><span class="type">city</span><strong>${esc(c.name)}</strong><br>
      <span class="muted">${c.measures.length} measures in ${c.plans.length} plan(s)</span></a>`).join("")}</div>
    <h2>Plans</h2>
    <div class="cards">${plans.rows.map((p) => `
      <a class="card" href="${nodeHref("plan/" + p.id)}"><span class="type">plan</span>${esc(p.titles.en || p.id)}<br>
      <span class="muted">${esc(p.titles.zh || "")} · ${esc(p.published || p.reviewed || p.adopted || "")}</span></a>`).join("")}</div>`;
}

// ---- search ----

async function searchPage(q) {
  document.getElementById("search").value = q;
  const res = await api(`/v1/search?q=${encodeURIComponent(q)}`);
  main.innerHTML = `<h1>Search: ${esc(q)}</h1>
    ${res.rows.length ? "" : '<p class="muted">Nothing matches. Try another name or language.</p>'}
    <ul class="hits" id="hits">${res.rows.map((h) => `
      <li><span class="type">${esc(h.type)}</span><a href="${nodeHref(h.type + "/" + h.id)}">${esc(h.name)}</a>
      <span class="muted">— matched “${esc(h.matched)}” (${esc(h.match)})</span></li>`).join("")}</ul>`;
}

// ---- entity page ----

// follow says which links to draw from a node of each type, so a city shows
// city → plans → measures → technologies and domains.
const follow = {
  city: ["hasPlan"],
  plan: ["hasMeasure"],
  measure: ["usesTechnology", "inferredTechnology", "extractedTechnology", "appliesTo"],
};
const MAX_NODES = 160;
const nodeCache = new Map();
const getNode = (ref) => {
  if (!nodeCache.has(ref)) nodeCache.set(ref, api(`/v1/nodes/${ref.split("/").map(encodeURIComponent).join("/")}`));
  return nodeCache.get(ref);
};

async function neighbourhood(root) {
  const nodes = new Map();
  const edges = new Map();
  const addNode = (ref, type, label) => {
    if (!nodes.has(ref) && nodes.size < MAX_NODES) nodes.set(ref, { id: ref, type, label: label || ref });
    return nodes.has(ref);
  };
  const addEdge = (from, to, e) => {
    const id = `${from}|${e.predicate}|${to}`;
    if (nodes.has(from) && nodes.has(to)) edges.set(id, { id, source: from, target: to, predicate: e.predicate, basis: e.basis || "" });
  };
  addNode(root.node, root.type, root.label);
  for (const e of root.out) if (e.type && addNode(e.node, e.type, e.label)) addEdge(root.node, e.node, e);
  // inCity repeats, for every measure, what the city → plan → measure chain shows.
  for (const e of root.in) if (e.type && e.predicate !== "inCity" && addNode(e.node, e.type, e.label)) addEdge(e.node, root.node, e);
  let frontier = [root];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next = [];
    for (const n of frontier) {
      const preds = follow[n.type];
      if (!preds) continue;
      for (const e of n.out) {
        if (!preds.includes(e.predicate) || !e.type) continue;
        if (addNode(e.node, e.type, e.label)) {
          addEdge(n.node, e.node, e);
          if (follow[e.type]) next.push(e.node);
        }
      }
    }
    frontier = await Promise.all([...new Set(next)].map(getNode));
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

const typeColors = {
  city: "#0f766e", plan: "#7c3aed", measure: "#64748b", technology: "#1f6feb", domain: "#b45309",
  support: "#be185d", mention: "#0891b2", organization: "#475569", province: "#15803d", source: "#9ca3af", scope: "#9333ea",
};

function draw(container, graph, rootRef, onNode, onEdge) {
  if (pg.cy) pg.cy.destroy();
  const cy = cytoscape({
    container,
    elements: [
      ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, type: n.type, root: n.id === rootRef ? 1 : 0 } })),
      ...graph.edges.map((e) => ({ data: e })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 140, "text-valign": "bottom", "text-margin-y": 3, width: 16, height: 16, "background-color": (n) => typeColors[n.data("type")] || "#888" } },
      { selector: "node[root = 1]", style: { width: 26, height: 26, "font-size": 11, "font-weight": "bold", "border-width": 3, "border-color": "#111" } },
      { selector: "edge", style: { width: 1.6, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.7, "line-color": "#94a3b8", "target-arrow-color": "#94a3b8", "line-style": "solid" } },
      { selector: 'edge[basis = "explicit"]', style: { "line-color": "#1f6feb", "target-arrow-color": "#1f6feb" } },
      { selector: 'edge[basis = "inferred"]', style: { "line-style": "dashed", "line-color": "#c2410c", "target-arrow-color": "#c2410c" } },
      { selector: 'edge[basis = "extracted"]', style: { "line-style": "dotted", "line-color": "#6b7280", "target-arrow-color": "#6b7280" } },
      { selector: ":selected", style: { "overlay-opacity": 0.15 } },
    ],
    layout: { name: "breadthfirst", directed: true, roots: [rootRef].filter((r) => graph.nodes.some((n) => n.id === r)), spacingFactor: 1.1, animate: false },
  });
  if (onNode) cy.on("tap", "node", (ev) => onNode(ev.target.id()));
  if (onEdge) cy.on("tap mouseover", "edge", (ev) => onEdge(ev.target.data()));
  pg.cy = cy;
  return cy;
}

// evidenceOf shows what backs an edge: the evidence of the measure (or
// plan, count, instrument) it starts from.
async function evidenceOf(edge) {
  const box = document.getElementById("evidence");
  if (!box) return;
  const src = await getNode(edge.source);
  const prop = (p) => src.properties.filter((x) => x.predicate === p).map((x) => x.value);
  const source = src.out.find((e) => e.predicate === "source");
  box.innerHTML = `<strong>${esc(edge.predicate)}</strong> ${edge.basis ? `<span class="${basisClass(edge.basis)}">${esc(edge.basis)}</span>` : ""}<br>
    <span class="muted">from</span> ${esc(src.label)}<br>
    ${prop("summary").map((s) => `<p>${esc(s)}</p>`).join("")}
    ${prop("quote").map((s) => `<blockquote>${esc(s)}</blockquote>`).join("")}
    <span class="muted">section: ${esc(prop("section").join(", ") || "—")} · source: ${source ? `<a href="${nodeHref(source.node)}">${esc(source.label)}</a>` : "—"}</span>`;
}

async function nodePage(ref) {
  const n = await getNode(ref);
  const props = n.properties.map((p) => `<tr><td>${esc(p.predicate)}</td><td>${esc(p.value)}${p.lang ? ` <span class="muted">@${esc(p.lang)}</span>` : ""}</td></tr>`).join("");
  const links = (list, dir) => list.filter((e) => e.type).map((e) =>
    `<tr><td>${esc(dir === "out" ? e.predicate : "← " + e.predicate)}</td><td><span class="type">${esc(e.type)}</span><a href="${nodeHref(e.node)}">${esc(e.label)}</a>
    ${e.basis ? ` <span class="${basisClass(e.basis)}">${esc(e.basis)}</span>` : ""}</td></tr>`).join("");
  main.innerHTML = `
    <h1><span class="type">${esc(n.type)}</span>${esc(n.label)}</h1>
    <div class="layout">
      <section>
        <table class="props">${props}${links(n.out, "out")}${links(n.in, "in")}</table>
        <h2>Evidence</h2>
        <div id="evidence" class="card muted">Click or hover over a link in the drawing to see what backs it.</div>
      </section>
      <section>
        <div class="legend"><span class="solid">explicit: the plan says so</span><span class="dashed">inferred by an analyst</span><span class="dotted">extracted, not reviewed</span></div>
        <div id="cy" data-testid="graph"></div>
      </section>
    </div>`;
  const g = await neighbourhood(n);
  draw(document.getElementById("cy"), g, n.node, (id) => { location.hash = nodeHref(id); }, evidenceOf);
}

// ---- compare ----

async function technologies() {
  const res = await api("/v1/query", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ language: "gizmo", query: `g.V("<${NS}Technology>").In("<${RDF_TYPE}>").All()` }),
  });
  return res.result.map((r) => r.id["@id"].split("/").pop()).sort();
}

async function comparePage(tech, cities) {
  const [techs, mx] = await Promise.all([
    technologies(),
    api(`/v1/compare?technology=${encodeURIComponent(tech)}${cities ? "&cities=" + encodeURIComponent(cities) : ""}`),
  ]);
  const cell = (d, c) => mx.cells.find((x) => x.domain === d && x.city === c);
  main.innerHTML = `
    <h1>Compare cities on a technology</h1>
    <div class="row"><label>Technology <select id="tech">${techs.map((t) => `<option ${t === mx.technology ? "selected" : ""}>${esc(t)}</option>`).join("")}</select></label>
    <a href="/v1/compare?technology=${encodeURIComponent(mx.technology)}&format=csv" download="compare-${esc(mx.technology)}.csv">Download CSV</a></div>
    ${mx.domains.length ? `<table id="matrix"><tr><th>domain</th>${mx.cities.map((c) => `<th><a href="${nodeHref("city/" + c)}">${esc(c)}</a></th>`).join("")}</tr>
    ${mx.domains.map((d) => `<tr><th><a href="${nodeHref("domain/" + d)}">${esc(d)}</a></th>${mx.cities.map((c) => {
      const x = cell(d, c);
      return `<td class="${esc(x.basis)}">${x.basis ? `<span class="${basisClass(x.basis)}">${esc(x.basis)}</span><br>${x.measures.map((m) => `<a href="${nodeHref("measure/" + m)}">${esc(m)}</a>`).join("<br>")}` : '<span class="muted">—</span>'}</td>`;
    }).join("")}</tr>`).join("")}</table>` : `<p class="muted">No city links ${esc(mx.technology)} to a domain.</p>`}`;
  document.getElementById("tech").addEventListener("change", (ev) => { location.hash = `#/compare?technology=${encodeURIComponent(ev.target.value)}`; });
}

// ---- query console ----

const examples = {
  gizmo: [
    ["Cities with a measure that names blockchain", `g.V("<https://policygraph.org/id/technology/blockchain>")\n  .In("<${NS}usesTechnology>")\n  .Out("<${NS}inCity>")\n  .Unique().All()`],
    ["Measures applying blockchain to finance, with their city", `g.V("<https://policygraph.org/id/domain/finance>")\n  .In("<${NS}appliesTo>").Tag("measure")\n  .Out(["<${NS}usesTechnology>", "<${NS}inferredTechnology>"]).Is("<https://policygraph.org/id/technology/blockchain>")\n  .Back("measure").Out("<${NS}inCity>").Tag("city")\n  .All()`],
    ["Names of Fuzhou in every language", `g.V("<https://policygraph.org/id/city/fuzhou>").Out("<${NS}name>").All()`],
  ],
  graphql: [
    ["Fuzhou's plans", `{\n  nodes(id: "<https://policygraph.org/id/city/fuzhou>") {\n    id\n    plans: <${NS}hasPlan> { id }\n  }\n}`],
  ],
};

function cellText(v) {
  if (v == null) return "";
  if (Array.isArray(v)) return v.map(cellText).join("; ");
  if (typeof v === "object") {
    if ("@id" in v) return v["@id"];
    if ("@value" in v) return v["@language"] ? `${v["@value"]}@${v["@language"]}` : String(v["@value"]);
    return JSON.stringify(v);
  }
  return String(v);
}

function rowsOf(result) {
  // GraphQL answers one object; flatten its first array into rows.
  if (!Array.isArray(result)) return [];
  const rows = [];
  for (const r of result) {
    if (r && typeof r === "object" && !("@id" in r) && !("@value" in r)) rows.push(r);
    else rows.push({ value: r });
  }
  return rows;
}

function toCSV(cols, rows) {
  const q = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [cols.map(q).join(","), ...rows.map((r) => cols.map((c) => q(cellText(r[c]))).join(","))].join("\n") + "\n";
}

function consolePage() {
  main.innerHTML = `
    <h1>Query console</h1>
    <div class="row">
      <select id="lang"><option value="gizmo">Gizmo</option><option value="graphql">GraphQL</option></select>
      <select id="example"></select>
      <button class="primary" id="run">Run</button>
      <button id="csv" disabled>Download CSV</button>
      <span class="muted" id="status"></span>
    </div>
    <textarea id="query" spellcheck="false"></textarea>
    <div class="layout">
      <section><div id="results"></div></section>
      <section><div id="cy" data-testid="graph"></div></section>
    </div>`;
  const lang = document.getElementById("lang");
  const example = document.getElementById("example");
  const query = document.getElementById("query");
  const fill = () => {
    example.innerHTML = examples[lang.value].map(([name], i) => `<option value="${i}">${esc(name)}</option>`).join("");
    query.value = examples[lang.value][0][1];
  };
  lang.addEventListener("change", fill);
  example.addEventListener("change", () => { query.value = examples[lang.value][example.value][1]; });
  fill();
  let last = null;
  document.getElementById("csv").addEventListener("click", () => {
    if (!last) return;
    const url = URL.createObjectURL(new Blob([toCSV(last.cols, last.rows)], { type: "text/csv" }));
    const a = Object.assign(document.createElement("a"), { href: url, download: "query.csv" });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  });
  document.getElementById("run").addEventListener("click", async () => {
    const status = document.getElementById("status");
    const out = document.getElementById("results");
    status.textContent = "running…";
    try {
      const res = await api("/v1/query", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ language: lang.value, query: query.value }) });
      const result = lang.value === "graphql" ? [res.result].flat().flatMap((r) => Object.values(r || {})).flat() : res.result;
      const rows = rowsOf(result);
      const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      last = { cols, rows };
      document.getElementById("csv").disabled = !rows.length;
      status.textContent = `${res.count} result(s)${res.truncated ? ", truncated" : ""}`;
      out.innerHTML = `<table id="result-table"><tr>${cols.map((c) => `<th>${esc(c)}</th>`).join("")}</tr>${rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(cellText(r[c]))}</td>`).join("")}</tr>`).join("")}</table>`;
      drawResults(rows, cols);
    } catch (err) {
      status.textContent = "";
      out.innerHTML = `<p class="error">${esc(err.message)}</p>`;
    }
  });
}

// drawResults draws every node a result names, linking the nodes of one row.
function drawResults(rows, cols) {
  const nodes = new Map();
  const edges = new Map();
  const ref = (v) => (v && typeof v === "object" && "@id" in v ? v["@id"] : null);
  for (const r of rows) {
    const ids = cols.map((c) => [c, ref(r[c])]).filter(([, id]) => id);
    for (const [, id] of ids) {
      const short = id.replace("https://policygraph.org/id/", "");
      nodes.set(id, { id, label: short, type: short.split("/")[0] });
    }
    for (let i = 1; i < ids.length; i++) {
      const id = `${ids[0][1]}|${ids[i][0]}|${ids[i][1]}`;
      edges.set(id, { id, source: ids[0][1], target: ids[i][1], predicate: ids[i][0], basis: "" });
    }
  }
  const cy = draw(document.getElementById("cy"), { nodes: [...nodes.values()], edges: [...edges.values()] }, "", (id) => {
    if (id.startsWith("https://policygraph.org/id/")) location.hash = nodeHref(id.replace("https://policygraph.org/id/", ""));
  });
  cy.layout({ name: edges.size ? "breadthfirst" : "grid", animate: false }).run();
}

route();
