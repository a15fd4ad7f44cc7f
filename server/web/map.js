// A map of China's provinces and prefecture-level cities, each jurisdiction
// of the graph coloured by what the graph records for a technology (and a
// domain): explicit, inferred, mentioned only, nothing recorded. The
// geometry is Apache ECharts 4.9's (vendor/, Apache-2.0), keyed by the
// GB/T 2260 codes the jurisdictions carry (/v1/nodes/city/<id> → code).
"use strict";

const STATUS = [
  ["explicit", "explicit: a plan names it"],
  ["inferred", "inferred by an analyst"],
  ["mentioned", "mentioned only: counted, no measure"],
  ["nothing", "nothing recorded: a plan, no link"],
];

// ECharts ships its geometry quantised and delta-coded in characters
// ("UTF8Encoding"); decode turns it back into GeoJSON coordinates.
function decodeRing(s, [x0, y0], scale) {
  const out = [];
  let px = x0, py = y0;
  for (let i = 0; i < s.length; i += 2) {
    let x = s.charCodeAt(i) - 64, y = s.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x; py += y;
    out.push([px / scale, py / scale]);
  }
  return out;
}
function decodeGeo(json) {
  if (!json.UTF8Encoding) return json;
  const scale = json.UTF8Scale || 1024;
  for (const f of json.features) {
    const g = f.geometry;
    if (g.type === "Polygon") g.coordinates = g.coordinates.map((r, i) => decodeRing(r, g.encodeOffsets[i], scale));
    else if (g.type === "MultiPolygon") g.coordinates = g.coordinates.map((p, i) => p.map((r, j) => decodeRing(r, g.encodeOffsets[i][j], scale)));
  }
  json.UTF8Encoding = false;
  return json;
}
const geo = {};
const loadGeo = (name) => (geo[name] ||= fetch(`/assets/vendor/china-${name}.json`).then((r) => r.json()).then(decodeGeo));

// An equirectangular projection stretched for China's middle latitude is
// enough for a choropleth of one country.
const K = Math.cos((35 * Math.PI) / 180);
const px = ([lon, lat]) => `${((lon - 73) * K * 10).toFixed(1)},${((54 - lat) * 10).toFixed(1)}`;
const pathOf = (g) => (g.type === "Polygon" ? [g.coordinates] : g.coordinates).map((poly) => poly.map((ring) => `M${ring.map(px).join("L")}Z`).join("")).join("");

// statusOf says, for every jurisdiction of the graph, what it records for
// technology (and domain): from /v1/cities and its coverage notes.
async function statusOf(technology, domain) {
  const q = new URLSearchParams({ technology });
  if (domain) q.set("domain", domain);
  const [all, hit] = await Promise.all([api("/v1/cities"), apiAll(`/v1/cities?${q}`)]);
  const status = new Map(all.rows.map((c) => [c.city, "nothing"]));
  for (const c of hit.coverage || []) if (c.status === "mentions_only") status.set(c.city, "mentioned");
  for (const r of hit.rows) status.set(r.city, r.basis || "explicit");
  const nodes = await Promise.all([...status.keys()].map((id) => getNode("city/" + id)));
  return nodes.map((n) => ({ id: n.id, label: n.label, code: prop(n, "code") || "", level: prop(n, "level") || "", status: status.get(n.id) }));
}

// renderMap draws the map into box: every province and prefecture-level
// city, the jurisdictions of the graph coloured, each a link to its profile.
async function renderMap(box, { technology, domain, highlight, caption }) {
  box.innerHTML = '<p class="muted">Drawing the map…</p>';
  const [provinces, cities, places] = await Promise.all([loadGeo("provinces"), loadGeo("cities"), technology ? statusOf(technology, domain) : null]);
  const byCode = new Map();
  for (const p of places || []) if (p.code) byCode.set(p.code, p);
  if (highlight && highlight.code) byCode.set(highlight.code, { ...highlight, status: "here" });
  const region = (f, layer) => {
    const code = String(f.id || f.properties.id || "");
    const p = byCode.get(code);
    const d = pathOf(f.geometry);
    if (!p) return `<path class="${layer}" d="${d}"><title>${esc(f.properties.name)}</title></path>`;
    const label = `${p.label} (${f.properties.name}): ${p.status === "here" ? "this jurisdiction" : STATUS.find(([s]) => s === p.status)?.[1] || p.status}`;
    return `<a href="${nodeHref("city/" + p.id)}" class="region" data-city="${esc(p.id)}" data-code="${esc(code)}" data-status="${esc(p.status)}" aria-label="${esc(label)}">
      <path class="${layer} st-${esc(p.status)}" d="${d}"><title>${esc(label)}</title></path></a>`;
  };
  // A municipality is both a province and a city of the geometry: drawn
  // once, at the level of cities, so a click there opens it.
  const cityCodes = new Set(cities.features.map((f) => String(f.id)));
  const counts = Object.fromEntries(STATUS.map(([s]) => [s, 0]));
  for (const p of places || []) counts[p.status] = (counts[p.status] || 0) + 1;
  const national = (places || []).filter((p) => p.level === "nation");
  box.innerHTML = `
    <figure class="map">
      <svg viewBox="0 0 ${Math.ceil(64 * K * 10)} 400" role="group" aria-label="${esc(caption || "Map of China")}" xmlns="http://www.w3.org/2000/svg">
        <g class="provinces">${provinces.features.map((f) => (cityCodes.has(String(f.id)) ? `<path class="province" d="${pathOf(f.geometry)}"></path>` : region(f, "province"))).join("")}</g>
        <g class="cities">${cities.features.map((f) => region(f, "city")).join("")}</g>
      </svg>
      ${technology ? `<figcaption class="legend" id="map-legend">${STATUS.map(([s, t]) => `<span class="key"><i class="sw st-${s}"></i>${esc(t)} (${counts[s]})</span>`).join("")}<span class="key"><i class="sw"></i>no plan in the graph</span>
        ${national.map((p) => `<br><span>${link("city", p.id, p.label)} (national, not on the map): ${esc(STATUS.find(([s]) => s === p.status)?.[1] || p.status)}</span>`).join("")}</figcaption>` : ""}
    </figure>`;
}

async function domainChoices() {
  const res = await api("/v1/query", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ language: "gizmo", query: `g.V("<${NS}Domain>").In("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>").All()` }),
  });
  const ids = res.result.map((r) => r.id["@id"].split("/").pop());
  const labels = await labelsOf("domain", ids);
  return ids.map((id) => ({ id, label: labels[id] })).sort((a, b) => a.label.localeCompare(b.label));
}
pg.domainChoices = () => (pg._domains ||= domainChoices());

// mapWithControls puts a map and its pickers into box; fixed says which
// picker a page fixes (the technology page fixes the technology), and
// onChange, when given, makes the choice part of the page's URL.
async function mapWithControls(box, { technology, domain, fixed, onChange, heading }) {
  const [techs, domains] = await Promise.all([pg.technologyChoices(), pg.domainChoices()]);
  box.innerHTML = `${heading || ""}
    <form class="row map-form">
      ${fixed ? "" : `<label>Technology <select name="technology">${pg.techOptions(techs, technology)}</select></label>`}
      <label>Domain <select name="domain"><option value="">any domain</option>${domains.map((d) => `<option value="${esc(d.id)}" ${d.id === domain ? "selected" : ""}>${esc(d.label)}</option>`).join("")}</select></label>
    </form>
    <div class="map-box"></div>`;
  const form = box.querySelector("form");
  const draw = async () => {
    const t = fixed || form.technology.value;
    const d = form.domain.value;
    const name = techs.find((x) => x.id === t)?.label || t;
    await renderMap(box.querySelector(".map-box"), { technology: t, domain: d, caption: `Jurisdictions by what they record for ${name}${d ? " in " + d : ""}` });
  };
  form.addEventListener("change", () => {
    if (onChange) onChange(fixed || form.technology.value, form.domain.value);
    else draw();
  });
  await draw();
}

pg.pages.map = async function mapPage(parts, params) {
  const technology = params.get("technology") || "blockchain";
  const domain = params.get("domain") || "";
  setTitle(`Map of ${technology}`);
  main.innerHTML = `<h1>Map: who records what</h1>
    <p class="muted">Each jurisdiction with a plan in the graph, coloured by what the graph records for the technology and domain chosen. Click one to open its profile.</p>
    <div id="map-page"></div>`;
  await mapWithControls(document.getElementById("map-page"), {
    technology, domain,
    onChange: (t, d) => { location.hash = `#/map?${new URLSearchParams(d ? { technology: t, domain: d } : { technology: t })}`; },
  });
};

pg.techMap = (box, technology) => mapWithControls(box, { technology, fixed: technology, heading: '<h2 id="tmap-h">On the map</h2>' });

pg.miniMap = (box, n) => {
  const code = prop(n, "code");
  if (!code) return;
  return renderMap(box, { highlight: { id: n.id, label: n.label, code }, caption: `${n.label} on the map of China` });
};

(pg.homeSections ||= []).push(async () => {
  const box = document.getElementById("home-map");
  if (box) await mapWithControls(box, {
    technology: "blockchain", heading: '<h2 id="map-h">On the map</h2>',
    onChange: (t, d) => { location.hash = `#/map?${new URLSearchParams(d ? { technology: t, domain: d } : { technology: t })}`; },
  });
});
