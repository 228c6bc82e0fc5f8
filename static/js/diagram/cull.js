/**
 * Only what is on screen is drawn in full. Each node's group and each wire is
 * filed under the cells of a coarse grid that its box touches; when the view
 * pans or zooms, or the drawing changes, the cells in view (with a margin)
 * say which of them are shown, and the rest are taken out of the document
 * (kept, and put back when they come into view): Chromium then neither lays
 * them out nor paints them, and its per-frame walks do not visit them
 * (`display: none` alone still cost a 5,000-gate drawing a frame in three).
 * Their numbers are still written, so a node that comes into view shows the
 * step's numbers at once. Zoomed far out, the numbers and names, too small to
 * read, are hidden too (the root's `far` class).
 * @module cull
 */

import { wireBox } from "./geometry.js";

/** @typedef {import("./geometry.js").Box} Box */
/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("./render.js").Drawing} Drawing */

/** The side of a cell, in diagram px. */
const CELL = 400;
/** Room around a node's box for its labels, its name and a problem's badge. */
const PAD = 90;
/** How much of the screen's size beyond each edge is drawn too, so a short pan finds it drawn. */
const MARGIN = 0.25;
/** Below this zoom a label (15 px) is under 6 px: unreadable. */
export const FAR = 0.4;

/** @type {WeakMap<Element, Culler>} each drawing root's culler, for inFull */
const cullers = new WeakMap();

export class Culler {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    cullers.set(root, this);
    /** @type {Map<string, Element[]>} cell key -> the elements whose boxes touch it */
    this.cells = new Map();
    /** @type {Map<Element, Element>} every element filed -> the layer it belongs in */
    this.filed = new Map();
    /** @type {Set<Element>} the filed elements out of the document */
    this.hidden = new Set();
    /** @type {{view: Box, k: number} | null} */
    this.last = null;
  }

  /**
   * File the drawing's nodes and wires by cell, then show those in view.
   * @param {Drawing} drawing
   * @param {Scene} scene
   */
  index(drawing, scene) {
    this.cells = new Map();
    this.filed = new Map();
    for (const [id, { g }] of drawing.nodes) {
      const p = scene.nodes.get(id);
      if (p) this.file([g], drawing.nodesLayer, { x: p.x - PAD, y: p.y - PAD, width: p.width + 2 * PAD, height: p.height + 2 * PAD });
    }
    for (const { line, hit, wire } of drawing.wires.values()) {
      const from = scene.nodes.get(wire.source)?.out;
      const to = scene.nodes.get(wire.target)?.ports[wire.port];
      if (from && to) this.file([line, hit], drawing.wiresLayer, wireBox(wire.points, from, to));
    }
    for (const e of this.hidden) if (!this.filed.has(e)) this.hidden.delete(e);
    if (this.last) this.show(this.last.view, this.last.k);
  }

  /**
   * @param {Element[]} elements
   * @param {Element} layer  where they belong
   * @param {Box} box
   */
  file(elements, layer, box) {
    for (const key of cellsOf(box)) {
      const cell = this.cells.get(key);
      if (cell) cell.push(...elements);
      else this.cells.set(key, [...elements]);
    }
    for (const e of elements) this.filed.set(e, layer);
  }

  /**
   * Show what is in view, hide the rest; only the elements that change are touched.
   * @param {Box} view  the part of the drawing on screen
   * @param {number} k  the zoom
   */
  show(view, k) {
    this.last = { view, k };
    const [dx, dy] = [view.width * MARGIN, view.height * MARGIN];
    const wanted = new Set();
    for (const key of cellsOf({ x: view.x - dx, y: view.y - dy, width: view.width + 2 * dx, height: view.height + 2 * dy })) {
      for (const e of this.cells.get(key) ?? []) wanted.add(e);
    }
    for (const e of this.filed.keys()) this.display(e, wanted.has(e));
    if (this.root.classList.contains("far") !== k < FAR) this.root.classList.toggle("far", k < FAR);
  }

  /**
   * Show some elements whatever the view (a dragged gate and its wires) until the view changes.
   * @param {Element[]} elements
   */
  reveal(elements) {
    for (const e of elements) this.display(e, true);
  }

  /**
   * @param {Element} e
   * @param {boolean} on
   */
  display(e, on) {
    if (on === !this.hidden.has(e)) return;
    if (on) (this.hidden.delete(e), this.filed.get(e)?.append(e));
    else (this.hidden.add(e), e.remove());
  }

  /**
   * Run `fn` on the whole drawing in full detail, then hide again what was hidden.
   * @template T
   * @param {() => T} fn
   * @returns {T}
   */
  inFull(fn) {
    const hidden = [...this.hidden];
    const far = this.root.classList.contains("far");
    for (const e of hidden) this.display(e, true);
    this.root.classList.remove("far");
    try {
      return fn();
    } finally {
      for (const e of hidden) this.display(e, false);
      this.root.classList.toggle("far", far);
    }
  }
}

/**
 * Run `fn` on the whole drawing in full detail (an export copying it with its
 * computed styles), then hide again what was hidden.
 * @template T
 * @param {Element} root
 * @param {() => T} fn
 * @returns {T}
 */
export function inFull(root, fn) {
  const culler = cullers.get(root);
  return culler ? culler.inFull(fn) : fn();
}

/**
 * The keys of the cells a box touches.
 * @param {Box} box
 * @returns {string[]}
 */
function cellsOf(box) {
  const keys = [];
  const [x0, x1] = [Math.floor(box.x / CELL), Math.floor((box.x + box.width) / CELL)];
  const [y0, y1] = [Math.floor(box.y / CELL), Math.floor((box.y + box.height) / CELL)];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) keys.push(`${x},${y}`);
  return keys;
}
