/**
 * Room for the numbers: how wide a wire label is, and how long each node's
 * output stub must be so its labels clear the gate on the left and the port on
 * the right. Only tensor labels ("[0.235, 0.235]", or a shape like "5×10"
 * beside a heatmap thumbnail) can need more than the usual stub, which holds
 * any scalar. No DOM.
 * @module labels
 */

import { SIZES } from "./geometry.js";
import { formatValue } from "../state/format.js";
import { shapeOf, shapeText } from "../state/matrix.js";

/** @typedef {import("../state/trace.js").Result} Result */
/** @typedef {import("../state/format.js").Value} Value */

/**
 * Character widths in em of the label font (bold sans, tabular digits),
 * measured on DejaVu Sans, the widest of the usual system-ui fonts.
 * @type {Record<string, number>}
 */
const EM = { ".": 0.38, ",": 0.38, " ": 0.35, "-": 0.42, "−": 0.84, "[": 0.46, "]": 0.46, "×": 0.84, "…": 1, "∞": 0.84 };
const DIGIT_EM = 0.7;

/** Clear space between a label and the shape before it or the port after it. */
export const LABEL_GAP = 12;

/**
 * Estimated width of a label in px, a little generous.
 * @param {string} text
 * @param {number} [size]  font size in px
 * @returns {number}
 */
export function labelWidth(text, size = 15) {
  let em = 0;
  for (const ch of text) em += EM[ch] ?? DIGIT_EM;
  return Math.ceil(em * size * 1.05);
}

/**
 * The stub that holds labels this wide: the usual length, or longer in steps of 8px.
 * @param {number} width  the widest label's width
 * @returns {number}
 */
export function stubFor(width) {
  const need = width + 2 * LABEL_GAP;
  return need <= SIZES.stub ? SIZES.stub : Math.ceil(need / 8) * 8;
}

/**
 * A tensor label's heatmap thumbnail, in em of the label font: as tall as
 * the text, at most this wide, and the gap between it and the shape.
 */
export const THUMB = { height: 1, width: 1.6, gap: 0.3 };

/**
 * Does a wire show this value as a shape with a thumbnail? Tensors of more
 * than 3 numbers do; smaller ones show their numbers.
 * @param {Value} value
 * @returns {value is number[] | number[][]}
 */
export function thumbed(value) {
  return Array.isArray(value) && value.flat().length > 3;
}

/**
 * A wire label's text: "5×10" beside a thumbnail, or the numbers.
 * @param {Value} value
 * @returns {string}
 */
export function wireText(value) {
  return thumbed(value) ? shapeText(shapeOf(value)) : formatValue(value);
}

/**
 * A wire label's width in px, its thumbnail included.
 * @param {Value} value
 * @param {number} [size]  font size in px
 * @returns {number}
 */
export function wireWidth(value, size = 15) {
  const thumb = thumbed(value) ? Math.ceil((THUMB.width + THUMB.gap) * size) : 0;
  return labelWidth(wireText(value), size) + thumb;
}

/**
 * Every tensor each node's labels will show: its value, its gradient, and
 * the running totals of its gradient during the backward animation. Scalars
 * are left out: the usual stub is sized for the widest of them.
 * @param {Result} result
 * @returns {Map<string, Value[]>}
 */
export function labelValues(result) {
  /** @type {Map<string, Value[]>} */
  const values = new Map();
  const add = (/** @type {string} */ id, /** @type {Value} */ value) => {
    if (Array.isArray(value)) values.set(id, [...(values.get(id) ?? []), value]);
  };
  for (const [id, value] of Object.entries(result.values)) add(id, value);
  for (const [id, grad] of Object.entries(result.gradients)) add(id, grad);
  for (const entry of result.trace?.backward ?? []) for (const sent of entry.inputs) add(sent.input, sent.total);
  return values;
}

/**
 * The widest label of each node, in px.
 * @param {Result} result
 * @param {number} [size]  label font size in px
 * @returns {Map<string, number>}
 */
export function labelWidths(result, size = 15) {
  const widths = new Map();
  for (const [id, values] of labelValues(result)) widths.set(id, Math.max(...values.map((v) => wireWidth(v, size))));
  return widths;
}

/**
 * Stub lengths for the nodes whose labels need more than the usual stub.
 * @param {Map<string, number>} widths  from labelWidths
 * @returns {Map<string, number>}
 */
export function stubLengths(widths) {
  const stubs = new Map();
  for (const [id, width] of widths) if (stubFor(width) > SIZES.stub) stubs.set(id, stubFor(width));
  return stubs;
}

/**
 * Is any label wider than its stub, so that it would run into the shape or
 * the port? Only then is another layout worth its time.
 * @param {Map<string, number>} widths  from labelWidths
 * @param {Map<string, number>} stubs  the stubs laid out
 * @returns {boolean}
 */
export function outgrows(widths, stubs) {
  return [...widths].some(([id, width]) => width > (stubs.get(id) ?? SIZES.stub));
}

/**
 * The longer of two stub lengths for every node in either.
 * @param {Map<string, number>} a
 * @param {Map<string, number>} b
 * @returns {Map<string, number>}
 */
export function longest(a, b) {
  const out = new Map(a);
  for (const [id, stub] of b) out.set(id, Math.max(stub, out.get(id) ?? 0));
  return out;
}

/**
 * A message drawn over its node, in lines of at most `width` characters
 * broken at spaces; the "node 'id': " the server starts with is left out,
 * since the message sits on that node.
 * @param {string} message
 * @param {number} [width]
 * @returns {string[]}
 */
export function badgeLines(message, width = 44) {
  const words = message.replace(/^node '[^']*': /, "").split(" ");
  const lines = [""];
  for (const word of words) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + 1 + word.length > width) lines.push(word);
    else lines[last] = lines[last] ? `${lines[last]} ${word}` : word;
  }
  return lines;
}
