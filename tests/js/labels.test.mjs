import { test } from "node:test";
import assert from "node:assert/strict";
import { labelWidth, labelWidths, stubFor, stubLengths, labelValues, wireText, wireWidth, THUMB, badgeLines, outgrows, longest, LABEL_GAP } from "../../static/js/diagram/labels.js";
import { SIZES } from "../../static/js/diagram/geometry.js";

// Widths Chromium measured for 15px bold labels in DejaVu Sans (getComputedTextLength).
const MEASURED = { "-0.5363": 64.1, "0.01799": 68.3, "[2×2] 0.235, …": 125.7, "[0.235, 0.235]": 119.5, "[5×10] -1.25, …": 132 };

test("labelWidth covers the measured widths without overshooting by much", () => {
  for (const [text, width] of Object.entries(MEASURED)) {
    const estimate = labelWidth(text);
    assert.ok(estimate >= width && estimate < width * 1.15, `${text}: ${estimate} vs ${width}`);
  }
  assert.ok(Math.abs(labelWidth("12", 30) - 2 * labelWidth("12", 15)) <= 1);
});

test("scalar labels keep the usual stub; a tensor's gets longer, in steps of 8px", () => {
  assert.equal(stubFor(labelWidth("-0.5363")), SIZES.stub);
  const stub = stubFor(125.7);
  assert.ok(stub >= 125.7 + 2 * LABEL_GAP && stub % 8 === 0);
});

const RESULT = {
  output: "f",
  values: { x: [1, -1], f: 0.5 },
  gradients: { x: [0.235, 0.235], f: 1 },
  trace: { forward: [], backward: [{ id: "f", op: "sum", upstream: 1, inputs: [{ port: 0, input: "x", local: null, sent: [-0.01799, 0.5], total: [-0.01799, 0.5], accumulated: false }] }] },
};

test("a tensor node's labels include the running totals of the backward animation", () => {
  assert.deepEqual(labelValues(RESULT).get("x").map(wireText), ["[1, -1]", "[0.235, 0.235]", "[-0.01799, 0.5]"]);
});

test("a tensor of more than 3 numbers shows its shape, with room for a thumbnail beside it", () => {
  const w = Array.from({ length: 5 }, () => Array(10).fill(-1.25));
  assert.equal(wireText(w), "5×10");
  assert.equal(wireText([1, 2, 3, 4]), "4");
  assert.equal(wireText([1, 2, 3]), "[1, 2, 3]");
  assert.equal(wireWidth(w), labelWidth("5×10") + Math.ceil((THUMB.width + THUMB.gap) * 15));
  assert.ok(wireWidth(w) < labelWidth("[5×10] -1.25, …"), "the shape and thumbnail take less room than the old label");
});

test("stubLengths names only the nodes that need more room, sized for their widest text", () => {
  const widths = labelWidths(RESULT);
  assert.equal(widths.get("x"), labelWidth("[-0.01799, 0.5]"));
  assert.equal(widths.has("f"), false, "scalars always fit the usual stub");
  const stubs = stubLengths(widths);
  assert.deepEqual([...stubs.keys()], ["x"]);
  assert.equal(stubs.get("x"), stubFor(labelWidth("[-0.01799, 0.5]")));
  assert.ok(labelWidths(RESULT, 18).get("x") > widths.get("x"));
});

test("outgrows asks for a new layout only when a label is wider than its stub", () => {
  const stubs = new Map([["x", 160]]);
  assert.equal(outgrows(new Map([["x", 150], ["f", 60]]), stubs), false);
  assert.equal(outgrows(new Map([["x", 161]]), stubs), true);
  assert.equal(outgrows(new Map([["f", labelWidth("[1, 2]")]]), stubs), false);
  assert.equal(outgrows(new Map([["f", labelWidth("[0.235, 0.235]")]]), stubs), true);
});

test("longest keeps the longer stub of each node", () => {
  assert.deepEqual(longest(new Map([["x", 160]]), new Map([["x", 120], ["y", 100]])), new Map([["x", 160], ["y", 100]]));
});

test("a message on its node drops the server's node prefix and wraps at spaces", () => {
  const message = "node 'matmul1': cannot multiply shapes [3, 2] and [3, 3]: matmul needs vectors or matrices whose inner dimensions agree";
  const lines = badgeLines(message);
  assert.equal(lines.join(" "), message.slice("node 'matmul1': ".length));
  assert.ok(lines.every((line) => line.length <= 44));
  assert.deepEqual(badgeLines("open input"), ["open input"]);
});
