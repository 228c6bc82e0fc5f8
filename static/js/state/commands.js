/**
 * Every edit is a plain JSON record, e.g. {"type": "set_value", "node": "x", "value": 3}.
 * `apply` turns a circuit and a record into a new circuit plus the record that
 * undoes it, and says what the edit touched. Records can be stored, replayed
 * and sent as they are; models are never mutated. A set_param to null removes
 * that constant. No DOM.
 * @module commands
 */

import { fromCircuit, inputsOf, toCircuit } from "./circuit.js";

/** @typedef {import("./circuit.js").Model} Model */
/** @typedef {import("./circuit.js").Node} Node */
/** @typedef {import("./circuit.js").Source} Source */
/** @typedef {import("./matrix.js").Held} Held */
/** @typedef {{x: number, y: number}} Point */
/**
 * @typedef {{type: "set_value", node: string, value: Held}
 *   | {type: "set_param", node: string, name: string, value: number | null}
 *   | {type: "add_node", node: Node, index?: number}
 *   | {type: "remove_node", node: string}
 *   | {type: "set_inputs", node: string, inputs: (string | null)[]}
 *   | {type: "move", positions: Record<string, Point | null>}
 *   | {type: "set_output", node: string | null, output_grad?: Held}
 *   | {type: "open", circuit: import("./circuit.js").Circuit, source: Source}
 *   | {type: "set_source", source: Source}
 *   | {type: "group", node: Node, members: string[]}
 *   | {type: "expand", node: string, nodes: Node[]}
 *   | {type: "set_title", title: string | null}
 *   | {type: "batch", records: Command[]}} Command
 */
/** @typedef {"circuit" | "structure" | "values" | "positions" | "source"} Touch  "circuit": a whole new one */
/** @typedef {{model: Model, inverse: Command, touched: Touch[]}} Applied */

/**
 * Apply one record.
 * @param {Model} model
 * @param {Command} record
 * @returns {Applied}
 */
export function apply(model, record) {
  const rule = RULES[record.type];
  if (!rule) throw new Error(`unknown command "${record.type}"`);
  return rule(model, /** @type {any} */ (record));
}

/**
 * Apply records in order, as a replay of a saved history does.
 * @param {Model} model
 * @param {Command[]} records
 * @returns {Model}
 */
export function replay(model, records) {
  return records.reduce((m, record) => apply(m, record).model, model);
}

/** @type {Record<string, (model: Model, record: any) => Applied>} */
const RULES = {
  set_value: (model, r) => {
    const node = need(model, r.node);
    if (node.op !== "input" && node.op !== "const") throw new Error(`${r.node} holds no value`);
    const source = node.op === "const" ? edited(model) : model.source;
    const touched = /** @type {Touch[]} */ (node.op === "const" ? ["values", "structure"] : ["values"]); // a constant's pill shows its value
    return done(withNode(model, { ...node, value: r.value }, source), { type: "set_value", node: r.node, value: node.value ?? 0 }, model, touched);
  },
  set_param: (model, r) => {
    const node = need(model, r.node);
    const { [r.name]: old, ...others } = node.params ?? {};
    const params = r.value === null ? others : { ...others, [r.name]: r.value };
    const { params: _, ...rest } = node;
    const changed = Object.keys(params).length ? { ...rest, params } : rest;
    /** @type {Command} */
    const inverse = { type: "set_param", node: r.node, name: r.name, value: old ?? null };
    return done(withNode(model, changed, edited(model)), inverse, model, ["structure"]);
  },
  add_node: (model, r) => {
    if (model.nodes.has(r.node.id)) throw new Error(`there is already a node "${r.node.id}"`);
    const entries = [...model.nodes.entries()];
    entries.splice(r.index ?? entries.length, 0, [r.node.id, structuredClone(r.node)]);
    const next = { ...model, nodes: new Map(entries), source: edited(model) };
    return done(next, { type: "remove_node", node: r.node.id }, model, ["structure"]);
  },
  remove_node: (model, r) => removeNode(model, r.node),
  set_inputs: (model, r) => {
    const node = need(model, r.node);
    /** @type {Command} */
    const inverse = { type: "set_inputs", node: r.node, inputs: [...inputsOf(node)] };
    return done(withNode(model, { ...node, inputs: [...r.inputs] }, edited(model)), inverse, model, ["structure"]);
  },
  move: (model, r) => {
    const nodes = new Map(model.nodes);
    /** @type {Record<string, Point | null>} */
    const before = {};
    for (const [id, at] of Object.entries(/** @type {Record<string, Point | null>} */ (r.positions))) {
      const node = need(model, id);
      before[id] = Number.isFinite(node.ui?.x) ? { x: /** @type {number} */ (node.ui?.x), y: /** @type {number} */ (node.ui?.y) } : null;
      const { ui, ...rest } = node;
      const { x, y, ...kept } = ui ?? {};
      const place = at ? { ...kept, x: at.x, y: at.y } : kept;
      nodes.set(id, Object.keys(place).length ? { ...rest, ui: place } : rest);
    }
    return { model: { ...model, nodes }, inverse: { type: "move", positions: before }, touched: ["positions"] };
  },
  set_output: (model, r) => {
    if (r.node !== null) need(model, r.node);
    const next = { ...withoutGrad(model), output: r.node, source: edited(model) };
    if (r.output_grad !== undefined) next.outputGrad = r.output_grad;
    return done(next, outputRecord(model), model, ["structure"]);
  },
  open: (model, r) => {
    const next = fromCircuit(r.circuit, r.source);
    /** @type {Command} */
    const inverse = { type: "open", circuit: toCircuit(model), source: model.source };
    return { model: next, inverse, touched: ["circuit", "structure", "values", "positions", "source"] };
  },
  set_source: (model, r) => ({ model: { ...model, source: r.source }, inverse: { type: "set_source", source: model.source }, touched: ["source"] }),
  group: (model, r) => groupNodes(model, r.node, r.members),
  expand: (model, r) => {
    const node = need(model, r.node);
    const entries = [...model.nodes.entries()];
    const at = entries.findIndex(([id]) => id === r.node);
    for (const added of r.nodes) if (added.id !== r.node && model.nodes.has(added.id)) throw new Error(`there is already a node "${added.id}"`);
    entries.splice(at, 1, ...r.nodes.map((/** @type {Node} */ n) => /** @type {[string, Node]} */ ([n.id, structuredClone(n)])));
    /** @type {Command} */
    const inverse = { type: "group", node: structuredClone(node), members: r.nodes.map((/** @type {Node} */ n) => n.id) };
    return done({ ...model, nodes: new Map(entries), source: edited(model) }, inverse, model, ["structure"]);
  },
  set_title: (model, r) => {
    const { title, ...rest } = model;
    return { model: r.title ? { ...rest, title: r.title } : rest, inverse: { type: "set_title", title: title ?? null }, touched: ["source"] };
  },
  batch: (model, r) => {
    /** @type {Command[]} */
    const inverses = [];
    /** @type {Set<Touch>} */
    const touched = new Set();
    let current = model;
    for (const record of r.records) {
      const step = apply(current, record);
      current = step.model;
      inverses.unshift(step.inverse);
      for (const t of step.touched) touched.add(t);
    }
    return { model: current, inverse: { type: "batch", records: inverses }, touched: [...touched] };
  },
};

/**
 * Remove a node; the ports it fed become unconnected, and it stops being the output.
 * The inverse puts it back in its place with every wire it had.
 * @param {Model} model
 * @param {string} id
 * @returns {Applied}
 */
function removeNode(model, id) {
  const node = need(model, id);
  const index = [...model.nodes.keys()].indexOf(id);
  /** @type {Command[]} */
  const restore = [{ type: "add_node", node: structuredClone(node), index }];
  const nodes = new Map();
  for (const [key, other] of model.nodes) {
    if (key === id) continue;
    const inputs = inputsOf(other);
    if (!inputs.includes(id)) nodes.set(key, other);
    else {
      nodes.set(key, { ...other, inputs: inputs.map((src) => (src === id ? null : src)) });
      restore.push({ type: "set_inputs", node: key, inputs: [...inputs] });
    }
  }
  if (model.output === id) restore.push(outputRecord(model));
  const kept = model.output === id ? withoutGrad(model) : model;
  const next = { ...kept, nodes, output: model.output === id ? null : model.output, source: edited(model) };
  return done(next, { type: "batch", records: restore }, model, ["structure"]);
}

/**
 * Replace `members` by one node that takes over the wires leaving them (through the
 * member whose id it has, or the one its body gives as output). The inverse puts
 * every member back in its place with every wire it had.
 * @param {Model} model
 * @param {Node} node
 * @param {string[]} members
 * @returns {Applied}
 */
function groupNodes(model, node, members) {
  const inside = new Set(members);
  for (const id of members) need(model, id);
  if (!inside.has(node.id) && model.nodes.has(node.id)) throw new Error(`there is already a node "${node.id}"`);
  const output = inside.has(node.id) ? node.id : node.body?.output ?? node.id;
  const keys = [...model.nodes.keys()];
  const at = Math.min(...members.map((id) => keys.indexOf(id)));
  /** @type {Command[]} */
  const restore = [{ type: "remove_node", node: node.id }];
  for (const id of keys.filter((k) => inside.has(k))) restore.push({ type: "add_node", node: structuredClone(need(model, id)), index: keys.indexOf(id) });
  /** @type {[string, Node][]} */
  const entries = [];
  for (const [id, other] of model.nodes) {
    if (inside.has(id)) continue;
    const inputs = inputsOf(other);
    const reads = inputs.includes(output) && output !== node.id;
    entries.push([id, reads ? { ...other, inputs: inputs.map((src) => (src === output ? node.id : src)) } : other]);
    if (inputs.includes(output)) restore.push({ type: "set_inputs", node: id, inputs: [...inputs] });
  }
  if (model.output !== null) restore.push(outputRecord(model));
  entries.splice(at, 0, [node.id, structuredClone(node)]);
  const next = { ...model, nodes: new Map(entries), output: model.output === output ? node.id : model.output, source: edited(model) };
  return done(next, { type: "batch", records: restore }, model, ["structure"]);
}

/**
 * The record that makes a model's output (and its given upstream gradient) what it is now.
 * @param {Model} model
 * @returns {Command}
 */
function outputRecord(model) {
  return model.outputGrad === undefined ? { type: "set_output", node: model.output } : { type: "set_output", node: model.output, output_grad: model.outputGrad };
}

/**
 * @param {Model} model
 * @returns {Model}  the same without a given upstream gradient
 */
function withoutGrad(model) {
  const { outputGrad: _, ...rest } = model;
  return rest;
}

/**
 * The applied edit; when it turned an expression or example into a circuit of
 * one's own, the inverse also brings that source back.
 * @param {Model} next
 * @param {Command} inverse
 * @param {Model} before
 * @param {Touch[]} touched
 * @returns {Applied}
 */
function done(next, inverse, before, touched) {
  if (next.source === before.source) return { model: next, inverse, touched };
  const back = { type: "batch", records: [inverse, { type: "set_source", source: before.source }] };
  return { model: next, inverse: /** @type {Command} */ (back), touched: [...touched, "source"] };
}

/**
 * A circuit edited by hand is its own: it no longer reopens from an expression, an
 * example or a saved link, but remembers the example or the saved circuit it came from.
 * @param {Model} model
 * @returns {Source}
 */
function edited(model) {
  if (model.source.kind === "circuit") return model.source;
  if (model.source.kind === "example") return { kind: "circuit", from: model.source.id };
  if (model.source.kind === "saved") return { kind: "circuit", parent: model.source.id };
  return { kind: "circuit" };
}

/**
 * @param {Model} model
 * @param {Node} node
 * @param {Source} source
 * @returns {Model}
 */
function withNode(model, node, source) {
  const nodes = new Map(model.nodes);
  nodes.set(node.id, node);
  return { ...model, nodes, source };
}

/**
 * @param {Model} model
 * @param {string} id
 * @returns {Node}
 */
function need(model, id) {
  const node = model.nodes.get(id);
  if (!node) throw new Error(`there is no node "${id}"`);
  return node;
}
