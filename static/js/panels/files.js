/**
 * The top bar's Open button and its dialog: open a JSON file (a file picker,
 * or a file dropped anywhere on the page) and "My circuits", the circuits this
 * browser saved, each opening its link /c/<id>. A file is checked before it is
 * opened: a bad one leaves the circuit as it was and says what is wrong and
 * where. Opening is one `open` record, so undo brings the old circuit back.
 * @module files-panel
 */

import { byId, html } from "../dom.js";
import { readCircuitFile } from "../state/files.js";
import { forget, readMine } from "../state/mine.js";

/** Larger files are not read: the server takes no larger body (max_body_bytes, 8 MiB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/session.js").Session} Session */

/**
 * @param {Store} store
 * @param {Session} session
 */
export function mountFiles(store, session) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("open-dialog"));
  const picker = /** @type {HTMLInputElement} */ (byId("file-input"));
  const open = async (/** @type {File} */ file) => {
    if (file.size > MAX_FILE_BYTES) return refuse(store, `${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; a circuit file is at most 8 MiB.`);
    const read = readCircuitFile(await file.text(), file.name);
    if (!read.ok) return refuse(store, read.msg);
    if (dialog.open) dialog.close();
    session.openCircuit({ ...read.circuit, title: read.circuit.title ?? file.name.replace(/\.json$/i, "") });
  };
  byId("open").addEventListener("click", () => {
    byId("open-status").textContent = "";
    renderMine();
    dialog.showModal();
  });
  byId("open-file").addEventListener("click", () => picker.click());
  picker.addEventListener("change", () => {
    const file = picker.files?.[0];
    picker.value = "";
    if (file) void open(file);
  });
  document.addEventListener("dragover", (e) => {
    if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
  });
  document.addEventListener("drop", (e) => {
    const file = e.dataTransfer?.files[0];
    if (!file) return;
    e.preventDefault();
    void open(file);
  });
}

/**
 * Say why a file was not opened, in the dialog when it is open and in the message line.
 * @param {Store} store
 * @param {string} msg
 */
function refuse(store, msg) {
  byId("open-status").textContent = msg;
  store.update({ problem: { msg, kind: "error", nodes: new Map() } }, ["problem"]);
}

/** My circuits, newest first: title, date, a link that opens it, and a button that removes it from the list. */
function renderMine() {
  const list = byId("mine");
  const mine = readMine(window.localStorage);
  list.replaceChildren();
  if (!mine.length) list.append(html("li", { class: "hint" }, "Nothing saved from this browser yet: Share → Save and get the link."));
  for (const entry of mine) {
    const item = html("li", { "data-id": entry.id });
    const when = new Date(entry.created);
    const date = Number.isNaN(when.getTime()) ? "" : when.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    item.append(html("a", { href: `/c/${entry.id}` }, entry.title), html("time", { datetime: entry.created }, date));
    const remove = html("button", { type: "button", class: "text", title: "Remove from this list (the circuit stays saved)" }, "Remove");
    remove.setAttribute("aria-label", `Remove ${entry.title} from My circuits`);
    remove.addEventListener("click", () => {
      forget(window.localStorage, entry.id);
      renderMine();
    });
    item.append(remove);
    list.append(item);
  }
}
