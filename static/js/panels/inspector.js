/**
 * The "Selected" panel, read from the state: a gate's formula, its local
 * gradients at these values and its backward pattern (and, at a max or min
 * with a tie, where the gradient went and why); a wire's value, gradient and
 * the contributions summed into it. Edits leave as records.
 * @module inspector
 */

import { byId, html } from "../dom.js";
import { formatFull, formatValue } from "../state/format.js";
import { formulaFor, isLeafOp, substitute } from "../state/gates.js";
import { contributions } from "../state/trace.js";
import { outputOf } from "../state/circuit.js";
import { hiddenIds } from "../state/quiz.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/store.js").Selection} Selection */
/** @typedef {import("../state/format.js").Value} Value */

const WATCHES = ["selection", "result", "step", "structure", "catalog", "quiz"];

/**
 * @param {Store} store
 * @param {() => void} remove  delete the selection
 */
export function mountInspector(store, remove) {
  const box = byId("inspector");
  store.subscribe((state, touched) => {
    if (!WATCHES.some((t) => touched.has(/** @type {any} */ (t)))) return;
    box.replaceChildren();
    const s = state.selection;
    if (!s) return box.append(html("p", { class: "hint" }, "Click a gate or a wire."));
    box.append(...(s.kind === "node" ? nodeParts(s.id, state, store) : wireParts(s, state)), actions(s, state, store, remove));
  });
}

/**
 * @param {string} id
 * @param {State} state
 * @param {Store} store
 * @returns {HTMLElement[]}
 */
function nodeParts(id, state, store) {
  const node = state.model.nodes.get(id);
  if (!node) return [];
  const gate = state.catalog.gates.get(node.op);
  const inputs = (node.inputs ?? []).map((src, i) => src ?? `(input ${i + 1})`);
  const parts = [html("div", { class: "title" }, `${id}: ${gate?.title ?? node.op}`)];
  if (node.inputs) parts.push(html("div", { class: "code" }, `${id} = ${formulaFor(gate, inputs, node.params)}`));
  const result = state.result;
  /** @type {[string, Value | string, string?][]} */
  const rows = [];
  if (result && id in result.values) rows.push(...numberRows(id, state, result));
  if (gate && !isLeafOp(node.op, state.catalog.gates)) rows.push(...localRows(id, inputs, gate, node.params ?? {}, state));
  parts.push(definitionList(rows));
  const tie = tieNote(id, inputs, state);
  if (tie) parts.push(html("div", { class: "pattern tie" }, tie));
  if (gate?.pattern) parts.push(html("div", { class: "pattern" }, gate.pattern));
  parts.push(...paramFields(node, store));
  return parts;
}

/**
 * Local gradients: the table's formula with this gate's names and constants
 * and, after a backward pass, its number.
 * @param {string} id
 * @param {string[]} inputs
 * @param {import("../state/gates.js").GateInfo} gate
 * @param {Record<string, number>} params
 * @param {State} state
 * @returns {[string, string][]}
 */
function localRows(id, inputs, gate, params, state) {
  const sent = backwardEntry(id, state)?.inputs ?? [];
  return inputs.map((name, i) => {
    const code = gate.local_gradient[Math.min(i, gate.local_gradient.length - 1)] ?? "";
    const local = sent.find((s) => s.port === i)?.local;
    const number = local === undefined || local === null ? "" : ` = ${formatValue(local)}`;
    return [`∂${id}/∂${name}`, `${substitute(code, inputs, params, { out: id })}${number}`];
  });
}

/**
 * @param {string} id
 * @param {State} state
 */
function backwardEntry(id, state) {
  const step = state.steps.find((s) => s.kind === "backward" && s.entry.id === id);
  return step?.kind === "backward" ? step.entry : undefined;
}

/**
 * At a max or min whose inputs are equal, only one input can take the gradient.
 * @param {string} id
 * @param {string[]} inputs
 * @param {State} state
 * @returns {string | null}
 */
function tieNote(id, inputs, state) {
  const node = state.model.nodes.get(id);
  const values = state.result?.values;
  if (!node || !values || (node.op !== "max" && node.op !== "min") || inputs.length !== 2) return null;
  const [a, b] = inputs.map((name) => values[name]);
  if (typeof a !== "number" || a !== b) return null;
  const rule = state.catalog.gates.get(node.op)?.undefined ?? "";
  return `Tie: ${inputs[0]} = ${inputs[1]} = ${formatValue(a)}. The whole gradient went to ${inputs[0]}, none to ${inputs[1]}: ${rule}`;
}

/**
 * @param {import("../state/circuit.js").Node} node
 * @param {Store} store
 * @returns {HTMLElement[]}
 */
function paramFields(node, store) {
  return Object.entries(node.params ?? {}).map(([name, value]) => {
    const field = /** @type {HTMLInputElement} */ (html("input", { "data-param": name, value: String(value), "aria-label": `${node.id}'s ${name}` }));
    field.addEventListener("change", () => {
      const v = Number(field.value.trim().replace(/^−/, "-"));
      field.classList.toggle("invalid", !Number.isFinite(v) || field.value.trim() === "");
      if (Number.isFinite(v) && field.value.trim() !== "") store.dispatch({ type: "set_param", node: node.id, name, value: v });
    });
    const label = html("label", {}, `${name} = `);
    label.append(field);
    return label;
  });
}

/**
 * A node's value and gradient, each "?" while a running quiz still asks it.
 * @param {string} id
 * @param {State} state
 * @param {import("../state/trace.js").Result} result
 * @returns {[string, Value | string, string][]}
 */
function numberRows(id, state, result) {
  const value = quizHides(state, id, "values") ? "?" : result.values[id];
  const grad = quizHides(state, id, "gradients") ? "?" : result.gradients[id] ?? 0;
  return [["value", value, "value"], ["gradient", grad, "grad"]];
}

/**
 * @param {State} state
 * @param {string} id
 * @param {"gradients" | "values"} kind
 */
function quizHides(state, id, kind) {
  const { quiz, result } = state;
  return Boolean(quiz && result && quiz.hide === kind && hiddenIds(quiz, result).has(id));
}

/**
 * @param {{source: string, target?: string, port?: number}} wire
 * @param {State} state
 * @returns {HTMLElement[]}
 */
function wireParts(wire, state) {
  const into = wire.target ? ` → ${wire.target} (input ${Number(wire.port) + 1})` : "";
  const parts = [html("div", { class: "title" }, `Wire from ${wire.source}${into}`)];
  const result = state.result;
  if (!result || !(wire.source in result.values)) return parts;
  parts.push(definitionList(numberRows(wire.source, state, result)));
  const sums = quizHides(state, wire.source, "gradients") ? [] : contributions(state.steps, wire.source);
  if (sums.length > 1) parts.push(html("div", { class: "hint" }, `d${wire.source} is the sum of what each gate sent back:`));
  for (const c of sums.length > 1 ? sums : []) parts.push(html("div", { class: "code" }, `from ${c.from}: ${formatValue(c.sent)}  → running ${formatValue(c.total)}`));
  return parts;
}

/**
 * Delete, and make a node the output.
 * @param {NonNullable<Selection>} selection
 * @param {State} state
 * @param {Store} store
 * @param {() => void} remove
 * @returns {HTMLElement}
 */
function actions(selection, state, store, remove) {
  const row = html("div", { class: "actions" });
  if (selection.kind === "node" && outputOf(state.model) !== selection.id) {
    const make = html("button", { type: "button", id: "make-output", title: "Differentiate this node: the backward pass starts here" }, "Make it the output");
    make.addEventListener("click", () => store.dispatch({ type: "set_output", node: selection.id }));
    row.append(make);
  }
  if (selection.kind === "node" || selection.target !== undefined) {
    const button = html("button", { type: "button", id: "delete", title: "Delete (Del)" }, selection.kind === "node" ? "Delete gate" : "Delete wire");
    button.addEventListener("click", remove);
    row.append(button);
  }
  return row;
}

/**
 * A definition list of label/value rows, values with full precision on hover.
 * @param {[string, Value | string, string?][]} rows  [term, value, class]
 * @returns {HTMLElement}
 */
function definitionList(rows) {
  const dl = html("dl");
  for (const [term, value, cls] of rows) {
    const text = typeof value === "string" ? value : formatValue(value);
    const title = typeof value === "string" ? value : formatFull(value);
    dl.append(html("dt", {}, term), html("dd", { class: cls ?? "", title }, text));
  }
  return dl;
}
