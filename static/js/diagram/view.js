/**
 * The diagram as a view of the state: it follows the store and does only the
 * work a change needs. A new structure runs the layout (when a node has no
 * place yet) and syncs the drawing by id; a drag moves one gate and its wires;
 * new values or a new step repaint the numbers; a selection or a problem
 * repaints classes. The layout runs in ELK's worker; until it lands the old
 * drawing stays and other changes wait for it, and a newer layout supersedes it.
 * @module view
 */

import { Drawing } from "./render.js";
import { Arranger, extentOf } from "./arrange.js";
import { buildScene } from "./layout.js";
import { sendPulses, clearPulses } from "./flow.js";
import { paintQuiz } from "./ask.js";
import { Superseded } from "./elk.js";
import { PatternLabels } from "./patterns.js";
import { Culler } from "./cull.js";
import { frameAt } from "../state/trace.js";
import { outputOf } from "../state/circuit.js";

/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/store.js").Touch} Touch */
/** @typedef {import("./layout.js").Scene} Scene */

const LAYOUT_TOUCHES = ["structure", "positions", "circuit", "catalog"];
/** A gradient label swells as its gradient arrives: a transform, so no layout. */
const FLASH = [{ transform: "scale(1.35)" }, { transform: "none" }];
/** View options a layout follows (label size, the canvas's size); the side panel's tab is not one. */
const LAYOUT_VIEW = /** @type {const} */ (["large", "presentation", "patterns"]);

export class DiagramView {
  /**
   * @param {SVGGElement} root
   * @param {import("./arrange.js").Elk} elk
   * @param {import("./viewport.js").Viewport} viewport
   */
  constructor(root, elk, viewport) {
    this.root = root;
    this.viewport = viewport;
    this.drawing = new Drawing(root);
    this.patterns = new PatternLabels(this.drawing);
    this.arranger = new Arranger(elk, viewport);
    this.culler = new Culler(root);
    viewport.watch(() => this.culler.show(viewport.visible(), viewport.t.k));
    /** @type {Scene} */
    this.scene = { nodes: new Map(), wires: [] };
    this.ticket = 0;
    this.tidyNext = false;
    /** @type {Promise<void> | null} the layout under way: it draws the latest state when it lands, and nothing is painted before */
    this.laying = null;
    /** Resolves when the drawing has caught up with the last change (for tests). */
    this.settled = Promise.resolve();
  }

  /**
   * Follow a store.
   * @param {import("../state/store.js").Store} store
   */
  follow(store) {
    store.subscribe((state, touched, before) => {
      this.settled = this.render(state, touched, before, () => store.state);
    });
  }

  /** The next layout drops hand-placed positions and fits (Tidy). */
  tidy() {
    this.tidyNext = true;
  }

  /**
   * @param {State} state
   * @param {Set<Touch>} touched
   * @param {State} before
   * @param {() => State} latest
   */
  async render(state, touched, before, latest) {
    if (touched.has("drag") && state.drag) return this.dragTo(state);
    const viewed = touched.has("view") && LAYOUT_VIEW.some((option) => state.view[option] !== before.view[option]);
    if (LAYOUT_TOUCHES.some((t) => touched.has(/** @type {Touch} */ (t))) || viewed) {
      const laying = this.relayout(state, touched, viewed, latest);
      this.laying = laying;
      try {
        await laying;
      } finally {
        if (this.laying === laying) this.laying = null;
      }
      return;
    }
    if (this.laying) return this.laying; // it draws the latest state when it lands
    if (touched.has("result") && (await this.makeRoom(state, latest))) return;
    if (this.laying) return this.laying; // one began while room was being made
    this.paint(latest(), touched, before);
  }

  /**
   * Lay out what needs a place (everything when tidying or for a new circuit),
   * draw, and make room for the numbers. A newer layout supersedes this one.
   * @param {State} state
   * @param {Set<Touch>} touched
   * @param {boolean} viewed  a view option changed: lay out everything again and fit
   * @param {() => State} latest
   */
  async relayout(state, touched, viewed, latest) {
    const ticket = ++this.ticket; // a newer layout makes this one moot
    this.arranger.supersede();
    const opened = touched.has("circuit");
    const tidy = this.tidyNext;
    this.tidyNext = false;
    if (opened) this.arranger.reset();
    const options = { fit: opened || tidy, tidy: tidy || viewed };
    const laid = await this.arranger.update(state.model, options, state.result).then(() => true, unlessSuperseded);
    if (!laid || ticket !== this.ticket) return;
    const room = await this.roomFor(latest()); // numbers already here are drawn with their room
    if (!room) return;
    this.redraw(latest(), opened || tidy || viewed || room.fit);
    await this.makeRoom(latest(), latest); // numbers that arrived meanwhile
  }

  /**
   * Adopt a layout with longer stubs when a result's labels need them: whether
   * it was adopted and whether to fit again, or null when a newer layout
   * superseded this one.
   * @param {State} state
   * @returns {Promise<{adopted: boolean, fit: boolean} | null>}
   */
  async roomFor(state) {
    if (!state.result) return { adopted: false, fit: false };
    const ticket = this.ticket;
    const roomier = await this.arranger.roomFor(state.model, state.result).catch(unlessSuperseded);
    if (ticket !== this.ticket) return null;
    return roomier ? { adopted: true, fit: this.arranger.adopt(roomier) } : { adopted: false, fit: false };
  }

  /**
   * Lay out again with longer stubs when a result's labels need them, so the
   * numbers arrive with room for them.
   * @param {State} state
   * @param {() => State} latest
   * @returns {Promise<boolean>}  whether it drew again
   */
  async makeRoom(state, latest) {
    const room = await this.roomFor(state);
    if (!room?.adopted) return false;
    this.redraw(latest(), room.fit);
    return true;
  }

  /**
   * @param {State} state
   * @param {boolean} fit
   */
  redraw(state, fit) {
    this.scene = buildScene(state.model, this.arranger.layout);
    this.drawing.sync(state.model, this.scene, { output: outputOf(state.model), gates: state.catalog.gates });
    this.culler.index(this.drawing, this.scene);
    this.paint(state, new Set(["result", "step", "selection", "problem"]), state);
    if (fit) this.fit(state);
  }

  /**
   * Fit the drawing to the canvas, readable, with the output in view.
   * @param {State} state
   */
  fit(state) {
    this.arranger.fit(state.model, this.scene, state.view.patterns);
  }

  /**
   * The box the whole drawing covers (what an export crops to).
   * @param {State} state
   */
  extent(state) {
    return extentOf(state.model, this.scene, state.view.patterns);
  }

  /**
   * Numbers, focus, selection and errors as the state has them (each touches only the
   * elements that change), and pulses when the step moved on.
   * @param {State} state
   * @param {Set<Touch>} touched
   * @param {State} before
   */
  paint(state, touched, before) {
    const frame = state.result && state.steps.length ? frameAt(state.result, state.steps, state.step) : null;
    this.drawing.paintNumbers(state.result, frame, state.model);
    this.drawing.paintFocus(frame);
    this.root.classList.toggle("stale", state.stale);
    this.drawing.paintSelection(state.selection);
    this.drawing.paintErrors(state.problem?.nodes ?? new Map());
    this.patterns.paint(state);
    if (touched.has("step")) this.pulse(state, before, frame);
    paintQuiz(this.drawing, state);
  }

  /**
   * A step forward through a gate sends its gradients along the wires.
   * @param {State} state
   * @param {State} before
   * @param {import("../state/trace.js").Frame | null} frame
   */
  pulse(state, before, frame) {
    const step = state.steps[state.step];
    const forward = state.step === before.step + 1 && state.result === before.result;
    if (!forward || step?.kind !== "backward" || state.step === state.steps.length - 1) return clearPulses(this.root);
    sendPulses(this.root, step.entry.id, step.entry.inputs, Math.min(900, 900 / state.speed));
    for (const id of frame?.targets ?? []) this.drawing.gradLabel(id)?.animate(FLASH, { duration: 900, easing: "ease-out" });
  }

  /** @param {State} state */
  dragTo(state) {
    const drag = /** @type {NonNullable<State["drag"]>} */ (state.drag);
    const placed = this.scene.nodes.get(drag.id);
    if (!placed) return;
    const dx = drag.at.x - placed.x;
    const dy = drag.at.y - placed.y;
    const shift = (/** @type {{x: number, y: number}} */ p) => ({ x: p.x + dx, y: p.y + dy });
    const moved = this.drawing.moveNode({ ...placed, ...drag.at, out: shift(placed.out), ports: placed.ports.map(shift) }, (id) => this.scene.nodes.get(id));
    this.culler.reveal(moved);
  }
}

/**
 * A layout superseded by a newer one ends quietly (as false); any other failure stands.
 * @param {unknown} error
 * @returns {false}
 */
function unlessSuperseded(error) {
  if (error instanceof Superseded) return false;
  throw error;
}
