// policygraph explorer: the core every page shares — the API client, names
// in a researcher's terms, and the router. Pages register themselves in
// pg.pages (profiles.js, draw.js, compare.js, map.js, review.js,
// console.js); every view is a URL (#/city/fuzhou?tab=drawing), so back,
// forward and bookmarks work. No build step and no network beyond this
// server.
"use strict";

const NS = "https://policygraph.org/ns#";
const ID = "https://policygraph.org/id/";
const main = document.getElementById("main");
const pg = (window.pg = { cy: null, pages: {}, routed: 0 });

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

class APIError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    const sugg = e.suggestions && e.suggestions.length ? ` — did you mean ${e.suggestions.join(", ")}?` : "";
    super(`${e.message || "HTTP " + status}${sugg}`);
    this.status = status;
    this.code = e.code;
    this.body = body;
  }
}

async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new APIError(r.status, body);
  return body;
}

// apiAll follows next_offset, so a list is never silently cut at a page.
async function apiAll(path) {
  const sep = path.includes("?") ? "&" : "?";
  let res = await api(path);
  const rows = [...res.rows];
  while (res.next_offset != null) {
    res = await api(`${path}${sep}offset=${res.next_offset}`);
    rows.push(...res.rows);
  }
  return { ...res, rows };
}

// cached keeps answers that cannot change while the page is open (the
// server's own cache is per graph version; the page reloads after a write).
const cache = new Map();
const cached = (path) => {
  if (!cache.has(path)) cache.set(path, api(path).catch((e) => { cache.delete(path); throw e; }));
  return cache.get(path);
};
const enc = (ref) => ref.split("/").map(encodeURIComponent).join("/");
const getNode = (ref) => cached(`/v1/nodes/${enc(ref)}`);

// routeExists asks the server whether an endpoint another branch adds is
// there yet: a 404 with no route means not this server.
async function routeExists(path) {
  try {
    await api(path);
    return true;
  } catch (e) {
    if (e.status === 404) return false;
    return true;
  }
}

const nodeHref = (ref, params) => `#/${enc(ref)}${params ? "?" + new URLSearchParams(params) : ""}`;
const refOf = (type, id) => `${type}/${id}`;
const link = (type, id, label, attrs = "") => `<a href="${nodeHref(refOf(type, id))}" ${attrs}>${esc(label ?? id)}</a>`;

// Names of node types and links as a researcher says them.
const typeNames = {
  city: "jurisdiction", province: "province", plan: "plan", measure: "measure", technology: "technology",
  domain: "domain", support: "support instrument", mention: "mention count", organization: "organization",
  source: "source", scope: "scope",
};
const typePlural = {
  city: "Jurisdictions", province: "Provinces", plan: "Plans", measure: "Measures", technology: "Technologies",
  domain: "Domains", support: "Support instruments", mention: "Mention counts", organization: "Organizations",
  source: "Sources", scope: "Scopes",
};
const predicateNames = {
  hasPlan: "plan", inCity: "jurisdiction", hasMeasure: "measure", usesTechnology: "names the technology",
  inferredTechnology: "technology inferred by an analyst", extractedTechnology: "technology extracted, not reviewed",
  appliesTo: "applied to the domain", source: "source", inProvince: "province", within: "lies within",
  broader: "broader concept", includesTechnology: "includes the technology", issuedBy: "issued by",
  supports: "supports", supportedBy: "supported by", hasSupport: "support instrument", counts: "counts",
  relatedTo: "related document",
};
const predicateName = (p) => predicateNames[p] || p.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
const basisMeaning = {
  explicit: "the plan's own text names it",
  inferred: "an analyst links it; the plan's text does not say so",
  extracted: "found in the text by the extractor, not yet reviewed",
};
const basisTag = (b) => (b ? `<span class="basis basis-${esc(b)}" title="${esc(basisMeaning[b] || "")}">${esc(b)}</span>` : "");

// Text in Chinese or Japanese carries its language, so the browser picks a
// CJK font with the right glyphs for it.
const langAttr = (l) => (l ? ` lang="${esc(l === "zh" ? "zh-Hans" : l)}"` : "");
const inLang = (s, l) => `<span${langAttr(l)}>${esc(s)}</span>`;
const names = (node) => {
  const out = {};
  for (const p of node.properties) if (p.predicate === "name" && !out[p.lang || ""]) out[p.lang || ""] = p.value;
  return out;
};
const props = (node, pred) => node.properties.filter((p) => p.predicate === pred);
const prop = (node, pred) => props(node, pred)[0]?.value;

function showError(err) {
  main.innerHTML = `<p class="error" role="alert">${esc(err.message || err)}</p>`;
}

function setTitle(t) {
  document.title = `${t} — policygraph`;
}

// ---- routing ----

function parseHash() {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

async function route() {
  const { parts, params } = parseHash();
  const seq = ++pg.routed;
  pg.ready = false;
  pg.hash = location.hash;
  if (pg.cy) { pg.cy.destroy(); pg.cy = null; }
  // Old links (#/node/city/fuzhou) keep working.
  if (parts[0] === "node") {
    location.replace(`#/${parts.slice(1).map(encodeURIComponent).join("/")}`);
    return;
  }
  const page = pg.pages[parts[0] || "home"] || (typeNames[parts[0]] && parts[1] ? pg.pages.profile : null);
  try {
    if (!page) throw new Error(`no page ${location.hash}; start from the home page`);
    await page(parts, params);
  } catch (err) {
    if (seq === pg.routed) showError(err);
  }
  if (seq === pg.routed) {
    pg.ready = true;
    document.dispatchEvent(new CustomEvent("pg:ready"));
    const h1 = main.querySelector("h1");
    // Keyboard and screen-reader users land on the new page's heading.
    if (h1 && pg.routed > 1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
  }
}
window.addEventListener("hashchange", route);
document.getElementById("search-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const q = document.getElementById("search").value.trim();
  if (q) location.hash = `#/search?q=${encodeURIComponent(q)}`;
});
// "/" focuses the search box, as on most sites.
document.addEventListener("keydown", (ev) => {
  if (ev.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
    ev.preventDefault();
    document.getElementById("search").focus();
  }
});

// ---- home ----

pg.pages.home = async function homePage() {
  setTitle("Home");
  const [cities, plans] = await Promise.all([api("/v1/cities"), api("/v1/plans")]);
  main.innerHTML = `
    <h1>Chinese new-infrastructure plans as a graph</h1>
    <p class="muted">Jurisdiction → plan → measure → technology → domain. A link is <em>explicit</em> when the plan says so, <em>inferred</em> when only an analyst does, <em>extracted</em> when the extractor found it and nobody has reviewed it yet. Search and ask in English, 中文 or 日本語.</p>
    <section id="ask-section" aria-labelledby="ask-h"></section>
    <section id="home-map" aria-labelledby="map-h"></section>
    <h2>Jurisdictions</h2>
    <div class="cards">${cities.rows.map((c) => `
      <a class="card" href="${nodeHref("city/" + c.city)}"><span class="type">jurisdiction</span><strong>${esc(c.name)}</strong><br>
      <span class="muted">${c.measures.length} measures in ${c.plans.length} plan(s)</span></a>`).join("")}</div>
    <h2>Plans</h2>
    <div class="cards">${plans.rows.map((p) => `
      <a class="card" href="${nodeHref("plan/" + p.id)}"><span class="type">plan</span>${esc(p.titles.en || p.id)}<br>
      <span class="muted">${inLang(p.titles.zh || "", "zh")} · ${esc(p.published || p.reviewed || p.adopted || "")}</span></a>`).join("")}</div>`;
  for (const extra of pg.homeSections || []) await extra();
};

// ---- search ----

pg.pages.search = async function searchPage(parts, params) {
  const q = params.get("q") || "";
  setTitle(`Search ${q}`);
  document.getElementById("search").value = q;
  const res = await api(`/v1/search?q=${encodeURIComponent(q)}`);
  main.innerHTML = `<h1>Search: ${esc(q)}</h1>
    ${res.rows.length ? "" : '<p class="muted">Nothing matches. Try another name or language.</p>'}
    <ul class="hits" id="hits">${res.rows.map((h) => `
      <li><span class="type">${esc(typeNames[h.type] || h.type)}</span><a href="${nodeHref(h.type + "/" + h.id)}">${esc(h.name)}</a>
      <span class="muted">— matched “${esc(h.matched)}” (${esc(h.match)})</span></li>`).join("")}</ul>`;
};

document.addEventListener("DOMContentLoaded", route);
