// The query console: Gizmo or GraphQL against /v1/query, as a table, a
// drawing and a CSV.
"use strict";

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

pg.pages.console = function consolePage() {
  setTitle("Query console");
  main.innerHTML = `
    <h1>Query console</h1>
    <div class="row">
      <select id="lang" aria-label="Query language"><option value="gizmo">Gizmo</option><option value="graphql">GraphQL</option></select>
      <select id="example" aria-label="Example query"></select>
      <button class="primary" id="run">Run</button>
      <button id="csv" disabled>Download CSV</button>
      <span class="muted" id="status"></span>
    </div>
    <textarea id="query" spellcheck="false" aria-label="Query"></textarea>
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
      edges.set(id, { id, from: ids[0][1], to: ids[i][1], predicate: ids[i][0], basis: "" });
    }
  }
  const { cy } = draw(document.getElementById("cy"), { nodes: [...nodes.values()], edges: [...edges.values()] }, "", {
    laneTitles: false,
    onNode: (node) => {
      const id = node.id();
      if (id.startsWith(ID)) location.hash = nodeHref(id.slice(ID.length));
    },
  });
  cy.layout({ name: edges.size ? "breadthfirst" : "grid", animate: false }).run();
}
