import { test } from "node:test";
import assert from "node:assert/strict";
import { matmulLines } from "../../static/js/state/dims.js";
import { readout } from "../../static/js/state/trace.js";

const filled = (rows, columns, x = 0.5) => Array.from({ length: rows }, () => Array(columns).fill(x));
const sent = (port, input, value, accumulated = false) => ({ port, input, local: null, sent: value, total: value, accumulated });

// the notes' shapes: W is 5x10, X is 10x3, so D = W.X is 5x3
const NOTES = {
  entry: { id: "D", op: "matmul", upstream: filled(5, 3), inputs: [sent(0, "W", filled(5, 10)), sent(1, "X", filled(10, 3))] },
  values: { W: filled(5, 10), X: filled(10, 3), D: filled(5, 3) },
};

test("dW: its shape is W's, and only dD times X transposed has it", () => {
  const [analysis, product] = matmulLines(NOTES.entry, NOTES.values);
  assert.equal(analysis.text, "dW must be 5×10 like W; dD is 5×3 and X is 10×3; the only product that fits is dD·Xᵀ (5×3 times 3×10)");
  assert.equal(product.text, "dW = dD·Xᵀ = [5×10] 0.5, …");
});

test("dX: its shape is X's, and only W transposed times dD has it", () => {
  const [, , analysis, product] = matmulLines(NOTES.entry, NOTES.values);
  assert.equal(analysis.text, "dX must be 10×3 like X; W is 5×10 and dD is 5×3; the only product that fits is Wᵀ·dD (10×5 times 5×3)");
  assert.equal(product.text, "dX = Wᵀ·dD = [10×3] 0.5, …");
});

test("a vector on the right is read as a column, and a fork says += with the running total", () => {
  const entry = { id: "h", op: "matmul", upstream: [1, 2, 3, 4, 5], inputs: [sent(0, "W", filled(5, 4)), sent(1, "x", [1, 2, 3, 4], true)] };
  const lines = matmulLines(entry, { W: filled(5, 4), x: [0, 0, 0, 0], h: [0, 0, 0, 0, 0] });
  assert.equal(lines[0].text, "dW must be 5×4 like W; dh is 5×1 (a vector of 5, read as a column) and x is 4×1 (a vector of 4, read as a column); the only product that fits is dh·xᵀ (5×1 times 1×4)");
  assert.match(lines[2].text, /^dx must be 4×1 like x \(a vector of 4, read as a column\); W is 5×4 and dh is 5×1 .*Wᵀ·dh \(4×5 times 5×1\)$/);
  assert.equal(lines[3].fork, true);
  assert.match(lines[3].text, /^dx \+= Wᵀ·dh = .* → dx = /);
});

test("a vector on the left is read as a row", () => {
  const entry = { id: "y", op: "matmul", upstream: [1, 1], inputs: [sent(0, "v", [1, 2, 3]), sent(1, "M", filled(3, 2))] };
  const lines = matmulLines(entry, { v: [1, 2, 3], M: filled(3, 2), y: [0, 0] });
  assert.equal(lines[0].text, "dv must be 1×3 like v (a vector of 3, read as a row); dy is 1×2 (a vector of 2, read as a row) and M is 3×2; the only product that fits is dy·Mᵀ (1×2 times 2×3)");
});

test("a matmul with a number as operand has no analysis to make", () => {
  const entry = { id: "y", op: "matmul", upstream: 1, inputs: [sent(0, "a", 2), sent(1, "b", 3)] };
  assert.equal(matmulLines(entry, { a: 2, b: 3, y: 6 }), null);
});

test("the readout of a backward step through a matmul walks the dimension analysis", () => {
  const words = { formula: (op, inputs) => inputs.join(" @ "), title: () => "Matrix multiply" };
  const result = { output: "f", values: NOTES.values, gradients: {} };
  const shown = readout({ kind: "backward", entry: NOTES.entry }, result, words);
  assert.equal(shown.title, "Backward through D (Matrix multiply)");
  assert.match(shown.subtitle, /dimension analysis/);
  assert.deepEqual(shown.lines.map((l) => l.text.split(";")[0]), ["dW must be 5×10 like W", "dW = dD·Xᵀ = [5×10] 0.5, …", "dX must be 10×3 like X", "dX = Wᵀ·dD = [10×3] 0.5, …"]);
});
