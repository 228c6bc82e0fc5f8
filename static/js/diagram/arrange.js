/**
 * Where the circuit sits on the canvas: ELK's layout for the canvas's shape,
 * output stubs lengthened when a result's labels need the room, and a fit that
 * keeps the numbers readable with the output in view.
 * @module arrange
 */

import { layoutModel, needsLayout } from "./layout.js";
import { labelWidths, longest, outgrows, stubLengths } from "./labels.js";
import { drawingExtent } from "./extent.js";
import { outputOf } from "../state/circuit.js";

/** @typedef {import("./layout.js").Layout} Layout */
/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("../state/circuit.js").Model} Model */
/** @typedef {import("../state/trace.js").Result} Result */
/** @typedef {{layout: (graph: object) => Promise<any>, supersede: () => void}} Elk  a LayoutEngine (elk.js) */

export class Arranger {
  /**
   * @param {Elk} elk
   * @param {import("./viewport.js").Viewport} viewport
   */
  constructor(elk, viewport) {
    this.elk = elk;
    this.viewport = viewport;
    /** @type {Layout} */
    this.layout = { positions: new Map(), routes: new Map() };
    /** The last refresh fitted the drawing: fit again if the labels make it relay out. */
    this.fitPending = false;
  }

  /** The layouts under way are moot (a newer one is coming): drop them. */
  supersede() {
    this.elk.supersede();
  }

  /** A new circuit: nothing is placed and no stub is lengthened yet. */
  reset() {
    this.layout = { positions: new Map(), routes: new Map() };
  }

  /**
   * Lay out when a node has no place yet, or always when tidying (then with
   * stubs just long enough for the last result's labels).
   * @param {Model} model
   * @param {{tidy?: boolean, fit?: boolean}} options
   * @param {Result | null} result
   */
  async update(model, options, result) {
    this.fitPending = Boolean(options.fit);
    if (!options.tidy && !needsLayout(model, this.layout)) return;
    const stubs = options.tidy && result ? stubLengths(labelWidths(result, labelSize())) : this.layout.stubs;
    this.layout = await this.layoutFor(model, stubs);
  }

  /**
   * A new layout if some label of a result is wider than its stub, else null.
   * The caller adopts it if the result is still the latest.
   * @param {Model} model
   * @param {Result} result
   * @returns {Promise<Layout | null>}
   */
  async roomFor(model, result) {
    const have = this.layout.stubs ?? new Map();
    const widths = labelWidths(result, labelSize());
    if (!outgrows(widths, have)) return null;
    const wrap = this.layout.positions.size ? this.layout.wrap : undefined; // the rows chosen already
    return layoutModel(this.elk, model, { stubs: longest(have, stubLengths(widths)), view: this.viewport.area(), wrap });
  }

  /**
   * Take a layout from roomFor.
   * @param {Layout} layout
   * @returns {boolean}  whether to fit the drawing again (the last refresh fitted it)
   */
  adopt(layout) {
    this.layout = layout;
    return this.fitPending;
  }

  /**
   * @param {Model} model
   * @param {Map<string, number> | undefined} stubs
   * @returns {Promise<Layout>}
   */
  layoutFor(model, stubs) {
    return layoutModel(this.elk, model, { stubs, view: this.viewport.area() });
  }

  /**
   * Fit the drawing to the canvas, readable, with the output in view.
   * @param {Model} model
   * @param {Scene} scene
   * @param {boolean} patterns  patterns mode: a label may stand under each gate's name
   */
  fit(model, scene, patterns) {
    this.viewport.fit(extentOf(model, scene, patterns), scene.nodes.get(outputOf(model) ?? "")?.out);
  }
}

/**
 * The box the drawing covers, for the text sizes shown.
 * @param {Model} model
 * @param {Scene} scene
 * @param {boolean} patterns  patterns mode
 */
export function extentOf(model, scene, patterns) {
  const style = getComputedStyle(document.body);
  const size = (/** @type {string} */ name, /** @type {number} */ fallback) => parseFloat(style.getPropertyValue(name)) || fallback;
  return drawingExtent(model, scene, { label: labelSize(), name: size("--name-size", 11.5), gate: size("--gate-size", 17), patterns });
}

/** The wire labels' font size in px (larger in large-text mode). */
export function labelSize() {
  return parseFloat(getComputedStyle(document.body).getPropertyValue("--label-size")) || 15;
}
