/**
 * Pan (drag the background), zoom (wheel, buttons) and fit-to-screen for the
 * diagram's root group.
 * @module viewport
 */

import { fitTransform, readableFit, zoomAt, toWorld } from "./geometry.js";
import { FIT_PADDING } from "./layout.js";

/** @typedef {import("./geometry.js").Transform} Transform */

/** The strip at the canvas's top where the legend and the zoom buttons sit. */
const OVERLAY_BAND = 44;

export class Viewport {
  /**
   * @param {SVGSVGElement} canvas
   * @param {SVGGElement} root
   */
  constructor(canvas, root) {
    this.canvas = canvas;
    this.root = root;
    /** @type {Transform} */
    this.t = { k: 1, x: 0, y: 0 };
    /** The canvas's size in px. */
    this.box = { width: 0, height: 0 };
    /** @type {(() => void)[]} called when the view pans, zooms or resizes */
    this.watchers = [];
    canvas.addEventListener("wheel", (e) => this.onWheel(e), { passive: false });
    canvas.addEventListener("pointerdown", (e) => this.onPointerDown(e));
    const box = /** @type {HTMLElement} */ (canvas.parentElement);
    this.size(box.getBoundingClientRect());
    new ResizeObserver(([entry]) => this.size(entry.contentRect)).observe(box);
  }

  /**
   * Give the canvas its box's size in pixels: a canvas of a fixed size is laid
   * out on its own, so a change elsewhere on the page never lays out the
   * diagram's thousands of shapes and labels again.
   * @param {{width: number, height: number}} rect
   */
  size({ width, height }) {
    this.box = { width, height };
    Object.assign(this.canvas.style, { width: `${width}px`, height: `${height}px` });
    for (const watcher of this.watchers) watcher();
  }

  /** @param {() => void} watcher  called when the view pans, zooms or resizes */
  watch(watcher) {
    this.watchers.push(watcher);
  }

  /**
   * The part of the drawing on screen, in diagram coordinates.
   * @returns {import("./geometry.js").Box}
   */
  visible() {
    const { k, x, y } = this.t;
    return { x: -x / k, y: -y / k, width: this.box.width / k, height: this.box.height / k };
  }

  /** @param {Transform} t */
  set(t) {
    this.t = t;
    this.root.setAttribute("transform", `translate(${t.x},${t.y}) scale(${t.k})`);
    for (const watcher of this.watchers) watcher();
  }

  /** The part of the canvas a fit fills: below the legend and the zoom buttons. */
  area() {
    const rect = this.canvas.getBoundingClientRect();
    return { width: rect.width, height: Math.max(0, rect.height - OVERLAY_BAND) };
  }

  /**
   * Fit a box (the drawing's extent) to the canvas; given a focus (the output),
   * never so small that the numbers are unreadable, with the focus in view.
   * @param {import("./geometry.js").Box} box
   * @param {import("./geometry.js").Point} [focus]
   */
  fit(box, focus) {
    const area = this.area();
    if (box.width === 0 || area.width === 0) return;
    const t = focus ? readableFit(box, area, focus, FIT_PADDING) : fitTransform(box, area, FIT_PADDING);
    this.set({ ...t, y: t.y + OVERLAY_BAND });
  }

  /** @param {number} factor */
  zoom(factor) {
    const rect = this.canvas.getBoundingClientRect();
    this.set(zoomAt(this.t, { x: rect.width / 2, y: rect.height / 2 }, factor));
  }

  /**
   * A pointer event's position in diagram coordinates.
   * @param {{clientX: number, clientY: number}} e
   */
  world(e) {
    const rect = this.canvas.getBoundingClientRect();
    return toWorld(this.t, { x: e.clientX - rect.left, y: e.clientY - rect.top });
  }

  /** @param {WheelEvent} e */
  onWheel(e) {
    e.preventDefault();
    const rect = this.canvas.getBoundingClientRect();
    const at = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    this.set(zoomAt(this.t, at, Math.exp(-e.deltaY * 0.0015)));
  }

  /** Drag on the background pans (shift-drag draws a selection box instead). @param {PointerEvent} e */
  onPointerDown(e) {
    const target = /** @type {Element} */ (e.target);
    if (e.button !== 0 || e.shiftKey || !target.classList.contains("backdrop")) return;
    const start = { x: e.clientX, y: e.clientY, t: this.t };
    this.canvas.classList.add("panning");
    /** @param {PointerEvent} m */
    const move = (m) => this.set({ ...start.t, x: start.t.x + m.clientX - start.x, y: start.t.y + m.clientY - start.y });
    const up = () => {
      this.canvas.classList.remove("panning");
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }
}
