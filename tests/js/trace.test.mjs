import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildSteps, frameAt, readout, contributions } from "../../static/js/state/trace.js";

const staged = JSON.parse(readFileSync(new URL("./fixtures/staged.json", import.meta.url)));
const TITLES = { div: "Divide", add: "Add", pow: "Power" };
const words = {
  formula: (op, inputs, params) => (op === "pow" ? `${inputs[0]} ** ${params.p}` : `${op}(${inputs.join(", ")})`),
  title: (op) => TITLES[op] ?? op,
  params: (id) => (id === "pow1" ? { p: 2 } : undefined),
};

test("the script runs start, forward gates, seed, backward gates, done", () => {
  const steps = buildSteps(staged);
  assert.deepEqual(steps.map((s) => s.kind), ["start", ...Array(7).fill("forward"), "seed", ...Array(7).fill("backward"), "done"]);
});

test("at the start only the inputs' values show", () => {
  const steps = buildSteps(staged);
  const frame = frameAt(staged, steps, 0);
  assert.deepEqual([...frame.values].sort(), ["x", "y"]);
  assert.equal(frame.grads.size, 0);
});

test("the seed shows the output's gradient of 1", () => {
  const steps = buildSteps(staged);
  const seed = steps.findIndex((s) => s.kind === "seed");
  const frame = frameAt(staged, steps, seed);
  assert.equal(frame.grads.get("f"), 1);
  assert.equal(frame.values.size, 9);
});

test("running totals grow at the fork and end at the notes' dx = 2.06, dy = 1.59", () => {
  const steps = buildSteps(staged);
  const last = frameAt(staged, steps, steps.length - 2);
  assert.ok(Math.abs(last.grads.get("x") - 2.06) < 0.005);
  assert.ok(Math.abs(last.grads.get("y") - 1.59) < 0.005);
  const xs = contributions(steps, "x");
  assert.equal(xs.length, 3);
  assert.ok(Math.abs(xs.reduce((a, c) => a + c.sent, 0) - 2.06) < 0.005);
});

test("a fork's readout shows += and the running sum", () => {
  const steps = buildSteps(staged);
  const step = steps.find((s) => s.kind === "backward" && s.entry.inputs.some((i) => i.accumulated));
  const text = readout(step, staged, words);
  const fork = text.lines.find((l) => l.fork);
  assert.match(fork.text, /^d[xy] \+= local .* × upstream .* = .*→ d[xy] = /);
});

test("a plain readout shows local × upstream = sent", () => {
  const steps = buildSteps(staged);
  const first = steps.find((s) => s.kind === "backward");
  const text = readout(first, staged, words);
  assert.equal(text.title, "Backward through f (Divide)");
  // the notes: f = num * invden, so d(num) = invden = 1 / 1.953 = 0.5121
  assert.equal(text.lines[0].text, "dadd1 = local 0.5121 × upstream 1 = 0.5121");
});

test("a forward step shows its numbers, and a power gate its exponent", () => {
  const steps = buildSteps(staged);
  const square = steps.find((s) => s.kind === "forward" && s.entry.op === "pow");
  const text = readout(square, staged, words);
  assert.equal(text.title, "Forward: pow1 (Power)");
  // x + y = 3 - 4 = -1 in the notes, squared is 1
  assert.equal(text.lines[0].text, "pow1 = add2 ** 2 = (-1) ** 2 = 1");
});

test("the done step lists every input's gradient", () => {
  const steps = buildSteps(staged);
  const text = readout(steps.at(-1), staged, words);
  assert.deepEqual(text.lines.map((l) => l.text), ["dx = 2.06", "dy = 1.592"]);
});

test("a group's steps read as one gate named by the group, with its local gradient", () => {
  const words = { formula: (op, inputs) => `${op}(${inputs.join(", ")})`, title: (op) => op.toUpperCase() };
  const result = { output: "f", values: { dot: 1, f: 0.7310585786300049 }, gradients: { dot: 0.19661193324148188, f: 1 } };
  const forward = readout({ kind: "forward", entry: { id: "f", op: "group", name: "sigmoid", inputs: ["dot"], value: 0.7310585786300049 } }, result, words);
  assert.equal(forward.title, 'Forward: f (group "sigmoid")');
  assert.equal(forward.lines[0].text, "f = sigmoid(dot) = sigmoid(1) = 0.7311");
  const sent = { port: 0, input: "dot", local: 0.19661193324148188, sent: 0.19661193324148188, total: 0.19661193324148188, accumulated: false };
  const backward = readout({ kind: "backward", entry: { id: "f", op: "group", name: "sigmoid", upstream: 1, inputs: [sent] } }, result, words);
  assert.equal(backward.title, 'Backward through f (group "sigmoid")');
  assert.match(backward.subtitle ?? "", /backprop through its gates/);
  assert.equal(backward.lines[0].text, "ddot = local 0.1966 × upstream 1 = 0.1966");
});
