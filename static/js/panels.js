/**
 * The side panels: value fields, gate palette, examples menu, chain-rule
 * readout and the message line.
 * @module panels
 */

import { byId, html } from "./dom.js";
import { formatFull, formatValue, parseValue } from "./format.js";

/** @typedef {import("./format.js").Value} Value */
/** @typedef {import("./gates.js").GateInfo} GateInfo */

/**
 * One field per input; typing calls onValue(id, value) for valid numbers.
 * Fields that already exist keep focus and caret.
 * @param {{id: string, value: Value}[]} inputs
 * @param {(id: string, value: Value) => void} onValue
 */
export function renderInputs(inputs, onValue) {
  const box = byId("inputs");
  const current = [...box.querySelectorAll("input")].map((i) => i.name).join(",");
  if (current === inputs.map((i) => i.id).join(",") && inputs.length) return syncInputs(box, inputs);
  box.replaceChildren();
  if (!inputs.length) box.append(html("p", { class: "hint" }, "No inputs yet."));
  for (const { id, value } of inputs) {
    const field = html("input", { id: `input-${id}`, name: id, inputmode: "decimal", "data-input-id": id, spellcheck: "false" });
    /** @type {HTMLInputElement} */ (field).value = textOf(value);
    field.addEventListener("input", () => {
      const parsed = parseValue(/** @type {HTMLInputElement} */ (field).value);
      field.classList.toggle("invalid", parsed === null);
      if (parsed !== null) onValue(id, parsed);
    });
    box.append(html("label", { for: `input-${id}` }, id), field);
  }
}

/**
 * @param {HTMLElement} box
 * @param {{id: string, value: Value}[]} inputs
 */
function syncInputs(box, inputs) {
  for (const { id, value } of inputs) {
    const field = /** @type {HTMLInputElement | null} */ (box.querySelector(`input[name="${CSS.escape(id)}"]`));
    if (!field || document.activeElement === field) continue;
    if (parseValue(field.value) !== value) field.value = textOf(value);
    field.classList.remove("invalid");
  }
}

/** @param {Value} value */
function textOf(value) {
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

/**
 * @param {GateInfo[]} gates
 * @param {(gate: GateInfo) => void} onAdd
 */
export function renderPalette(gates, onAdd) {
  const box = byId("palette");
  box.replaceChildren();
  for (const gate of gates) {
    const button = html("button", { type: "button", "data-op": gate.op, title: `${gate.title}: ${gate.forward}` });
    const symbol = gate.op === "input" ? "x" : gate.op === "const" ? "1" : gate.symbol;
    button.append(html("span", { class: "sym" }, symbol), html("span", {}, gate.title));
    button.addEventListener("click", () => onAdd(gate));
    box.append(button);
  }
}

/**
 * @param {{id: string, title: string, section?: string}[]} examples
 * @param {(id: string) => void} onOpen
 */
export function renderExamples(examples, onOpen) {
  const select = /** @type {HTMLSelectElement} */ (byId("examples"));
  for (const example of examples) select.append(html("option", { value: example.id }, example.title));
  select.addEventListener("change", () => {
    if (select.value) onOpen(select.value);
  });
}

/**
 * What the open circuit is: an example's title, its place in the notes and what it
 * shows; an expression; or nothing for a circuit built by hand.
 * @param {import("./model.js").Source} source
 * @param {{id: string, title: string, section?: string, description?: string}[]} examples
 */
export function renderAbout(source, examples) {
  const box = byId("about");
  const example = source.kind === "example" ? examples.find((e) => e.id === source.id) : undefined;
  box.replaceChildren();
  if (example) {
    box.append(html("div", { class: "title" }, example.title));
    if (example.section) box.append(html("div", { class: "subtitle" }, `Notes: ${example.section}`));
    if (example.description) box.append(html("p", {}, example.description));
  } else if (source.kind === "expr") {
    box.append(html("code", {}, `f = ${source.expr}`));
  }
  byId("about-section").hidden = !box.childElementCount;
}

/** @param {string} id */
export function showExample(id) {
  /** @type {HTMLSelectElement} */ (byId("examples")).value = id;
}

/**
 * @param {{title: string, subtitle?: string, lines: {text: string, fork: boolean}[]}} content
 */
export function renderReadout(content) {
  const box = byId("readout");
  box.replaceChildren(html("div", { class: "title", "data-role": "readout-title" }, content.title));
  if (content.subtitle) box.append(html("div", { class: "subtitle" }, content.subtitle));
  for (const line of content.lines) {
    const row = html("div", { class: `line${line.fork ? " fork" : ""}`, "data-role": "readout-line" });
    if (line.fork) row.append(html("span", { class: "fork-tag" }, "FORK +="));
    row.append(line.text);
    box.append(row);
  }
}

/**
 * The message line: a note, or an error (with a caret under an expression's position).
 * @param {string} text
 * @param {{error?: boolean, expr?: string, position?: number}} [options]
 */
export function showMessage(text, options = {}) {
  const line = byId("message");
  line.classList.toggle("error", Boolean(options.error));
  line.replaceChildren(text);
  if (options.expr !== undefined && options.position !== undefined) {
    const caret = `${options.expr}\n${" ".repeat(options.position)}^`;
    line.append(html("div", { class: "caret" }, caret));
  }
}

/**
 * A definition list of label/value rows, values with full precision on hover.
 * @param {[string, Value | string, string?][]} rows  [term, value, class]
 * @returns {HTMLElement}
 */
export function definitionList(rows) {
  const dl = html("dl");
  for (const [term, value, cls] of rows) {
    const text = typeof value === "string" ? value : formatValue(value);
    const title = typeof value === "string" ? value : formatFull(value);
    dl.append(html("dt", {}, term), html("dd", { class: cls ?? "", title }, text));
  }
  return dl;
}
