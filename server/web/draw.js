// The drawing of a node's neighbourhood, beside the evidence of the link
// clicked in it.
"use strict";

// follow says which links to draw from a node of each type, so a city shows
// city → plans → measures → technologies and domains.
const follow = {
  city: ["hasPlan"],
  plan: ["hasMeasure"],
  measure: ["usesTechnology", "inferredTechnology", "extractedTechnology", "appliesTo"],
};
const MAX_NODES = 160;

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
  container.innerHTML = "";
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
  box.innerHTML = `<strong>${esc(predicateName(edge.predicate))}</strong> ${basisTag(edge.basis)}<br>
    <span class="muted">from</span> ${esc(src.label)}<br>
    ${prop("summary").map((s) => `<p>${esc(s)}</p>`).join("")}
    ${prop("quote").map((s) => `<blockquote>${esc(s)}</blockquote>`).join("")}
    <span class="muted">section: ${esc(prop("section").join(", ") || "—")} · source: ${source ? `<a href="${nodeHref(source.node)}">${esc(source.label)}</a>` : "—"}</span>`;
}


pg.drawTab = async function drawTab(panel, n) {
  panel.innerHTML = `
    <div class="draw-layout">
      <section aria-label="Drawing">
        <div class="legend"><span class="solid">explicit: the plan says so</span><span class="dashed">inferred by an analyst</span><span class="dotted">extracted, not reviewed</span></div>
        <div id="cy" data-testid="graph"></div>
      </section>
      <aside id="evidence" class="card muted" aria-live="polite">Click a link in the drawing to see what backs it.</aside>
    </div>`;
  const g = await neighbourhood(n);
  draw(document.getElementById("cy"), g, n.node, (id) => { location.hash = nodeHref(id); }, evidenceOf);
};
