/**
 * The "Selected" panel: a gate's formula, local gradients at these values and
 * backward pattern; a wire's value, gradient and the contributions summed into it.
 * @module inspector
 */

import { byId, html } from "./dom.js";
import { formatValue } from "./format.js";
import { formulaFor, substitute } from "./gates.js";
import { contributions } from "./trace.js";
import { definitionList } from "./panels.js";

/** @typedef {import("./editing.js").Selection} Selection */
/** @typedef {import("./trace.js").Result} Result */
/** @typedef {import("./trace.js").Step} Step */
/**
 * @typedef {object} InspectorContext
 * @property {import("./model.js").Model} model
 * @property {Result | null} result
 * @property {Step[]} steps
 * @property {Map<string, import("./gates.js").GateInfo>} gates
 * @property {(id: string, name: string, value: number) => void} setParam
 * @property {() => void} remove  delete the selection
 */

/**
 * @param {Selection} selection
 * @param {InspectorContext} ctx
 */
export function renderInspector(selection, ctx) {
  const box = byId("inspector");
  box.replaceChildren();
  if (!selection) return box.append(html("p", { class: "hint" }, "Click a gate or a wire."));
  const parts = selection.kind === "node" ? nodeParts(selection.id, ctx) : wireParts(selection, ctx);
  box.append(...parts, actions(selection, ctx));
}

/**
 * @param {string} id
 * @param {InspectorContext} ctx
 * @returns {HTMLElement[]}
 */
function nodeParts(id, ctx) {
  const node = ctx.model.nodes.get(id);
  if (!node) return [];
  const gate = ctx.gates.get(node.op);
  const inputs = (node.inputs ?? []).map((src, i) => src ?? `(port ${i})`);
  const parts = [html("div", { class: "title" }, `${id} — ${gate?.title ?? node.op}`)];
  if (node.inputs) parts.push(html("div", { class: "code" }, `${id} = ${formulaFor(gate, inputs, node.params)}`));
  const values = ctx.result?.values ?? {};
  const grads = ctx.result?.gradients ?? {};
  const rows = /** @type {[string, any, string?][]} */ ([]);
  if (id in values) rows.push(["value", values[id], "value"], ["gradient", grads[id], "grad"]);
  rows.push(...localRows(id, inputs, gate, ctx));
  parts.push(definitionList(rows));
  if (gate?.pattern) parts.push(html("div", { class: "pattern" }, gate.pattern));
  parts.push(...paramFields(node, ctx));
  return parts;
}

/**
 * Local gradients: the table's formula and, after a backward pass, its number.
 * @param {string} id
 * @param {string[]} inputs
 * @param {import("./gates.js").GateInfo | undefined} gate
 * @param {InspectorContext} ctx
 * @returns {[string, string][]}
 */
function localRows(id, inputs, gate, ctx) {
  if (!gate || !inputs.length) return [];
  const entry = ctx.steps.find((s) => s.kind === "backward" && s.entry.id === id);
  const sent = entry?.kind === "backward" ? entry.entry.inputs : [];
  return inputs.map((name, i) => {
    const code = gate.local_gradient[Math.min(i, gate.local_gradient.length - 1)] ?? "";
    const local = sent.find((s) => s.port === i)?.local;
    const number = local === undefined || local === null ? "" : ` = ${formatValue(local)}`;
    return [`∂${id}/∂${name}`, `${substitute(code, inputs, {}, { out: id })}${number}`];
  });
}

/**
 * @param {import("./model.js").Node} node
 * @param {InspectorContext} ctx
 * @returns {HTMLElement[]}
 */
function paramFields(node, ctx) {
  return Object.entries(node.params ?? {}).map(([name, value]) => {
    const field = /** @type {HTMLInputElement} */ (html("input", { "data-param": name, value: String(value) }));
    field.addEventListener("change", () => {
      const v = Number(field.value);
      if (Number.isFinite(v)) ctx.setParam(node.id, name, v);
    });
    const label = html("label", {}, `${name} = `);
    label.append(field);
    return label;
  });
}

/**
 * @param {{source: string, target?: string, port?: number}} wire
 * @param {InspectorContext} ctx
 * @returns {HTMLElement[]}
 */
function wireParts(wire, ctx) {
  const into = wire.target ? ` → ${wire.target} (input ${Number(wire.port) + 1})` : "";
  const parts = [html("div", { class: "title" }, `Wire from ${wire.source}${into}`)];
  const values = ctx.result?.values ?? {};
  if (!(wire.source in values)) return parts;
  parts.push(definitionList([["value", values[wire.source], "value"], ["gradient", ctx.result?.gradients[wire.source] ?? 0, "grad"]]));
  const sums = contributions(ctx.steps, wire.source);
  if (sums.length) parts.push(html("div", { class: "hint" }, `d${wire.source} is the sum of what each gate sent back:`));
  for (const c of sums) parts.push(html("div", { class: "code" }, `from ${c.from}: ${formatValue(c.sent)}  → running ${formatValue(c.total)}`));
  return parts;
}

/**
 * @param {NonNullable<Selection>} selection
 * @param {InspectorContext} ctx
 * @returns {HTMLElement}
 */
function actions(selection, ctx) {
  const row = html("div", { class: "actions" });
  const deletable = selection.kind === "node" || selection.target !== undefined;
  if (!deletable) return row;
  const button = html("button", { type: "button", id: "delete", title: "Delete (Del)" }, selection.kind === "node" ? "Delete gate" : "Delete wire");
  button.addEventListener("click", ctx.remove);
  row.append(button);
  return row;
}
