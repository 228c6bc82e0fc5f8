/**
 * Pointer gestures on the diagram: drag a node to move it, drag from an
 * output dot to an input dot (or back) to wire them, click to select,
 * shift-click or shift-drag a box on the background to select several gates.
 * It reports intentions through callbacks; main turns them into records.
 * @module gestures
 */

import { svg } from "../dom.js";
import { curvePath } from "./geometry.js";

/** @typedef {import("./geometry.js").Point} Point */
/** @typedef {import("../state/store.js").Selection} Selection */
/**
 * @typedef {object} EditingHooks
 * @property {(e: {clientX: number, clientY: number}) => Point} world  screen -> diagram coordinates
 * @property {(id: string) => Point} placeOf  a node's corner
 * @property {(id: string, at: Point) => void} preview  show a node at a place while dragging
 * @property {(id: string, to: Point) => void} move  a drag ended
 * @property {(source: string, target: string, port: number | null) => void} connect  null port: append
 * @property {(selection: Selection, extend?: boolean) => void} select  extend: shift-click adds to the selection
 * @property {(box: {x: number, y: number, width: number, height: number}) => void} selectBox  the gates a shift-drag box touches
 */

/**
 * @param {SVGSVGElement} canvas
 * @param {SVGGElement} root
 * @param {EditingHooks} hooks
 */
export function attachGestures(canvas, root, hooks) {
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0) return;
    const target = /** @type {Element} */ (e.target);
    if (target.classList.contains("port")) return startWire(e, target, root, hooks);
    if (target.classList.contains("wire-hit") || target.classList.contains("stub-hit")) return hooks.select(wireSelection(target));
    const onLabel = target.closest(".label-wrap")?.querySelector("text");
    if (onLabel) return hooks.select({ kind: "wire", source: /** @type {string} */ (onLabel.getAttribute("data-node-id")) });
    const node = target.closest("g.node");
    if (node) return startMove(e, /** @type {string} */ (node.getAttribute("data-node-id")), hooks);
    if (target.classList.contains("backdrop") && e.shiftKey) return startBox(e, root, hooks);
    if (target.classList.contains("backdrop")) hooks.select(null);
  });
}

/**
 * @param {Element} target
 * @returns {Selection}
 */
function wireSelection(target) {
  if (target.classList.contains("stub-hit")) return { kind: "wire", source: /** @type {string} */ (target.getAttribute("data-node-id")) };
  return {
    kind: "wire",
    source: /** @type {string} */ (target.getAttribute("data-source")),
    target: /** @type {string} */ (target.getAttribute("data-target")),
    port: Number(target.getAttribute("data-port")),
  };
}

/**
 * @param {PointerEvent} e
 * @param {string} id
 * @param {EditingHooks} hooks
 */
function startMove(e, id, hooks) {
  const from = hooks.placeOf(id);
  const grab = hooks.world(e);
  let moved = false;
  let to = from;
  /** @param {PointerEvent} m */
  const move = (m) => {
    const p = hooks.world(m);
    moved ||= Math.hypot(m.clientX - e.clientX, m.clientY - e.clientY) > 3;
    if (!moved) return;
    to = { x: Math.round(from.x + p.x - grab.x), y: Math.round(from.y + p.y - grab.y) };
    hooks.preview(id, to);
  };
  const up = () => {
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
    if (moved) hooks.move(id, to);
    else hooks.select({ kind: "node", id }, e.shiftKey);
  };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
}

/**
 * Shift-drag on the background: a dashed box, and on release the gates it touches.
 * @param {PointerEvent} e
 * @param {SVGGElement} root
 * @param {EditingHooks} hooks
 */
function startBox(e, root, hooks) {
  const from = hooks.world(e);
  const rect = svg("rect", { class: "select-box", x: from.x, y: from.y, width: 0, height: 0 }, /** @type {Element} */ (root.querySelector("g.overlay") ?? root));
  let box = { x: from.x, y: from.y, width: 0, height: 0 };
  /** @param {PointerEvent} m */
  const move = (m) => {
    const to = hooks.world(m);
    box = { x: Math.min(from.x, to.x), y: Math.min(from.y, to.y), width: Math.abs(to.x - from.x), height: Math.abs(to.y - from.y) };
    for (const [name, value] of Object.entries(box)) rect.setAttribute(name, String(value));
  };
  const up = () => {
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
    rect.remove();
    hooks.selectBox(box);
  };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
}

/**
 * Drag a wire from a port; drop it on a port of the other kind.
 * @param {PointerEvent} e
 * @param {Element} port
 * @param {SVGGElement} root
 * @param {EditingHooks} hooks
 */
function startWire(e, port, root, hooks) {
  e.stopPropagation();
  const fromOut = port.classList.contains("port-out");
  const anchor = portCentre(port, hooks);
  const line = svg("path", { class: "drag-wire" }, /** @type {Element} */ (root.querySelector("g.overlay") ?? root));
  /** @param {PointerEvent} m */
  const move = (m) => {
    const p = hooks.world(m);
    line.setAttribute("d", fromOut ? curvePath(anchor, p) : curvePath(p, anchor));
  };
  /** @param {PointerEvent} m */
  const up = (m) => {
    window.removeEventListener("pointermove", move);
    window.removeEventListener("pointerup", up);
    line.remove();
    const drop = document.elementFromPoint(m.clientX, m.clientY);
    if (drop) finishWire(port, drop, fromOut, hooks);
  };
  window.addEventListener("pointermove", move);
  window.addEventListener("pointerup", up);
}

/**
 * @param {Element} port
 * @param {Element} drop
 * @param {boolean} fromOut
 * @param {EditingHooks} hooks
 */
function finishWire(port, drop, fromOut, hooks) {
  const id = (/** @type {Element} */ el) => /** @type {string} */ (el.getAttribute("data-node-id") ?? el.closest("g.node")?.getAttribute("data-node-id"));
  if (fromOut && drop.classList.contains("port-in")) return hooks.connect(id(port), id(drop), Number(drop.getAttribute("data-port")));
  if (!fromOut && drop.classList.contains("port-out")) return hooks.connect(id(drop), id(port), Number(port.getAttribute("data-port")));
  const node = drop.closest("g.node");
  if (fromOut && node && node.getAttribute("data-node-id") !== id(port)) hooks.connect(id(port), id(node), null);
}

/**
 * A port's centre in diagram coordinates.
 * @param {Element} port
 * @param {EditingHooks} hooks
 * @returns {Point}
 */
function portCentre(port, hooks) {
  const corner = hooks.placeOf(/** @type {string} */ (port.getAttribute("data-node-id")));
  return { x: corner.x + Number(port.getAttribute("cx")), y: corner.y + Number(port.getAttribute("cy")) };
}
