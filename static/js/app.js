/**
 * The controller: holds the model, its history, its arrangement on the canvas
 * and the last good result, and runs the flow edit -> (layout) -> draw -> evaluate -> paint.
 * @module app
 */

import * as commands from "./commands.js";
import { History } from "./history.js";
import { fromCircuit, toCircuit, openPorts, outputOf, inputValues } from "./model.js";
import { buildScene } from "./layout.js";
import { Arranger } from "./arrange.js";
import { buildSteps, frameAt, readout } from "./trace.js";
import { drawScene, paintNumbers, paintFocus, paintErrors, clearNumbers } from "./diagram.js";
import { sendPulses, clearPulses } from "./flow.js";
import { renderAbout, renderInputs, renderReadout, showExample, showMessage } from "./panels.js";
import { renderInspector } from "./inspector.js";
import { formulaFor } from "./gates.js";
import { writeQuery, applyValues } from "./url.js";
import { Player } from "./player.js";
import { Edits } from "./edits.js";

/** @typedef {import("./trace.js").Result} Result */
/** @typedef {import("./editing.js").Selection} Selection */
/** @typedef {import("./api.js").ApiError} ApiError */

export class App {
  /**
   * @param {{api: ReturnType<typeof import("./api.js").createApi>, elk: any, root: SVGGElement, viewport: import("./viewport.js").Viewport}} deps
   */
  constructor({ api, elk, root, viewport }) {
    this.api = api;
    this.elk = elk;
    this.root = root;
    this.viewport = viewport;
    this.model = fromCircuit({ nodes: [] });
    this.history = new History(this.model);
    this.arranger = new Arranger(elk, viewport);
    this.scene = buildScene(this.model, this.arranger.layout);
    /** @type {Result | null} */
    this.result = null;
    /** @type {import("./trace.js").Step[]} */
    this.steps = [];
    /** @type {Selection} */
    this.selection = null;
    /** @type {Map<string, import("./gates.js").GateInfo>} */
    this.gates = new Map();
    /** @type {{id: string, title: string, section?: string, description?: string, circuit: any}[]} */
    this.examples = [];
    this.errors = new Map();
    this.seq = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.debounce = undefined;
    this.player = new Player((i) => this.showStep(i));
    /** @type {() => void} */
    this.onHistory = () => {};
    this.edits = new Edits(this);
  }

  /**
   * Open an expression: parse it, then draw and evaluate.
   * @param {string} expr
   * @param {Record<string, any>} [values]
   */
  async openExpression(expr, values = {}) {
    const known = Object.fromEntries(inputValues(this.model).map((i) => [i.id, i.value]));
    const answer = await this.api.parse(expr, { ...known, ...values });
    if (!answer.ok) return this.fail(answer.errors, expr);
    await this.replace(fromCircuit(answer.data, { kind: "expr", expr }));
  }

  /**
   * @param {string} id
   * @param {Record<string, any>} [values]
   */
  async openExample(id, values = {}) {
    const example = this.examples.find((e) => e.id === id);
    if (!example) return showMessage(`There is no example called "${id}".`, { error: true });
    const model = fromCircuit(example.circuit, { kind: "example", id });
    applyValues(model, values);
    await this.replace(model);
  }

  /** @param {import("./model.js").Model} model */
  async replace(model) {
    this.selection = null;
    this.arranger.reset();
    await this.run(commands.replaceCircuit(model), { fit: true });
  }

  /** Start an empty circuit to build by hand (undo brings the old one back). */
  async clear() {
    showExample("");
    await this.replace(fromCircuit({ nodes: [] }));
  }

  /**
   * Run a command, then redraw and re-evaluate.
   * @param {import("./commands.js").Command} command
   * @param {{fit?: boolean, tidy?: boolean}} [options]
   */
  async run(command, options = {}) {
    this.history.execute(command);
    await this.refresh(command, options);
  }

  async undo() {
    const command = this.history.undo();
    if (command) await this.refresh(command, {});
  }

  async redo() {
    const command = this.history.redo();
    if (command) await this.refresh(command, {});
  }

  /**
   * @param {import("./commands.js").Command} command
   * @param {{fit?: boolean, tidy?: boolean}} options
   */
  async refresh(command, options) {
    this.onHistory();
    renderAbout(this.model.source, this.examples);
    if (this.selection?.kind === "node" && !this.model.nodes.has(this.selection.id)) this.selection = null;
    await this.arranger.update(this.model, options, this.result);
    this.redraw(options.fit);
    renderInputs(inputValues(this.model), (id, value) => this.edits.setValue(id, value));
    this.schedule(command.structural ? 0 : 120);
  }

  /** Draw the scene, paint the current numbers, and fit it if asked. @param {boolean} [fit] */
  redraw(fit = false) {
    this.scene = buildScene(this.model, this.arranger.layout);
    drawScene(this.root, this.model, this.scene, { output: outputOf(this.model), gates: this.gates });
    if (this.result) this.showStep(this.player.index, false);
    else clearNumbers(this.root);
    paintErrors(this.root, this.errors);
    this.paintSelection();
    if (fit) this.arranger.fit(this.model, this.scene);
  }

  /** @param {number} delay */
  schedule(delay) {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.evaluate(), delay);
  }

  /** Evaluate the circuit; keep the last good numbers when it fails. */
  async evaluate() {
    const seq = ++this.seq;
    const open = openPorts(this.model);
    if (!this.model.nodes.size) return this.empty();
    if (open.length) return this.incomplete(open);
    const answer = await this.api.evaluate(toCircuit(this.model));
    if (seq !== this.seq) return;
    if (!answer.ok) return this.fail(answer.errors);
    const roomier = await this.arranger.roomFor(this.model, answer.data);
    if (seq !== this.seq) return;
    if (roomier) this.redraw(this.arranger.adopt(roomier)); // and fit again if this was an open
    this.errors = new Map();
    this.result = /** @type {Result} */ (answer.data);
    this.steps = buildSteps(this.result);
    this.root.classList.remove("stale");
    paintErrors(this.root, this.errors);
    this.player.load(this.steps.length);
    this.describeResult();
    window.history.replaceState(null, "", writeQuery(this.model));
  }

  /** Nothing to evaluate: say how to start, and clear what the last circuit left. */
  empty() {
    this.result = null;
    this.steps = [];
    this.errors = new Map();
    renderReadout({ title: "", lines: [] });
    window.history.replaceState(null, "", window.location.pathname);
    showMessage("Type an expression, pick an example, or add gates from the palette.");
  }

  /** @param {{node: string, port: number}[]} open */
  incomplete(open) {
    const first = open[0];
    showMessage(`Wire input ${first.port + 1} of ${first.node} (${open.length} open) to evaluate the circuit.`);
    this.result = null;
    clearNumbers(this.root);
  }

  describeResult() {
    const out = /** @type {Result} */ (this.result).output;
    const inputs = inputValues(this.model).map((i) => `d${i.id} = ${this.root.querySelector(`[data-node-id="${CSS.escape(i.id)}"][data-role="grad"]`)?.textContent}`);
    showMessage(`${out} = ${this.root.querySelector(`[data-node-id="${CSS.escape(out)}"][data-role="value"]`)?.textContent}   ·   ${inputs.join("   ")}   ·   press → to step through the passes`);
  }

  /**
   * Show errors on their nodes and in the message line; the drawing stays.
   * @param {ApiError[]} errors
   * @param {string} [expr]
   */
  fail(errors, expr) {
    this.errors = new Map(errors.filter((e) => e.node).map((e) => [/** @type {string} */ (e.node), e.msg]));
    paintErrors(this.root, this.errors);
    if (this.result) this.root.classList.add("stale");
    const first = errors[0];
    const where = first.node ? ` (at ${first.node})` : "";
    showMessage(`${first.msg}${where}`, { error: true, expr: first.position !== undefined ? expr : undefined, position: first.position });
    document.getElementById("expr")?.classList.toggle("invalid", expr !== undefined);
  }

  /**
   * Paint one step of the animation.
   * @param {number} index
   * @param {boolean} [animate]
   */
  showStep(index, animate = true) {
    if (!this.result || !this.steps.length) return;
    const frame = frameAt(this.result, this.steps, index);
    paintNumbers(this.root, this.result, frame);
    paintFocus(this.root, frame);
    const step = this.steps[index];
    const formula = (/** @type {string} */ op, /** @type {string[]} */ ins) => formulaFor(this.gates.get(op), ins, {});
    renderReadout(readout(step, formula));
    for (const id of animate ? frame.targets : []) this.root.querySelector(`[data-node-id="${CSS.escape(id)}"][data-role="grad"]`)?.classList.add("flash");
    if (animate && step.kind === "backward" && index < this.steps.length - 1) sendPulses(this.root, step.entry.id, step.entry.inputs, Math.min(900, 900 / this.player.speed));
    else clearPulses(this.root);
    this.onStep(index, frame.phase);
    this.renderSelection();
  }

  /** @type {(index: number, phase: string) => void} */
  onStep = () => {};

  /** @param {Selection} selection */
  select(selection) {
    this.selection = selection;
    this.paintSelection();
    this.renderSelection();
  }

  paintSelection() {
    const s = this.selection;
    for (const g of this.root.querySelectorAll("g.node")) g.classList.toggle("selected", s?.kind === "node" && g.getAttribute("data-node-id") === s.id);
    for (const w of this.root.querySelectorAll("path.wire, line.stub")) {
      const hit = s?.kind === "wire" && (s.target === undefined ? w.getAttribute("data-node-id") === s.source : w.getAttribute("data-target") === s.target && Number(w.getAttribute("data-port")) === s.port);
      w.classList.toggle("selected", hit);
    }
  }

  renderSelection() {
    renderInspector(this.selection, {
      model: this.model, result: this.result, steps: this.steps, gates: this.gates,
      setParam: (id, name, v) => this.edits.setParam(id, name, v),
      remove: () => this.edits.removeSelection(),
    });
  }
}
