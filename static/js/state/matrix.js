/**
 * Vectors and matrices as the user types them: rows of numbers (one row per
 * line, separated by spaces or commas) or JSON, read into a value or a
 * message that points at the row and column; a value written back as rows;
 * the seeded spec {"shape": [r, c], "seed": s} the server fills with numpy's
 * default_rng(s).standard_normal(shape); one cell changed. No DOM.
 * @module matrix
 */

import { formatValue } from "./format.js";

/** @typedef {import("./format.js").Value} Value */
/** @typedef {{shape: number[], seed: number, scale?: number}} Seeded */
/** @typedef {Value | Seeded} Held  what an input holds: numbers, or a seeded spec */
/** @typedef {{value: Held} | {error: string}} Parsed */

/** The largest seeded matrix the browser offers to fill (the server has its own budget). */
const MAX_SIDE = 4096;

/**
 * Read a field: a number, rows of numbers, a JSON list or a JSON seeded spec.
 * @param {string} text
 * @returns {Parsed}
 */
export function parseHeld(text) {
  const trimmed = text.trim();
  if (trimmed === "") return { error: "Type a number, rows of numbers, or JSON." };
  if (trimmed.startsWith("[") || trimmed.startsWith("{")) return parseJson(trimmed);
  const rows = trimmed.split(/\r?\n/).filter((line) => line.trim() !== "");
  /** @type {number[][]} */
  const numbers = [];
  for (const [r, line] of rows.entries()) {
    const cells = line.trim().split(/[\s,;]+/).filter((cell) => cell !== "");
    const row = [];
    for (const [c, cell] of cells.entries()) {
      const x = toNumber(cell);
      if (x === null) return { error: `Row ${r + 1}, column ${c + 1}: "${cell}" is not a number.` };
      row.push(x);
    }
    numbers.push(row);
  }
  const ragged = raggedRow(numbers);
  if (ragged) return { error: ragged };
  if (numbers.length > 1) return { value: numbers };
  return { value: numbers[0].length === 1 ? numbers[0][0] : numbers[0] };
}

/**
 * @param {string} text
 * @returns {Parsed}
 */
function parseJson(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: "This is not valid JSON: check the brackets and commas." };
  }
  if (!Array.isArray(parsed)) return seededOrError(parsed);
  if (parsed.every((x) => typeof x === "number")) return parsed.length ? { value: parsed } : { error: "The list is empty." };
  for (const [r, row] of parsed.entries()) {
    if (!Array.isArray(row)) return { error: `Row ${r + 1} is not a list of numbers.` };
    const c = row.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
    if (c >= 0) return { error: `Row ${r + 1}, column ${c + 1}: ${JSON.stringify(row[c])} is not a number.` };
  }
  return raggedRow(parsed) ? { error: /** @type {string} */ (raggedRow(parsed)) } : { value: parsed };
}

/**
 * @param {any} spec
 * @returns {Parsed}
 */
function seededOrError(spec) {
  if (!spec || typeof spec !== "object" || !Array.isArray(spec.shape) || typeof spec.seed !== "number") {
    return { error: 'JSON must be a list of numbers, a list of rows, or {"shape": [rows, columns], "seed": s}.' };
  }
  const bad = spec.shape.length < 1 || spec.shape.length > 2 || !spec.shape.every((/** @type {any} */ n) => Number.isInteger(n) && n >= 1 && n <= MAX_SIDE);
  if (bad) return { error: `The shape must be one or two whole numbers from 1 to ${MAX_SIDE}.` };
  if (!Number.isInteger(spec.seed) || spec.seed < 0) return { error: "The seed must be a whole number, 0 or more." };
  if (spec.scale !== undefined && !Number.isFinite(spec.scale)) return { error: "The scale must be a number." };
  return { value: seeded(spec.shape, spec.seed, spec.scale) };
}

/**
 * @param {number[][]} rows
 * @returns {string | null}  the first row whose length differs from the first's
 */
function raggedRow(rows) {
  const width = rows[0]?.length ?? 0;
  const r = rows.findIndex((row) => row.length !== width);
  return r < 0 ? null : `Row ${r + 1} has ${count(rows[r].length)} but row 1 has ${count(width)}: every row needs the same number.`;
}

/** @param {number} n */
function count(n) {
  return n === 1 ? "1 number" : `${n} numbers`;
}

/**
 * One number as typed (a minus sign may be the typographic one).
 * @param {string} cell
 * @returns {number | null}  null when it is not a finite number
 */
export function toNumber(cell) {
  const x = Number(cell.trim().replace(/^−/, "-"));
  return cell.trim() !== "" && Number.isFinite(x) ? x : null;
}

/**
 * The seeded spec the server expands.
 * @param {number[]} shape
 * @param {number} seed
 * @param {number} [scale]
 * @returns {Seeded}
 */
function seeded(shape, seed, scale) {
  return scale === undefined || scale === 1 ? { shape: [...shape], seed } : { shape: [...shape], seed, scale };
}

/**
 * @param {Held | undefined} held
 * @returns {held is Seeded}
 */
export function isSeeded(held) {
  return typeof held === "object" && held !== null && !Array.isArray(held);
}

/**
 * What a field shows: a number, one row, rows on lines, or the spec as JSON.
 * @param {Held} held
 * @returns {string}
 */
export function heldText(held) {
  if (isSeeded(held)) return JSON.stringify(held);
  if (!Array.isArray(held)) return String(held);
  return held.map((row) => (Array.isArray(row) ? row.join(" ") : String(row))).join(Array.isArray(held[0]) ? "\n" : " ");
}

/**
 * A short label: the numbers, or "seed 3, 5×10" for a seeded spec.
 * @param {Held} held
 * @returns {string}
 */
export function heldLabel(held) {
  return isSeeded(held) ? `seed ${held.seed}, ${shapeText(held.shape)}` : formatValue(held);
}

/**
 * A tensor's shape as numpy gives it; [] for a number.
 * @param {Value} value
 * @returns {number[]}
 */
export function shapeOf(value) {
  if (!Array.isArray(value)) return [];
  const first = value[0];
  return Array.isArray(first) ? [value.length, first.length] : [value.length];
}

/**
 * "5×10", "4" (a vector), "" (a number).
 * @param {number[]} shape
 * @returns {string}
 */
export function shapeText(shape) {
  return shape.join("×");
}

/**
 * A value as rows: a vector is one row.
 * @param {Value} value
 * @returns {number[][]}
 */
export function rowsOf(value) {
  if (!Array.isArray(value)) return [[value]];
  return Array.isArray(value[0]) ? /** @type {number[][]} */ (value) : [/** @type {number[]} */ (value)];
}

/**
 * The same value with one cell changed (a vector's cells are in row 0).
 * @param {Value} value
 * @param {number} row
 * @param {number} column
 * @param {number} x
 * @returns {Value}
 */
export function withCell(value, row, column, x) {
  if (!Array.isArray(value)) return x;
  if (!Array.isArray(value[0])) return /** @type {number[]} */ (value).map((v, c) => (c === column ? x : v));
  return /** @type {number[][]} */ (value).map((cells, r) => (r === row ? cells.map((v, c) => (c === column ? x : v)) : cells));
}
