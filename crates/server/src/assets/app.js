// The cardlm workshop: a form over POST /api/generate/stream, cards drawn as
// they arrive with the markup of the cards crate's html.rs (same classes, same
// style sheet /assets/cards.css), verdicts, locks, reroll, JSON out.
"use strict";

const LOCK_ICON = '<svg class="icon" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 0 0-4 0z" fill="currentColor"/></svg>';
const STEERED = ["name", "cost", "type", "subtypes", "rarity", "pt", "ability"];
const form = document.getElementById("form");
const cardsBox = document.getElementById("cards");
const statusLine = document.getElementById("status");
const errorBox = document.getElementById("error");
const popup = document.getElementById("nearest");
let lastCards = [];
let lastSeed = null;
let running = null; // AbortController of the request in flight

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

// The verdicts under a card.
function drawVerdicts(item) {
  const lines = [];
  if (item.well_formed) lines.push(`<div class="good">well-formed</div>`);
  else lines.push(`<div class="bad">not well-formed: ${escapeHtml((item.problems || []).join("; "))}</div>`);
  if (item.missed_fields && item.missed_fields.length) {
    lines.push(`<div class="bad">forced fields not reached: ${escapeHtml(item.missed_fields.join(", "))}</div>`);
  }
  const n = item.novelty;
  if (n) {
    if (n.novel) lines.push(`<div class="good">novel</div>`);
    if (n.exact_copy) lines.push(`<div class="bad">copy: the same line as a training card</div>`);
    if (n.name_copy) lines.push(`<div class="bad">copy: the name of the training card ${escapeHtml(n.name_copy)}</div>`);
    if (n.nearest) {
      const what = n.near_copy ? "copy: rules text near" : "nearest real card";
      lines.push(`<div class="${n.near_copy ? "bad" : ""}">${what} ` +
        `<button type="button" class="link nearest" data-line="${escapeHtml(n.nearest.line)}" aria-haspopup="dialog">` +
        `${escapeHtml(n.nearest.name)}</button> (similarity ${n.nearest.similarity.toFixed(2)})</div>`);
    }
  } else {
    lines.push(`<div class="muted">novelty not judged (no training cards on the server)</div>`);
  }
  if (item.drawn_rarity) {
    lines.push(`<div>printed ${escapeHtml(item.rare)}: drawn ${escapeHtml(item.drawn_rarity)}, ` +
      `but real vanilla creatures are nearly all common</div>`);
  }
  if (item.candidates > 1) lines.push(`<div>the best of ${item.candidates} candidates</div>`);
  else if (item.tries > 1) lines.push(`<div>drawn ${item.tries} times</div>`);
  return `<div class="verdict">${lines.join("")}</div>`;
}

// Buttons that copy a drawn card's field into the form and lock it.
function drawLocks(item) {
  const fields = [["name", "name"], ["cost", "cost"], ["type", "type"], ["rarity", "rarity"]];
  if (item.pt) fields.push(["pt", "P/T"]);
  if ((item.abil || []).some((a) => a)) fields.push(["ability", "rules text"]);
  return `<div class="locks" role="group" aria-label="lock this card's fields">` + fields.map(([f, label]) =>
    `<button type="button" class="lock-field" data-field="${f}" data-index="${item.index}" ` +
    `title="fix the ${label} of this card and keep it on reroll">${LOCK_ICON} ${label}</button>`).join("") + `</div>`;
}

// The value a card's field gives the form.
function fieldValue(item, field) {
  switch (field) {
    case "name": return item.name;
    case "cost": return item.cost;
    case "type": return [...(item.supertypes || []), ...(item.types || [])].join(" ").toLowerCase() +
      ((item.subtypes || []).length ? ": " + item.subtypes.join(" ").toLowerCase() : "");
    case "rarity": return item.rare;
    case "pt": return item.pt;
    case "ability": return (item.abil || []).find((a) => a) || "";
  }
  return "";
}

function placeholder(i) {
  return `<div class="wrap pending" data-index="${i}"><div class="card"><div class="frame blank">` +
    `<div class="sampling">sampling card ${i + 1}…</div></div></div></div>`;
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function clearError() {
  errorBox.hidden = true;
  errorBox.textContent = "";
}

// The form as an API request: empty fields are left out.
function request() {
  const body = {};
  for (const f of STEERED) {
    const v = form.elements[f].value.trim();
    if (v) body[f] = v;
  }
  for (const f of ["n", "top_k", "max_len", "seed", "best_of"]) {
    const v = form.elements[f].value.trim();
    if (v === "") continue;
    const x = Number(v);
    if (!Number.isInteger(x)) throw new Error(`${f} must be a whole number, not ${JSON.stringify(v)}`);
    body[f] = x;
  }
  for (const f of ["temperature", "top_p"]) {
    const v = form.elements[f].value.trim();
    if (v === "") continue;
    const x = Number(v);
    if (!Number.isFinite(x)) throw new Error(`${f} must be a number, not ${JSON.stringify(v)}`);
    body[f] = x;
  }
  body.init_state = form.elements.init_state.value;
  if (form.elements.only_valid.checked) body.only_valid = true;
  if (form.elements.novel_only.checked) body.novel_only = true;
  if (form.elements.keep_length.checked) body.keep_length = true;
  return body;
}

function setBusy(busy) {
  document.getElementById("generate").disabled = busy;
  document.getElementById("reroll").disabled = busy;
  document.body.classList.toggle("busy", busy);
}

function putCard(item) {
  const slot = cardsBox.querySelector(`.wrap[data-index="${item.index}"]`);
  const html = item.html + drawVerdicts(item) + drawLocks(item);
  if (slot) {
    slot.classList.remove("pending");
    slot.classList.add("done");
    slot.innerHTML = html;
  }
}

// Reads server-sent events from a fetch response: calls onEvent(name, data).
async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) onEvent(name, JSON.parse(data.join("\n")));
    }
  }
}

async function generate() {
  clearError();
  let body;
  try {
    body = request();
  } catch (e) {
    showError(e.message);
    return;
  }
  if (running) running.abort();
  const controller = new AbortController();
  running = controller;
  setBusy(true);
  statusLine.textContent = "Sampling…";
  const started = performance.now();
  const got = [];
  lastCards = got; // the lock buttons of cards already drawn read it
  try {
    const response = await fetch("/api/generate/stream", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) {
      let message = `the server answered ${response.status}`;
      try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
      showError(message);
      statusLine.textContent = "No cards: see the error.";
      return;
    }
    let total = 0;
    await readEvents(response, (name, data) => {
      if (name === "start") {
        total = data.n;
        lastSeed = data.seed;
        cardsBox.innerHTML = Array.from({ length: total }, (_, i) => placeholder(i)).join("");
        statusLine.textContent = `Sampling ${total} cards (seed ${data.seed})…`;
      } else if (name === "card") {
        putCard(data);
        // The drawing is the page's; the cards kept (and downloaded) are
        // what /api/generate gives.
        delete data.html;
        got.push(data);
        statusLine.textContent = `${got.length} of ${total} cards (seed ${lastSeed})…`;
      } else if (name === "error") {
        showError(data.error);
      } else if (name === "done") {
        const s = ((performance.now() - started) / 1000).toFixed(2);
        statusLine.textContent = `${got.length} cards in ${s} s, seed ${lastSeed} (the same seed and fields give the same cards).`;
      }
    });
  } catch (e) {
    if (e.name !== "AbortError") showError(`the request failed: ${e.message}`);
  } finally {
    if (running === controller) {
      running = null;
      setBusy(false);
    }
    got.sort((a, b) => a.index - b.index);
    lastCards = got;
    document.getElementById("copy").disabled = got.length === 0;
    document.getElementById("download").disabled = got.length === 0;
    for (const b of document.querySelectorAll("#exports button")) b.disabled = got.length === 0;
  }
}

function reroll() {
  for (const f of STEERED) {
    const lock = form.querySelector(`input[data-lock="${f}"]`);
    if (!lock.checked) form.elements[f].value = "";
  }
  form.elements.seed.value = "";
  generate();
}

function lockField(field, value) {
  const input = form.elements[field];
  if (input.tagName === "SELECT") {
    const v = String(value).toLowerCase();
    input.value = [...input.options].some((o) => o.value === v) ? v : "";
  } else {
    input.value = value;
  }
  form.querySelector(`input[data-lock="${field}"]`).checked = true;
  statusLine.textContent = `${field} locked: ${input.value}. Reroll keeps it.`;
}

function json() {
  return JSON.stringify({ seed: lastSeed, request: safeRequest(), cards: lastCards }, null, 2);
}

function safeRequest() {
  try { return request(); } catch (_) { return null; }
}

async function copyJson() {
  const text = json();
  try {
    await navigator.clipboard.writeText(text);
  } catch (_) {
    // Without clipboard access (plain http on another host): select and copy.
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  statusLine.textContent = `${lastCards.length} cards copied as JSON.`;
}

function download(name, type, data) {
  const url = URL.createObjectURL(data instanceof Blob ? data : new Blob([data], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Export formats the server offers (GET /api/model's "exports": [{"name",
// "label", "route", "extension"}]; each route takes {"cards": [...]} and
// answers a file, named in its Content-Disposition).
async function exportCards(exp, button) {
  clearError();
  // What the server cannot tell from a card's line; it judges the rest again.
  const cards = lastCards.map((c) => ({
    line: c.line, index: c.index, tries: c.tries, candidates: c.candidates,
    ended: c.ended, mean_log_prob: c.mean_log_prob, missed_fields: c.missed_fields,
  }));
  const body = { cards };
  if (lastSeed !== null) body.seed = lastSeed;
  button.disabled = true;
  statusLine.textContent = `Writing ${cards.length} cards as ${exp.label}…`;
  try {
    const response = await fetch(exp.route, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      let message = `the export answered ${response.status}`;
      try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
      showError(message);
      return;
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") || "");
    const name = named ? named[1] : `cardlm-cards.${exp.extension}`;
    download(name, response.headers.get("content-type"), await response.blob());
    statusLine.textContent = `${cards.length} cards saved as ${name}.`;
  } catch (e) {
    showError(`the export failed: ${e.message}`);
  } finally {
    button.disabled = lastCards.length === 0;
  }
}

async function showNearest(button) {
  popup.dataset.line = button.dataset.line;
  const rect = button.getBoundingClientRect();
  popup.hidden = false;
  popup.innerHTML = `<div class="muted">loading ${escapeHtml(button.textContent)}…</div>`;
  const top = Math.min(window.scrollY + rect.bottom + 6, window.scrollY + window.innerHeight - 20);
  const left = Math.max(4, Math.min(window.scrollX + rect.left, window.scrollX + document.documentElement.clientWidth - 270));
  popup.style.top = `${top}px`;
  popup.style.left = `${left}px`;
  try {
    const response = await fetch("/api/decode", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ line: button.dataset.line }),
    });
    const card = await response.json();
    if (!response.ok) throw new Error(card.error);
    popup.innerHTML = `<div class="popup-title">the nearest real card</div>${card.html}`;
  } catch (e) {
    popup.innerHTML = `<div class="bad">${escapeHtml(e.message)}</div>`;
  }
}

function hideNearest() {
  popup.hidden = true;
  popup.dataset.pinned = "";
}

async function loadModel() {
  try {
    const response = await fetch("/api/model");
    const info = await response.json();
    const m = info.model || {};
    const parts = [];
    if (info.path) parts.push(`model ${info.path}`);
    if (m.hidden) parts.push(`${m.layers} LSTM layers of ${m.hidden}`);
    if (info.parameters) parts.push(`${info.parameters.toLocaleString("en")} parameters`);
    const e = info.eval;
    if (e && e.bits_per_char) parts.push(`${e.bits_per_char.toFixed(3)} bits/char on validation`);
    if (e && e.well_formed_at_1 !== undefined && e.well_formed_at_1 !== null) {
      parts.push(`${(100 * e.well_formed_at_1).toFixed(1)}% well-formed at T=1`);
    }
    parts.push(info.novelty ? "novelty judged against the training cards" : "novelty not judged");
    document.getElementById("model-info").textContent = parts.join(" · ");
    const limits = info.limits || {};
    if (limits.max_cards) form.elements.n.max = limits.max_cards;
    if (limits.max_len) form.elements.max_len.max = limits.max_len;
    if (limits.max_best_of) form.elements.best_of.max = limits.max_best_of;
    const exports = document.getElementById("exports");
    for (const exp of info.exports || []) {
      const b = document.createElement("button");
      b.type = "button";
      b.disabled = true;
      b.textContent = exp.label || exp.name;
      b.dataset.format = exp.name;
      b.title = `download the cards as ${exp.label} (.${exp.extension})`;
      b.addEventListener("click", () => exportCards(exp, b));
      exports.appendChild(b);
    }
  } catch (e) {
    document.getElementById("model-info").textContent = `the model's description did not load: ${e.message}`;
  }
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  generate();
});
document.getElementById("reroll").addEventListener("click", reroll);
document.getElementById("copy").addEventListener("click", copyJson);
document.getElementById("download").addEventListener("click", () =>
  download(`cardlm-cards-${lastSeed}.json`, "application/json", json()));
cardsBox.addEventListener("click", (e) => {
  const lock = e.target.closest(".lock-field");
  if (lock) {
    const item = lastCards.find((c) => String(c.index) === lock.dataset.index);
    if (item) lockField(lock.dataset.field, fieldValue(item, lock.dataset.field));
    return;
  }
  const near = e.target.closest(".nearest");
  if (near) {
    // A click pins the card open (a second click closes it); hover only peeks.
    if (popup.dataset.pinned === "yes" && popup.dataset.line === near.dataset.line) {
      hideNearest();
    } else {
      popup.dataset.pinned = "yes";
      if (popup.hidden || popup.dataset.line !== near.dataset.line) showNearest(near);
    }
  }
});
cardsBox.addEventListener("mouseover", (e) => {
  const near = e.target.closest(".nearest");
  if (near && (popup.hidden || popup.dataset.line !== near.dataset.line)) {
    popup.dataset.pinned = "";
    showNearest(near);
  }
});
cardsBox.addEventListener("mouseout", (e) => {
  if (e.target.closest(".nearest") && popup.dataset.pinned !== "yes") hideNearest();
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") hideNearest();
});
loadModel();
