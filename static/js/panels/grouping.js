/**
 * The inspector's modularity parts, read from the state: "Group" for several
 * selected gates, "Expand" on a group or composite gate, "Collapse" on a gate
 * drawn in an expanded frame, and the outside wires' numbers beside those of
 * the other form (from the state's comparison). Edits leave as records; a
 * refusal goes to the message line.
 * @module grouping
 */

import { html } from "../dom.js";
import { formatFull, formatValue } from "../state/format.js";
import { collapseRecord, expandRecord, expansionOf, groupRecord } from "../state/groups.js";
import { subjectOf } from "../state/compare.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/format.js").Value} Value */

/**
 * Several gates selected: their names, a name field and the Group button.
 * @param {string[]} ids
 * @param {Store} store
 * @returns {HTMLElement[]}
 */
export function selectionParts(ids, store) {
  const name = /** @type {HTMLInputElement} */ (html("input", { id: "group-name", placeholder: "name, e.g. sigmoid", "aria-label": "The group's name" }));
  const button = html("button", { type: "button", id: "group", title: "Make the selected gates one compound gate" }, "Group");
  button.addEventListener("click", () => run(store, groupRecord(store.state.model, ids, name.value)));
  const row = html("div", { class: "actions" });
  row.append(name, button);
  const hint = html("p", { class: "hint" }, "Shift-click gates to add or remove them. A group has one output wire.");
  return [html("div", { class: "title" }, `${ids.length} gates selected: ${ids.join(", ")}`), hint, row];
}

/**
 * Expand and Collapse, where they apply.
 * @param {string} id
 * @param {State} state
 * @param {Store} store
 * @returns {HTMLElement[]}
 */
export function modularButtons(id, state, store) {
  const node = state.model.nodes.get(id);
  const gates = state.catalog.gates;
  /** @type {HTMLElement[]} */
  const buttons = [];
  if (node && expansionOf(node, gates)) {
    const expand = html("button", { type: "button", id: "expand", title: "Draw this gate as the primitive gates it is made of" }, "Expand");
    expand.addEventListener("click", () => run(store, expandRecord(store.state.model, id, store.state.catalog.gates)));
    buttons.push(expand);
  }
  const frame = node?.ui?.frame;
  if (frame) {
    const collapse = html("button", { type: "button", id: "collapse", title: `Draw the framed gates as one ${frame.name} gate again` }, `Collapse ${frame.name}`);
    collapse.addEventListener("click", () => run(store, collapseRecord(store.state.model, frame.id, store.state.catalog.gates)));
    buttons.push(collapse);
  }
  return buttons;
}

/**
 * The outside wires' value / gradient here beside those in the other form.
 * @param {State} state
 * @returns {HTMLElement[]}
 */
export function comparisonParts(state) {
  const compare = state.compare;
  const subject = subjectOf(state);
  if (!compare?.result || !state.result || compare.revision !== state.revision || subject?.id !== compare.id) return [];
  const there = compare.other === "expanded" ? "as its primitive gates" : `as one ${compare.name} gate`;
  const box = html("div", { class: "same", "data-role": "same" });
  box.append(html("div", { class: "subtitle" }, `The outside wires, here and ${there}:`));
  for (const wire of compare.wires) {
    const here = [state.result.values[wire], state.result.gradients[wire]];
    const other = [compare.result.values[wire], compare.result.gradients[wire]];
    const text = `${wire}: ${pair(here)} — same ${there}: ${pair(other)} — ${verdict(here, other)}`;
    box.append(html("div", { class: "code", "data-wire": wire, title: `${pairFull(here)} and ${pairFull(other)}` }, text));
  }
  return [box];
}

/** @param {Value[]} values */
const pair = ([value, grad]) => `${formatValue(value)} / ${formatValue(grad)}`;
/** @param {Value[]} values */
const pairFull = ([value, grad]) => `${formatFull(value)} / ${formatFull(grad)}`;

/**
 * "identical" when every number is the same float; else to how many digits they
 * agree (a composite gate's own formula and its primitive gates round differently).
 * @param {Value[]} a
 * @param {Value[]} b
 */
function verdict(a, b) {
  const xs = a.flat(2).map(Number);
  const ys = b.flat(2).map(Number);
  if (xs.length === ys.length && xs.every((x, i) => x === ys[i])) return "identical";
  const worst = Math.max(...xs.map((x, i) => Math.abs(x - ys[i]) / Math.max(Math.abs(x), Math.abs(ys[i]))));
  const digits = Math.floor(-Math.log10(worst));
  return digits >= 12 ? `identical to ${digits} digits (rounding)` : `different (they agree to ${Math.max(digits, 0)} digits)`;
}

/**
 * @param {Store} store
 * @param {{record: import("../state/commands.js").Command} | {refusal: string}} answer
 */
function run(store, answer) {
  if ("refusal" in answer) return store.update({ problem: { msg: answer.refusal, kind: "error", nodes: new Map() } }, ["problem"]);
  store.dispatch(answer.record);
  const record = answer.record;
  const id = record.type === "group" ? record.node.id : record.type === "expand" ? record.node : null;
  if (id !== null) store.update({ selection: { kind: "node", id } }, ["selection"]);
}
