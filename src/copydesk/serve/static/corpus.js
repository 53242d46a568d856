// Corpus view: filters and full-text search over the loaded outputs, through
// /api/records and /api/facets. Rows open their page view (/?record=RID).
"use strict";

const $ = (id) => document.getElementById(id);
const FILTERS = ["q", "status", "reason", "site", "language", "date_from", "date_to", "dups"];
const LIMIT = 50;
const MARK_OPEN = "\ue000", MARK_CLOSE = "\ue001";
let offset = 0;
let total = 0;
let wasLoading = false;

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function params(extra) {
  const p = new URLSearchParams();
  for (const name of FILTERS) {
    const value = $(name).value.trim();
    if (value) p.set(name, value);
  }
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p;
}

async function getJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

// The snippet marks matches with private-use characters; turn them into <mark>.
function snippetNode(text) {
  const span = el("span", {class: "snippet"});
  const parts = String(text || "").split(MARK_OPEN);
  span.append(parts[0]);
  for (const part of parts.slice(1)) {
    const [hit, rest] = part.split(MARK_CLOSE);
    span.append(el("mark", {}, hit), rest || "");
  }
  return span;
}

function showRows(rows) {
  const body = $("rows").querySelector("tbody");
  body.replaceChildren();
  for (const r of rows) {
    const tr = el("tr", {class: "status-" + r.status, "data-rid": String(r.rid)});
    const title = el("td");
    const link = el("a", {href: "/?record=" + r.rid, class: "title"}, r.title || "(no title)");
    title.append(link, el("br"), snippetNode(r.snippet));
    tr.append(el("td", {}, r.rid), el("td", {}, r.status + (r.error ? ": " + r.error : "")), title,
              el("td", {}, r.site_name || ""), el("td", {}, r.language || ""),
              el("td", {}, (r.date_published || "").slice(0, 10)));
    tr.addEventListener("click", (e) => { if (e.target.tagName !== "A") location.href = link.href; });
    body.append(tr);
  }
}

function fillSelect(id, pairs) {
  const select = $(id);
  const current = select.value;
  select.replaceChildren(el("option", {value: ""}, "any"));
  for (const [value, n] of pairs) select.append(el("option", {value}, value + " (" + n + ")"));
  if (current && ![...select.options].some((o) => o.value === current)) {
    select.append(el("option", {value: current}, current + " (0)"));
  }
  select.value = current;
}

function fillFacet(id, pairs, selectId) {
  const list = $(id);
  list.replaceChildren();
  for (const [value, n] of pairs) {
    const link = el("a", {href: "#"}, value);
    link.addEventListener("click", (e) => { e.preventDefault(); $(selectId).value = value; refresh(0); });
    const item = el("li");
    item.append(link, " " + n);
    list.append(item);
  }
}

async function refresh(newOffset) {
  offset = newOffset;
  const started = performance.now();
  try {
    const [page, facets] = await Promise.all([
      getJson("/api/records?" + params({limit: LIMIT, offset})),
      getJson("/api/facets?" + params())]);
    if (page.loading) {
      wasLoading = true;
      $("summary").textContent = "indexing the outputs… " + page.read + " rows read";
      setTimeout(() => { showFiles(); refresh(offset); }, 1000);
      return;
    }
    if (wasLoading) {
      wasLoading = false;
      showFiles();
    }
    total = page.total;
    showRows(page.rows);
    for (const name of ["status", "reason", "site", "language"]) fillSelect(name, facets[name]);
    fillFacet("by-status", facets.status, "status");
    fillFacet("by-reason", facets.reason, "reason");
    const ms = Math.round(performance.now() - started);
    $("summary").textContent = total + " matching rows · " + facets.duplicates +
      " duplicates · " + ms + " ms";
    const last = Math.min(offset + LIMIT, total);
    $("page-info").textContent = total ? (offset + 1) + "–" + last + " of " + total : "no rows";
    $("prev").disabled = offset === 0;
    $("next").disabled = offset + LIMIT >= total;
    document.body.dataset.loaded = String(Date.now());
  } catch (err) {
    $("summary").textContent = "error: " + err.message;
  }
}

async function showFiles() {
  const info = await getJson("/api/files");
  const list = $("files");
  list.replaceChildren();
  if (info.loading) {
    list.append(el("li", {}, "indexing… " + info.read + " rows read"));
    return;
  }
  for (const f of info.files) {
    list.append(el("li", {}, f.name + ": " + f.rows + " rows" +
                   (f.skipped ? ", " + f.skipped + " unreadable lines" : "")));
  }
  if (!info.files.length) list.append(el("li", {}, "no output file loaded: copydesk serve OUT.jsonl"));
}

function start() {
  $("filters").addEventListener("submit", (e) => { e.preventDefault(); refresh(0); });
  $("filters").addEventListener("reset", () => setTimeout(() => refresh(0), 0));
  for (const name of FILTERS.slice(1)) $(name).addEventListener("change", () => refresh(0));
  $("prev").addEventListener("click", () => refresh(Math.max(0, offset - LIMIT)));
  $("next").addEventListener("click", () => refresh(offset + LIMIT));
  showFiles();
  refresh(0);
}

start();
