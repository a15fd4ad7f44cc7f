// Profiles: one page per node, in a researcher's terms, built from the
// typed endpoints (/v1/cities, /v1/measures, /v1/mentions, /v1/support,
// /v1/plans/{id}, /v1/compare, /v1/nodes). The drawing and the raw links
// are tabs of the same page, each with its own URL.
"use strict";

const fmtCount = (m) => `${m.qualifier === "more_than" ? "more than " : m.qualifier === "about" ? "about " : ""}${m.count}${m.uncertain ? " (uncertain)" : ""}`;
const dateOf = (p) => p.published || p.reviewed || p.adopted || p.signed || "";
const dateKind = (p) => (p.published ? "published" : p.reviewed ? "reviewed" : p.adopted ? "adopted" : p.signed ? "signed" : "");
const cityName = async (id) => (await getNode("city/" + id).catch(() => ({ label: id }))).label;
const listOf = (ids, type, labels = {}) => ids.map((id) => link(type, id, labels[id] || id)).join(", ");

// Every entity the typed rows name by id, with its English label.
async function labelsOf(type, ids) {
  const out = {};
  await Promise.all([...new Set(ids)].map(async (id) => {
    out[id] = (await getNode(`${type}/${id}`).catch(() => ({ label: id }))).label;
  }));
  return out;
}

pg.pages.profile = async function profilePage(parts, params) {
  const ref = parts.join("/");
  const n = await getNode(ref);
  const tab = params.get("tab") || "profile";
  setTitle(n.label);
  const nm = names(n);
  const seen = new Set([n.label]);
  const other = ["zh", "zh-Hant", "ja"].filter((l) => nm[l] && !seen.has(nm[l]) && seen.add(nm[l])).map((l) => inLang(nm[l], l));
  const tabs = [["profile", "Profile"], ["drawing", "Drawing"], ["links", "Links"]];
  main.innerHTML = `
    <h1><span class="type">${esc(typeNames[n.type] || n.type)}</span>${esc(n.label)}</h1>
    ${other.length ? `<p class="names">${other.join(" · ")}</p>` : ""}
    <nav class="tabs" aria-label="Views of ${esc(n.label)}">${tabs.map(([t, name]) =>
      `<a href="${nodeHref(ref, t === "profile" ? null : { tab: t })}" ${t === tab ? 'aria-current="page"' : ""} data-tab="${t}">${name}</a>`).join("")}</nav>
    <div id="tabpanel"></div>`;
  const panel = document.getElementById("tabpanel");
  if (tab === "links") return linksTab(panel, n);
  if (tab === "drawing") return pg.drawTab(panel, n, params);
  const kind = { city: cityProfile, province: cityProfile, plan: planProfile, technology: technologyProfile, measure: measureProfile, domain: domainProfile }[n.type] || genericProfile;
  await kind(panel, n);
};

// ---- the raw neighbourhood, as the graph stores it ----

function linksTab(panel, n) {
  const rows = (list, dir) => list.filter((e) => e.type).map((e) =>
    `<tr><td>${esc(predicateName(e.predicate))} <code>${esc(dir === "out" ? e.predicate : "← " + e.predicate)}</code></td>
    <td><span class="type">${esc(typeNames[e.type] || e.type)}</span><a href="${nodeHref(e.node)}">${esc(e.label)}</a> ${basisTag(e.basis)}</td></tr>`).join("");
  panel.innerHTML = `
    <p class="muted">Every triple of this node as the graph stores it: properties, then links out and in.</p>
    <table id="links" class="props"><thead><tr><th scope="col">predicate</th><th scope="col">value</th></tr></thead><tbody>
    ${n.properties.map((p) => `<tr><td><code>${esc(p.predicate)}</code></td><td${langAttr(p.lang)}>${esc(p.value)}${p.lang ? ` <span class="muted">@${esc(p.lang)}</span>` : ""}</td></tr>`).join("")}
    ${rows(n.out, "out")}${rows(n.in, "in")}</tbody></table>`;
}

// ---- jurisdiction ----

async function cityProfile(panel, n) {
  const id = n.id;
  const province = n.out.find((e) => e.predicate === "inProvince");
  const within = n.out.filter((e) => e.predicate === "within" && e.node !== province?.node);
  const [plans, measures, mentions, support, hasTargets] = await Promise.all([
    apiAll(`/v1/plans?city=${encodeURIComponent(id)}`),
    apiAll(`/v1/measures?city=${encodeURIComponent(id)}`),
    apiAll(`/v1/mentions?city=${encodeURIComponent(id)}&include_shared=true`),
    apiAll(`/v1/support?city=${encodeURIComponent(id)}`),
    routeExists("/v1/targets?limit=1"),
  ]);
  const techLabels = await labelsOf("technology", [...measures.rows.flatMap((m) => m.technologies.map((t) => t.technology)), ...mentions.rows.map((m) => m.technology), ...support.rows.map((s) => s.technology).filter(Boolean)]);
  const domLabels = await labelsOf("domain", measures.rows.flatMap((m) => m.domains));
  const own = mentions.rows.filter((m) => !m.shared);
  const shared = mentions.rows.filter((m) => m.shared);
  const sharedScope = await labelsOf("city", shared.flatMap((m) => m.scope));
  panel.innerHTML = `
    <div class="profile">
      <section class="facts card city-facts" aria-labelledby="facts-h"><h2 id="facts-h">Jurisdiction</h2>
        <table class="props"><tbody>
          <tr><th scope="row">level</th><td>${esc(prop(n, "level") || "—")}</td></tr>
          <tr><th scope="row">GB/T 2260 code</th><td id="gbcode">${esc(prop(n, "code") || "—")}</td></tr>
          ${province ? `<tr><th scope="row">province</th><td><a href="${nodeHref(province.node)}">${esc(province.label)}</a></td></tr>` : ""}
          ${within.length ? `<tr><th scope="row">lies within</th><td>${within.map((w) => `<a href="${nodeHref(w.node)}">${esc(w.label)}</a>`).join(", ")}</td></tr>` : ""}
          <tr><th scope="row">also called</th><td>${props(n, "alias").map((a) => inLang(a.value, a.lang)).join(" · ") || "—"}</td></tr>
        </tbody></table>
        <div id="profile-map" class="mini-map"></div>
      </section>
      <section aria-labelledby="plans-h"><h2 id="plans-h">Plans</h2>${timeline(plans.rows)}</section>
      <section aria-labelledby="measures-h"><h2 id="measures-h">Measures by domain and technology</h2>${measureGroups(measures.rows, techLabels, domLabels)}</section>
      <section aria-labelledby="mentions-h"><h2 id="mentions-h">Mention counts</h2>
        ${own.length ? mentionTable(own, techLabels, "own-mentions") : `<p class="muted">No count of ${esc(n.label)}'s own documents is recorded.</p>`}
        ${shared.length ? `<h3>Shared counts <span class="shared-tag">shared</span></h3>
          <p class="muted">Each count below is over several jurisdictions' documents together; it is not ${esc(n.label)}'s own.</p>
          ${mentionTable(shared, techLabels, "shared-mentions", sharedScope)}` : ""}
      </section>
      <section aria-labelledby="support-h"><h2 id="support-h">Support instruments</h2>${supportTable(support.rows, techLabels)}</section>
      ${hasTargets ? `<section id="targets" aria-labelledby="targets-h"><h2 id="targets-h">Targets</h2><div id="targets-body" class="muted">Loading…</div></section>` : ""}
    </div>`;
  if (hasTargets) targetsSection(id);
  if (pg.miniMap) pg.miniMap(document.getElementById("profile-map"), n);
}

// Targets come from /v1/targets (issue 14) when this server has it.
async function targetsSection(city) {
  const box = document.getElementById("targets-body");
  try {
    const res = await apiAll(`/v1/targets?city=${encodeURIComponent(city)}`);
    if (!res.rows.length) { box.textContent = "No target is recorded."; return; }
    const cols = [...new Set(res.rows.flatMap((r) => Object.keys(r)))].filter((c) => typeof res.rows[0][c] !== "object" || res.rows[0][c] === null);
    box.classList.remove("muted");
    box.innerHTML = `<table id="targets-table"><thead><tr>${cols.map((c) => `<th scope="col">${esc(c)}</th>`).join("")}</tr></thead><tbody>
      ${res.rows.map((r) => `<tr>${cols.map((c) => `<td>${esc(r[c])}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  } catch (e) {
    box.innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
}

// timeline draws each plan's period as a bar on a shared axis of years,
// with a mark on the day it was published (or reviewed, adopted).
function timeline(plans) {
  if (!plans.length) return '<p class="muted">No plan of this jurisdiction is in the graph.</p>';
  const years = plans.flatMap((p) => [p.period_start, p.period_end, +(dateOf(p).slice(0, 4)) || null]).filter(Boolean);
  const from = Math.min(...years);
  const to = Math.max(...years) + 1;
  const pct = (y) => ((y - from) / (to - from)) * 100;
  const dayYear = (d) => { const [y, m = 1, dd = 1] = d.split("-").map(Number); return y + (m - 1) / 12 + (dd - 1) / 365; };
  const sorted = [...plans].sort((a, b) => dateOf(a).localeCompare(dateOf(b)) || a.id.localeCompare(b.id));
  return `<div class="timeline" id="timeline" role="list">
    <div class="axis" aria-hidden="true">${Array.from({ length: to - from + 1 }, (_, i) => `<span style="left:${pct(from + i)}%">${from + i}</span>`).join("")}</div>
    ${sorted.map((p) => `<div class="tl-row" role="listitem">
      <div class="tl-track">${p.period_start ? `<span class="tl-bar" style="left:${pct(p.period_start)}%;width:${pct((p.period_end || p.period_start) + 1) - pct(p.period_start)}%" title="period ${p.period_start}–${p.period_end || ""}"></span>` : ""}
      ${dateOf(p) ? `<span class="tl-mark" style="left:${pct(dayYear(dateOf(p)))}%" title="${esc(dateKind(p))} ${esc(dateOf(p))}"></span>` : ""}</div>
      <div class="tl-label">${link("plan", p.id, p.titles.en || p.id)}<br><span class="muted">${inLang(p.titles.zh || "", "zh")}${p.titles.zh ? " · " : ""}${esc(dateKind(p))} ${esc(dateOf(p))}${p.period_start ? ` · period ${p.period_start}–${p.period_end || ""}` : ""} · ${p.measures.length} measure(s)</span></div>
    </div>`).join("")}</div>`;
}

const basisRank = { explicit: 3, inferred: 2, extracted: 1 };
const strongest = (bs) => bs.sort((a, b) => (basisRank[b] || 0) - (basisRank[a] || 0))[0] || "";

// measureGroups puts a jurisdiction's measures under their domains, and in
// each domain under the technologies they link, with the basis of each.
function measureGroups(measures, techLabels, domLabels) {
  if (!measures.length) return '<p class="muted">No measure is recorded.</p>';
  const groups = new Map();
  for (const m of measures) {
    for (const d of m.domains.length ? m.domains : [""]) {
      for (const t of m.technologies.length ? m.technologies : [{ technology: "", basis: "" }]) {
        const key = `${d}|${t.technology}`;
        if (!groups.has(key)) groups.set(key, { d, t: t.technology, rows: [] });
        groups.get(key).rows.push({ m, basis: t.basis });
      }
    }
  }
  const byDomain = new Map();
  // Measures with no domain come last.
  for (const g of [...groups.values()].sort((a, b) => (!a.d - !b.d) || a.d.localeCompare(b.d) || a.t.localeCompare(b.t))) {
    if (!byDomain.has(g.d)) byDomain.set(g.d, []);
    byDomain.get(g.d).push(g);
  }
  return `<table id="measure-groups"><thead><tr><th scope="col">domain</th><th scope="col">technology</th><th scope="col">basis</th><th scope="col">measures</th></tr></thead><tbody>
    ${[...byDomain.entries()].map(([d, gs]) => gs.map((g, i) => `<tr data-domain="${esc(d)}" data-technology="${esc(g.t)}">
      ${i === 0 ? `<th scope="rowgroup" rowspan="${gs.length}">${d ? link("domain", d, domLabels[d]) : '<span class="muted">no domain recorded</span>'}</th>` : ""}
      <td>${g.t ? link("technology", g.t, techLabels[g.t]) : '<span class="muted">none</span>'}</td>
      <td>${basisTag(strongest(g.rows.map((r) => r.basis)))}</td>
      <td><ul class="plain">${g.rows.map((r) => `<li>${link("measure", r.m.id, r.m.title)} ${basisTag(r.basis)}</li>`).join("")}</ul></td></tr>`).join("")).join("")}
    </tbody></table>`;
}

function mentionTable(rows, techLabels, id, scopeLabels) {
  return `<table id="${id}"><thead><tr><th scope="col">technology</th><th scope="col">count</th><th scope="col">documents</th>${scopeLabels ? '<th scope="col">shared by</th>' : ""}<th scope="col">note</th></tr></thead><tbody>
    ${rows.map((m) => `<tr data-technology="${esc(m.technology)}" ${m.shared ? 'class="shared"' : ""}><td>${link("technology", m.technology, techLabels[m.technology])}</td>
      <td>${link("mention", m.id, fmtCount(m))}${m.shared ? ' <span class="shared-tag">shared</span>' : ""}</td>
      <td>${listOf(m.documents, "plan")}</td>
      ${scopeLabels ? `<td>${listOf(m.scope, "city", scopeLabels)}</td>` : ""}
      <td>${esc(m.note || m.evidence?.summary || "")}</td></tr>`).join("")}</tbody></table>`;
}

function supportTable(rows, techLabels) {
  if (!rows.length) return '<p class="muted">No support instrument is recorded.</p>';
  const money = (s) => (s.cap_amount ? `at most ${s.cap_amount.toLocaleString("en")} ${esc(s.cap_currency || "")}${s.cap_per ? " per " + esc(s.cap_per) : ""}` : "");
  return `<table id="support"><thead><tr><th scope="col">instrument</th><th scope="col">technology</th><th scope="col">terms</th><th scope="col">eligibility</th><th scope="col">measure</th></tr></thead><tbody>
    ${rows.map((s) => `<tr><td>${link("support", s.id, s.kind)}</td><td>${s.technology ? link("technology", s.technology, techLabels[s.technology]) : ""}</td>
      <td>${[s.rate ? `${Math.round(s.rate * 1000) / 10}% of ${esc(s.rate_base || "")}` : "", money(s), s.schedule ? `paid ${esc(s.schedule)} over ${esc(s.schedule_years)} years` : ""].filter(Boolean).join("; ")}<br><span class="muted">${esc(s.summary || "")}</span></td>
      <td>${esc(s.eligibility || "")}</td><td>${s.measure ? link("measure", s.measure) : ""}</td></tr>`).join("")}</tbody></table>`;
}

// ---- plan ----

// planRecord is a plan as the graph records it (titles, dates, related
// documents, evidence) and its version. GET /v1/plans/{id} answers the
// document as it was written, with its version in the ETag; the record is
// its row in /v1/plans of its jurisdiction.
async function planRecord(id) {
  const r = await fetch(`/v1/plans/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
  const doc = await r.json().catch(() => ({}));
  if (!r.ok) throw new APIError(r.status, doc);
  const list = await apiAll(`/v1/plans?city=${encodeURIComponent(doc.city)}`);
  const plan = list.rows.find((p) => p.id === id);
  if (!plan) throw new APIError(404, { error: { code: "not_found", message: `plan ${id} is not among the plans of ${doc.city}` } });
  return { plan, version: (r.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "") };
}

async function planProfile(panel, n) {
  const { plan } = await planRecord(n.id);
  const [measures, issuer, source, city] = await Promise.all([
    apiAll(`/v1/measures?plan=${encodeURIComponent(n.id)}`),
    plan.issuer ? getNode("organization/" + plan.issuer).catch(() => null) : null,
    plan.evidence?.source ? getNode("source/" + plan.evidence.source).catch(() => null) : null,
    cityName(plan.city),
  ]);
  const techLabels = await labelsOf("technology", measures.rows.flatMap((m) => m.technologies.map((t) => t.technology)));
  const relLabels = await labelsOf("plan", plan.related.map((r) => r.plan));
  const issuerZh = issuer && names(issuer).zh;
  const dates = [["signed", plan.signed], ["adopted", plan.adopted], ["published", plan.published], ["reviewed", plan.reviewed]].filter(([, d]) => d);
  // Measures as an outline: under the part of the plan they come from.
  const outline = new Map();
  for (const m of measures.rows) {
    const head = m.context || (m.kind === "action" ? "Action items" : m.kind === "comparison" ? "What the analysis compares" : m.kind || "Measures");
    if (!outline.has(head)) outline.set(head, []);
    outline.get(head).push(m);
  }
  const citation = [
    issuer ? `${issuer.label}${issuerZh ? ` (${issuerZh})` : ""}.` : "",
    plan.titles.zh ? `${plan.titles.zh}` : "",
    plan.titles.en ? `[${plan.titles.en}].` : "",
    plan.document_number ? `${plan.document_number}.` : "",
    dates.length ? `${dates[dates.length - 1][0]} ${dates[dates.length - 1][1]}.` : "",
    source ? `As recorded from: ${source.label}${plan.evidence.section ? `, section “${plan.evidence.section}”` : ""}.` : "",
  ].filter(Boolean).join(" ");
  panel.innerHTML = `<div class="profile">
    <section class="facts card" aria-labelledby="facts-h"><h2 id="facts-h">Document</h2>
      <table class="props"><tbody>
        <tr><th scope="row">title (Chinese)</th><td lang="zh-Hans" id="title-zh">${esc(plan.titles.zh || "—")}</td></tr>
        <tr><th scope="row">title (English)</th><td>${esc(plan.titles.en || "—")}</td></tr>
        ${plan.titles.ja ? `<tr><th scope="row">title (Japanese)</th><td lang="ja">${esc(plan.titles.ja)}</td></tr>` : ""}
        <tr><th scope="row">jurisdiction</th><td>${link("city", plan.city, city)}</td></tr>
        <tr><th scope="row">issuer</th><td>${issuer ? `<a href="${nodeHref(issuer.node)}">${esc(issuer.label)}</a>${issuerZh ? " " + inLang(issuerZh, "zh") : ""}` : "—"}</td></tr>
        <tr><th scope="row">document number</th><td>${esc(plan.document_number || "not recorded")}</td></tr>
        ${dates.map(([k, d]) => `<tr><th scope="row">${k}</th><td>${esc(d)}</td></tr>`).join("")}
        <tr><th scope="row">period</th><td>${plan.period_start ? `${plan.period_start}–${plan.period_end || ""}` : "—"}</td></tr>
        <tr><th scope="row">related documents</th><td>${plan.related.length ? plan.related.map((r) => `${esc(r.relation)}: ${link("plan", r.plan, relLabels[r.plan])}`).join("<br>") : "—"}</td></tr>
        <tr><th scope="row">recorded from</th><td>${source ? `<a href="${nodeHref(source.node)}">${esc(source.label)}</a>` : "—"}${plan.evidence.section ? `, section “${esc(plan.evidence.section)}”` : ""}<br><span class="muted">${esc(plan.evidence.summary || "")}</span></td></tr>
      </tbody></table>
    </section>
    <section aria-labelledby="cite-h"><h2 id="cite-h">Citation</h2><p class="citation card" id="citation">${esc(citation)}</p></section>
    ${plan.notes?.length ? `<section aria-labelledby="notes-h"><h2 id="notes-h">Notes</h2><ul>${plan.notes.map((x) => `<li>${esc(x)}</li>`).join("")}</ul></section>` : ""}
    <section aria-labelledby="outline-h"><h2 id="outline-h">Measures</h2>
      ${measures.rows.length ? `<ol class="outline" id="outline">${[...outline.entries()].map(([head, ms]) => `<li><strong>${esc(head)}</strong><ol>
        ${ms.map((m) => `<li>${link("measure", m.id, m.title)} <span class="muted">${esc(m.kind)}</span>
          ${m.technologies.map((t) => `<span class="chip">${esc(techLabels[t.technology] || t.technology)} ${basisTag(t.basis)}</span>`).join("")}
          ${m.domains.map((d) => `<span class="chip domain">${esc(d)}</span>`).join("")}</li>`).join("")}</ol></li>`).join("")}</ol>`
        : '<p class="muted">The graph records no measure of this document.</p>'}
    </section></div>`;
}

// ---- technology or category ----

async function technologyProfile(panel, n) {
  // The chain of broader concepts up to the top of the hierarchy.
  const chain = [];
  for (let cur = n; ;) {
    const up = cur.out.find((e) => e.predicate === "broader");
    if (!up || chain.length > 10) break;
    cur = await getNode(up.node);
    chain.unshift(cur);
  }
  const narrower = n.in.filter((e) => e.predicate === "broader");
  const scopes = n.in.filter((e) => e.predicate === "includesTechnology");
  const [cities, mentions, mx] = await Promise.all([
    apiAll(`/v1/cities?technology=${encodeURIComponent(n.id)}`),
    apiAll(`/v1/mentions?technology=${encodeURIComponent(n.id)}&include_shared=true`),
    api(`/v1/compare?technology=${encodeURIComponent(n.id)}`),
  ]);
  const cityLabels = await labelsOf("city", [...mx.cities, ...mentions.rows.flatMap((m) => m.scope)]);
  const techLabels = await labelsOf("technology", mentions.rows.map((m) => m.technology));
  panel.innerHTML = `<div class="profile">
    <section class="facts card" aria-labelledby="facts-h"><h2 id="facts-h">${narrower.length ? "Category" : "Technology"}</h2>
      <nav aria-label="Hierarchy" class="crumbs" id="hierarchy">${chain.map((c) => `<a href="${nodeHref(c.node)}">${esc(c.label)}</a>`).join(" › ")}${chain.length ? " › " : ""}<strong>${esc(n.label)}</strong></nav>
      ${narrower.length ? `<p>Narrower concepts, included when you ask for ${esc(n.label)}:</p><ul id="narrower">${narrower.map((e) => `<li><a href="${nodeHref(e.node)}">${esc(e.label)}</a></li>`).join("")}</ul>` : ""}
      <table class="props"><tbody>
        <tr><th scope="row">also called</th><td>${props(n, "alias").map((a) => inLang(a.value, a.lang)).join(" · ") || "—"}</td></tr>
        ${scopes.length ? `<tr><th scope="row">in the scope of</th><td>${scopes.map((e) => `<a href="${nodeHref(e.node)}">${esc(e.label)}</a>`).join("<br>")}</td></tr>` : ""}
      </tbody></table>
    </section>
    <section id="tech-map" aria-labelledby="tmap-h"></section>
    <section aria-labelledby="who-h"><h2 id="who-h">Who applies it to what</h2>
      ${cities.rows.length ? `<ul id="tech-cities">${cities.rows.map((c) => `<li>${link("city", c.city, c.name)} ${basisTag(c.basis)} <span class="muted">— ${c.measures.length} measure(s)${c.matched?.length && c.matched.join() !== n.id ? `, through ${c.matched.map(esc).join(", ")}` : ""}</span></li>`).join("")}</ul>` : '<p class="muted">No jurisdiction links it to a measure.</p>'}
      ${(cities.coverage || []).map((c) => `<p class="muted">${esc(c.note)}</p>`).join("")}
      ${mx.domains.length ? `<p>By domain (<a href="#/compare?technology=${encodeURIComponent(n.id)}">compare jurisdictions</a>):</p>${pg.heatmap(mx, cityLabels, "tech-heatmap")}` : ""}
    </section>
    <section aria-labelledby="mentions-h"><h2 id="mentions-h">Mention counts</h2>
      ${mentions.rows.length ? mentionTable(mentions.rows, techLabels, "tech-mentions", cityLabels) : '<p class="muted">No mention count is recorded.</p>'}</section>
  </div>`;
  // A cell opens the comparison, where its measures are listed.
  panel.querySelectorAll("#tech-heatmap button.cell").forEach((b) => b.addEventListener("click", () => {
    location.hash = `#/compare?${new URLSearchParams({ technology: n.id, cities: mx.cities.join(",") })}`;
  }));
  if (pg.techMap) pg.techMap(document.getElementById("tech-map"), n.id);
}

// ---- domain ----

async function domainProfile(panel, n) {
  const measures = await apiAll(`/v1/measures?domain=${encodeURIComponent(n.id)}`);
  const techLabels = await labelsOf("technology", measures.rows.flatMap((m) => m.technologies.map((t) => t.technology)));
  const cityLabels = await labelsOf("city", measures.rows.map((m) => m.city));
  const byCity = new Map();
  for (const m of measures.rows) { if (!byCity.has(m.city)) byCity.set(m.city, []); byCity.get(m.city).push(m); }
  panel.innerHTML = `<div class="profile"><section aria-labelledby="dm-h"><h2 id="dm-h">Measures applying technology to ${esc(n.label)}</h2>
    ${byCity.size ? [...byCity.entries()].map(([c, ms]) => `<h3>${link("city", c, cityLabels[c])}</h3><ul>${ms.map((m) => `<li>${link("measure", m.id, m.title)}
      ${m.technologies.map((t) => `<span class="chip">${esc(techLabels[t.technology] || t.technology)} ${basisTag(t.basis)}</span>`).join("")}</li>`).join("")}</ul>`).join("") : '<p class="muted">None recorded.</p>'}
  </section></div>`;
}

// ---- measure ----

async function measureProfile(panel, n) {
  const planRef = n.in.find((e) => e.predicate === "hasMeasure");
  const rows = planRef ? (await apiAll(`/v1/measures?plan=${encodeURIComponent(planRef.id)}`)).rows : [];
  const m = rows.find((r) => r.id === n.id);
  const ev = m?.evidence || { source: n.out.find((e) => e.predicate === "source")?.id, section: prop(n, "section"), summary: prop(n, "summary"), quote: prop(n, "quote") };
  const source = ev.source ? await getNode("source/" + ev.source).catch(() => null) : null;
  const address = source && (prop(source, "url") || prop(source, "address") || prop(source, "location"));
  const techs = n.out.filter((e) => e.type === "technology");
  const domains = n.out.filter((e) => e.predicate === "appliesTo");
  const city = n.out.find((e) => e.predicate === "inCity");
  const support = n.out.filter((e) => e.type === "support").concat(n.in.filter((e) => e.type === "support"));
  const version = planRef ? await planRecord(planRef.id).then((r) => r.version).catch(() => "") : "";
  const shown = new Set(["title", "summary", "quote", "section", "kind", "offset", "offsetEnd", "context"]);
  const quoteLang = props(n, "quote")[0]?.lang || (source && prop(source, "language"));
  const isURL = (s) => /^https?:\/\//.test(s || "");
  panel.innerHTML = `<div class="profile measure">
    <section class="card" aria-labelledby="what-h"><h2 id="what-h">The measure</h2>
      <table class="props"><tbody>
        <tr><th scope="row">kind</th><td>${esc(m?.kind || prop(n, "kind") || "—")}</td></tr>
        <tr><th scope="row">jurisdiction</th><td>${city ? `<a href="${nodeHref(city.node)}">${esc(city.label)}</a>` : "—"}</td></tr>
        <tr><th scope="row">plan</th><td>${planRef ? `<a href="${nodeHref(planRef.node)}">${esc(planRef.label)}</a>` : "—"}</td></tr>
        ${m?.context ? `<tr><th scope="row">part of the plan</th><td>${esc(m.context)}</td></tr>` : ""}
        ${m?.keywords?.length ? `<tr><th scope="row">the source's key terms</th><td>${m.keywords.map((k) => inLang(k, quoteLang)).join(" · ")}</td></tr>` : ""}
        <tr><th scope="row">domains</th><td>${domains.map((d) => `<a href="${nodeHref(d.node)}">${esc(d.label)}</a>`).join(", ") || "—"}</td></tr>
        ${support.length ? `<tr><th scope="row">support</th><td>${support.map((s) => `<a href="${nodeHref(s.node)}">${esc(s.label)}</a>`).join(", ")}</td></tr>` : ""}
      </tbody></table>
      <h3>Technologies and why</h3>
      <ul id="measure-techs">${techs.map((t) => `<li><a href="${nodeHref(t.node)}">${esc(t.label)}</a> ${basisTag(t.basis)} — ${esc(basisMeaning[t.basis] || predicateName(t.predicate))}</li>`).join("") || '<li class="muted">none</li>'}</ul>
    </section>
    <section class="card evidence" id="measure-evidence" aria-labelledby="ev-h"><h2 id="ev-h">Evidence</h2>
      <table class="props"><tbody>
        <tr><th scope="row">source</th><td>${source ? `<a href="${nodeHref(source.node)}">${esc(source.label)}</a>` : esc(ev.source || "—")}${source && prop(source, "author") ? `<br><span class="muted">${esc(prop(source, "author"))}${prop(source, "written") ? ", " + esc(prop(source, "written")) : ""}</span>` : ""}</td></tr>
        <tr><th scope="row">address</th><td>${address ? (isURL(address) ? `<a href="${esc(address)}">${esc(address)}</a>` : `<code>${esc(address)}</code>`) : "—"}</td></tr>
        <tr><th scope="row">section</th><td>${esc(ev.section || "—")}</td></tr>
        <tr><th scope="row">offsets</th><td>${ev.offset != null ? `characters ${ev.offset}–${ev.offset_end ?? ""}` : "not recorded"}</td></tr>
      </tbody></table>
      ${ev.quote ? `<blockquote${langAttr(quoteLang)}>${esc(ev.quote)}</blockquote>` : ""}
      ${ev.summary ? `<p><span class="muted">Summary:</span> ${esc(ev.summary)}</p>` : ""}
    </section>
    <section aria-labelledby="prov-h"><h2 id="prov-h">Provenance</h2>
      <p>Recorded in ${planRef ? `the graph of <a href="${nodeHref(planRef.node)}">${esc(planRef.id)}</a>` : "the graph"}${version ? ` (version <code>${esc(version.slice(0, 12))}</code>)` : ""}, from ${source ? esc(source.label) : "its source"}.</p>
      <dl class="basis-help">${Object.entries(basisMeaning).map(([b, s]) => `<dt>${basisTag(b)}</dt><dd>${esc(s)}${techs.some((t) => t.basis === b) ? " — this measure has such a link" : ""}</dd>`).join("")}</dl>
      ${n.properties.filter((p) => !shown.has(p.predicate)).length ? `<table class="props" id="provenance"><tbody>${n.properties.filter((p) => !shown.has(p.predicate)).map((p) => `<tr><th scope="row">${esc(predicateName(p.predicate))}</th><td${langAttr(p.lang)}>${esc(p.value)}</td></tr>`).join("")}</tbody></table>` : ""}
    </section></div>`;
}

// ---- anything else: its properties and links in plain words ----

async function genericProfile(panel, n) {
  const groups = new Map();
  for (const [dir, list] of [["out", n.out], ["in", n.in]]) for (const e of list) {
    if (!e.type) continue;
    const key = dir === "out" ? predicateName(e.predicate) : `${typePlural[e.type] || e.type} (${predicateName(e.predicate)})`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  }
  const skip = new Set(["name"]);
  panel.innerHTML = `<div class="profile"><section class="card facts"><table class="props"><tbody>
    ${n.properties.filter((p) => !skip.has(p.predicate)).map((p) => `<tr><th scope="row">${esc(predicateName(p.predicate))}</th><td${langAttr(p.lang)}>${/^https?:\/\//.test(p.value) ? `<a href="${esc(p.value)}">${esc(p.value)}</a>` : esc(p.value)}</td></tr>`).join("")}
    ${[...groups.entries()].map(([k, es]) => `<tr><th scope="row">${esc(k)}</th><td>${es.map((e) => `<a href="${nodeHref(e.node)}">${esc(e.label)}</a> ${basisTag(e.basis)}`).join("<br>")}</td></tr>`).join("")}
  </tbody></table></section></div>`;
}
