/**
 * Dimension analysis at a matmul gate D = W·X, as the notes teach it: dW
 * must have W's shape and dX X's, and with the real shapes only one product
 * of dD with the other input (transposed) fits, dW = dD·Xᵀ and dX = Wᵀ·dD.
 * A vector is read as numpy's matmul reads it: a row on the left, a column
 * on the right. No DOM.
 * @module dims
 */

import { formatValue } from "./format.js";
import { shapeOf, shapeText } from "./matrix.js";

/** @typedef {import("./format.js").Value} Value */
/** @typedef {import("./trace.js").BackwardEntry} BackwardEntry */
/** @typedef {{text: string, fork: boolean}} Line */
/** @typedef {{name: string, shape: number[], note: string}} Operand */

/**
 * Two lines per input of a matmul gate: the analysis, then the product it gives.
 * @param {BackwardEntry} entry
 * @param {Record<string, Value>} values  the forward values
 * @returns {Line[] | null}  null when an operand is a number (no analysis to make)
 */
export function matmulLines(entry, values) {
  const left = entry.inputs.find((s) => s.port === 0);
  const right = entry.inputs.find((s) => s.port === 1);
  if (!left || !right) return null;
  const [l, r] = [operand(left.input, values[left.input], "row"), operand(right.input, values[right.input], "column")];
  if (!l || !r) return null;
  const out = { name: `d${entry.id}`, shape: [l.shape[0], r.shape[1]], note: outNote(values[entry.id], l, r) };
  const grads = [
    { sent: left, analysis: leftAnalysis(l, r, out), product: `${out.name}·${r.name}ᵀ` },
    { sent: right, analysis: rightAnalysis(l, r, out), product: `${l.name}ᵀ·${out.name}` },
  ];
  return grads.flatMap(({ sent, analysis, product }) => {
    const sign = sent.accumulated ? "+=" : "=";
    const running = sent.accumulated ? `   → d${sent.input} = ${formatValue(sent.total)}` : "";
    return [
      { text: analysis, fork: false },
      { text: `d${sent.input} ${sign} ${product} = ${formatValue(sent.sent)}${running}`, fork: sent.accumulated },
    ];
  });
}

/**
 * "dW must be 5×10 like W; dD is 5×3 and X is 10×3; the only product that fits is dD·Xᵀ (5×3 times 3×10)".
 * @param {Operand} l
 * @param {Operand} r
 * @param {Operand} out
 * @returns {string}
 */
function leftAnalysis(l, r, out) {
  const need = `d${l.name} must be ${shapeText(l.shape)} like ${l.name}${l.note}`;
  const have = `${out.name} is ${shapeText(out.shape)}${out.note} and ${r.name} is ${shapeText(r.shape)}${r.note}`;
  const fit = `the only product that fits is ${out.name}·${r.name}ᵀ (${shapeText(out.shape)} times ${shapeText([...r.shape].reverse())})`;
  return `${need}; ${have}; ${fit}`;
}

/**
 * "dX must be 10×3 like X; W is 5×10 and dD is 5×3; the only product that fits is Wᵀ·dD (10×5 times 5×3)".
 * @param {Operand} l
 * @param {Operand} r
 * @param {Operand} out
 * @returns {string}
 */
function rightAnalysis(l, r, out) {
  const need = `d${r.name} must be ${shapeText(r.shape)} like ${r.name}${r.note}`;
  const have = `${l.name} is ${shapeText(l.shape)}${l.note} and ${out.name} is ${shapeText(out.shape)}${out.note}`;
  const fit = `the only product that fits is ${l.name}ᵀ·${out.name} (${shapeText([...l.shape].reverse())} times ${shapeText(out.shape)})`;
  return `${need}; ${have}; ${fit}`;
}

/**
 * An operand as a matrix: a vector becomes a row (left) or a column (right).
 * @param {string} name
 * @param {Value | undefined} value
 * @param {"row" | "column"} side
 * @returns {Operand | null}
 */
function operand(name, value, side) {
  const shape = value === undefined ? [] : shapeOf(value);
  if (shape.length === 2) return { name, shape, note: "" };
  if (shape.length !== 1) return null;
  const n = shape[0];
  return { name, shape: side === "row" ? [1, n] : [n, 1], note: ` (a vector of ${n}, read as a ${side})` };
}

/**
 * How the product's own shape reads when a vector made it a vector or a number.
 * @param {Value | undefined} value
 * @param {Operand} l
 * @param {Operand} r
 * @returns {string}
 */
function outNote(value, l, r) {
  if (value === undefined || shapeOf(value).length === 2) return "";
  if (!Array.isArray(value)) return " (a number)";
  return l.note ? ` (a vector of ${r.shape[1]}, read as a row)` : ` (a vector of ${l.shape[0]}, read as a column)`;
}
