/**
 * Number formatting for the diagram: compact labels (3-4 significant digits)
 * and full precision for tooltips. DOM-free.
 * @module format
 */

/** @typedef {number | number[] | number[][]} Value */

/**
 * A compact label: 4 significant digits below 1,000 in magnitude, trailing
 * zeros trimmed to 2 decimals at most ("2.06", "-0.5363", "1", "1.2e+6").
 * @param {number} x
 * @returns {string}
 */
export function formatNumber(x) {
  if (typeof x !== "number" || Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "∞" : "−∞";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-3) return tidyExponent(x.toExponential(2));
  const text = x.toPrecision(abs >= 1000 ? 5 : 4);
  return stripZeros(text);
}

/**
 * "2.000" -> "2", "2.060" -> "2.06", "-0.5000" -> "-0.5".
 * @param {string} text
 * @returns {string}
 */
function stripZeros(text) {
  if (!text.includes(".")) return text;
  return text.replace(/\.?0+$/, "");
}

/**
 * "1.20e+6" -> "1.2e6", "-3.00e-5" -> "-3e-5".
 * @param {string} text
 * @returns {string}
 */
function tidyExponent(text) {
  const [mantissa, exponent] = text.split("e");
  return `${stripZeros(mantissa)}e${Number(exponent)}`;
}

/**
 * Full precision, as JSON would write it; tensors as nested lists.
 * @param {Value} value
 * @returns {string}
 */
export function formatFull(value) {
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * What a wire label shows: a number, or a tensor's shape and first entries.
 * @param {Value} value
 * @returns {string}
 */
export function formatValue(value) {
  if (!Array.isArray(value)) return formatNumber(value);
  const flat = value.flat(2);
  const shape = Array.isArray(value[0]) ? `${value.length}×${value[0].length}` : `${value.length}`;
  if (flat.length <= 3) return `[${flat.map(formatNumber).join(", ")}]`;
  return `[${shape}] ${formatNumber(flat[0])}, …`;
}
