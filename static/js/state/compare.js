/**
 * The notes' point about modularity, checked on the circuit shown: when the
 * selected gate is a group or a composite (or sits in the frame of one that was
 * expanded), the circuit is also evaluated in its other form (expanded, or
 * collapsed) by the server, and the numbers on the outside wires of both forms
 * go into the state for the inspector to set side by side. No DOM.
 * @module compare
 */

import { apply } from "./commands.js";
import { toCircuit } from "./circuit.js";
import { collapseRecord, expandRecord, expansionOf } from "./groups.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").State} State */
/** @typedef {import("./format.js").Value} Value */
/** @typedef {ReturnType<typeof import("./api.js").createApi>} Api */
/**
 * @typedef {object} Comparison
 * @property {string} id  the gate, or the frame's output gate
 * @property {number} revision  the circuit revision it was made for
 * @property {"expanded" | "collapsed"} other  which form the other one is
 * @property {string} name  what the gate is called ("Sigmoid", "sigmoid")
 * @property {string[]} wires  the outside wires: the inputs, then the output
 * @property {{values: Record<string, Value>, gradients: Record<string, Value>} | null} result  the other form's numbers
 */

export class Comparer {
  /**
   * @param {Store} store
   * @param {Api} api
   */
  constructor(store, api) {
    this.store = store;
    this.api = api;
    store.subscribe((state, touched) => {
      if (touched.has("result") || touched.has("selection")) void this.refresh();
    });
  }

  /** Evaluate the selected gate's other form, unless the state has it already. */
  async refresh() {
    const state = this.store.state;
    const subject = state.result && !state.stale ? subjectOf(state) : null;
    if (!subject) return state.compare && this.store.update({ compare: null }, ["compare"]);
    const have = state.compare;
    if (have && have.id === subject.id && have.revision === state.revision) return;
    const answer = await this.api.evaluate(toCircuit(apply(state.model, subject.record).model));
    const now = this.store.state;
    if (now.revision !== state.revision || now.selection !== state.selection) return;
    const result = answer.ok ? { values: answer.data.values, gradients: answer.data.gradients } : null;
    const { record, ...rest } = subject;
    this.store.update({ compare: { ...rest, revision: state.revision, result } }, ["compare"]);
  }
}

/**
 * What the selection's other form is: a framed gate's collapsed circuit, or a
 * group's or composite's expanded one.
 * @param {State} state
 * @returns {(Omit<Comparison, "revision" | "result"> & {record: import("./commands.js").Command}) | null}
 */
export function subjectOf(state) {
  const s = state.selection;
  const node = s?.kind === "node" ? state.model.nodes.get(s.id) : undefined;
  if (!node) return null;
  const gates = state.catalog.gates;
  const frame = node.ui?.frame;
  if (frame) {
    const answer = collapseRecord(state.model, frame.id, gates);
    if (!("record" in answer) || answer.record.type !== "group") return null;
    const gate = answer.record.node;
    return { id: gate.id, other: "collapsed", name: frame.name, wires: wiresOf(gate.inputs ?? [], gate.id), record: answer.record };
  }
  if (!expansionOf(node, gates)) return null;
  const answer = expandRecord(state.model, node.id, gates);
  if (!("record" in answer)) return null;
  const name = node.op === "group" ? node.name ?? "group" : gates.get(node.op)?.title ?? node.op;
  return { id: node.id, other: "expanded", name, wires: wiresOf(node.inputs ?? [], node.id), record: answer.record };
}

/**
 * @param {(string | null)[]} inputs
 * @param {string} output
 * @returns {string[]}
 */
function wiresOf(inputs, output) {
  return [...new Set([...inputs.filter((i) => i !== null), output])].map(String);
}
