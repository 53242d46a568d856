// Page view: send a page to /api/extract (or load a stored row) and show
// every block with kept/dropped and why. All page data goes into the DOM via
// textContent, never innerHTML: the inspected page is untrusted.
"use strict";

const $ = (id) => document.getElementById(id);
const MAX_BYTES = Number(document.body.dataset.maxBytes);

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function say(text, isError) {
  const box = $("message");
  box.hidden = !text;
  box.textContent = text || "";
  box.classList.toggle("error", Boolean(isError));
}

async function callApi(url, options) {
  let response;
  try {
    response = await fetch(url, options);
  } catch (err) {
    throw new Error("the inspector server did not answer: " + err.message);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || ("HTTP " + response.status));
  return body;
}

async function run(label, promise) {
  say(label + "…");
  delete document.body.dataset.readyMs;
  performance.clearMarks();
  performance.mark("cd-start");
  const started = performance.now();
  try {
    const payload = await promise;
    performance.mark("cd-fetched");
    show(payload);
    performance.mark("cd-shown");
    say("");
    // "Ready" once the browser has laid out and painted the result.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    document.body.dataset.readyMs = String(Math.round(performance.now() - started));
    // The original page is parsed and laid out after the blocks are painted:
    // the blocks are what the reader came for, the frame follows a moment later.
    showOriginal(payload.original_url);
  } catch (err) {
    say(err.message, true);
  }
}

function extractPasted(event) {
  event.preventDefault();
  const content = $("content").value;
  if (new Blob([content]).size > MAX_BYTES) {
    say("content too large: the inspector accepts at most " + (MAX_BYTES / 1048576) + " MB per page", true);
    return;
  }
  const body = JSON.stringify({content, url: $("url").value || null,
                               input_format: $("input-format").value || null});
  run("extracting", callApi("/api/extract", {method: "POST", body,
      headers: {"Content-Type": "application/json"}}));
}

function extractUploaded() {
  const file = $("file").files[0];
  if (!file) return;
  if (file.size > MAX_BYTES) {
    say("file too large: " + file.name + " is " + (file.size / 1048576).toFixed(1) +
        " MB; the inspector accepts at most " + (MAX_BYTES / 1048576) + " MB per page", true);
    return;
  }
  const params = new URLSearchParams({name: file.name, url: $("url").value,
                                      input_format: $("input-format").value});
  run("extracting " + file.name, callApi("/api/upload?" + params, {method: "POST", body: file,
      headers: {"Content-Type": "application/octet-stream"}}));
}

function show(p) {
  $("result").hidden = false;
  $("headline").textContent = p.title || "(no title found)";
  const facts = [p.status + (p.error ? ": " + p.error : ""), "rung " + (p.rung || "?"),
    p.input_format, p.language, p.date_published && "published " + p.date_published,
    (p.authors || []).length && "by " + p.authors.join(", "), p.agency && "agency " + p.agency,
    p.site_name, p.elapsed_ms !== undefined && "extracted in " + p.elapsed_ms + " ms"];
  $("facts").textContent = facts.filter(Boolean).join(" · ");
  const ladder = (p.attempts || []).map((a) => a.rung + " " + a.kept_chars + " chars" +
    (a.chosen ? " (chosen)" : a.why ? " (" + a.why + ")" : ""));
  $("notes").textContent = [...(ladder.length ? ["ladder: " + ladder.join(" → ")] : []),
    ...(p.notes || [])].join(" · ");
  showBlocks(p.blocks || []);
  showMeta(p);
  $("text-out").textContent = p.text || "";
  $("markdown-out").textContent = p.markdown || "";
  const record = Object.assign({}, p);
  for (const key of ["blocks", "candidates", "notes", "attempts", "original_url", "elapsed_ms"]) delete record[key];
  $("json-out").textContent = JSON.stringify(record, null, 2);
}

// Blocks are drawn in chunks: the first screenful at once, the rest in the
// following tasks, so a page with thousands of blocks is readable at once
// and the browser never lays out everything in one long frame. The dropped
// list is built only when its tab is opened.
const FIRST_CHUNK = 400;
const NEXT_CHUNK = 1500;
let droppedBlocks = [];
let drawing = 0;

function blockNode(b, i) {
  const cls = "block " + (b.kept ? "kept" : "dropped") + " kind-" + (b.kind || "p");
  const row = el("div", {class: cls, title: (b.kept ? "kept: " : "dropped: ") + b.reason, id: "b" + i});
  row.append(el("span", {class: "text"}, b.text));
  if (!b.kept) row.append(el("span", {class: "why"}, b.reason));
  return row;
}

function drawBlocks(blocks, start, end, run) {
  if (run !== drawing) return;  // a newer page replaced this one
  const fragment = document.createDocumentFragment();
  for (let i = start; i < Math.min(end, blocks.length); i++) fragment.append(blockNode(blocks[i], i));
  $("blocks").append(fragment);
  if (end < blocks.length) {
    setTimeout(() => drawBlocks(blocks, end, end + NEXT_CHUNK, run), 0);
  } else {
    $("blocks").dataset.complete = "yes";
  }
}

function showBlocks(blocks) {
  const reasons = new Map();
  droppedBlocks = [];
  blocks.forEach((b, i) => {
    if (!b.kept) {
      droppedBlocks.push([i, b]);
      reasons.set(b.reason, (reasons.get(b.reason) || 0) + 1);
    }
  });
  drawing += 1;
  $("blocks").replaceChildren();
  if (!blocks.length) {
    $("blocks").append(el("p", {class: "muted"}, "No blocks: the page gave no text (see the status above)."));
  }
  $("blocks").dataset.complete = "no";
  drawBlocks(blocks, 0, FIRST_CHUNK, drawing);
  $("dropped").replaceChildren();
  $("dropped").dataset.built = "no";
  $("dropped-count").textContent = "(" + droppedBlocks.length + ")";
  const summary = $("reasons");
  summary.replaceChildren();
  [...reasons.entries()].sort((a, b) => b[1] - a[1]).forEach(([reason, n]) =>
    summary.append(el("li", {}, n + " × " + reason)));
}

function buildDroppedList() {
  const list = $("dropped");
  if (list.dataset.built === "yes") return;
  const fragment = document.createDocumentFragment();
  for (const [i, b] of droppedBlocks) {
    const item = el("li");
    item.append(el("a", {href: "#b" + i}, b.text.slice(0, 80)), el("span", {class: "why"}, " — " + b.reason));
    fragment.append(item);
  }
  list.replaceChildren(fragment);
  list.dataset.built = "yes";
}

function showMeta(p) {
  const table = $("meta");
  table.replaceChildren();
  const head = el("tr");
  head.append(el("th", {}, "field"), el("th", {}, "value"), el("th", {}, "candidates (source, why)"));
  table.append(head);
  const fields = ["title", "authors", "agency", "date_published", "date_modified", "date_crawled",
                  "site_name", "section", "tags", "language", "description", "image", "canonical_url"];
  const candidates = p.candidates || {};
  for (const name of new Set([...fields, ...Object.keys(candidates)])) {
    const value = p[name];
    const shown = Array.isArray(value) ? value.join(", ") : (value ?? "");
    const row = el("tr");
    row.append(el("td", {class: "field"}, name), el("td", {}, shown));
    const cell = el("td");
    const list = el("ul", {class: "candidates"});
    for (const c of candidates[name] || []) {
      const text = String(c.value) + " — " + (c.source || "?") + (c.reason ? " (" + c.reason + ")" : "");
      list.append(el("li", {class: c.chosen ? "chosen" : ""}, (c.chosen ? "✓ " : "") + text));
    }
    cell.append(list);
    row.append(cell);
    table.append(row);
  }
}

function showOriginal(url) {
  const box = $("original-box");
  box.replaceChildren();
  if (!url || !url.startsWith("/api/original/")) {
    box.append(el("p", {class: "muted"}, "The original page is not available for this row."));
    return;
  }
  // sandbox="" : no scripts, no forms, no popups, no navigation, opaque origin.
  const frame = el("iframe", {sandbox: "", referrerpolicy: "no-referrer", title: "original page",
                              id: "original"});
  frame.addEventListener("load", () => performance.mark("cd-original"), {once: true});
  frame.src = url;
  box.append(frame);
}

function switchTab(event) {
  const button = event.target.closest("button[data-tab]");
  if (!button) return;
  const group = button.parentElement.dataset.group;
  document.querySelectorAll('.tabs[data-group="' + group + '"] button').forEach((b) =>
    b.classList.toggle("on", b === button));
  if (button.dataset.tab === "dropped") buildDroppedList();
  document.querySelectorAll('.tab-body[data-group="' + group + '"]').forEach((body) => {
    body.hidden = body.dataset.tab !== button.dataset.tab;
  });
}

// Pages often open with dozens of menu lines: bring the first kept block near
// the top of the panel, a few dropped lines still visible above it.
function jumpToKept() {
  const first = document.querySelector("#blocks .block.kept");
  if (!first) return;
  const box = $("blocks").parentElement;
  box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 140);
}

function start() {
  $("jump-kept").addEventListener("click", jumpToKept);
  $("extract-form").addEventListener("submit", extractPasted);
  $("file").addEventListener("change", extractUploaded);
  $("hide-dropped").addEventListener("change", (e) =>
    $("blocks").classList.toggle("hide-dropped", e.target.checked));
  document.querySelectorAll(".tabs").forEach((t) => t.addEventListener("click", switchTab));
  const params = new URLSearchParams(location.search);
  const record = params.get("record");
  if (record && /^\d+$/.test(record)) {
    $("input-panel").open = false;
    run("loading row " + record, callApi("/api/records/" + record));
  } else if (params.has("open") && document.body.dataset.preloaded === "yes") {
    $("input-panel").open = false;
    run("extracting the opened file", callApi("/api/preloaded"));
  }
}

start();
