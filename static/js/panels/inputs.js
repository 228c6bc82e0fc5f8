/**
 * One field per input, kept in step with the state: typing a valid number
 * dispatches a set_value record; a field being typed in keeps its text and caret.
 * An input whose node carries a `slider` ({min, max}) also gets a range slider
 * that dispatches the same records.
 * @module inputs
 */

import { byId, html } from "../dom.js";
import { parseValue } from "../state/format.js";
import { inputValues } from "../state/circuit.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/format.js").Value} Value */

/** @param {Store} store */
export function mountInputs(store) {
  const box = byId("inputs");
  store.subscribe((state, touched) => {
    if (touched.has("structure") || touched.has("values")) render(box, inputValues(state.model), store);
  });
}

/**
 * @param {HTMLElement} box
 * @param {{id: string, value: Value}[]} inputs
 * @param {Store} store
 */
function render(box, inputs, store) {
  const nodes = store.state.model.nodes;
  const key = JSON.stringify(inputs.map((i) => [i.id, nodes.get(i.id)?.slider ?? null]));
  if (box.dataset.key === key && inputs.length) return (sync(box, inputs), syncSliders(box, store.state.model));
  box.dataset.key = key;
  box.replaceChildren();
  if (!inputs.length) box.append(html("p", { class: "hint" }, "No inputs yet."));
  for (const { id, value } of inputs) {
    const field = /** @type {HTMLInputElement} */ (html("input", { id: `input-${id}`, name: id, inputmode: "decimal", "data-input-id": id, spellcheck: "false" }));
    field.value = textOf(value);
    field.addEventListener("input", () => {
      const parsed = parseValue(field.value);
      field.classList.toggle("invalid", parsed === null);
      field.setAttribute("aria-invalid", String(parsed === null));
      if (parsed !== null) store.dispatch({ type: "set_value", node: id, value: parsed });
    });
    box.append(html("label", { for: `input-${id}` }, id), field);
    const slider = nodes.get(id)?.slider;
    if (slider) box.append(rangeFor(id, slider, store));
  }
  syncSliders(box, store.state.model);
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
 * @param {HTMLElement} box
 * @param {{id: string, value: Value}[]} inputs
 */
function sync(box, inputs) {
  for (const { id, value } of inputs) {
    const field = /** @type {HTMLInputElement | null} */ (box.querySelector(`input[name="${CSS.escape(id)}"]`));
    if (!field || document.activeElement === field) continue;
    if (JSON.stringify(parseValue(field.value)) !== JSON.stringify(value)) field.value = textOf(value);
    field.classList.remove("invalid");
    field.setAttribute("aria-invalid", "false");
  }
}

/** @param {Value} value */
function textOf(value) {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
