/**
 * The circuit being edited: the contract's JSON held as a Map of nodes, with
 * unconnected input ports as null. Pure data and small functions, no DOM.
 * @module model
 */

/** @typedef {import("./matrix.js").Held} Held */
/**
 * @typedef {object} Node
 * @property {string} id
 * @property {string} op
 * @property {(string | null)[]} [inputs]
 * @property {Held} [value]  a number, a tensor or a seeded spec the server fills
 * @property {Record<string, number>} [params]
 * @property {string} [label]
 * @property {{x?: number, y?: number, frame?: Frame}} [ui]  where the user placed it; the frame it was expanded into
 * @property {string} [name]  a group's name
 * @property {string[]} [ports]  a group's body inputs, in the order of its inputs
 * @property {{nodes: Node[], output: string}} [body]  a group's inside
 * @property {{min: number, max: number}} [slider]  an input's range for a slider
 */
/** @typedef {{id: string, name: string, op: string}} Frame  the gate a node was expanded from */
/**
 * @typedef {object} Model
 * @property {Map<string, Node>} nodes  in insertion order
 * @property {string | null} output
 * @property {Held} [outputGrad]  the upstream gradient given for a tensor output (the contract's output_grad)
 * @property {Source} source  where the circuit came from (for the URL)
 * @property {string} [title]  a name for people, given when saving; shown as text only
 */
/**
 * @typedef {{kind: "expr", expr: string} | {kind: "example", id: string} | {kind: "saved", id: string}
 *   | {kind: "circuit", from?: string, parent?: string}} Source
 * `from`: the example a circuit was edited from; `saved`: opened from its link /c/<id>;
 * `parent`: the saved circuit it was edited from (a save of it is a fork of that one).
 */
/** @typedef {{nodes: Node[], output?: string, output_grad?: Held, version?: number, title?: string}} Circuit */

const INPUT_NAMES = ["x", "y", "z", "w", "a", "b", "c", "u", "v", "s", "t"];

/**
 * @param {Circuit} circuit
 * @param {Source} [source]
 * @returns {Model}
 */
export function fromCircuit(circuit, source = { kind: "circuit" }) {
  const nodes = new Map();
  for (const node of circuit.nodes) nodes.set(node.id, structuredClone(node));
  /** @type {Model} */
  const model = { nodes, output: circuit.output ?? null, source };
  if (circuit.output_grad !== undefined) model.outputGrad = structuredClone(circuit.output_grad);
  if (typeof circuit.title === "string" && circuit.title) model.title = circuit.title;
  return model;
}

/**
 * The contract's JSON for the API; positions ride along in `ui`.
 * @param {Model} model
 * @returns {Circuit}
 */
export function toCircuit(model) {
  const nodes = [...model.nodes.values()].map((node) => structuredClone(node));
  /** @type {Circuit} */
  const circuit = { version: 1, nodes };
  if (model.output && model.nodes.has(model.output)) circuit.output = model.output;
  if (circuit.output && model.outputGrad !== undefined) circuit.output_grad = structuredClone(model.outputGrad);
  if (model.title) circuit.title = model.title;
  return circuit;
}

/**
 * A fresh id: the next free input name (x, y, z, ...) or op + number (add1).
 * @param {Model} model
 * @param {string} op
 * @returns {string}
 */
export function freshId(model, op) {
  if (op === "input") {
    const free = INPUT_NAMES.find((name) => !model.nodes.has(name));
    if (free) return free;
  }
  const stem = op === "input" ? "in" : op;
  let n = 1;
  while (model.nodes.has(`${stem}${n}`)) n += 1;
  return `${stem}${n}`;
}

/**
 * @param {Node} node
 * @returns {(string | null)[]}
 */
export function inputsOf(node) {
  return node.inputs ?? [];
}

/**
 * Every wire as [source, target, port].
 * @param {Model} model
 * @returns {{source: string, target: string, port: number}[]}
 */
export function wires(model) {
  /** @type {{source: string, target: string, port: number}[]} */
  const out = [];
  for (const node of model.nodes.values()) {
    inputsOf(node).forEach((source, port) => {
      if (source !== null && model.nodes.has(source)) out.push({ source, target: node.id, port });
    });
  }
  return out;
}

/**
 * Ports left unconnected: the circuit cannot be evaluated while any remain.
 * @param {Model} model
 * @returns {{node: string, port: number}[]}
 */
export function openPorts(model) {
  /** @type {{node: string, port: number}[]} */
  const open = [];
  for (const node of model.nodes.values()) {
    inputsOf(node).forEach((source, port) => {
      if (source === null || !model.nodes.has(source)) open.push({ node: node.id, port });
    });
  }
  return open;
}

/**
 * Nodes that feed no other node.
 * @param {Model} model
 * @returns {string[]}
 */
export function sinks(model) {
  const used = new Set(wires(model).map((wire) => wire.source));
  return [...model.nodes.keys()].filter((id) => !used.has(id));
}

/**
 * The node whose gradient is taken: the named output, else the only sink.
 * @param {Model} model
 * @returns {string | null}
 */
export function outputOf(model) {
  if (model.output && model.nodes.has(model.output)) return model.output;
  const ends = sinks(model);
  return ends.length === 1 ? ends[0] : null;
}

/**
 * Would connecting source -> target make a cycle?
 * @param {Model} model
 * @param {string} source
 * @param {string} target
 * @returns {boolean}
 */
export function wouldCycle(model, source, target) {
  const stack = [source];
  const seen = new Set();
  while (stack.length) {
    const id = /** @type {string} */ (stack.pop());
    if (id === target) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const up of inputsOf(model.nodes.get(id) ?? { id, op: "" })) if (up) stack.push(up);
  }
  return false;
}

/**
 * The input nodes and their values, for the value fields and the URL.
 * @param {Model} model
 * @returns {{id: string, value: Held}[]}
 */
export function inputValues(model) {
  return [...model.nodes.values()]
    .filter((node) => node.op === "input")
    .map((node) => ({ id: node.id, value: node.value ?? 0 }));
}

/**
 * A new node for a gate from the palette, with its ports unconnected and its
 * constants at the gate table's defaults.
 * @param {Model} model
 * @param {import("./gates.js").GateInfo} gate
 * @returns {Node}
 */
export function newNode(model, gate) {
  const id = freshId(model, gate.op);
  if (gate.leaf) return { id, op: gate.op, value: gate.op === "input" ? 1 : 0 };
  /** @type {Node} */
  const node = { id, op: gate.op, inputs: Array(Math.max(gate.arity.min, 1)).fill(null) };
  if (gate.params.length) node.params = Object.fromEntries(gate.params.map((p) => [p, gate.defaults?.[p] ?? 1]));
  return node;
}
