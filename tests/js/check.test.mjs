import { test } from "node:test";
import assert from "node:assert/strict";
import { Store } from "../../static/js/state/store.js";
import { CheckSession, SCAN_STEPS, chosenInput, setCheck, sweepRange, wantedKey } from "../../static/js/state/check.js";
import { fromCircuit } from "../../static/js/state/circuit.js";
import { extent, linearTicks, logTicks, scale } from "../../static/js/panels/plot.js";

const NOTES = {
  nodes: [
    { id: "x", op: "input", value: -2 },
    { id: "y", op: "input", value: 5 },
    { id: "z", op: "input", value: -4 },
    { id: "q", op: "add", inputs: ["x", "y"] },
    { id: "f", op: "mul", inputs: ["q", "z"] },
  ],
  output: "f",
};

/** A store showing the Check tab with an evaluated circuit. */
function checkStore() {
  const store = new Store();
  store.update({ model: fromCircuit(NOTES), result: { output: "f", values: {}, gradients: {} }, view: { ...store.state.view, panel: "check" } }, ["circuit"]);
  return store;
}

/** An API whose answers wait until released, recording what was asked. */
function fakeApi() {
  const asked = [];
  const waiting = [];
  const answer = (data) => new Promise((resolve) => waiting.push(() => resolve({ ok: true, data })));
  return {
    asked,
    waiting,
    release: () => waiting.splice(0).forEach((go) => go()),
    gradcheck: (circuit, h) => (asked.push(["gradcheck", h]), answer({ h, inputs: { x: { analytic: -4, numeric: -4, rel_error: h } }, max_rel_error: h })),
    sweep: (request) => (asked.push(["sweep", request.input, request.from, request.to, request.points]), answer({ input: request.input, output: "f", xs: [request.from, request.to], values: [1, 2], gradients: [3, 3] })),
  };
}

/** A store on the Check tab followed by a session with a fake API. */
function watched() {
  const store = checkStore();
  const api = fakeApi();
  new CheckSession(store, api);
  return { store, api };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Answer every request, and those the answers lead to, until none is waiting. */
async function drain(api) {
  do {
    api.release();
    await settle();
  } while (api.waiting.length);
}

test("the first scalar input is chosen until another is picked", () => {
  const store = checkStore();
  assert.deepEqual(chosenInput(store.state), { id: "x", value: -2 });
  setCheck(store, { input: "z" });
  assert.deepEqual(chosenInput(store.state), { id: "z", value: -4 });
  setCheck(store, { input: "gone" });
  assert.equal(chosenInput(store.state)?.id, "x");
});

test("a sweep covers the value with at least 2 either side", () => {
  assert.deepEqual(sweepRange(-4), [-12, 4]);
  assert.deepEqual(sweepRange(0.5), [-1.5, 2.5]);
});

test("the session asks for the check, the scan, the sweep and the nudge once, then shows them", async () => {
  const { store, api } = watched();
  setCheck(store, { h: 0.01 });
  setCheck(store, { h: 0.01 });
  assert.equal(api.asked.filter(([kind]) => kind === "gradcheck").length, 2); // the scan asks one step at a time
  await drain(api);
  assert.equal(api.asked.filter(([kind]) => kind === "gradcheck").length, 1 + SCAN_STEPS.length);
  assert.deepEqual(api.asked.filter(([kind]) => kind === "sweep"), [["sweep", "x", -6, 2, 201], ["sweep", "x", -2, -1.99, 2]]);
  assert.equal(store.state.check.key, wantedKey(store.state));
  assert.equal(store.state.check.gradcheck?.h, 0.01);
  assert.deepEqual(store.state.check.scan.map((p) => p.rel), SCAN_STEPS);
  assert.deepEqual(store.state.check.nudge, { input: "x", x: -2, h: 0.01, fx: 1, fxh: 2 });
});

test("answers for an older step are dropped and the newer step is asked for", async () => {
  const { store, api } = watched();
  setCheck(store, { h: 0.1 });
  setCheck(store, { h: 0.2 });
  await drain(api);
  assert.equal(store.state.check.gradcheck?.h, 0.2);
});

test("nothing is asked while another tab is shown", async () => {
  const store = checkStore();
  store.update({ view: { ...store.state.view, panel: "explain" } }, ["view"]);
  const api = fakeApi();
  new CheckSession(store, api);
  setCheck(store, { h: 0.3 });
  assert.equal(api.asked.length, 0);
  store.update({ view: { ...store.state.view, panel: "check" } }, ["view"]);
  await drain(api);
  assert.equal(api.asked.length, 1 + SCAN_STEPS.length + 2);
});

test("linear ticks are round steps covering the range", () => {
  assert.deepEqual(linearTicks(-12, 4), [-10, -5, 0]);
  assert.deepEqual(linearTicks(-12, 4, 8), [-12, -10, -8, -6, -4, -2, 0, 2, 4]);
  assert.deepEqual(linearTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
});

test("log ticks are the powers of ten inside, every other one when many", () => {
  assert.deepEqual(logTicks(0.5e-3, 2), [1e-3, 1e-2, 1e-1, 1]);
  assert.deepEqual(logTicks(1e-10, 1e-1), [1e-10, 1e-8, 1e-6, 1e-4, 1e-2]);
});

test("scales map the domain's ends to the range's, in log10 when asked", () => {
  const linear = scale([0, 10], [100, 200]);
  assert.equal(linear(5), 150);
  const log = scale([1e-10, 1], [0, 100], true);
  assert.equal(log(1e-5), 50);
});

test("extent skips nulls, and non-positive values on a log axis", () => {
  assert.deepEqual(extent([1, null, 3]), [0.9, 3.1]);
  assert.deepEqual(extent([0, 1e-8, null, 1e-2], true), [0.5e-8, 2e-2]);
});
