/**
 * One field per input, kept in step with the state: typing a valid number
 * dispatches a set_value record; a field being typed in keeps its text and caret.
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
  const current = [...box.querySelectorAll("input")].map((i) => i.name).join(",");
  if (current === inputs.map((i) => i.id).join(",") && inputs.length) return sync(box, inputs);
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
