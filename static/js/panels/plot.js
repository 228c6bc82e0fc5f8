/**
 * A small line plot in plain SVG, shared by the Check tab's plots: axes with
 * ticks and labels, linear or log scales, lines that break where a value is
 * missing, and marked points. `drawPlot` redraws an `<svg>` from a spec; the
 * scales and ticks are pure functions (tested under node).
 * @module plot
 */

import { svg } from "../dom.js";
import { formatNumber } from "../state/format.js";

/** @typedef {{label: string, log?: boolean}} Axis */
/** @typedef {{points: [number, number | null][], class: string, label?: string}} Series */
/** @typedef {{x: number, y: number, class: string, label?: string}} Mark */
/** @typedef {{x: Axis, y: Axis, series: Series[], marks?: Mark[], title: string}} PlotSpec */

const SIZE = { width: 300, height: 170, left: 46, right: 10, top: 10, bottom: 34 };

/**
 * A scale from [lo, hi] to [a, b] (in log10 when `log`).
 * @param {[number, number]} domain
 * @param {[number, number]} range
 * @param {boolean} [log]
 * @returns {(v: number) => number}
 */
export function scale([lo, hi], [a, b], log = false) {
  const t = log ? Math.log10 : (/** @type {number} */ v) => v;
  const [l, h] = [t(lo), t(hi)];
  const span = h - l || 1;
  return (v) => a + ((t(v) - l) / span) * (b - a);
}

/**
 * About `count` round ticks covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
 * @param {number} lo
 * @param {number} hi
 * @param {number} [count]
 * @returns {number[]}
 */
export function linearTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k += 1) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/**
 * The powers of ten in [lo, hi], every other one when there are many.
 * @param {number} lo
 * @param {number} hi
 * @returns {number[]}
 */
export function logTicks(lo, hi) {
  const from = Math.ceil(Math.log10(lo));
  const to = Math.floor(Math.log10(hi));
  const every = to - from > 6 ? 2 : 1;
  const ticks = [];
  for (let e = from; e <= to; e += every) ticks.push(Number(`1e${e}`));
  return ticks;
}

/**
 * The smallest and largest finite values (positive ones only on a log axis), a little apart.
 * @param {(number | null)[]} values
 * @param {boolean} [log]
 * @returns {[number, number]}
 */
export function extent(values, log = false) {
  const usable = /** @type {number[]} */ (values.filter((v) => v !== null && Number.isFinite(v) && (!log || v > 0)));
  if (!usable.length) return log ? [1e-16, 1] : [0, 1];
  const [lo, hi] = [Math.min(...usable), Math.max(...usable)];
  if (log) return lo === hi ? [lo / 10, hi * 10] : [lo / 2, hi * 2];
  const pad = (hi - lo) * 0.05 || Math.max(Math.abs(hi) * 0.1, 1);
  return [lo - pad, hi + pad];
}

/**
 * Draw `spec` into `target`, replacing what it held.
 * @param {SVGSVGElement} target
 * @param {PlotSpec} spec
 */
export function drawPlot(target, spec) {
  const { width, height, left, right, top, bottom } = SIZE;
  target.replaceChildren();
  target.setAttribute("viewBox", `0 0 ${width} ${height}`);
  target.setAttribute("role", "img");
  target.setAttribute("aria-label", spec.title);
  const xs = spec.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = [...spec.series.flatMap((s) => s.points.map((p) => p[1])), ...(spec.marks ?? []).map((m) => m.y)];
  const [x0, x1] = extent(xs, spec.x.log);
  const [y0, y1] = extent(ys, spec.y.log);
  const sx = scale([x0, x1], [left, width - right], spec.x.log);
  const sy = scale([y0, y1], [height - bottom, top], spec.y.log);
  drawAxes(target, { sx, sy, x: [x0, x1], y: [y0, y1] }, spec);
  for (const series of spec.series) drawLine(target, series, sx, sy, spec.y.log);
  for (const mark of spec.marks ?? []) {
    if (!usable(mark.y, spec.y.log)) continue;
    const dot = svg("circle", { cx: sx(mark.x), cy: sy(mark.y), r: 4, class: `mark ${mark.class}` }, target);
    if (mark.label) svg("title", {}, dot).textContent = mark.label;
  }
}

/**
 * @param {number | null} v
 * @param {boolean | undefined} log
 * @returns {v is number}
 */
function usable(v, log) {
  return v !== null && Number.isFinite(v) && (!log || v > 0);
}

/**
 * One path per unbroken run of usable points.
 * @param {SVGSVGElement} target
 * @param {Series} series
 * @param {(v: number) => number} sx
 * @param {(v: number) => number} sy
 * @param {boolean | undefined} log
 */
function drawLine(target, series, sx, sy, log) {
  let d = "";
  let pen = "M";
  for (const [x, y] of series.points) {
    if (!usable(y, log)) {
      pen = "M";
      continue;
    }
    d += `${pen}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`;
    pen = "L";
  }
  const line = svg("path", { d, class: `line ${series.class}` }, target);
  if (series.label) svg("title", {}, line).textContent = series.label;
}

/**
 * @param {SVGSVGElement} target
 * @param {{sx: (v: number) => number, sy: (v: number) => number, x: [number, number], y: [number, number]}} frame
 * @param {PlotSpec} spec
 */
function drawAxes(target, frame, spec) {
  const { width, height, left, right, top, bottom } = SIZE;
  const axes = svg("g", { class: "axes" }, target);
  svg("path", { d: `M${left},${top}V${height - bottom}H${width - right}`, class: "axis" }, axes);
  const xTicks = spec.x.log ? logTicks(...frame.x) : linearTicks(...frame.x);
  for (const v of xTicks) {
    const x = frame.sx(v);
    svg("path", { d: `M${x},${height - bottom}v4`, class: "tick" }, axes);
    svg("text", { x, y: height - bottom + 14, class: "tick-label", "text-anchor": "middle" }, axes).textContent = tickText(v, spec.x.log);
  }
  const yTicks = spec.y.log ? logTicks(...frame.y) : linearTicks(...frame.y, 4);
  for (const v of yTicks) {
    const y = frame.sy(v);
    svg("path", { d: `M${left - 4},${y}H${width - right}`, class: "tick grid" }, axes);
    svg("text", { x: left - 6, y: y + 3, class: "tick-label", "text-anchor": "end" }, axes).textContent = tickText(v, spec.y.log);
  }
  svg("text", { x: (left + width - right) / 2, y: height - 4, class: "axis-label", "text-anchor": "middle" }, axes).textContent = spec.x.label;
  const yLabel = svg("text", { x: 0, y: 0, class: "axis-label", "text-anchor": "middle", transform: `translate(11,${(top + height - bottom) / 2}) rotate(-90)` }, axes);
  yLabel.textContent = spec.y.label;
}

/**
 * @param {number} v
 * @param {boolean | undefined} log
 */
function tickText(v, log) {
  return log ? `1e${Math.round(Math.log10(v))}` : formatNumber(v);
}
