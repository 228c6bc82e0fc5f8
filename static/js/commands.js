/**
 * Every edit is a command object with do/undo (three.js editor style), so
 * undo/redo come for free. Commands mutate a Model; no DOM.
 * @module commands
 */

import { cloneModel, inputsOf } from "./model.js";

/** @typedef {import("./model.js").Model} Model */
/** @typedef {import("./model.js").Node} Node */
/** @typedef {import("./format.js").Value} Value */
/**
 * @typedef {object} Command
 * @property {string} label  shown in the undo button's tooltip
 * @property {(model: Model) => void} do
 * @property {(model: Model) => void} undo
 * @property {boolean} [structural]  changes the wiring (re-evaluate, the URL becomes a circuit)
 * @property {(next: Command) => boolean} [absorb]  fold a following command into this one
 */

/**
 * Wrap a structural edit so that the circuit's source (expression, example)
 * is forgotten on do and restored on undo.
 * @param {string} label
 * @param {(model: Model) => void} apply
 * @param {(model: Model) => void} revert
 * @returns {Command}
 */
function structural(label, apply, revert) {
  /** @type {import("./model.js").Source} */
  let before = { kind: "circuit" };
  return {
    label,
    structural: true,
    do(model) {
      before = model.source;
      model.source = { kind: "circuit" };
      apply(model);
    },
    undo(model) {
      revert(model);
      model.source = before;
    },
  };
}

/**
 * @param {Node} node
 * @returns {Command}
 */
export function addNode(node) {
  return structural(
    `add ${node.id}`,
    (model) => void model.nodes.set(node.id, structuredClone(node)),
    (model) => void model.nodes.delete(node.id),
  );
}

/**
 * Remove a node; the ports it fed become unconnected.
 * @param {string} id
 * @returns {Command}
 */
export function removeNode(id) {
  /** @type {Model | null} */
  let snapshot = null;
  return structural(
    `delete ${id}`,
    (model) => {
      snapshot = cloneModel(model);
      model.nodes.delete(id);
      for (const node of model.nodes.values()) {
        if (node.inputs) node.inputs = node.inputs.map((src) => (src === id ? null : src));
      }
      if (model.output === id) model.output = null;
    },
    (model) => restore(model, /** @type {Model} */ (snapshot)),
  );
}

/**
 * Point an input port at a source (null disconnects it).
 * @param {string} target
 * @param {number} port
 * @param {string | null} source
 * @returns {Command}
 */
export function connect(target, port, source) {
  /** @type {(string | null)[]} */
  let before = [];
  const label = source ? `connect ${source} → ${target}` : `delete wire into ${target}`;
  return structural(
    label,
    (model) => {
      const node = /** @type {Node} */ (model.nodes.get(target));
      before = [...inputsOf(node)];
      const inputs = [...before];
      while (inputs.length <= port) inputs.push(null);
      inputs[port] = source;
      node.inputs = inputs;
    },
    (model) => void (/** @type {Node} */ (model.nodes.get(target)).inputs = before),
  );
}

/**
 * Move nodes (drag, or a tidy-up that drops manual positions).
 * @param {Map<string, {x: number, y: number} | undefined>} from
 * @param {Map<string, {x: number, y: number} | undefined>} to
 * @returns {Command}
 */
export function moveNodes(from, to) {
  /** @param {Model} model @param {Map<string, {x: number, y: number} | undefined>} where */
  const place = (model, where) => {
    for (const [id, ui] of where) {
      const node = model.nodes.get(id);
      if (!node) continue;
      if (ui) node.ui = { ...ui };
      else delete node.ui;
    }
  };
  return { label: to.size === 1 ? `move ${[...to.keys()][0]}` : "tidy up", do: (m) => place(m, to), undo: (m) => place(m, from) };
}

/**
 * Set an input's or a constant's value; typing in the same field folds into one step.
 * @param {string} id
 * @param {Value} from
 * @param {Value} to
 * @returns {Command}
 */
export function setValue(id, from, to) {
  /** @type {Command & {id: string, to: Value}} */
  const command = {
    label: `set ${id}`,
    id,
    to,
    do: (model) => void (/** @type {Node} */ (model.nodes.get(id)).value = command.to),
    undo: (model) => void (/** @type {Node} */ (model.nodes.get(id)).value = from),
    absorb(next) {
      const other = /** @type {Command & {id?: string, to?: Value}} */ (next);
      if (other.label !== command.label || other.id !== id) return false;
      command.to = /** @type {Value} */ (other.to);
      return true;
    },
  };
  return command;
}

/**
 * Set a gate constant (c of +c, a of ×a, p of x^p).
 * @param {string} id
 * @param {string} name
 * @param {number} from
 * @param {number} to
 * @returns {Command}
 */
export function setParam(id, name, from, to) {
  /** @param {Model} model @param {number} v */
  const put = (model, v) => {
    const node = /** @type {Node} */ (model.nodes.get(id));
    node.params = { ...node.params, [name]: v };
  };
  return { label: `set ${id}.${name}`, do: (m) => put(m, to), undo: (m) => put(m, from) };
}

/**
 * Replace the whole circuit (a typed expression, an example).
 * @param {Model} next
 * @returns {Command}
 */
export function replaceCircuit(next) {
  /** @type {Model | null} */
  let before = null;
  return {
    label: "open circuit",
    structural: true,
    do(model) {
      before = cloneModel(model);
      restore(model, next);
    },
    undo: (model) => restore(model, /** @type {Model} */ (before)),
  };
}

/**
 * Copy a snapshot's contents into the live model object.
 * @param {Model} model
 * @param {Model} snapshot
 */
function restore(model, snapshot) {
  const copy = cloneModel(snapshot);
  model.nodes = copy.nodes;
  model.output = copy.output;
  model.source = copy.source;
}
