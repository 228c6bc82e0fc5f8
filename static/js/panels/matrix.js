/**
 * The matrix view, over the stage: while the selection is a wire carrying a
 * tensor, its value and its gradient (as the current step has it) side by
 * side as heatmaps on a diverging scale centred at 0, each with a legend; the
 * exact numbers of the cell under the pointer; a click on a cell of an
 * input's value edits that cell with a set_value record. Drawn on <canvas>,
 * never a DOM node per cell. Closing it (×, Esc) clears the selection.
 * @module matrix-view
 */

import { byId, html } from "../dom.js";
import { formatNumber } from "../state/format.js";
import { frameAt } from "../state/trace.js";
import { isSeeded, rowsOf, shapeOf, shapeText, withCell } from "../state/matrix.js";
import { colourOf, limitOf } from "../diagram/heat.js";
import { heatCanvas } from "../diagram/thumbs.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/format.js").Value} Value */
/**
 * @typedef {object} Pane  one heatmap: what it shows, and its image at one pixel per cell
 * @property {"value" | "grad"} role
 * @property {HTMLElement} box
 * @property {HTMLElement} caption
 * @property {HTMLCanvasElement} canvas
 * @property {HTMLElement} legend
 * @property {Value | null} drawn
 * @property {number} cell  a cell's side in px
 * @property {HTMLCanvasElement | null} image
 */

const WATCHES = ["selection", "result", "step"];
const ROOM = 300;

/** @param {Store} store */
export function mountMatrix(store) {
  const view = byId("matrix-view");
  const title = html("h2", { id: "matrix-title" });
  const close = html("button", { type: "button", id: "matrix-close", title: "Close (Esc)", "aria-label": "Close the matrix view" }, "×");
  close.addEventListener("click", () => store.update({ selection: null }, ["selection"]));
  const panes = [pane("value"), pane("grad")];
  const status = html("div", { id: "matrix-cell", class: "matrix-cell", "aria-live": "polite" });
  const editor = cellEditor(store);
  view.append(html("header"), html("div", { class: "matrix-pair" }), status, editor.form);
  view.children[0].append(title, close);
  view.children[1].append(...panes.map((p) => p.box));
  for (const p of panes) hover(p, panes, () => store.state, status, editor);
  store.subscribe((state, touched) => {
    if (touched.has("selection")) editor.form.hidden = true;
    if (WATCHES.some((t) => touched.has(/** @type {any} */ (t)))) render(view, title, panes, status, state);
  });
}

/**
 * @param {"value" | "grad"} role
 * @returns {Pane}
 */
function pane(role) {
  const box = html("figure", { class: `matrix-pane ${role}`, "data-role": role });
  const caption = html("figcaption");
  const canvas = /** @type {HTMLCanvasElement} */ (html("canvas", { "data-role": `${role}-canvas` }));
  const scroll = html("div", { class: "matrix-scroll" });
  scroll.append(canvas);
  const legend = html("div", { class: "matrix-legend", "data-role": `${role}-legend` });
  box.append(caption, scroll, legend);
  return { role, box, caption, canvas, legend, drawn: null, cell: 1, image: null };
}

/**
 * The selected wire's node and its tensor, or null when the view is closed.
 * @param {State} state
 * @returns {{id: string, value: Value, grad: Value | null} | null}
 */
function shown(state) {
  const s = state.selection;
  if (s?.kind !== "wire" || !state.result) return null;
  const value = state.result.values[s.source];
  if (!Array.isArray(value)) return null;
  const frame = state.steps.length ? frameAt(state.result, state.steps, state.step) : null;
  return { id: s.source, value, grad: frame?.grads.get(s.source) ?? null };
}

/**
 * @param {HTMLElement} view
 * @param {HTMLElement} title
 * @param {Pane[]} panes
 * @param {HTMLElement} status
 * @param {State} state
 */
function render(view, title, panes, status, state) {
  const what = shown(state);
  view.hidden = what === null;
  if (!what) return;
  const input = state.model.nodes.get(what.id)?.op === "input";
  title.textContent = `${what.id}: ${shapeText(shapeOf(what.value))}${input ? " (an input: click a cell to edit it)" : ""}`;
  draw(panes[0], `${what.id}`, what.value);
  draw(panes[1], `d${what.id}`, what.grad);
  if (!status.textContent) status.textContent = "Point at a cell to read its exact numbers.";
}

/**
 * Draw one heatmap and its legend, unless this very value is drawn already.
 * @param {Pane} p
 * @param {string} name
 * @param {Value | null} value
 */
function draw(p, name, value) {
  if (p.drawn === value && p.caption.textContent) return;
  p.drawn = value;
  p.caption.textContent = value === null ? `${name}: not computed yet at this step` : name;
  const rows = value === null ? [] : rowsOf(value);
  const limit = limitOf(rows);
  const [height, width] = [rows.length, rows[0]?.length ?? 0];
  p.cell = Math.max(2, Math.min(28, Math.floor(ROOM / Math.max(width, 1)), Math.floor(ROOM / Math.max(height, 1))));
  p.canvas.width = width * p.cell;
  p.canvas.height = height * p.cell;
  p.image = width && height ? heatCanvas(rows, limit) : null;
  outline(p, null);
  p.canvas.dataset.shape = value === null ? "" : shapeText(shapeOf(value));
  legend(p.legend, value === null ? null : limit);
}

/**
 * Paint the heatmap, with one cell outlined.
 * @param {Pane} p
 * @param {{row: number, column: number} | null} at
 */
function outline(p, at) {
  const context = /** @type {CanvasRenderingContext2D} */ (p.canvas.getContext("2d"));
  context.imageSmoothingEnabled = false;
  if (p.image) context.drawImage(p.image, 0, 0, p.canvas.width, p.canvas.height);
  if (!at || !p.image || p.cell < 4) return;
  context.strokeStyle = "#1d2330";
  context.lineWidth = 2;
  context.strokeRect(at.column * p.cell + 1, at.row * p.cell + 1, p.cell - 2, p.cell - 2);
}

/**
 * A colour bar from -limit to +limit with its ends and 0 written under it.
 * @param {HTMLElement} box
 * @param {number | null} limit
 */
function legend(box, limit) {
  box.replaceChildren();
  if (limit === null) return;
  const bar = /** @type {HTMLCanvasElement} */ (html("canvas", { width: 120, height: 1, class: "legend-bar" }));
  const context = /** @type {CanvasRenderingContext2D} */ (bar.getContext("2d"));
  for (let x = 0; x < 120; x += 1) {
    context.fillStyle = `rgb(${colourOf(((x + 0.5) / 60 - 1) * limit, limit).join(",")})`;
    context.fillRect(x, 0, 1, 1);
  }
  const ends = html("div", { class: "legend-ends" });
  ends.append(html("span", {}, formatNumber(-limit)), html("span", {}, "0"), html("span", {}, formatNumber(limit)));
  box.append(bar, ends);
}

/**
 * Which cell the pointer is over.
 * @param {Pane} p
 * @param {MouseEvent} event
 * @returns {{row: number, column: number} | null}
 */
function cellAt(p, event) {
  const row = Math.floor(event.offsetY / p.cell);
  const column = Math.floor(event.offsetX / p.cell);
  const rows = p.drawn === null ? [] : rowsOf(p.drawn);
  return row >= 0 && row < rows.length && column >= 0 && column < (rows[0]?.length ?? 0) ? { row, column } : null;
}

/**
 * @param {Pane} p
 * @param {Pane[]} panes  both, to outline the same cell in each
 * @param {() => State} now
 * @param {HTMLElement} status
 * @param {{open: (id: string, at: {row: number, column: number}, x: number) => void}} editor
 */
function hover(p, panes, now, status, editor) {
  p.canvas.addEventListener("mouseleave", () => panes.forEach((q) => outline(q, null)));
  p.canvas.addEventListener("mousemove", (event) => {
    const at = cellAt(p, event);
    const what = shown(now());
    if (!at || !what) return;
    panes.forEach((q) => outline(q, at));
    const read = (/** @type {Value | null} */ v) => (v === null ? "not yet" : String(rowsOf(v)[at.row][at.column]));
    status.textContent = `row ${at.row + 1}, column ${at.column + 1}:  ${what.id} = ${read(what.value)}   d${what.id} = ${read(what.grad)}`;
  });
  if (p.role !== "value") return;
  p.canvas.addEventListener("click", (event) => {
    const at = cellAt(p, event);
    const what = shown(now());
    if (at && what && now().model.nodes.get(what.id)?.op === "input") editor.open(what.id, at, rowsOf(what.value)[at.row][at.column]);
  });
}

/**
 * The one-cell editor: a field for the new number, sent as a set_value record
 * of the whole tensor with that cell changed (a seeded input becomes its numbers).
 * @param {Store} store
 */
function cellEditor(store) {
  const form = /** @type {HTMLFormElement} */ (html("form", { id: "matrix-edit", class: "matrix-edit" }));
  const label = html("label", { for: "matrix-edit-field" });
  const field = /** @type {HTMLInputElement} */ (html("input", { id: "matrix-edit-field", inputmode: "decimal", spellcheck: "false" }));
  form.append(label, field, html("button", { type: "submit" }, "Set"));
  form.hidden = true;
  field.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    form.hidden = true;
    field.blur(); // a second Esc closes the view
  });
  /** @type {{id: string, row: number, column: number} | null} */
  let target = null;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const x = Number(field.value.trim().replace(/^−/, "-"));
    const ok = field.value.trim() !== "" && Number.isFinite(x);
    field.setAttribute("aria-invalid", String(!ok));
    const node = target && store.state.model.nodes.get(target.id);
    const current = target && store.state.result?.values[target.id];
    if (!ok || !target || !node || current === undefined || current === null) return;
    const base = Array.isArray(node.value) && !isSeeded(node.value) ? node.value : current;
    store.dispatch({ type: "set_value", node: target.id, value: withCell(base, target.row, target.column, x) });
    form.hidden = true;
  });
  const open = (/** @type {string} */ id, /** @type {{row: number, column: number}} */ at, /** @type {number} */ x) => {
    target = { id, ...at };
    label.textContent = `${id}, row ${at.row + 1}, column ${at.column + 1} =`;
    field.value = String(x);
    field.setAttribute("aria-invalid", "false");
    form.hidden = false;
    field.select();
  };
  return { form, open };
}
