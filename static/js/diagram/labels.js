/**
 * Room for the numbers: how wide a wire label is, and how long each node's
 * output stub must be so its labels clear the gate on the left and the port on
 * the right. Only tensor labels ("[2×2] 0.235, …") can need more than the
 * usual stub, which holds any scalar. No DOM.
 * @module labels
 */

import { SIZES } from "./geometry.js";
import { formatValue } from "../state/format.js";

/** @typedef {import("../state/trace.js").Result} Result */

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
 * Every text each tensor node's labels will show: its value, its gradient,
 * and the running totals of its gradient during the backward animation.
 * Scalars are left out: the usual stub is sized for the widest of them.
 * @param {Result} result
 * @returns {Map<string, string[]>}
 */
export function labelTexts(result) {
  /** @type {Map<string, string[]>} */
  const texts = new Map();
  const add = (/** @type {string} */ id, /** @type {any} */ value) => {
    if (Array.isArray(value)) texts.set(id, [...(texts.get(id) ?? []), formatValue(value)]);
  };
  for (const [id, value] of Object.entries(result.values)) add(id, value);
  for (const [id, grad] of Object.entries(result.gradients)) add(id, grad);
  for (const entry of result.trace?.backward ?? []) for (const sent of entry.inputs) add(sent.input, sent.total);
  return texts;
}

/**
 * The widest label of each node, in px.
 * @param {Result} result
 * @param {number} [size]  label font size in px
 * @returns {Map<string, number>}
 */
export function labelWidths(result, size = 15) {
  const widths = new Map();
  for (const [id, texts] of labelTexts(result)) widths.set(id, Math.max(...texts.map((t) => labelWidth(t, size))));
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
