/**
 * One field per input, kept in step with the state: a line for a number, a
 * box of rows for a vector or matrix (type or paste rows of numbers, or
 * JSON; pasting rows into a number's line works too), and "Fill" to give it
 * a shape filled with seeded random numbers the server draws. Each valid edit
 * dispatches a set_value record; an invalid one says which row and column is
 * wrong. A field being typed in keeps its text and caret. An input whose node
 * carries a `slider` ({min, max}) also gets a range slider that dispatches the
 * same records.
 * @module inputs
 */

import { byId, html } from "../dom.js";
import { inputValues } from "../state/circuit.js";
import { heldText, isSeeded, parseHeld, shapeOf } from "../state/matrix.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/matrix.js").Held} Held */
/** @typedef {HTMLInputElement | HTMLTextAreaElement} Field */

/** @param {Store} store */
export function mountInputs(store) {
  const box = byId("inputs");
  store.subscribe((state, touched) => {
    if (touched.has("structure") || touched.has("values")) render(box, inputValues(state.model), store);
  });
}

/**
 * @param {Held} value
 * @returns {"number" | "matrix"}
 */
function kindOf(value) {
  return typeof value === "number" ? "number" : "matrix";
}

/**
 * @param {HTMLElement} box
 * @param {{id: string, value: Held}[]} inputs
 * @param {Store} store
 */
function render(box, inputs, store) {
  const nodes = store.state.model.nodes;
  const key = JSON.stringify(inputs.map((i) => [i.id, kindOf(i.value), nodes.get(i.id)?.slider ?? null]));
  if (box.dataset.key === key && inputs.length) return (sync(box, inputs), syncSliders(box, store.state.model));
  box.dataset.key = key;
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.id : "";
  box.replaceChildren();
  if (!inputs.length) box.append(html("p", { class: "hint" }, "No inputs yet."));
  for (const { id, value } of inputs) {
    box.append(html("label", { for: `input-${id}` }, id), field(id, value, store), extras(id, value, store));
    const slider = nodes.get(id)?.slider;
    if (slider) box.append(rangeFor(id, slider, store));
  }
  syncSliders(box, store.state.model);
  if (focused) document.getElementById(focused)?.focus();
}

/**
 * A slider over an input's range; moving it sets the input's value.
 * @param {string} id
 * @param {{min: number, max: number}} range
 * @param {Store} store
 */
function rangeFor(id, range, store) {
  const step = 10 ** Math.floor(Math.log10((range.max - range.min) / 100)); // about a hundred round steps
  const attrs = { type: "range", class: "input-slider", min: range.min, max: range.max, step, "data-slider-for": id, "aria-label": `${id} from ${range.min} to ${range.max}` };
  const slider = /** @type {HTMLInputElement} */ (html("input", attrs));
  slider.addEventListener("input", () => store.dispatch({ type: "set_value", node: id, value: Number(slider.value) }));
  return slider;
}

/**
 * Sliders show their input's value.
 * @param {HTMLElement} box
 * @param {import("../state/circuit.js").Model} model
 */
function syncSliders(box, model) {
  for (const slider of /** @type {NodeListOf<HTMLInputElement>} */ (box.querySelectorAll("input[data-slider-for]"))) {
    const value = model.nodes.get(slider.dataset.sliderFor ?? "")?.value;
    if (typeof value === "number" && Number(slider.value) !== value) slider.value = String(value);
  }
}

/**
 * @param {string} id
 * @param {Held} value
 * @param {Store} store
 * @returns {Field}
 */
function field(id, value, store) {
  const kind = kindOf(value);
  const attrs = { id: `input-${id}`, name: id, "data-input-id": id, "data-kind": kind, spellcheck: "false", "aria-describedby": `input-${id}-error` };
  const rows = isSeeded(value) ? 1 : Math.min(6, shapeOf(value)[0] ?? 1);
  const element = /** @type {Field} */ (kind === "number" ? html("input", { ...attrs, inputmode: "decimal" }) : html("textarea", { ...attrs, rows, wrap: "off" }));
  element.value = heldText(value);
  element.addEventListener("input", () => take(element, element.value, store));
  element.addEventListener("paste", (event) => {
    const text = /** @type {ClipboardEvent} */ (event).clipboardData?.getData("text/plain") ?? "";
    if (element instanceof HTMLTextAreaElement || !/\n/.test(text.trim())) return;
    event.preventDefault(); // rows pasted into a number's line: read them as a matrix
    take(element, text, store);
  });
  return element;
}

/**
 * Read what was typed or pasted; dispatch it, or say what is wrong.
 * @param {Field} element
 * @param {string} text
 * @param {Store} store
 */
function take(element, text, store) {
  const parsed = parseHeld(text);
  showError(element, "error" in parsed ? parsed.error : "");
  if ("value" in parsed) store.dispatch({ type: "set_value", node: element.name, value: parsed.value });
}

/**
 * @param {Field} element
 * @param {string} message  empty when the field is valid
 */
function showError(element, message) {
  element.classList.toggle("invalid", message !== "");
  element.setAttribute("aria-invalid", String(message !== ""));
  const line = document.getElementById(`${element.id}-error`);
  if (line) line.textContent = message;
}

/**
 * The error line and the seeded fill under a field.
 * @param {string} id
 * @param {Held} value
 * @param {Store} store
 * @returns {HTMLElement}
 */
function extras(id, value, store) {
  const row = html("div", { class: "input-extras" });
  const error = html("div", { id: `input-${id}-error`, class: "field-error", role: "alert" });
  const fill = html("details", { class: "fill", "data-fill": id });
  const shape = isSeeded(value) ? value.shape : shapeOf(value);
  const numbers = /** @type {[string, string | number][]} */ ([["rows", shape[0] ?? 3], ["columns", shape[1] ?? (shape.length ? "" : 3)], ["seed", isSeeded(value) ? value.seed : 0]]);
  const form = /** @type {HTMLFormElement} */ (html("form", { class: "fill-form" }));
  for (const [name, n] of numbers) {
    const label = html("label", {}, name);
    label.append(html("input", { name, value: String(n), inputmode: "numeric", "aria-label": `${id}'s ${name}` }));
    form.append(label);
  }
  form.append(html("button", { type: "submit" }, "Fill"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const read = (/** @type {string} */ name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value.trim();
    const dims = [read("rows"), read("columns")].filter((t) => t !== "").map(Number);
    const parsed = parseHeld(JSON.stringify({ shape: dims, seed: Number(read("seed")) }));
    error.textContent = "error" in parsed ? parsed.error : "";
    if ("value" in parsed) store.dispatch({ type: "set_value", node: id, value: parsed.value });
  });
  fill.append(html("summary", {}, "Fill with seeded random numbers"), form);
  row.append(error, fill);
  return row;
}

/**
 * @param {HTMLElement} box
 * @param {{id: string, value: Held}[]} inputs
 */
function sync(box, inputs) {
  for (const { id, value } of inputs) {
    const element = /** @type {Field | null} */ (box.querySelector(`[data-input-id="${CSS.escape(id)}"]`));
    if (!element || document.activeElement === element) continue;
    const parsed = parseHeld(element.value);
    if (!("value" in parsed) || JSON.stringify(parsed.value) !== JSON.stringify(value)) element.value = heldText(value);
    showError(element, "");
  }
}
