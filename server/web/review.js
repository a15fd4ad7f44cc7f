// The review queue of extracted links, over the curation API:
//   GET  /v1/review?status=pending[&plan=]  → rows {plan, measure,
//        technology or domain, confidence, sentence, offsets}
//   POST /v1/plans/{id}/review {"decisions":[{"measure", "technology",
//        "action": "accept"|"reject"|"edit", "basis"}]} with the write token.
// The token is asked once and kept in sessionStorage: it lasts as long as
// the tab, never on disk beyond it, never in a URL.
"use strict";

const TOKEN_KEY = "policygraph.writeToken";
const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || "",
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  forget: () => sessionStorage.removeItem(TOKEN_KEY),
};

// spans finds where the technology and the domain stand in the sentence:
// from the row's offsets when they fall inside it, else by the concept's
// names in every language.
async function spans(row) {
  const text = [...row.sentence];
  const out = [];
  const add = (kind, s, e) => { if (Number.isInteger(s) && Number.isInteger(e) && s >= 0 && e <= text.length && s < e) out.push({ kind, s, e }); };
  const o = row.offsets;
  if (Array.isArray(o)) {
    for (const x of o) {
      if (Array.isArray(x)) add(row.domain && !row.technology ? "domain" : "technology", x[0], x[1]);
      else if (x && typeof x === "object") add(x.kind || (x.domain ? "domain" : "technology"), x.start ?? x.offset, x.end ?? x.offset_end);
    }
    if (o.length === 2 && o.every(Number.isInteger)) add(row.technology ? "technology" : "domain", o[0], o[1]);
  } else if (o && typeof o === "object") {
    for (const kind of ["technology", "domain"]) {
      const v = o[kind];
      if (Array.isArray(v)) add(kind, v[0], v[1]);
      else if (v && typeof v === "object") add(kind, v.start ?? v.offset, v.end ?? v.offset_end);
    }
    if (Number.isInteger(o.start)) add(row.technology ? "technology" : "domain", o.start, o.end);
  }
  for (const kind of ["technology", "domain"]) {
    if (!row[kind] || out.some((x) => x.kind === kind)) continue;
    const n = await getNode(`${kind}/${row[kind]}`).catch(() => null);
    const words = n ? n.properties.filter((p) => p.predicate === "name" || p.predicate === "alias").map((p) => p.value) : [row[kind]];
    const sentence = row.sentence.toLowerCase();
    for (const w of words.sort((a, b) => b.length - a.length)) {
      const at = sentence.indexOf(w.toLowerCase());
      if (at >= 0) { const s = [...row.sentence.slice(0, at)].length; add(kind, s, s + [...w].length); break; }
    }
  }
  return out.sort((a, b) => a.s - b.s).filter((x, i, all) => i === 0 || x.s >= all[i - 1].e);
}

async function highlighted(row) {
  const text = [...row.sentence];
  let html = "", at = 0;
  for (const x of await spans(row)) {
    html += esc(text.slice(at, x.s).join("")) + `<mark class="hl-${x.kind}" title="${x.kind}">${esc(text.slice(x.s, x.e).join(""))}</mark>`;
    at = x.e;
  }
  return html + esc(text.slice(at).join(""));
}

pg.pages.review = async function reviewPage(parts, params) {
  setTitle("Review extracted links");
  const plan = params.get("plan") || "";
  const q = new URLSearchParams({ status: "pending" });
  if (plan) q.set("plan", plan);
  main.innerHTML = `<h1>Review extracted links</h1>
    <p class="muted">Links the extractor found in a plan's text, not yet reviewed. Accept one to make it part of the graph with its provenance, reject it, or edit its technology and basis.</p>
    <div id="review"></div>`;
  const box = document.getElementById("review");
  let res;
  try {
    res = await apiAll(`/v1/review?${q}`);
  } catch (e) {
    if (e.status === 404 && e.code === "not_found") {
      box.innerHTML = `<p class="notice" id="review-absent" role="status">This server has no review API: <code>GET /v1/review</code> answered 404. The queue needs a server with the curation endpoints (<code>/v1/review</code> and <code>POST /v1/plans/{id}/review</code>); until then there is nothing to review here.</p>`;
      return;
    }
    throw e;
  }
  const techs = await pg.technologyChoices();
  const rows = res.rows;
  box.innerHTML = `
    <form id="token-form" class="row card" ${token.get() ? "hidden" : ""}>
      <label for="token">Write token</label>
      <input id="token" type="password" autocomplete="off" required>
      <button type="submit" class="primary">Use for this session</button>
      <span class="muted">kept in this tab only (sessionStorage), sent as Authorization: Bearer</span>
    </form>
    <p id="token-set" class="row" ${token.get() ? "" : "hidden"}>A write token is set for this session. <button type="button" id="forget">Forget it</button></p>
    <p class="muted">${rows.length} pending link(s)${plan ? ` of ${link("plan", plan)}` : ""}.</p>
    <ol id="queue" class="queue">${(await Promise.all(rows.map(async (r, i) => `
      <li class="card review-row" data-i="${i}" data-plan="${esc(r.plan)}" data-measure="${esc(r.measure)}" data-technology="${esc(r.technology || "")}" data-domain="${esc(r.domain || "")}">
        <p class="sentence" lang="${esc(r.lang || "zh-Hans")}">${await highlighted(r)}</p>
        <p class="muted">${link("measure", r.measure)} in ${link("plan", r.plan)} ·
          ${r.technology ? `technology ${link("technology", r.technology)}` : ""}${r.domain ? ` · domain ${link("domain", r.domain)}` : ""}
          ${r.confidence != null ? ` · confidence ${esc(Math.round(r.confidence * 100) / 100)}` : ""}</p>
        <div class="row actions">
          <button type="button" class="primary" data-action="accept">Accept</button>
          <button type="button" data-action="reject">Reject</button>
          <button type="button" data-action="edit" aria-expanded="false">Edit…</button>
          <span class="outcome" role="status"></span>
        </div>
        <form class="row edit" hidden>
          <label>Technology <select name="technology">${pg.techOptions(techs, r.technology)}</select></label>
          <label>Basis <select name="basis"><option>explicit</option><option>inferred</option></select></label>
          <button type="submit" class="primary">Save</button>
        </form>
      </li>`))).join("")}</ol>`;
  const tokenForm = document.getElementById("token-form");
  const askToken = () => { tokenForm.hidden = false; document.getElementById("token-set").hidden = true; document.getElementById("token").focus(); };
  tokenForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    token.set(document.getElementById("token").value);
    document.getElementById("token").value = "";
    tokenForm.hidden = true;
    document.getElementById("token-set").hidden = false;
  });
  document.getElementById("forget").addEventListener("click", () => { token.forget(); askToken(); });
  const decide = async (li, decision) => {
    const out = li.querySelector(".outcome");
    if (!token.get()) { out.textContent = "Enter the write token first."; askToken(); return; }
    out.textContent = "saving…";
    try {
      const r = await fetch(`/v1/plans/${encodeURIComponent(li.dataset.plan)}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token.get()}` },
        body: JSON.stringify({ decisions: [decision] }),
      });
      const body = await r.json().catch(() => ({}));
      if (r.status === 401 || r.status === 403) { token.forget(); askToken(); throw new APIError(r.status, body); }
      if (!r.ok) throw new APIError(r.status, body);
      // The graph changed: nothing kept from before may be shown again.
      cache.clear();
      measureIndex = null;
      li.classList.add("decided");
      li.querySelectorAll(".actions button").forEach((b) => { b.disabled = true; });
      out.innerHTML = `${esc(decision.action === "reject" ? "rejected" : decision.action === "edit" ? "edited and accepted" : "accepted")} — see it on ${link("measure", decision.measure, "the measure's page")}`;
    } catch (e) {
      out.innerHTML = `<span class="error">${esc(e.message)}</span>`;
    }
  };
  document.querySelectorAll("#queue .review-row").forEach((li) => {
    const r = rows[+li.dataset.i];
    const base = { measure: r.measure, ...(r.technology ? { technology: r.technology } : { domain: r.domain }) };
    li.querySelector('[data-action="accept"]').addEventListener("click", () => decide(li, { ...base, action: "accept" }));
    li.querySelector('[data-action="reject"]').addEventListener("click", () => decide(li, { ...base, action: "reject" }));
    const edit = li.querySelector("form.edit");
    li.querySelector('[data-action="edit"]').addEventListener("click", (ev) => {
      edit.hidden = !edit.hidden;
      ev.target.setAttribute("aria-expanded", String(!edit.hidden));
    });
    edit.addEventListener("submit", (ev) => {
      ev.preventDefault();
      decide(li, { measure: r.measure, technology: edit.technology.value, action: "edit", basis: edit.basis.value });
    });
  });
};
