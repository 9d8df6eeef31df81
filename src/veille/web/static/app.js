// veille dashboard: plain JavaScript + SVG over the JSON API of this same server.
// Article text is only ever inserted as text (textContent, never parsed as HTML), and the
// server's Content-Security-Policy forbids inline scripts and other origins.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const PLOVER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
  "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
const TYPE_COLORS = {
  AGREE: "#1b7f4b", CONSULT: "#4caf7a", SUPPORT: "#8bd3a8", CONCEDE: "#b5e3c6", COOPERATE: "#0f5e8c",
  AID: "#3f8fc4", RETREAT: "#9cc6e4", REQUEST: "#6d8f3a", ACCUSE: "#e67e22", REJECT: "#f0a35e",
  THREATEN: "#d35400", PROTEST: "#f5c28a", SANCTION: "#8e44ad", MOBILIZE: "#b03a2e", COERCE: "#e74c3c",
  ASSAULT: "#7b241c",
};
const PAGE = 50;

// -- small DOM helpers ---------------------------------------------------------------

/** An HTML element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c ?? "")));
  return node;
}

/** An SVG element; ``title`` becomes a hover tooltip. */
function svg(tag, attrs = {}, title = null) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v;
    else node.setAttribute(k, String(v));
  }
  if (title !== null) {
    const t = document.createElementNS(SVG_NS, "title");
    t.textContent = title;
    node.append(t);
  }
  return node;
}

const $ = (sel) => document.querySelector(sel);
const clear = (node) => { node.replaceChildren(); return node; };

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = !message;
}

/** GET or POST JSON from the API; errors come back in the one error shape. */
async function api(path, body = undefined) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, init);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const err = data && data.error ? data.error : { status: response.status, code: "http_error", message: response.statusText };
    throw Object.assign(new Error(err.message), { api: err });
  }
  return data;
}

// -- state: filters live in the page URL so a view can be bookmarked ------------------

const FILTER_NAMES = ["actor", "recipient", "undirected", "type", "quad_class", "factuality", "since", "until",
  "lang", "domain", "q"];

// Paging goes by cursor (keyset): `cursor` is the current page's, `back` the earlier pages'
// cursors, `next` the following page's; `offset` only numbers the rows shown.
const state = { view: "events", offset: 0, cursor: null, back: [], next: null, sort: "-date", filters: new URLSearchParams() };

function firstPage() {
  state.offset = 0;
  state.cursor = null;
  state.back = [];
  state.next = null;
}

function readFilterForm() {
  const form = $("#filters");
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const input = form.elements[name];
    if (input.type === "checkbox") {
      if (input.checked && (form.elements.actor.value || form.elements.recipient.value)) params.set(name, "true");
    } else if (input.value.trim()) {
      const value = ["actor", "recipient"].includes(name) ? input.value.trim().toUpperCase()
        : name === "domain" ? input.value.trim().toLowerCase() : input.value.trim();
      params.set(name, value);
    }
  }
  return params;
}

function writeFilterForm(params) {
  const form = $("#filters");
  for (const name of FILTER_NAMES) {
    const input = form.elements[name];
    if (input.type === "checkbox") input.checked = params.has(name) ? params.get(name) === "true" : true;
    else input.value = params.get(name) || "";
  }
}

function syncUrl() {
  const params = new URLSearchParams(state.filters);
  if (state.view !== "events") params.set("view", state.view);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
  for (const fmt of ["csv", "jsonl"]) {
    const p = new URLSearchParams(state.filters);
    p.set("format", fmt);
    p.set("sort", state.sort);
    $(`#dl-${fmt}`).setAttribute("href", `/api/events?${p}`);
  }
}

function filterQuery(extra = {}) {
  const params = new URLSearchParams(state.filters);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  return params.toString();
}

// -- formatting ----------------------------------------------------------------------

const codes = (actors) => (actors || []).map((a) => a.code || "?").join(", ");
const names = (actors) => (actors || []).map((a) => `${a.name || a.text} (${a.code || "?"})`).join(", ");

function typeBadge(type, quad) {
  return el("span", { class: `type q${quad}`, text: type, title: `quad class ${quad}` });
}

function host(url) {
  try { return url ? new URL(url).hostname : ""; } catch (e) { return ""; }
}

/**
 * Fill ``container`` with ``text``, wrapping spans in <span> elements.
 * spans: [{start, end, cls, title?, onclick?, id?}]; they may overlap or nest: the text is
 * cut at every boundary and each piece gets the classes of all spans covering it.
 */
function renderSpans(container, text, spans) {
  clear(container);
  const cuts = new Set([0, text.length]);
  const valid = spans.filter((s) => s.start >= 0 && s.end > s.start && s.end <= text.length);
  for (const s of valid) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((a, b) => a - b);
  let first = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const piece = text.slice(a, b);
    const covering = valid.filter((s) => s.start <= a && s.end >= b);
    if (!covering.length) { container.append(document.createTextNode(piece)); continue; }
    const node = el("span", { class: covering.map((s) => s.cls).join(" ") }, piece);
    const titled = covering.filter((s) => s.title).map((s) => s.title);
    if (titled.length) node.title = titled.join(" · ");
    const clickable = covering.find((s) => s.onclick);
    if (clickable) node.addEventListener("click", clickable.onclick);
    if (!first && covering.some((s) => s.focus)) first = node;
    container.append(node);
  }
  return first;
}

// -- events table --------------------------------------------------------------------

async function loadEvents() {
  const page = { limit: PAGE, sort: state.sort };
  if (state.cursor) page.cursor = state.cursor;
  const data = await api(`/api/events?${filterQuery(page)}`);
  state.next = data.next_cursor;
  const body = clear($("#events tbody"));
  for (const item of data.items) {
    const row = el("tr", { "data-id": item.id, onclick: () => openEvent(item.id) },
      el("td", { class: "date", text: item.date || "" }),
      el("td", {}, typeBadge(item.event[0], item.quad_class)),
      el("td", { class: "code", text: codes(item.actor), title: names(item.actor) }),
      el("td", { class: "code", text: codes(item.recipient) || "—", title: names(item.recipient) || "no recipient" }),
      el("td", { text: item.factuality || "" }),
      el("td", { class: "num", text: item.goldstein ?? "" }),
      el("td", { class: "evidence", text: item.text_info.text }),
      el("td", { text: host(item.cite_info.url) || item.cite_info.language || "" }));
    body.append(row);
  }
  if (!data.items.length) body.append(el("tr", {}, el("td", { colspan: 8, class: "muted", text: "No events match these filters." })));
  const last = Math.min(state.offset + data.items.length, data.total);
  $("#page-info").textContent = data.total ? `${state.offset + 1}–${last} of ${data.total}` : "0 events";
  $("#prev").disabled = state.back.length === 0;
  $("#next").disabled = !state.next;
}

// -- document panel: an event's evidence in its document -------------------------------

async function openEvent(eventId) {
  try {
    const event = await api(`/api/events/${encodeURIComponent(eventId)}`);
    const doc = await api(`/api/documents/${encodeURIComponent(event.document.id)}`);
    showDocument(doc, event);
  } catch (err) { showError(err.message); }
}

function showDocument(doc, event) {
  const panel = $("#doc-panel");
  panel.hidden = false;
  $("#doc-title").textContent = doc.title || doc.id;
  $("#doc-meta").textContent = [doc.published, doc.lang, host(doc.url) || doc.source, `${doc.words} words`]
    .filter(Boolean).join(" · ");
  const card = clear($("#doc-event"));
  card.append(typeBadge(event.event[0], event.quad_class), " ",
    el("strong", { text: names(event.actor) || "?" }), " → ", el("strong", { text: names(event.recipient) || "(no recipient)" }),
    el("div", { class: "muted", text: `${event.date || "no date"} (${event.date_precision}) · ${event.factuality}`
      + ` · trigger “${event.text_info.trigger}” · Goldstein ${event.goldstein} · confidence ${event.confidence}` }));
  for (const a of [...event.actor, ...event.recipient].filter((x) => x.via)) {
    card.append(el("div", { class: "muted via", text: `${a.code} ${a.name}: ${a.via}` }));
  }
  const mentions = clear($("#doc-mentions"));
  for (const m of event.mentions || []) {
    mentions.append(el("li", {}, el("a", { href: "#", onclick: (e) => { e.preventDefault(); openEvent(m.id); } },
      m.cite_info.title || host(m.cite_info.url) || m.doc_id), ` — ${m.text_info.text}`));
  }
  if (!mentions.children.length) mentions.append(el("li", { class: "muted", text: "none in this store" }));
  const spans = doc.events.map((e) => ({
    start: e.start, end: e.end, cls: e.id === event.id ? "evidence" : "ev",
    title: `${e.type} (${e.id})`, focus: e.id === event.id, onclick: () => openEvent(e.id),
  }));
  for (const a of doc.actors) {
    if (a.event_id === event.id) spans.push({ start: a.start, end: a.end, cls: `actor role-${a.role}`, title: `${a.role}: ${a.code || "?"} ${a.name}${a.via ? ` (${a.via})` : ""}` });
  }
  const focus = renderSpans($("#doc-text"), doc.text, spans);
  if (focus) focus.scrollIntoView({ block: "center" });
}

// -- dyad timeline (SVG) -------------------------------------------------------------

async function loadTimeline() {
  const a = state.filters.get("actor");
  const b = state.filters.get("recipient");
  const chart = clear($("#timeline"));
  const legend = clear($("#timeline-legend"));
  $("#timeline-hint").hidden = Boolean(a && b);
  $("#timeline-title").textContent = "";
  if (!a || !b) return;
  const params = new URLSearchParams(state.filters);
  for (const k of ["actor", "recipient", "undirected"]) params.delete(k);
  params.set("by", $("#by").value);
  const data = await api(`/api/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/timeline?${params}`);
  $("#timeline-title").textContent = `${a} ↔ ${b}: ${data.total} dated events by ${data.by}`
    + (data.undated ? ` (${data.undated} more without a date)` : "");
  drawTimeline(chart, data.periods);
  const used = new Set(data.periods.flatMap((p) => p.by_type_quad.map((t) => t.type)));
  for (const type of PLOVER.filter((t) => used.has(t))) {
    legend.append(el("span", {}, el("span", { class: "swatch", "data-type": type }), type));
  }
  for (const sw of legend.querySelectorAll(".swatch")) sw.style.background = TYPE_COLORS[sw.dataset.type];
  legend.append(el("span", { class: "muted", text: "above the line: cooperation (quad 1–2); below: conflict (quad 3–4); dots: mean Goldstein (right axis)" }));
}

function drawTimeline(chart, periods) {
  const W = 960, H = 420, m = { l: 48, r: 48, t: 16, b: 48 };
  if (!periods.length) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", text: "no events for this pair" }));
    return;
  }
  const maxUp = Math.max(1, ...periods.map((p) => p.cooperation));
  const maxDown = Math.max(1, ...periods.map((p) => p.conflict));
  const plotH = H - m.t - m.b;
  const zero = m.t + plotH * maxUp / (maxUp + maxDown);
  const unit = plotH / (maxUp + maxDown);
  // A time axis: each period sits at its date, so gaps in time show as gaps.
  const DAY = 86400000;
  const spanDays = { day: 1, week: 7, month: 30.44 }[$("#by").value] || 30.44;
  const t0 = Date.parse(periods[0].period), t1 = Date.parse(periods[periods.length - 1].period) + spanDays * DAY;
  const tx = (t) => m.l + (W - m.l - m.r) * (t - t0) / Math.max(t1 - t0, DAY);
  const band = Math.max(1, tx(t0 + spanDays * DAY) - tx(t0));
  const barW = Math.max(2, Math.min(48, band * 0.8));
  const axis = svg("g", { class: "axis" });
  axis.append(svg("line", { x1: m.l, x2: W - m.r, y1: zero, y2: zero }));
  axis.append(svg("line", { x1: m.l, x2: m.l, y1: m.t, y2: H - m.b }));
  axis.append(svg("text", { x: m.l - 6, y: m.t + 10, "text-anchor": "end", text: maxUp }));
  axis.append(svg("text", { x: m.l - 6, y: H - m.b, "text-anchor": "end", text: maxDown }));
  axis.append(svg("text", { x: m.l - 6, y: zero + 4, "text-anchor": "end", text: "0" }));
  axis.append(svg("text", { x: 12, y: m.t + 40, transform: `rotate(-90 12 ${m.t + 40})`, "text-anchor": "end", text: "cooperation" }));
  axis.append(svg("text", { x: 12, y: H - m.b, transform: `rotate(-90 12 ${H - m.b})`, "text-anchor": "start", text: "conflict" }));
  // Goldstein axis on the right: -10 … +10
  const gy = (g) => m.t + plotH * (10 - g) / 20;
  axis.append(svg("line", { x1: W - m.r, x2: W - m.r, y1: m.t, y2: H - m.b }));
  for (const g of [-10, 0, 10]) axis.append(svg("text", { x: W - m.r + 6, y: gy(g) + 4, text: g > 0 ? `+${g}` : g }));
  // Time ticks: evenly spaced in time (not one per period), labelled to the period's precision.
  const ticks = Math.max(2, Math.min(8, Math.round((t1 - t0) / (spanDays * DAY)) + 1));
  const digits = $("#by").value === "month" ? 7 : 10;
  for (let k = 0; k < ticks; k++) {
    const t = t0 + k * (t1 - t0 - spanDays * DAY) / Math.max(ticks - 1, 1);
    const x = tx(t) + band / 2;
    axis.append(svg("line", { class: "tick", x1: x, x2: x, y1: H - m.b, y2: H - m.b + 4 }));
    axis.append(svg("text", { class: "tick-label", x, y: H - m.b + 16, "text-anchor": "middle",
      text: new Date(t).toISOString().slice(0, digits) }));
  }
  chart.append(axis);
  const dots = [];
  periods.forEach((p, i) => {
    const x = tx(Date.parse(p.period)) + (band - barW) / 2;
    const bar = svg("g", { class: "bar", "data-period": p.period });
    let up = zero, down = zero;
    const parts = [...p.by_type_quad].sort((s, t) => PLOVER.indexOf(s.type) - PLOVER.indexOf(t.type));
    for (const part of parts) {
      const h = part.events * unit;
      const conflict = part.quad_class >= 3;
      const y = conflict ? down : up - h;
      if (conflict) down += h; else up -= h;
      bar.append(svg("rect", { x, y, width: barW, height: Math.max(h, 0.5), fill: TYPE_COLORS[part.type] || "#999" },
        `${p.period} ${part.type} (quad ${part.quad_class}): ${part.events}`));
    }
    chart.append(bar);
    if (p.goldstein_mean !== null) dots.push([x + barW / 2, gy(p.goldstein_mean), p]);
  });
  if (dots.length > 1) {
    chart.append(svg("polyline", { points: dots.map(([x, y]) => `${x},${y}`).join(" "), fill: "none", stroke: "#333", "stroke-width": 1, "stroke-dasharray": "3 3" }));
  }
  for (const [x, y, p] of dots) {
    chart.append(svg("circle", { cx: x, cy: y, r: 3.5, fill: "#222" }, `${p.period}: mean Goldstein ${p.goldstein_mean}`));
  }
}

// -- actor network (SVG, small force layout) ------------------------------------------

async function loadNetwork() {
  const data = await api(`/api/network?${filterQuery({ level: $("#level").value })}`);
  drawNetwork(clear($("#network")), data);
}

/** Place nodes with a few hundred steps of repulsion + springs + gravity (deterministic start). */
function layout(nodes, edges, W, H) {
  const n = nodes.length;
  nodes.forEach((node, i) => {
    const angle = 2 * Math.PI * i / Math.max(n, 1);
    node.x = W / 2 + Math.cos(angle) * W * 0.3;
    node.y = H / 2 + Math.sin(angle) * H * 0.3;
  });
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const links = edges.map((e) => [index.get(e.source), index.get(e.target), e.weight]);
  const k = Math.sqrt((W * H) / Math.max(n, 1)) * 0.6;
  for (let step = 0; step < 300; step++) {
    const temp = 20 * (1 - step / 300) + 0.5;
    const dx = new Float64Array(n), dy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let x = nodes[i].x - nodes[j].x, y = nodes[i].y - nodes[j].y;
        const d2 = Math.max(x * x + y * y, 1);
        const f = (k * k) / d2;
        dx[i] += x * f; dy[i] += y * f; dx[j] -= x * f; dy[j] -= y * f;
      }
    }
    for (const [i, j] of links) {
      const x = nodes[i].x - nodes[j].x, y = nodes[i].y - nodes[j].y;
      const d = Math.max(Math.sqrt(x * x + y * y), 1);
      const f = d / k;
      dx[i] -= x * f; dy[i] -= y * f; dx[j] += x * f; dy[j] += y * f;
    }
    for (let i = 0; i < n; i++) {
      dx[i] += (W / 2 - nodes[i].x) * 0.05; dy[i] += (H / 2 - nodes[i].y) * 0.05;
      const len = Math.max(Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]), 1e-9);
      nodes[i].x = Math.min(W - 30, Math.max(30, nodes[i].x + dx[i] / len * Math.min(len, temp)));
      nodes[i].y = Math.min(H - 24, Math.max(24, nodes[i].y + dy[i] / len * Math.min(len, temp)));
    }
  }
}

function drawNetwork(chart, data) {
  // Taller for many nodes, so that up to ~150 stay apart; the viewBox follows.
  const W = 960, H = Math.min(900, 560 + Math.max(0, data.nodes.length - 40) * 3);
  chart.setAttribute("viewBox", `0 0 ${W} ${H}`);
  if (!data.nodes.length) {
    chart.append(svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", text: "no actor pairs for these filters" }));
    return;
  }
  const nodes = data.nodes.map((d) => ({ ...d }));
  layout(nodes, data.edges, W, H);
  const at = new Map(nodes.map((d) => [d.id, d]));
  const maxW = Math.max(...data.edges.map((e) => e.weight));
  const maxN = Math.max(...nodes.map((d) => d.events));
  const defs = svg("defs");
  for (const [id, color] of [["arrow-coop", "#2f8f5b"], ["arrow-conf", "#c0392b"], ["arrow-mix", "#888"]]) {
    const marker = svg("marker", { id, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" });
    marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", fill: color }));
    defs.append(marker);
  }
  chart.append(defs);
  const radius = (d) => 5 + 14 * Math.sqrt(d.events / maxN);
  const labelled = new Set([...nodes].sort((a, b) => b.events - a.events).slice(0, 45).map((d) => d.id));
  const boxes = [];
  for (const e of data.edges) {
    const s = at.get(e.source), t = at.get(e.target);
    const kind = e.cooperation > e.conflict ? "coop" : e.conflict > e.cooperation ? "conf" : "mix";
    const color = { coop: "#2f8f5b", conf: "#c0392b", mix: "#888" }[kind];
    const dx = t.x - s.x, dy = t.y - s.y, d = Math.max(Math.hypot(dx, dy), 1);
    const r = radius(t) + 2;
    const attrs = {
      class: e.joint ? "edge joint" : "edge", x1: s.x, y1: s.y, x2: e.joint ? t.x : t.x - dx / d * r,
      y2: e.joint ? t.y : t.y - dy / d * r, stroke: color, "stroke-opacity": 0.7, "stroke-width": 1 + 5 * e.weight / maxW,
    };
    if (e.joint) attrs["stroke-dasharray"] = "6 4"; else attrs["marker-end"] = `url(#arrow-${kind})`;
    chart.append(svg("line", attrs, `${e.source} ${e.joint ? "with" : "→"} ${e.target}: ${e.weight} events`
      + ` (${e.cooperation} cooperation, ${e.conflict} conflict), mean Goldstein ${e.goldstein_mean}`));
  }
  for (const d of nodes) {
    const g = svg("g", { class: "node", "data-id": d.id, transform: `translate(${d.x},${d.y})` });
    g.append(svg("circle", { r: radius(d), fill: "#2458a6" }, `${d.id} — ${d.name}: ${d.events} events`));
    // Labels for the busiest nodes only, each on the first side (right, left, below, above)
    // where it stays inside the picture and overlaps no label or node; else only on hover.
    const spot = labelled.has(d.id) ? placeLabel(d, radius(d), W, H, boxes, nodes, radius) : null;
    if (spot) g.append(svg("text", { x: spot.x, y: spot.y, "text-anchor": spot.anchor, text: d.id }));
    g.addEventListener("click", () => {
      const form = $("#filters");
      form.elements.actor.value = d.id;
      form.elements.recipient.value = "";
      applyFilters("events");
    });
    chart.append(g);
  }
}

/** Where a node's label goes (relative to the node), or null when every side collides. */
function placeLabel(d, r, W, H, boxes, nodes, radius) {
  const w = 7 * d.id.length, h = 12;
  const sides = [
    { x: r + 3, y: 4, anchor: "start", box: [d.x + r + 3, d.y - 8] },
    { x: -r - 3, y: 4, anchor: "end", box: [d.x - r - 3 - w, d.y - 8] },
    { x: 0, y: r + 13, anchor: "middle", box: [d.x - w / 2, d.y + r + 2] },
    { x: 0, y: -r - 5, anchor: "middle", box: [d.x - w / 2, d.y - r - 16] },
  ];
  for (const side of sides) {
    const [x, y] = side.box;
    if (x < 0 || y < 0 || x + w > W || y + h > H) continue;
    const hits = boxes.some(([bx, by, bw, bh]) => x < bx + bw && bx < x + w && y < by + bh && by < y + h)
      || nodes.some((o) => o !== d && Math.max(x - o.x, 0, o.x - x - w) ** 2 + Math.max(y - o.y, 0, o.y - y - h) ** 2
        < radius(o) ** 2);
    if (!hits) {
      boxes.push([x, y, w, h]);
      return side;
    }
  }
  return null;
}

// -- map (SVG, equirectangular, shapes shipped with the package) ----------------------

let worldCache = null;

async function loadMap() {
  if (!worldCache) worldCache = await api("/static/world.json");
  const data = await api(`/api/locations?${filterQuery()}`);
  drawMap(clear($("#map")), worldCache, data);
}

function drawMap(chart, world, data) {
  const W = 960, H = 500, top = 84, bottom = -58;
  const px = (lon) => (lon + 180) / 360 * W;
  const py = (lat) => (top - lat) / (top - bottom) * H;
  const counts = new Map(data.countries.map((c) => [c.country, c.events]));
  const max = Math.max(1, ...counts.values());
  // A ring crossing the antimeridian (Russia's far east, Fiji) is drawn past the right
  // edge instead of as a stripe across the whole map.
  const unwrap = (ring) => {
    const lons = ring.map(([lon]) => lon);
    if (Math.max(...lons) - Math.min(...lons) < 180) return ring;
    return ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
  };
  const ringPath = (ring) => unwrap(ring).map(([lon, lat], i) => `${i ? "L" : "M"}${px(lon).toFixed(1)},${py(lat).toFixed(1)}`).join("") + "Z";
  for (const f of world.features) {
    if (f.properties.iso3 === "ATA") continue;  // below the map's southern edge
    const polys = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const d = polys.map((poly) => poly.map(ringPath).join("")).join("");
    const n = counts.get(f.properties.iso3) || 0;
    const path = svg("path", { d, class: n ? "country has" : "country", "data-iso3": f.properties.iso3 || "" },
      `${f.properties.name}${n ? `: ${n} events` : ""}`);
    if (n) {
      const t = Math.log1p(n) / Math.log1p(max);
      path.style.fill = `rgb(${Math.round(254 - 39 * t)},${Math.round(224 - 176 * t)},${Math.round(139 - 100 * t)})`;
    }
    chart.append(path);
  }
  const maxP = Math.max(1, ...data.points.map((p) => p.events));
  for (const p of data.points) {
    chart.append(svg("circle", {
      class: "place", cx: px(p.lon), cy: py(p.lat), r: 2.5 + 8 * Math.sqrt(p.events / maxP),
      fill: "#2458a6", "fill-opacity": 0.6, stroke: "#fff",
    }, `${p.name} (${p.country || "?"}): ${p.events} events`));
  }
  if (!data.countries.length) {
    chart.append(svg("text", { x: W / 2, y: H - 12, "text-anchor": "middle", text: "no located events for these filters" }));
  }
  drawMapLegend(chart, H, max, maxP);
}

/** Legend: the country shading (events per country, log scale) and the place circles. */
function drawMapLegend(chart, H, max, maxP) {
  const g = svg("g", { class: "map-legend", transform: `translate(12, ${H - 92})` });
  g.append(svg("rect", { x: -6, y: -14, width: 210, height: 100, fill: "#fff", "fill-opacity": 0.85, stroke: "#d6dbe1" }));
  g.append(svg("text", { x: 0, y: 0, text: "events per country" }));
  const steps = 5;
  for (let k = 0; k < steps; k++) {
    const t = k / (steps - 1);
    g.append(svg("rect", { x: k * 36, y: 8, width: 36, height: 12,
      fill: `rgb(${Math.round(254 - 39 * t)},${Math.round(224 - 176 * t)},${Math.round(139 - 100 * t)})` }));
  }
  g.append(svg("text", { x: 0, y: 34, text: "1" }));
  g.append(svg("text", { x: steps * 36, y: 34, "text-anchor": "end", text: String(max) }));
  g.append(svg("circle", { cx: 8, cy: 58, r: 2.5 + 8 * Math.sqrt(1 / maxP), fill: "#2458a6", "fill-opacity": 0.6 }));
  g.append(svg("circle", { cx: 40, cy: 58, r: 10.5, fill: "#2458a6", "fill-opacity": 0.6 }));
  g.append(svg("text", { x: 58, y: 62, text: `places: 1 … ${maxP} events` }));
  chart.append(g);
}

// -- paste a report: POST /api/extract ------------------------------------------------

async function runExtract(ev) {
  ev.preventDefault();
  const text = $("#extract-text").value;
  const status = $("#extract-status");
  if (!text.trim()) { status.textContent = "Paste a report first."; return; }
  const body = { [$("#extract-kind").value]: text };
  if ($("#extract-lang").value) body.lang = $("#extract-lang").value;
  if ($("#extract-date").value) body.date = $("#extract-date").value;
  status.textContent = "extracting…";
  status.dataset.state = "running";
  clear($("#extract-events"));
  clear($("#extract-doc"));
  try {
    const data = await api("/api/extract", body);
    status.textContent = `${data.events.length} events · language ${data.document.lang} · date ${data.document.published || "unknown"}`;
    showExtract(data);
    status.dataset.state = "done";
  } catch (err) {
    status.textContent = err.message;
    status.dataset.state = "error";
  }
}

/** Actor surface texts located inside an evidence span (extract records carry no actor offsets). */
function actorSpans(text, event) {
  const spans = [];
  const [start, end] = [event.text_info.start, event.text_info.end];
  for (const [role, list] of [["actor", event.actor], ["recipient", event.recipient]]) {
    for (const a of list || []) {
      if (!a.text) continue;
      const at = text.indexOf(a.text, start);
      if (at >= 0 && at + a.text.length <= end) spans.push({ start: at, end: at + a.text.length, cls: `actor role-${role}`, title: `${role}: ${a.code || "?"} ${a.name}` });
    }
  }
  return spans;
}

function showExtract(data, selected = null) {
  const text = data.document.text;
  const list = clear($("#extract-events"));
  data.events.forEach((e, i) => {
    const item = el("li", { class: i === selected ? "selected" : "", onclick: () => showExtract(data, i) },
      typeBadge(e.event[0], e.quad_class), " ", codes(e.actor) || "?", " → ", codes(e.recipient) || "(no recipient)",
      el("div", { class: "muted", text: `${e.date || "no date"} · ${e.factuality} · “${e.text_info.trigger}”` }));
    list.append(item);
  });
  if (!data.events.length) list.append(el("li", { class: "muted", text: "No events found in this report." }));
  const spans = data.events.map((e, i) => ({
    start: e.text_info.start, end: e.text_info.end, cls: i === selected ? "evidence" : "evidence ev",
    title: `${e.event[0]}: ${codes(e.actor)} → ${codes(e.recipient)}`, focus: i === selected,
    onclick: () => showExtract(data, i),
  }));
  data.events.forEach((e, i) => { if (selected === null || i === selected) spans.push(...actorSpans(text, e)); });
  const focus = renderSpans($("#extract-doc"), text, spans);
  if (focus) focus.scrollIntoView({ block: "nearest" });
}

// -- wiring ----------------------------------------------------------------------------

// -- alerts ---------------------------------------------------------------------------

async function loadAlerts() {
  const data = await api("/api/alerts?limit=100");
  const list = clear($("#alerts"));
  for (const alert of data.items) {
    const window = alert.window.start === alert.window.end ? alert.window.start : `${alert.window.start} to ${alert.window.end}`;
    const events = el("ul", { class: "event-list" });
    for (const e of alert.events) {
      if (e.missing) { events.append(el("li", { class: "muted", text: `${e.id} (no longer in the store)` })); continue; }
      events.append(el("li", { "data-id": e.id },
        el("a", { href: "#", onclick: (ev) => { ev.preventDefault(); openEvent(e.id); } },
          `${e.date || ""} ${(e.actor || "?").replaceAll("|", ", ")} → ${(e.recipient || "—").replaceAll("|", ", ")}`), " ", typeBadge(e.type, e.quad_class),
        el("span", { class: "muted", text: ` ${e.evidence}` })));
    }
    const delivered = alert.delivered ? ` · webhook: ${alert.delivered}` : "";
    list.append(el("li", { class: "alert", "data-alert": alert.id },
      el("strong", { text: alert.rule }),
      el("span", { class: "muted", text: ` · ${alert.count} event${alert.count === 1 ? "" : "s"} · ${window} · fired ${String(alert.fired_at).slice(0, 19).replace("T", " ")}${delivered}` }),
      events));
  }
  if (!data.items.length) list.append(el("li", { class: "muted", text: "No alert yet: run veille watch STORE --feeds FILE --alerts RULES.toml, or veille alerts STORE --rules RULES.toml --record." }));
}

const LOADERS = { events: loadEvents, timeline: loadTimeline, network: loadNetwork, map: loadMap, alerts: loadAlerts, extract: async () => {} };

async function show(view) {
  state.view = view;
  for (const b of document.querySelectorAll("#tabs button")) b.classList.toggle("active", b.dataset.view === view);
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== `view-${view}`;
  syncUrl();
  showError("");
  const section = $(`#view-${view}`);
  section.setAttribute("aria-busy", "true");
  try { await LOADERS[view](); } catch (err) { showError(err.message); } finally { section.setAttribute("aria-busy", "false"); }
}

function applyFilters(view = state.view) {
  state.filters = readFilterForm();
  firstPage();
  return show(view);
}

async function loadSummary() {
  try {
    const s = await api("/api/summary");
    $("#summary").textContent = `${s.events} events from ${s.documents} reports`
      + (s.first_date ? ` · ${s.first_date} to ${s.last_date}` : "") + (s.languages.length ? ` · ${s.languages.join(", ")}` : "");
  } catch (err) { $("#summary").textContent = err.message; }
}

function init() {
  const typeSelect = $("#filters").elements.type;
  for (const t of PLOVER) typeSelect.append(el("option", { value: t, text: t }));
  const params = new URLSearchParams(location.search);
  const view = params.get("view") || "events";
  writeFilterForm(params);
  state.filters = readFilterForm();
  $("#filters").addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  $("#reset").addEventListener("click", () => { writeFilterForm(new URLSearchParams()); applyFilters(); });
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => show(b.dataset.view));
  for (const th of document.querySelectorAll("th[data-sort]")) {
    th.addEventListener("click", () => {
      state.sort = state.sort === th.dataset.sort ? `-${th.dataset.sort}` : th.dataset.sort;
      firstPage();
      show("events");
    });
  }
  $("#prev").addEventListener("click", () => {
    if (!state.back.length) return;
    state.cursor = state.back.pop();
    state.offset = Math.max(0, state.offset - PAGE);
    show("events");
  });
  $("#next").addEventListener("click", () => {
    if (!state.next) return;
    state.back.push(state.cursor);
    state.cursor = state.next;
    state.offset += PAGE;
    show("events");
  });
  $("#by").addEventListener("change", () => show("timeline"));
  $("#level").addEventListener("change", () => show("network"));
  $("#doc-close").addEventListener("click", () => { $("#doc-panel").hidden = true; });
  $("#extract-form").addEventListener("submit", runExtract);
  loadSummary();
  show(LOADERS[view] ? view : "events");
}

document.addEventListener("DOMContentLoaded", init);
