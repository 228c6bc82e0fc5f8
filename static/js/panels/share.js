/**
 * The top bar's Share button and its dialog: a title; a stored link (the
 * circuit saved on the server, /c/<id>); a link without storage (the circuit
 * compressed into the hash, for small circuits); and downloads: the JSON file
 * and the diagram as SVG or PNG. Each link has a copy button (the clipboard,
 * else the text selected for Ctrl+C). Every message is text, never HTML.
 * @module share-panel
 */

import { byId, download } from "../dom.js";
import { encodeHash, MAX_HASH_CHARS } from "../state/hashlink.js";
import { saveCircuit } from "../state/share.js";
import { circuitFile, fileName, titleOf } from "../state/files.js";
import { toCircuit } from "../state/circuit.js";
import { exportPng, exportSvg } from "../diagram/export.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {ReturnType<typeof import("../state/api.js").createApi>} Api */

/**
 * @param {Store} store
 * @param {Api} api
 * @param {{canvas: SVGSVGElement, root: SVGGElement, extent: () => import("../diagram/geometry.js").Box}} diagram  extent: the box the drawing covers
 */
export function mountShare(store, api, diagram) {
  const dialog = /** @type {HTMLDialogElement} */ (byId("share-dialog"));
  const title = /** @type {HTMLInputElement} */ (byId("share-title"));
  const say = (/** @type {string} */ text, kind = "note") => status(text, kind);
  const named = () => title.value.trim() || titleOf(store.state);
  byId("share").addEventListener("click", () => {
    title.value = titleOf(store.state);
    for (const [row, field] of [["share-saved", "share-url"], ["share-hashed", "share-hash-url"]]) {
      byId(row).hidden = true;
      /** @type {HTMLInputElement} */ (byId(field)).value = ""; // no link of an earlier save lingers
    }
    say("");
    dialog.showModal();
  });
  byId("share-save").addEventListener("click", () => void busy("share-save", async () => {
    say("Saving…");
    const saved = await saveCircuit(store, api, window.localStorage, title.value.trim());
    if (!saved.ok) return say(saved.msg, "error");
    showLink("share-saved", "share-url", new URL(saved.url, window.location.origin).href);
    say(saved.listed ? "Saved. It is also listed under My circuits (Open)." : "Saved. (This browser's storage is full or blocked, so it is not listed under My circuits.)");
  }));
  byId("share-hash").addEventListener("click", () => void busy("share-hash", async () => {
    const hash = await encodeHash(toCircuit({ ...store.state.model, title: title.value.trim() || undefined }));
    if (!hash) return say(`This circuit is too large for a link without storage (over ${MAX_HASH_CHARS} characters): use the stored link above.`, "error");
    showLink("share-hashed", "share-hash-url", `${window.location.origin}/${hash}`);
    say("Nothing is stored: the circuit is in the link itself.");
  }));
  for (const [button, field] of [["share-copy", "share-url"], ["share-hash-copy", "share-hash-url"]]) {
    byId(button).addEventListener("click", () => void copy(/** @type {HTMLInputElement} */ (byId(field)), say));
  }
  byId("download-json").addEventListener("click", () => {
    const model = { ...store.state.model, title: title.value.trim() || store.state.model.title };
    download(new Blob([circuitFile(model)], { type: "application/json" }), fileName(named()));
  });
  byId("export-svg").addEventListener("click", () => void busy("export-svg", async () => {
    const picture = await exportSvg(diagram.canvas, diagram.root, diagram.extent());
    download(new Blob([picture.text], { type: "image/svg+xml" }), fileName(named(), "svg"));
  }));
  byId("export-png").addEventListener("click", () => void busy("export-png", async () => {
    const png = await exportPng(await exportSvg(diagram.canvas, diagram.root, diagram.extent()), 2);
    download(png, fileName(named(), "png"));
  }));
}

/**
 * @param {string} row
 * @param {string} field
 * @param {string} url
 */
function showLink(row, field, url) {
  const input = /** @type {HTMLInputElement} */ (byId(field));
  input.value = url;
  byId(row).hidden = false;
  input.select();
}

/**
 * Copy a link: the clipboard when the browser allows it, else select it for Ctrl+C.
 * @param {HTMLInputElement} field
 * @param {(text: string, kind?: string) => void} say
 */
async function copy(field, say) {
  try {
    await navigator.clipboard.writeText(field.value);
    say("Link copied.");
  } catch {
    field.focus();
    field.select();
    say("The link is selected: press Ctrl+C (⌘C) to copy it.");
  }
}

/**
 * Run a button's action with the button disabled meanwhile.
 * @param {string} id
 * @param {() => Promise<void>} action
 */
async function busy(id, action) {
  const button = /** @type {HTMLButtonElement} */ (byId(id));
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    status(`That did not work: ${String(error)}`, "error");
  } finally {
    button.disabled = false;
  }
}

/**
 * The dialog's status line.
 * @param {string} text
 * @param {string} [kind]  "note" or "error"
 */
function status(text, kind = "note") {
  const line = byId("share-status");
  line.textContent = text;
  line.classList.toggle("error", kind === "error");
}
