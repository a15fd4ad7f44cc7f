// Compare jurisdictions on a technology or category: a heatmap of domains
// by jurisdictions with the basis of each cell.
"use strict";

// heatmap renders a /v1/compare answer; each cell says its basis and
// lists the measures behind it.
pg.heatmap = function heatmap(mx, cityLabels = {}, id = "matrix") {
  const cell = (d, c) => mx.cells.find((x) => x.domain === d && x.city === c) || { basis: "", measures: [] };
  return `<table id="${id}" class="heatmap"><thead><tr><th scope="col">domain</th>${mx.cities.map((c) => `<th scope="col">${link("city", c, cityLabels[c] || c)}</th>`).join("")}</tr></thead><tbody>
    ${mx.domains.map((d) => `<tr><th scope="row">${link("domain", d)}</th>${mx.cities.map((c) => {
      const x = cell(d, c);
      return `<td class="${esc(x.basis)}" data-city="${esc(c)}" data-domain="${esc(d)}">${x.basis ? `${basisTag(x.basis)} <span class="muted">${x.measures.length}</span>` : '<span class="muted">—</span>'}</td>`;
    }).join("")}</tr>`).join("")}</tbody></table>`;
};

async function technologyIds() {
  const res = await api("/v1/query", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ language: "gizmo", query: `g.V("<${NS}Technology>").In("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>").All()` }),
  });
  return res.result.map((r) => r.id["@id"].split("/").pop()).sort();
}

pg.pages.compare = async function comparePage(parts, params) {
  const tech = params.get("technology") || "blockchain";
  const cities = params.get("cities") || "";
  setTitle(`Compare on ${tech}`);
  const [techs, mx] = await Promise.all([
    technologyIds(),
    api(`/v1/compare?technology=${encodeURIComponent(tech)}${cities ? "&cities=" + encodeURIComponent(cities) : ""}`),
  ]);
  main.innerHTML = `
    <h1>Compare jurisdictions on a technology</h1>
    <div class="row"><label>Technology <select id="tech">${techs.map((t) => `<option ${t === mx.technology ? "selected" : ""}>${esc(t)}</option>`).join("")}</select></label>
    <a href="/v1/compare?technology=${encodeURIComponent(mx.technology)}&format=csv" download="compare-${esc(mx.technology)}.csv">Download CSV</a></div>
    ${mx.domains.length ? pg.heatmap(mx) : `<p class="muted">No jurisdiction links ${esc(mx.technology)} to a domain.</p>`}`;
  document.getElementById("tech").addEventListener("change", (ev) => { location.hash = `#/compare?technology=${encodeURIComponent(ev.target.value)}`; });
};
