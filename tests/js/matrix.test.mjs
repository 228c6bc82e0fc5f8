import { test } from "node:test";
import assert from "node:assert/strict";
import { parseHeld, heldText, heldLabel, isSeeded, shapeOf, shapeText, rowsOf, withCell } from "../../static/js/state/matrix.js";
import { colourOf, limitOf, pixels } from "../../static/js/diagram/heat.js";

test("parseHeld reads a number, a row as a vector, and rows as a matrix", () => {
  assert.deepEqual(parseHeld(" -2 "), { value: -2 });
  assert.deepEqual(parseHeld("−4"), { value: -4 });
  assert.deepEqual(parseHeld("1e3"), { value: 1000 });
  assert.deepEqual(parseHeld("1, 2  3"), { value: [1, 2, 3] });
  assert.deepEqual(parseHeld("1 2 3\n4,5,6\n\n -7\t8 9 \n"), { value: [[1, 2, 3], [4, 5, 6], [-7, 8, 9]] });
  assert.deepEqual(parseHeld("1\n2"), { value: [[1], [2]] }, "one number per line is a column");
});

test("parseHeld reads JSON lists and the seeded spec", () => {
  assert.deepEqual(parseHeld("[1, 2]"), { value: [1, 2] });
  assert.deepEqual(parseHeld("[[1, 2], [3, 4]]"), { value: [[1, 2], [3, 4]] });
  assert.deepEqual(parseHeld('{"shape": [5, 10], "seed": 3}'), { value: { shape: [5, 10], seed: 3 } });
  assert.deepEqual(parseHeld('{"shape": [4], "seed": 0, "scale": 0.01}'), { value: { shape: [4], seed: 0, scale: 0.01 } });
});

test("parseHeld points at the row and column of a number that is not one", () => {
  assert.deepEqual(parseHeld("1 2 3\n4 x 6"), { error: 'Row 2, column 2: "x" is not a number.' });
  assert.deepEqual(parseHeld("abc"), { error: 'Row 1, column 1: "abc" is not a number.' });
  assert.deepEqual(parseHeld('[[1, 2], [3, "a"]]'), { error: 'Row 2, column 2: "a" is not a number.' });
  assert.deepEqual(parseHeld("[[1, 2], 3]"), { error: "Row 2 is not a list of numbers." });
  assert.match(parseHeld("").error, /Type a number/);
  assert.match(parseHeld("[1, 2").error, /not valid JSON/);
});

test("parseHeld names the first ragged row and how many numbers each has", () => {
  assert.deepEqual(parseHeld("1 2 3\n4 5 6\n7 8"), { error: "Row 3 has 2 numbers but row 1 has 3 numbers: every row needs the same number." });
  assert.deepEqual(parseHeld("[[1, 2], [3]]"), { error: "Row 2 has 1 number but row 1 has 2 numbers: every row needs the same number." });
});

test("parseHeld refuses a seeded spec it cannot fill", () => {
  assert.match(parseHeld('{"shape": [0, 3], "seed": 1}').error, /shape must be one or two whole numbers/);
  assert.match(parseHeld('{"shape": [2, 3, 4], "seed": 1}').error, /shape must be/);
  assert.match(parseHeld('{"shape": [2, 3], "seed": -1}').error, /seed must be a whole number/);
  assert.match(parseHeld('{"size": 3}').error, /JSON must be/);
});

test("heldText writes what parseHeld reads back", () => {
  for (const value of [2.5, [1, -2, 3], [[1, 2], [3, 4.25]], [[1], [2]], { shape: [5, 10], seed: 3 }]) {
    assert.deepEqual(parseHeld(heldText(value)), { value });
  }
  assert.equal(heldText([[1, 2], [3, 4]]), "1 2\n3 4");
});

test("shapes, rows and labels of numbers, vectors, matrices and seeded specs", () => {
  assert.deepEqual(shapeOf(3), []);
  assert.deepEqual(shapeOf([1, 2, 3, 4]), [4]);
  assert.deepEqual(shapeOf([[1, 2, 3], [4, 5, 6]]), [2, 3]);
  assert.equal(shapeText([5, 10]), "5×10");
  assert.deepEqual(rowsOf([1, 2]), [[1, 2]]);
  assert.deepEqual(rowsOf(7), [[7]]);
  assert.equal(heldLabel({ shape: [5, 10], seed: 3 }), "seed 3, 5×10");
  assert.equal(heldLabel(-0.5), "-0.5");
  assert.equal(isSeeded([1, 2]), false);
});

test("withCell changes one cell and leaves the original alone", () => {
  const w = [[1, 2], [3, 4]];
  assert.deepEqual(withCell(w, 1, 0, 9), [[1, 2], [9, 4]]);
  assert.deepEqual(w, [[1, 2], [3, 4]]);
  assert.deepEqual(withCell([1, 2, 3], 0, 2, -1), [1, 2, -1]);
});

test("the colour scale is white at 0, RdBu's red at +limit and blue at -limit, clamped beyond", () => {
  assert.deepEqual(colourOf(0, 2), [247, 247, 247]);
  assert.deepEqual(colourOf(2, 2), [178, 24, 43]);
  assert.deepEqual(colourOf(-2, 2), [33, 102, 172]);
  assert.deepEqual(colourOf(-5, 2), [33, 102, 172]);
  assert.deepEqual(colourOf(1, 2), [213, 136, 145]);
  assert.equal(limitOf([[1, -3], [2, 0]]), 3);
  assert.equal(limitOf([[0, 0]]), 1, "an all-zero matrix still has a scale");
});

test("pixels lays out one opaque RGBA pixel per cell, row by row", () => {
  const data = pixels([[1, 0], [0, -1]], 1);
  assert.equal(data.length, 16);
  assert.deepEqual([...data.slice(0, 4)], [178, 24, 43, 255]);
  assert.deepEqual([...data.slice(12, 16)], [33, 102, 172, 255]);
});
