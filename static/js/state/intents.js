/**
 * What the user's gestures mean, as records: wiring an output into a port,
 * deleting the selection, tidying, and clicking a node when nothing says
 * which node is the output. Pure functions of the state; no DOM.
 * @module intents
 */

import { outputOf, sinks, wouldCycle } from "./circuit.js";

/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Selection} Selection */
/** @typedef {import("./commands.js").Command} Command */

/**
 * Wire source into a port of target; a null port takes the first free one, or
 * a new one on a gate that takes any number of inputs.
 * @param {State} state
 * @param {string} source
 * @param {string} target
 * @param {number | null} port
 * @returns {{record: Command} | {refusal: string} | null}
 */
export function connect(state, source, target, port) {
  const node = state.model.nodes.get(target);
  if (!node || !node.inputs || source === target) return null;
  if (wouldCycle(state.model, source, target)) return { refusal: `Wiring ${source} into ${target} would make a loop.` };
  const at = port ?? node.inputs.indexOf(null);
  const slot = at >= 0 ? at : state.catalog.gates.get(node.op)?.arity.max === null ? node.inputs.length : -1;
  if (slot < 0) return { refusal: `${target} has no free input.` };
  const inputs = [...node.inputs];
  while (inputs.length <= slot) inputs.push(null);
  inputs[slot] = source;
  return { record: { type: "set_inputs", node: target, inputs } };
}

/**
 * Delete the selected node, or disconnect the selected wire.
 * @param {State} state
 * @returns {Command | null}
 */
export function removeSelection(state) {
  const s = state.selection;
  if (s?.kind === "node") return { type: "remove_node", node: s.id };
  if (s?.kind === "nodes") return { type: "batch", records: s.ids.map((id) => ({ type: "remove_node", node: id })) };
  if (s?.kind !== "wire" || s.target === undefined) return null;
  const node = state.model.nodes.get(s.target);
  if (!node?.inputs) return null;
  return { type: "set_inputs", node: s.target, inputs: node.inputs.map((src, i) => (i === s.port ? null : src)) };
}

/**
 * Shift-click: add a node to the selection, or take it out again.
 * @param {State} state
 * @param {string} id
 * @returns {Selection}
 */
export function extendSelection(state, id) {
  const s = state.selection;
  const ids = s?.kind === "node" ? [s.id] : s?.kind === "nodes" ? s.ids : [];
  const next = ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id];
  if (next.length > 1) return { kind: "nodes", ids: next };
  return next.length ? { kind: "node", id: next[0] } : null;
}

/**
 * The gates (not inputs or constants) whose shape a selection box touches, in model order.
 * @param {State} state
 * @param {{id: string, x: number, y: number, body: number, height: number}[]} placed  where each node is drawn
 * @param {{x: number, y: number, width: number, height: number}} box
 * @returns {Selection}
 */
export function boxSelection(state, placed, box) {
  const touched = new Set(placed.filter((p) => p.x < box.x + box.width && box.x < p.x + p.body && p.y < box.y + box.height && box.y < p.y + p.height).map((p) => p.id));
  const ids = [...state.model.nodes.values()].filter((n) => touched.has(n.id) && n.op !== "input" && n.op !== "const").map((n) => n.id);
  if (ids.length > 1) return { kind: "nodes", ids };
  return ids.length ? { kind: "node", id: ids[0] } : null;
}

/**
 * Clicking a node of a circuit with several ends and no output makes it the output.
 * @param {State} state
 * @param {Selection} selection
 * @returns {Command | null}
 */
export function outputFromClick(state, selection) {
  if (selection?.kind !== "node" || outputOf(state.model) !== null || sinks(state.model).length < 2) return null;
  return { type: "set_output", node: selection.id };
}

/**
 * Tidy: every hand-placed node goes back to the automatic layout.
 * @param {State} state
 * @returns {Command | null}
 */
export function tidy(state) {
  const placed = [...state.model.nodes.values()].filter((n) => Number.isFinite(n.ui?.x));
  if (!placed.length) return null;
  return { type: "move", positions: Object.fromEntries(placed.map((n) => [n.id, null])) };
}
