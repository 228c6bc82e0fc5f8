/**
 * What the user's gestures mean as commands: add a gate, set a value or a
 * constant, wire, move, delete, tidy up. Each edit runs through app.run, so it
 * can be undone.
 * @module edits
 */

import * as commands from "./commands.js";
import { fromCircuit, newNode, wouldCycle } from "./model.js";
import { showMessage } from "./panels.js";

/** @typedef {import("./app.js").App} App */
/** @typedef {import("./geometry.js").Point} Point */

export class Edits {
  /** @param {App} app */
  constructor(app) {
    this.app = app;
    /** @type {Map<string, Point | undefined>} where dragged nodes stood before */
    this.origins = new Map();
  }

  /**
   * Add a gate from the palette beside what is drawn, and select it.
   * @param {import("./gates.js").GateInfo} gate
   */
  async addGate(gate) {
    const app = this.app;
    const node = newNode(app.model, gate);
    node.ui = this.freeSpot(gate.op === "input" || gate.op === "const");
    await app.run(commands.addNode(node));
    app.select({ kind: "node", id: node.id });
  }

  /**
   * Leaves go in a column at the left, gates step right.
   * @param {boolean} leaf
   * @returns {Point}
   */
  freeSpot(leaf) {
    const placed = [...this.app.scene.nodes.values()];
    if (!placed.length) return { x: 0, y: 0 };
    const left = Math.min(...placed.map((p) => p.x));
    const top = Math.min(...placed.map((p) => p.y));
    const bottom = Math.max(...placed.map((p) => p.y + p.height));
    const right = Math.max(...placed.map((p) => p.x + p.width));
    return leaf ? { x: left, y: bottom + 24 } : { x: right + 60, y: top + (placed.length % 3) * 40 };
  }

  /** @param {string} id @param {any} value */
  setValue(id, value) {
    const node = this.app.model.nodes.get(id);
    if (node) void this.app.run(commands.setValue(id, node.value ?? 0, value));
  }

  /** @param {string} id @param {string} name @param {number} value */
  setParam(id, name, value) {
    const node = this.app.model.nodes.get(id);
    if (node) void this.app.run(commands.setParam(id, name, node.params?.[name] ?? 0, value));
  }

  /**
   * Wire source into a port of target; a null port takes the first free one
   * (or a new one on a gate that takes any number of inputs).
   * @param {string} source @param {string} target @param {number | null} port
   */
  connect(source, target, port) {
    const app = this.app;
    const node = app.model.nodes.get(target);
    if (!node || !node.inputs || source === target) return;
    if (wouldCycle(app.model, source, target)) return showMessage(`Wiring ${source} into ${target} would make a loop.`, { error: true });
    const at = port ?? node.inputs.indexOf(null);
    const slot = at >= 0 ? at : app.gates.get(node.op)?.arity.max === null ? node.inputs.length : -1;
    if (slot < 0) return showMessage(`${target} has no free input.`, { error: true });
    void app.run(commands.connect(target, slot, source));
  }

  /** Delete the selected gate or wire. */
  removeSelection() {
    const app = this.app;
    const s = app.selection;
    app.selection = null;
    if (s?.kind === "node") void app.run(commands.removeNode(s.id));
    else if (s?.kind === "wire" && s.target !== undefined) void app.run(commands.connect(s.target, /** @type {number} */ (s.port), null));
    else app.select(null);
  }

  /**
   * Show a node at a place while it is dragged (not yet a command).
   * @param {string} id @param {Point} at
   */
  preview(id, at) {
    const node = this.app.model.nodes.get(id);
    if (!node) return;
    if (!this.origins.has(id)) this.origins.set(id, node.ui ? { ...node.ui } : undefined);
    node.ui = at;
    this.app.redraw();
  }

  /**
   * A drag ended: record it (the node already stands there).
   * @param {string} id @param {Point} from @param {Point} to
   */
  move(id, from, to) {
    const node = this.app.model.nodes.get(id);
    const before = this.origins.has(id) ? this.origins.get(id) : from;
    this.origins.delete(id);
    if (node) void this.app.run(commands.moveNodes(new Map([[id, before]]), new Map([[id, to]])));
  }

  /** Re-run the automatic layout, dropping hand-placed positions (undoable). */
  async tidy() {
    const app = this.app;
    const from = new Map([...app.model.nodes.values()].filter((n) => n.ui).map((n) => [n.id, n.ui]));
    const to = new Map([...from.keys()].map((id) => [id, undefined]));
    await app.run(commands.moveNodes(from, to), { fit: true, tidy: true });
  }

  /**
   * Open a circuit from a link.
   * @param {any} circuit
   */
  async openCircuit(circuit) {
    if (!circuit || !Array.isArray(circuit.nodes)) return showMessage("The link's circuit is not readable.", { error: true });
    await this.app.replace(fromCircuit(circuit));
  }
}
