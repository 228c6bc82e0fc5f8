/**
 * Sizes of the drawn shapes, where their ports sit, wire paths and the
 * pan/zoom transform. Pure functions, no DOM.
 * @module geometry
 */

/** @typedef {{x: number, y: number}} Point */
/** @typedef {{x: number, y: number, width: number, height: number}} Box */
/** @typedef {{k: number, x: number, y: number}} Transform  screen = world * k + (x, y) */

export const SIZES = Object.freeze({
  radius: 24, // a gate's circle
  lead: 12, // from an input port to the circle
  stub: 92, // the output wire that carries the value and gradient labels (any scalar fits)
  portGap: 22, // between input ports
  pillHeight: 34, // an input's name tag
  charWidth: 10, // rough width of one character of a name
});

/**
 * The box a node takes: its shape plus the output stub with its labels.
 * @param {{op: string, id: string, label?: string}} node
 * @param {number} ports  number of input ports
 * @param {number} [stub]  length of the output stub (longer for wide labels)
 * @returns {{width: number, height: number, body: number}}  body: width of the shape alone
 */
export function nodeSize(node, ports, stub = SIZES.stub) {
  if (ports === 0) {
    const body = pillWidth(node.label ?? node.id);
    return { width: body + stub, height: SIZES.pillHeight, body };
  }
  const body = SIZES.lead + 2 * SIZES.radius;
  const height = Math.max(2 * SIZES.radius + 8, ports * SIZES.portGap + 10);
  return { width: body + stub, height, body };
}

/**
 * @param {string} name
 * @returns {number}
 */
function pillWidth(name) {
  return Math.max(34, 18 + SIZES.charWidth * [...name].length);
}

/**
 * Where input port `index` of `count` sits, relative to the node's corner.
 * @param {number} index
 * @param {number} count
 * @param {number} height
 * @returns {Point}
 */
export function inputPort(index, count, height) {
  return { x: 0, y: height / 2 + (index - (count - 1) / 2) * SIZES.portGap };
}

/**
 * The output port: the end of the stub.
 * @param {{width: number, height: number}} size
 * @returns {Point}
 */
export function outputPort(size) {
  return { x: size.width, y: size.height / 2 };
}

/**
 * An SVG path through a polyline with rounded corners.
 * @param {Point[]} points
 * @param {number} [radius]
 * @returns {string}
 */
export function roundedPath(points, radius = 8) {
  if (points.length < 2) return "";
  let d = `M${r(points[0].x)},${r(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const k = Math.min(radius, dist(a, b) / 2, dist(b, c) / 2);
    const p = toward(b, a, k);
    const q = toward(b, c, k);
    d += ` L${r(p.x)},${r(p.y)} Q${r(b.x)},${r(b.y)} ${r(q.x)},${r(q.y)}`;
  }
  const end = points[points.length - 1];
  return `${d} L${r(end.x)},${r(end.y)}`;
}

/**
 * A smooth S-shaped wire from an output port to an input port (hand-placed nodes).
 * @param {Point} a
 * @param {Point} b
 * @returns {string}
 */
export function curvePath(a, b) {
  const pull = curvePull(a, b);
  return `M${r(a.x)},${r(a.y)} C${r(a.x + pull)},${r(a.y)} ${r(b.x - pull)},${r(b.y)} ${r(b.x)},${r(b.y)}`;
}

/**
 * How far a curve's control points stand out from its ends.
 * @param {Point} a
 * @param {Point} b
 */
function curvePull(a, b) {
  return Math.max(30, Math.abs(b.x - a.x) / 2);
}

/**
 * A box that holds a wire: around its route's corners, or around its curve's
 * ends and control points (a Bézier curve stays inside them).
 * @param {Point[] | null} route
 * @param {Point} a  the output port it leaves
 * @param {Point} b  the input port it enters
 * @returns {Box}
 */
export function wireBox(route, a, b) {
  const pull = curvePull(a, b);
  const points = route ?? [a, b, { x: a.x + pull, y: a.y }, { x: b.x - pull, y: b.y }];
  return bounds(points.map((p) => ({ x: p.x, y: p.y, width: 0, height: 0 })));
}

/**
 * The smallest box around some boxes.
 * @param {Box[]} boxes
 * @returns {Box}
 */
export function bounds(boxes) {
  if (!boxes.length) return { x: 0, y: 0, width: 0, height: 0 };
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * The transform that fits a box into a viewport, centred, never enlarging past maxScale.
 * @param {Box} box
 * @param {{width: number, height: number}} view
 * @param {number} [padding]
 * @param {number} [maxScale]
 * @returns {Transform}
 */
export function fitTransform(box, view, padding = 40, maxScale = 1.6) {
  const sx = (view.width - 2 * padding) / Math.max(box.width, 1);
  const sy = (view.height - 2 * padding) / Math.max(box.height, 1);
  const k = Math.max(0.05, Math.min(maxScale, sx, sy));
  return {
    k,
    x: (view.width - box.width * k) / 2 - box.x * k,
    y: (view.height - box.height * k) / 2 - box.y * k,
  };
}

/**
 * Like fitTransform, but never smaller than minScale, so the numbers stay
 * readable: a drawing too big for that is shown with `focus` (the output) as
 * near the middle as its edges allow, and the rest is a pan away.
 * @param {Box} box
 * @param {{width: number, height: number}} view
 * @param {Point} focus
 * @param {number} [padding]
 * @param {number} [minScale]
 * @returns {Transform}
 */
export function readableFit(box, view, focus, padding = 40, minScale = 0.8) {
  const fit = fitTransform(box, view, padding);
  if (fit.k >= minScale) return fit;
  const k = minScale;
  return { k, x: axisOffset(box.x, box.width, focus.x, view.width, k, padding), y: axisOffset(box.y, box.height, focus.y, view.height, k, padding) };
}

/**
 * One axis of readableFit: centre the span if it fits (if need be in the
 * padding), else centre the focus without showing more than `padding` beyond
 * either end.
 * @param {number} start @param {number} size @param {number} focus
 * @param {number} view @param {number} k @param {number} padding
 */
function axisOffset(start, size, focus, view, k, padding) {
  if (size * k <= view) return (view - size * k) / 2 - start * k;
  const lowest = view - padding - (start + size) * k;
  return Math.min(padding - start * k, Math.max(lowest, view / 2 - focus * k));
}

/**
 * Zoom by a factor about a screen point, which stays put.
 * @param {Transform} t
 * @param {Point} at
 * @param {number} factor
 * @returns {Transform}
 */
export function zoomAt(t, at, factor) {
  const k = Math.min(8, Math.max(0.05, t.k * factor));
  const f = k / t.k;
  return { k, x: at.x - (at.x - t.x) * f, y: at.y - (at.y - t.y) * f };
}

/**
 * Screen point -> world point.
 * @param {Transform} t
 * @param {Point} p
 * @returns {Point}
 */
export function toWorld(t, p) {
  return { x: (p.x - t.x) / t.k, y: (p.y - t.y) / t.k };
}

/** @param {Point} a @param {Point} b */
function dist(a, b) {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

/** @param {Point} from @param {Point} to @param {number} k */
function toward(from, to, k) {
  const d = dist(from, to) || 1;
  return { x: from.x + ((to.x - from.x) * k) / d, y: from.y + ((to.y - from.y) * k) / d };
}

/** @param {number} v */
function r(v) {
  return Math.round(v * 10) / 10;
}
