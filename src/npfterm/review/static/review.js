// npfterm review page: shows one stored document's beads and sends edits to the local server.
// Text from the store is only ever put into the page with textContent, never as markup.
"use strict";

const TOKEN = document.body.dataset.token;
const view = { docs: [], doc: null, cursor: null, queueAt: -1 };
// Keys are handled one after another: an edit typed while the previous one is saving waits for it,
// so it applies to the beads as they are after that edit.
let chain = Promise.resolve();
let pending = 0;

function enqueue(action) {
  pending += 1;
  document.body.dataset.pending = String(pending);
  chain = chain.then(action).catch((err) => say(err.message)).finally(() => {
    pending -= 1;
    document.body.dataset.pending = String(pending);
  });
}

async function call(method, path, body) {
  const init = { method, headers: { "X-Npfterm-Token": TOKEN } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function say(text, ok) {
  const box = document.getElementById("message");
  box.textContent = text || "";
  box.className = ok ? "ok" : "";
}

// -- where things are ---------------------------------------------------------------

function beadOf(lang, index) {
  return view.doc.beads.findIndex((b) => b[lang].includes(index));
}

function firstSentence(pos) {
  const bead = view.doc.beads[pos];
  if (bead.zh.length) return { lang: "zh", index: bead.zh[0] };
  return { lang: "en", index: bead.en[0] };
}

function clampCursor() {
  const doc = view.doc;
  let c = view.cursor;
  if (!c || !doc[c.lang].length) {
    c = doc.to_check.length ? firstSentence(doc.to_check[0]) : doc.zh.length ? { lang: "zh", index: 0 } : { lang: "en", index: 0 };
  }
  const last = doc[c.lang].length - 1;
  view.cursor = { lang: c.lang, index: Math.max(0, Math.min(c.index, last)) };
}

// -- drawing ------------------------------------------------------------------------

function rowClass(bead) {
  const names = [];
  if (!bead.zh.length || !bead.en.length) names.push("unmatched");
  else if (bead.score >= 0.8) names.push("high");
  else if (bead.score >= 0.5) names.push("mid");
  else names.push("low");
  if (bead.evidence === "reviewed") names.push("reviewed");
  return names.join(" ");
}

function renderDocs() {
  const nav = document.getElementById("docs");
  nav.replaceChildren();
  for (const d of view.docs) {
    const button = el("button", { type: "button", "data-doc": String(d.id) }, `${d.name} (${d.status || `${d.to_check} to check`})`);
    if (view.doc && d.id === view.doc.id) button.className = "current";
    button.addEventListener("click", () => openDoc(d.id));
    nav.append(button);
  }
}

function render() {
  const doc = view.doc;
  clampCursor();
  document.getElementById("title").textContent = doc.name;
  const pairs = doc.beads.filter((b) => b.zh.length && b.en.length).length;
  document.getElementById("docstatus").textContent =
    `${doc.zh.length} zh / ${doc.en.length} en sentences · ${pairs} pairs · ${doc.to_check.length} to check` +
    (doc.status ? ` · ${doc.status}` : "");
  const queue = document.getElementById("queue");
  queue.replaceChildren(el("span", {}, doc.to_check.length ? "To check: " : "Nothing left to check."));
  for (const pos of doc.to_check) {
    const b = doc.beads[pos];
    const button = el("button", { type: "button" }, `#${pos + 1} ${b.zh.length}-${b.en.length} ${b.score.toFixed(2)}`);
    button.addEventListener("click", () => { view.cursor = firstSentence(pos); paintCursor(); });
    queue.append(button);
  }
  const body = document.querySelector("#beads tbody");
  body.replaceChildren();
  doc.beads.forEach((bead, pos) => {
    const row = el("tr", { class: rowClass(bead), "data-pos": String(pos) });
    row.append(el("td", {}, String(pos + 1)));
    for (const lang of ["zh", "en"]) {
      const cell = el("td", { lang: lang === "zh" ? "zh" : "en" });
      for (const index of bead[lang]) {
        const span = el("span", { class: "sent", "data-lang": lang, "data-index": String(index) }, doc[lang][index]);
        span.addEventListener("click", () => { view.cursor = { lang, index }; paintCursor(); });
        cell.append(span);
      }
      row.append(cell);
    }
    row.append(el("td", {}, bead.evidence === "reviewed" ? "reviewed" : bead.score.toFixed(2)));
    body.append(row);
  });
  paintCursor();
}

// Moving the cursor only moves two marks; the table is rebuilt after edits, not on every arrow key.
function paintCursor() {
  clampCursor();
  const body = document.querySelector("#beads tbody");
  for (const old of body.querySelectorAll(".cursor, .current")) old.classList.remove("cursor", "current");
  const c = view.cursor;
  const mark = body.querySelector(`.sent[data-lang="${c.lang}"][data-index="${c.index}"]`);
  if (!mark) return;
  mark.classList.add("cursor");
  mark.closest("tr").classList.add("current");
  if (mark.scrollIntoView) mark.scrollIntoView({ block: "nearest" });
}

// -- edits --------------------------------------------------------------------------

async function send(path, body, next) {
  try {
    view.doc = await call("POST", `/api/docs/${view.doc.id}/${path}`, body);
    if (next) view.cursor = next;
    say(view.doc.notes.length ? view.doc.notes.join(" ") : "Saved.", !view.doc.notes.length);
    render();
    refreshDocs();
  } catch (err) {
    say(err.message);
  }
}

function edit(op, extra, next) {
  return send("edit", Object.assign({ op }, extra), next);
}

const actions = {
  unmatch() {
    const c = view.cursor;
    const side = view.doc.beads[beadOf(c.lang, c.index)][c.lang];
    // after taking out the first sentence, go on with the one that is now first
    const next = side.length > 1 && side[0] === c.index ? { lang: c.lang, index: c.index + 1 } : c;
    return edit("unmatch", { lang: c.lang, index: c.index }, next);
  },
  mergeNext() { return edit("merge", { bead: beadOf(view.cursor.lang, view.cursor.index), direction: 1 }); },
  mergePrev() { return edit("merge", { bead: beadOf(view.cursor.lang, view.cursor.index), direction: -1 }); },
  split() {
    const c = view.cursor;
    return edit("split", { bead: beadOf(c.lang, c.index), lang: c.lang, index: c.index });
  },
  movePrev() { return edit("move", { lang: view.cursor.lang, index: view.cursor.index, direction: -1 }); },
  moveNext() { return edit("move", { lang: view.cursor.lang, index: view.cursor.index, direction: 1 }); },
  confirm() { return edit("confirm", { bead: beadOf(view.cursor.lang, view.cursor.index) }); },
  undo() { return send("undo"); },
  redo() { return send("redo"); },
  reviewed() { return send("reviewed"); },
  cut() {
    const dialog = document.getElementById("cutter");
    const text = document.getElementById("cuttext");
    text.value = view.doc[view.cursor.lang][view.cursor.index];
    dialog.showModal();
    text.focus();
    text.setSelectionRange(Math.floor(text.value.length / 2), Math.floor(text.value.length / 2));
  },
};

function finishCut(apply) {
  const dialog = document.getElementById("cutter");
  const text = document.getElementById("cuttext");
  const offset = text.selectionStart;
  dialog.close();
  if (apply) return edit("cut", { lang: view.cursor.lang, index: view.cursor.index, offset });
  return undefined;
}

// -- moving around ------------------------------------------------------------------

function step(delta) {
  const c = view.cursor;
  view.cursor = { lang: c.lang, index: c.index + delta };
  paintCursor();
}

function switchTo(lang) {
  const c = view.cursor;
  if (c.lang === lang || !view.doc[lang].length) return;
  const pos = beadOf(c.lang, c.index);
  const beads = view.doc.beads;
  let found = beads[pos][lang][0];
  for (let d = 1; found === undefined && d < beads.length; d++) {
    for (const p of [pos + d, pos - d]) {
      if (found === undefined && beads[p] && beads[p][lang].length) found = beads[p][lang][0];
    }
  }
  view.cursor = { lang, index: found };
  paintCursor();
}

function nextToCheck(delta) {
  const queue = view.doc.to_check;
  if (!queue.length) return say("Nothing left to check.", true);
  view.queueAt = (view.queueAt + delta + queue.length) % queue.length;
  view.cursor = firstSentence(queue[view.queueAt]);
  paintCursor();
}

const keys = {
  ArrowDown: () => step(1), j: () => step(1), ArrowUp: () => step(-1), k: () => step(-1),
  ArrowLeft: () => switchTo("zh"), h: () => switchTo("zh"), ArrowRight: () => switchTo("en"), l: () => switchTo("en"),
  n: () => nextToCheck(1), p: () => nextToCheck(-1),
  u: actions.unmatch, m: actions.mergeNext, M: actions.mergePrev, s: actions.split,
  "[": actions.movePrev, "]": actions.moveNext, t: actions.cut, c: actions.confirm, Enter: actions.confirm,
  z: actions.undo, y: actions.redo, Z: actions.redo, R: actions.reviewed,
};

document.addEventListener("keydown", (event) => {
  if (!view.doc) return;
  if (document.getElementById("cutter").open) {
    if (event.key === "Enter") { event.preventDefault(); enqueue(() => finishCut(true)); }
    return; // Escape closes the dialog by itself
  }
  if (event.altKey || event.metaKey) return;
  let key = event.key;
  if (event.ctrlKey) {
    if (key === "z" || key === "Z") key = event.shiftKey ? "y" : "z";
    else if (key !== "y") return;
  }
  const action = keys[key];
  if (!action || event.target.tagName === "BUTTON" && key === "Enter") return;
  event.preventDefault();
  enqueue(action);
});

// -- start --------------------------------------------------------------------------

async function refreshDocs() {
  try {
    view.docs = await call("GET", "/api/docs");
    renderDocs();
  } catch (err) {
    say(err.message);
  }
}

async function openDoc(id) {
  try {
    view.doc = await call("GET", `/api/docs/${id}`);
    view.cursor = null;
    view.queueAt = 0;
    history.replaceState(null, "", `#doc=${id}`);
    render();
    renderDocs();
  } catch (err) {
    say(err.message);
  }
}

async function start() {
  for (const button of document.querySelectorAll("#toolbar button")) {
    button.addEventListener("click", () => { if (view.doc) enqueue(actions[button.dataset.action]); });
  }
  document.getElementById("cutok").addEventListener("click", () => enqueue(() => finishCut(true)));
  document.getElementById("cutcancel").addEventListener("click", () => finishCut(false));
  await refreshDocs();
  const wanted = Number((location.hash.match(/doc=(\d+)/) || [])[1]);
  const doc = view.docs.find((d) => d.id === wanted) || view.docs[0];
  if (doc) await openDoc(doc.id);
  else document.getElementById("title").textContent = "The store holds no documents yet.";
}

document.body.dataset.pending = "1";
start().finally(() => { document.body.dataset.pending = "0"; document.body.dataset.ready = "1"; });
