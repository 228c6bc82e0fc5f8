/**
 * A diverging colour scale centred at 0 (blue below, white at 0, red above,
 * ColorBrewer's RdBu ends) and the pixels of a heatmap, one per cell. Used by
 * the wire thumbnails and the matrix view; no DOM.
 * @module heat
 */

/** @typedef {[number, number, number]} Rgb */

const NEGATIVE = /** @type {Rgb} */ ([33, 102, 172]);
const ZERO = /** @type {Rgb} */ ([247, 247, 247]);
const POSITIVE = /** @type {Rgb} */ ([178, 24, 43]);
const NOT_A_NUMBER = /** @type {Rgb} */ ([140, 140, 140]);

/**
 * The largest magnitude: the scale runs from -limit to +limit (1 when all are 0).
 * @param {number[][]} rows
 * @returns {number}
 */
export function limitOf(rows) {
  let limit = 0;
  for (const row of rows) for (const x of row) if (Number.isFinite(x) && Math.abs(x) > limit) limit = Math.abs(x);
  return limit || 1;
}

/**
 * The colour of x on the scale from -limit to +limit.
 * @param {number} x
 * @param {number} limit
 * @returns {Rgb}
 */
export function colourOf(x, limit) {
  if (Number.isNaN(x)) return NOT_A_NUMBER;
  const t = Math.max(-1, Math.min(1, x / limit));
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const k = Math.abs(t);
  return /** @type {Rgb} */ (ZERO.map((z, i) => Math.round(z + (end[i] - z) * k)));
}

/**
 * RGBA pixels of a heatmap, one pixel per cell, row by row (ImageData's layout).
 * @param {number[][]} rows
 * @param {number} limit
 * @returns {Uint8ClampedArray<ArrayBuffer>}
 */
export function pixels(rows, limit) {
  const width = rows[0]?.length ?? 0;
  const data = new Uint8ClampedArray(rows.length * width * 4);
  rows.forEach((row, r) => {
    row.forEach((x, c) => {
      const at = (r * width + c) * 4;
      data.set(colourOf(x, limit), at);
      data[at + 3] = 255;
    });
  });
  return data;
}
