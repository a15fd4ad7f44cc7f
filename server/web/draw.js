// The drawing of a node's neighbourhood: a layered layout (dagre, through
// cytoscape-dagre) with one lane per kind of node, left to right from
// jurisdiction to domain; more than FOLD neighbours of one kind folded into
// a group that a click opens; and beside it the evidence of the link
// clicked, in view without scrolling.
"use strict";

cytoscape.use(cytoscapeDagre);

// follow says which links to draw from a node of each type, so a city shows
// city → plans → measures → technologies and domains.
const follow = {
  city: ["hasPlan"],
  plan: ["hasMeasure"],
  measure: ["usesTechnology", "inferredTechnology", "extractedTechnology", "appliesTo"],
};
const MAX_NODES = 220;
const FOLD = 12;
// Lanes from left to right; a technology that another drawn technology
// names as its broader concept is drawn in the lane of categories.
const LANES = ["province", "city", "organization", "plan", "measure", "support", "mention", "category", "technology", "domain", "scope", "source"];
const laneNames = { ...typePlural, category: "Categories", technology: "Technologies" };
const typeColors = {
  city: "#0f766e", plan: "#7c3aed", measure: "#475569", technology: "#1f6feb", category: "#1e3a8a", domain: "#b45309",
  support: "#be185d", mention: "#0e7490", organization: "#52525b", province: "#15803d", source: "#6b7280", scope: "#9333ea",
};
// The drawing's labels are canvas text: the same CJK fallbacks as the page.
pg.drawFont = 'system-ui, "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif';
const edgeColors = { explicit: "#1f6feb", inferred: "#c2410c", extracted: "#6b7280", "": "#94a3b8" };

// Every measure's city and plan, once, so a drawing that holds measures of
// several jurisdictions can say whose each is.
let measureIndex = null;
pg.measureIndex = () => (measureIndex ||= apiAll("/v1/measures").then((r) => new Map(r.rows.map((m) => [m.id, m]))).catch((e) => { measureIndex = null; throw e; }));

// neighbourhood collects what to draw around root; open lists the groups
// ("node|type") the reader has unfolded.
async function neighbourhood(root, open) {
  const nodes = new Map();
  const edges = new Map();
  const addNode = (ref, type, label) => {
    if (!nodes.has(ref) && nodes.size < MAX_NODES) nodes.set(ref, { id: ref, type, label: label || ref });
    return nodes.has(ref);
  };
  const addEdge = (from, to, e) => {
    const id = `${from}|${e.predicate}|${to}`;
    if (nodes.has(from) && nodes.has(to)) edges.set(id, { id, from, to, predicate: e.predicate, basis: e.basis || "" });
  };
  // expand adds n's links of the kinds wanted, folding a kind with more
  // than FOLD of them into one group node unless the reader opened it.
  const expand = (n, links) => {
    const byType = new Map();
    for (const l of links) {
      if (nodes.has(l.e.node) && l.e.node !== n.node) { l.dir === "out" ? addEdge(n.node, l.e.node, l.e) : addEdge(l.e.node, n.node, l.e); continue; }
      if (!byType.has(l.e.type)) byType.set(l.e.type, []);
      byType.get(l.e.type).push(l);
    }
    const added = [];
    for (const [type, ls] of byType) {
      const key = `${n.node}|${type}`;
      const unique = [...new Map(ls.map((l) => [l.e.node, l])).values()];
      if (unique.length > FOLD && !open.has(key)) {
        const bases = [...new Set(ls.map((l) => l.e.basis || ""))];
        const gid = `group:${key}`;
        nodes.set(gid, { id: gid, type, label: `${unique.length} ${(typePlural[type] || type).toLowerCase()} — open`, group: key, count: unique.length });
        const e = { predicate: ls[0].e.predicate, basis: bases.length === 1 ? bases[0] : "" };
        ls[0].dir === "out" ? addEdge(n.node, gid, e) : addEdge(gid, n.node, e);
        continue;
      }
      for (const l of ls) {
        if (addNode(l.e.node, l.e.type, l.e.label)) {
          l.dir === "out" ? addEdge(n.node, l.e.node, l.e) : addEdge(l.e.node, n.node, l.e);
          added.push(l.e);
        }
      }
    }
    return added;
  };
  addNode(root.node, root.type, root.label);
  // inCity repeats, for every measure, what the city → plan → measure chain shows.
  expand(root, [
    ...root.out.filter((e) => e.type).map((e) => ({ e, dir: "out" })),
    ...root.in.filter((e) => e.type && e.predicate !== "inCity").map((e) => ({ e, dir: "in" })),
  ]);
  // Then along the chain city → plan → measure, from what root links that way.
  const preds = follow[root.type] || [];
  let frontier = [...nodes.values()].filter((x) => !x.group && follow[x.type] && root.out.some((e) => e.node === x.id && preds.includes(e.predicate))).map((x) => x.id);
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const ns = await Promise.all([...new Set(frontier)].map(getNode));
    const next = [];
    for (const n of ns) {
      const preds = follow[n.type];
      if (!preds) continue;
      for (const e of expand(n, n.out.filter((e) => e.type && preds.includes(e.predicate)).map((e) => ({ e, dir: "out" })))) {
        if (follow[e.type]) next.push(e.node);
      }
    }
    frontier = next;
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

// lanesOf gives each node its lane and each edge its direction in the
// drawing: always from the lower lane to the higher, with the arrow at the
// end the link really points to.
function lanesOf(graph) {
  const lane = new Map(graph.nodes.map((n) => [n.id, n.type]));
  for (const e of graph.edges) {
    if (e.predicate === "broader" && lane.get(e.to) === "technology") lane.set(e.to, "category");
    // A jurisdiction a drawn one lies within stands with the provinces.
    if (e.predicate === "within" && lane.get(e.to) === "city") lane.set(e.to, "province");
  }
  const used = LANES.filter((l) => [...lane.values()].includes(l));
  for (const l of new Set(lane.values())) if (!used.includes(l)) used.push(l);
  const index = new Map(used.map((l, i) => [l, i]));
  return { lane, used, index };
}

function draw(container, graph, rootRef, opts = {}) {
  if (pg.cy) pg.cy.destroy();
  container.innerHTML = "";
  const { lane, used, index } = lanesOf(graph);
  const li = (id) => index.get(lane.get(id));
  const perLane = new Map();
  for (const n of graph.nodes) perLane.set(lane.get(n.id), (perLane.get(lane.get(n.id)) || 0) + 1);
  // Tall lanes get a tall canvas, so labels stay legible at fit.
  container.style.height = `${Math.max(560, Math.min(2400, 40 + 30 * Math.max(...perLane.values())))}px`;
  const cy = cytoscape({
    container,
    elements: [
      ...graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, type: n.type, lane: lane.get(n.id), root: n.id === rootRef ? 1 : 0, group: n.group || "" } })),
      ...graph.edges.map((e) => {
        const back = li(e.from) > li(e.to);
        return { data: { id: e.id, source: back ? e.to : e.from, target: back ? e.from : e.to, from: e.from, to: e.to, predicate: e.predicate, basis: e.basis, back: back ? 1 : 0 } };
      }),
    ],
    style: [
      { selector: "node", style: {
        label: "data(label)", "font-size": 11, "font-family": 'system-ui, "Noto Sans CJK SC", "Noto Sans CJK JP", sans-serif', color: "#1d2330",
        "text-wrap": "ellipsis", "text-max-width": 170, "text-valign": "bottom", "text-margin-y": 2,
        "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 1,
        width: 12, height: 12, "background-color": (n) => typeColors[n.data("lane")] || "#888" } },
      { selector: "node[root = 1]", style: { width: 20, height: 20, "font-size": 12, "font-weight": "bold", "border-width": 3, "border-color": "#111" } },
      { selector: 'node[group != ""]', style: { shape: "round-rectangle", width: 22, height: 14, "border-width": 2, "border-style": "dashed", "border-color": "#111", "font-style": "italic" } },
      { selector: "node.lane", style: { shape: "rectangle", width: 1, height: 1, "background-opacity": 0, "font-size": 12, "font-weight": "bold", color: "#5c6475", "text-valign": "center", events: "no" } },
      { selector: "edge", style: { width: 1.4, "curve-style": "bezier", "target-arrow-shape": "triangle", "arrow-scale": 0.7, "line-color": edgeColors[""], "target-arrow-color": edgeColors[""], "source-arrow-color": edgeColors[""] } },
      { selector: "edge[back = 1]", style: { "target-arrow-shape": "none", "source-arrow-shape": "triangle" } },
      { selector: 'edge[basis = "explicit"]', style: { "line-color": edgeColors.explicit, "target-arrow-color": edgeColors.explicit, "source-arrow-color": edgeColors.explicit } },
      { selector: 'edge[basis = "inferred"]', style: { "line-style": "dashed", "line-color": edgeColors.inferred, "target-arrow-color": edgeColors.inferred, "source-arrow-color": edgeColors.inferred } },
      { selector: 'edge[basis = "extracted"]', style: { "line-style": "dotted", "line-color": edgeColors.extracted, "target-arrow-color": edgeColors.extracted, "source-arrow-color": edgeColors.extracted } },
      { selector: "edge:selected", style: { width: 4, "overlay-opacity": 0.12 } },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#f59e0b" } },
    ],
    wheelSensitivity: 0.3,
  });
  // A link inside one lane takes no part in the ranking (dagre draws it
  // nowhere); every other spans exactly the lanes between its ends, so
  // every node of one kind lands in its kind's lane.
  const flat = cy.edges().filter((e) => li(e.source().id()) === li(e.target().id()));
  cy.elements().not(flat).layout({
      name: "dagre", rankDir: "LR", ranker: "network-simplex", nodeSep: 8, rankSep: 36, edgeSep: 4,
      nodeDimensionsIncludeLabels: true, animate: false, fit: true, padding: 24,
      minLen: (e) => li(e.target().id()) - li(e.source().id()),
  }).run();
  // Lane titles above each lane.
  const top = cy.nodes().boundingBox({ includeLabels: true }).y1;
  for (const l of opts.laneTitles === false ? [] : used) {
    const members = cy.nodes().filter((n) => n.data("lane") === l);
    if (!members.length) continue;
    const x = members.reduce((s, n) => s + n.position("x"), 0) / members.length;
    cy.add({ group: "nodes", classes: "lane", data: { id: `lane:${l}`, label: laneNames[l] || l, lane: l, group: "" }, position: { x, y: top - 22 }, grabbable: false, selectable: false });
  }
  cy.fit(undefined, 24);
  cy.on("tap", "node", (ev) => { if (!ev.target.hasClass("lane") && opts.onNode) opts.onNode(ev.target); });
  cy.on("tap", "edge", (ev) => { if (opts.onEdge) { cy.elements().unselect(); ev.target.select(); opts.onEdge(ev.target.data()); } });
  pg.cy = cy;
  return { cy, used };
}

// evidenceOf shows what backs a link: the evidence of the measure (or plan,
// count, instrument) it starts from, with the basis in plain words.
async function evidenceOf(edge) {
  const box = document.getElementById("evidence");
  if (!box) return;
  const fromRef = edge.from.startsWith("group:") ? edge.to : edge.from;
  const [src, index] = await Promise.all([getNode(fromRef), pg.measureIndex()]);
  const other = edge.from === fromRef ? edge.to : edge.from;
  const otherNode = other.startsWith("group:") ? null : await getNode(other).catch(() => null);
  const m = src.type === "measure" ? index.get(src.id) : null;
  const ev = m ? m.evidence : { summary: prop(src, "summary"), quote: prop(src, "quote"), section: prop(src, "section") };
  const sourceRef = src.out.find((e) => e.predicate === "source");
  box.classList.remove("muted");
  box.innerHTML = `<h2>Evidence of the link</h2>
    <p><a href="${nodeHref(src.node)}">${esc(src.label)}</a> — <strong>${esc(predicateName(edge.predicate))}</strong> —
    ${otherNode ? `<a href="${nodeHref(otherNode.node)}">${esc(otherNode.label)}</a>` : "the group"}</p>
    ${edge.basis ? `<p>${basisTag(edge.basis)} ${esc(basisMeaning[edge.basis] || "")}</p>` : ""}
    ${ev.quote ? `<blockquote>${esc(ev.quote)}</blockquote>` : ""}
    ${ev.summary ? `<p>${esc(ev.summary)}</p>` : ""}
    <p class="muted">section: ${esc(ev.section || "—")}${ev.offset != null ? ` · characters ${ev.offset}–${ev.offset_end ?? ""}` : ""} · source: ${sourceRef ? `<a href="${nodeHref(sourceRef.node)}">${esc(sourceRef.label)}</a>` : "—"}</p>`;
}

function showNode(node) {
  const box = document.getElementById("evidence");
  const d = node.data();
  box.classList.remove("muted");
  if (d.group) {
    box.innerHTML = `<p>${esc(d.label)}</p>`;
    return;
  }
  box.innerHTML = `<h2>${esc(d.label)}</h2><p><span class="type">${esc(typeNames[d.type] || d.type)}</span> <a href="${nodeHref(d.id)}">Open its profile</a></p>
    <p class="muted">${node.connectedEdges().length} link(s) drawn; click one to see its evidence.</p>`;
}

pg.drawTab = async function drawTab(panel, n, params) {
  const open = new Set((params.get("open") || "").split(",").filter(Boolean));
  panel.innerHTML = `
    <div class="draw-layout">
      <section aria-label="Drawing">
        <div class="legend" id="legend"></div>
        <div id="cy" data-testid="graph" role="img" aria-label="Drawing of the links around ${esc(n.label)}; the list of links beside it can be read with the keyboard"></div>
      </section>
      <aside aria-label="Evidence">
        <div id="evidence" class="card muted" aria-live="polite">Click a link in the drawing to see what backs it; click a dashed box to open a group.</div>
        <details class="card" id="link-list"><summary>All links in the drawing</summary><ul class="plain"></ul></details>
      </aside>
    </div>`;
  const [g, index] = await Promise.all([neighbourhood(n, open), pg.measureIndex()]);
  // A count over several jurisdictions' documents says so, so it is not
  // read as this one's own.
  const mentions = g.nodes.some((x) => x.type === "mention") ? new Map((await apiAll("/v1/mentions?include_shared=true")).rows.map((m) => [m.id, m])) : new Map();
  for (const x of g.nodes) {
    const m = x.type === "mention" && mentions.get(x.id.split("/")[1]);
    if (m) x.label = `${m.technology}: ${fmtCount(m)}${m.scope.length > 1 ? ` — shared by ${m.scope.length}` : ""}`;
  }
  // Identical measure titles of different jurisdictions say whose they are.
  const cities = new Set(g.nodes.filter((x) => x.type === "measure" && !x.group).map((x) => index.get(x.id.split("/")[1])?.city));
  if (cities.size > 1) {
    const names = await labelsOf("city", [...cities].filter(Boolean));
    for (const x of g.nodes) {
      const m = x.type === "measure" && index.get(x.id.split("/")[1]);
      if (m) x.label = `${names[m.city] || m.city}: ${x.label}`;
    }
  }
  const { cy, used } = draw(document.getElementById("cy"), g, n.node, {
    onNode: (node) => {
      const key = node.data("group");
      if (key) {
        open.add(key);
        location.hash = nodeHref(n.node, { tab: "drawing", open: [...open].join(",") });
      } else showNode(node);
    },
    onEdge: evidenceOf,
  });
  const basesDrawn = new Set(g.edges.map((e) => e.basis));
  document.getElementById("legend").innerHTML = `
    ${used.map((l) => `<span class="key"><i style="background:${typeColors[l] || "#888"}"></i>${esc(laneNames[l] || l)}</span>`).join("")}
    ${g.nodes.some((x) => x.group) ? '<span class="key"><i class="group"></i>group: click to open</span>' : ""}
    <br>${[["explicit", "solid", "explicit: the plan says so"], ["inferred", "dashed", "inferred by an analyst"], ["extracted", "dotted", "extracted, not reviewed"]]
      .filter(([b]) => basesDrawn.has(b)).map(([, cls, t]) => `<span class="${cls}">${t}</span>`).join("")}
    ${basesDrawn.has("") ? '<span class="plainline">other links</span>' : ""}`;
  // The keyboard's way into the drawing: every link as a button.
  document.querySelector("#link-list ul").innerHTML = cy.edges().map((e) => {
    const d = e.data();
    const a = cy.getElementById(d.from).data("label");
    const b = cy.getElementById(d.to).data("label");
    return `<li><button type="button" class="linkbtn" data-edge="${esc(d.id)}">${esc(a)} — ${esc(predicateName(d.predicate))} — ${esc(b)}</button> ${basisTag(d.basis)}</li>`;
  }).join("");
  document.querySelectorAll("#link-list .linkbtn").forEach((b) => b.addEventListener("click", () => {
    const e = cy.getElementById(b.dataset.edge);
    cy.elements().unselect();
    e.select();
    evidenceOf(e.data());
  }));
};
