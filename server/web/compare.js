// Compare any set of jurisdictions on a technology or category: a heatmap
// of domains by jurisdictions with the basis of each cell and, on a click,
// the measures behind it. And the home page's question box over /v1/ask.
"use strict";

const cellOf = (mx, d, c) => mx.cells.find((x) => x.domain === d && x.city === c) || { basis: "", measures: [] };

// heatmap renders a /v1/compare answer; each cell is a button saying its
// basis and how many measures stand behind it.
pg.heatmap = function heatmap(mx, cityLabels = {}, id = "matrix", domLabels = {}) {
  return `<table id="${id}" class="heatmap"><caption class="sr-only">Domains by jurisdiction for ${esc(mx.technology)}: the basis of each</caption>
    <thead><tr><th scope="col">domain</th>${mx.cities.map((c) => `<th scope="col" data-city="${esc(c)}">${link("city", c, cityLabels[c] || c)}</th>`).join("")}</tr></thead><tbody>
    ${mx.domains.map((d) => `<tr data-domain="${esc(d)}"><th scope="row">${link("domain", d, domLabels[d] || d)}</th>${mx.cities.map((c) => {
      const x = cellOf(mx, d, c);
      return `<td class="${esc(x.basis)}" data-city="${esc(c)}" data-domain="${esc(d)}">${x.basis
        ? `<button type="button" class="cell" data-city="${esc(c)}" data-domain="${esc(d)}" aria-label="${esc(cityLabels[c] || c)}, ${esc(domLabels[d] || d)}: ${esc(x.basis)}, ${x.measures.length} measure(s)">${esc(x.basis)} · ${x.measures.length}</button>`
        : '<span class="muted" aria-label="nothing recorded">—</span>'}</td>`;
    }).join("")}</tr>`).join("")}</tbody></table>`;
};

// All technologies and categories, as a picker groups them.
async function technologyChoices() {
  const res = await api("/v1/query", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ language: "gizmo", query: `g.V("<${NS}Technology>").In("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>").All()` }),
  });
  const ids = res.result.map((r) => r.id["@id"].split("/").pop());
  const nodes = await Promise.all(ids.map((id) => getNode("technology/" + id)));
  return nodes.map((n) => ({ id: n.id, label: n.label, category: n.in.some((e) => e.predicate === "broader") })).sort((a, b) => a.label.localeCompare(b.label));
}
pg.technologyChoices = () => (pg._techs ||= technologyChoices());

pg.techOptions = (techs, selected) => `
  <optgroup label="Categories">${techs.filter((t) => t.category).map((t) => `<option value="${esc(t.id)}" ${t.id === selected ? "selected" : ""}>${esc(t.label)}</option>`).join("")}</optgroup>
  <optgroup label="Technologies">${techs.filter((t) => !t.category).map((t) => `<option value="${esc(t.id)}" ${t.id === selected ? "selected" : ""}>${esc(t.label)}</option>`).join("")}</optgroup>`;

pg.pages.compare = async function comparePage(parts, params) {
  const tech = params.get("technology") || "blockchain";
  const chosen = (params.get("cities") || "").split(",").filter(Boolean);
  const basis = params.get("basis") || "";
  setTitle(`Compare on ${tech}`);
  const q = new URLSearchParams({ technology: tech });
  if (chosen.length) q.set("cities", chosen.join(","));
  if (basis) q.set("basis", basis);
  const [techs, all, mx, index] = await Promise.all([pg.technologyChoices(), api("/v1/cities"), api(`/v1/compare?${q}`), pg.measureIndex()]);
  const cityLabels = await labelsOf("city", [...all.rows.map((c) => c.city), ...mx.cities]);
  const domLabels = await labelsOf("domain", mx.domains);
  const picked = new Set(chosen.length ? chosen : mx.cities);
  const csv = new URLSearchParams(q);
  csv.set("format", "csv");
  main.innerHTML = `
    <h1>Compare jurisdictions on ${esc(techs.find((t) => t.id === mx.technology)?.label || mx.technology)}</h1>
    <form id="compare-form" class="card compare-form">
      <label>Technology or category <select id="tech" name="technology">${pg.techOptions(techs, mx.technology)}</select></label>
      <label>Basis <select id="basis" name="basis"><option value="">any</option>${["explicit", "inferred", "extracted"].map((b) => `<option ${b === basis ? "selected" : ""}>${b}</option>`).join("")}</select></label>
      <fieldset id="city-picker"><legend>Jurisdictions</legend>
        ${all.rows.map((c) => `<label class="pick"><input type="checkbox" name="city" value="${esc(c.city)}" ${picked.has(c.city) ? "checked" : ""}> ${esc(cityLabels[c.city] || c.city)}</label>`).join("")}
      </fieldset>
      <button type="submit" class="primary">Compare</button>
      <a id="csv" href="/v1/compare?${esc(csv)}" download="compare-${esc(mx.technology)}.csv">Download CSV</a>
    </form>
    <div class="compare-layout">
      <section>${mx.domains.length ? pg.heatmap(mx, cityLabels, "matrix", domLabels) : `<p class="muted">No jurisdiction chosen links ${esc(mx.technology)} to a domain.</p>`}
        <p class="legend"><span class="key"><i class="sw explicit"></i>explicit</span><span class="key"><i class="sw inferred"></i>inferred</span><span class="key"><i class="sw extracted"></i>extracted</span><span class="key"><i class="sw none"></i>nothing recorded</span> · the number is the measures behind the cell</p>
      </section>
      <aside id="cell-detail" class="card muted" aria-live="polite">Choose a cell to see the measures behind it.</aside>
    </div>`;
  const form = document.getElementById("compare-form");
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const cities = [...form.querySelectorAll('input[name="city"]:checked')].map((i) => i.value);
    const next = new URLSearchParams({ technology: form.technology.value });
    if (cities.length) next.set("cities", cities.join(","));
    if (form.basis.value) next.set("basis", form.basis.value);
    location.hash = `#/compare?${next}`;
  });
  form.technology.addEventListener("change", () => form.requestSubmit());
  document.querySelectorAll("#matrix button.cell").forEach((b) => b.addEventListener("click", () => {
    const x = cellOf(mx, b.dataset.domain, b.dataset.city);
    const box = document.getElementById("cell-detail");
    box.classList.remove("muted");
    box.innerHTML = `<h2>${esc(cityLabels[b.dataset.city] || b.dataset.city)} · ${esc(domLabels[b.dataset.domain] || b.dataset.domain)}</h2>
      <p>${basisTag(x.basis)} ${esc(basisMeaning[x.basis] || "")}${x.matched?.length ? ` — through ${x.matched.map(esc).join(", ")}` : ""}</p>
      <ul id="cell-measures">${x.measures.map((m) => {
        const row = index.get(m);
        const t = row?.technologies.find((t) => (x.matched || [mx.technology]).includes(t.technology));
        return `<li>${link("measure", m, row ? row.title : m)} ${basisTag(t?.basis)}<br><span class="muted">${esc(row ? cityLabels[row.city] || row.city : "")} · ${esc(row?.evidence.summary || "")}</span></li>`;
      }).join("")}</ul>`;
  }));
};

// ---- the question box on the home page ----

function answerTable(rows) {
  if (!rows.length) return '<p class="muted">No row answers it.</p>';
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) => (Array.isArray(v) ? v.map((x) => (typeof x === "object" ? JSON.stringify(x) : x)).join(", ") : typeof v === "object" && v ? JSON.stringify(v) : v);
  return `<table id="answer"><thead><tr>${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join("")}</tr></thead><tbody>
    ${rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(cell(r[c]))}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

async function askSection() {
  const box = document.getElementById("ask-section");
  if (!box) return;
  const q = parseHash().params.get("ask") || "";
  box.innerHTML = `<h2 id="ask-h">Ask a question</h2>
    <form id="ask-form" class="row" role="search" aria-label="Ask a question">
      <input id="ask" name="q" type="text" value="${esc(q)}" placeholder="which cities apply blockchain to finance? · 哪些城市提到区块链？" aria-label="Question" lang="">
      <button type="submit" class="primary">Ask</button>
    </form>
    <div id="ask-answer" aria-live="polite"></div>`;
  document.getElementById("ask-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = document.getElementById("ask").value.trim();
    location.hash = v ? `#/?ask=${encodeURIComponent(v)}` : "#/";
  });
  if (!q) return;
  const out = document.getElementById("ask-answer");
  try {
    const res = await api(`/v1/ask?q=${encodeURIComponent(q)}`);
    const it = res.interpretation || {};
    out.innerHTML = `<div class="reading card" id="reading"><strong>Read as:</strong> ${esc(it.reading || it.form)}
      ${it.query ? `<br><span class="muted">answered by</span> <a href="${esc(it.query)}"><code>${esc(it.query)}</code></a>` : ""}
      ${it.unused?.length ? `<br><span class="muted">words not used: ${it.unused.map(esc).join(", ")}</span>` : ""}</div>
      ${(res.coverage || []).map((c) => `<p class="muted coverage">${esc(c.note)}</p>`).join("")}
      ${answerTable(res.rows || [])}`;
  } catch (e) {
    const forms = e.body?.error?.forms || [];
    out.innerHTML = `<p class="error" role="alert">${esc(e.message)}</p>
      ${forms.length ? `<p>The questions it can read, in English, 中文 and 日本語 — choose one to ask it:</p><ul id="forms">${forms.map((f) => `<li>${f.split(" / ").map((x, i) => `<a href="#/?ask=${encodeURIComponent(x)}"${i ? langAttr(i === 1 ? "zh" : "ja") : ""}>${esc(x)}</a>`).join(" / ")}</li>`).join("")}</ul>` : ""}`;
  }
}
(pg.homeSections ||= []).push(askSection);
