import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildSteps } from "../../static/js/state/trace.js";
import { initialState } from "../../static/js/state/store.js";
import { patternLabels, patternText } from "../../static/js/diagram/patterns.js";

const staged = JSON.parse(readFileSync(new URL("./fixtures/staged.json", import.meta.url)));
const GATES = new Map([["pow", { local_gradient: ["p * x ** (p - 1)"] }], ["sigmoid", { local_gradient: ["(1 - out) * out"] }]]);

/** The state showing the staged example at `step`, patterns on or off. */
function at(step, patterns = true) {
  const state = initialState();
  const steps = buildSteps(staged);
  return { ...state, steps, step: step < 0 ? steps.length + step : step, view: { ...state.view, patterns }, catalog: { ...state.catalog, gates: GATES } };
}

test("add, max and mul get the notes' words; other gates their local rule", () => {
  assert.equal(patternText("add", GATES), "add: distributes");
  assert.equal(patternText("max", GATES), "max: routes to the larger");
  assert.equal(patternText("mul", GATES), "mul: swaps and scales");
  assert.equal(patternText("pow", GATES), "grad × p * x ** (p - 1)");
});

test("no labels when patterns are off, or before the backward pass", () => {
  assert.equal(patternLabels(at(-1, false)).size, 0);
  const seed = buildSteps(staged).findIndex((s) => s.kind === "seed");
  assert.equal(patternLabels(at(seed)).size, 0);
});

test("the gates the backward pass reached are labelled, the one it works on current", () => {
  const steps = buildSteps(staged);
  const second = steps.findIndex((s) => s.kind === "backward") + 1;
  const labels = patternLabels(at(second));
  const reached = steps.slice(0, second + 1).filter((s) => s.kind === "backward").map((s) => s.kind === "backward" && s.entry.id);
  assert.deepEqual([...labels.keys()], reached);
  assert.deepEqual([...labels.values()].map((l) => l.current), [false, true]);
});

test("once the pass is done every gate is labelled and none is current", () => {
  const labels = patternLabels(at(-1));
  assert.equal(labels.size, buildSteps(staged).filter((s) => s.kind === "backward").length);
  assert.ok([...labels.values()].every((l) => !l.current));
});
