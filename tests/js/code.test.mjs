import { test } from "node:test";
import assert from "node:assert/strict";
import { codeLines, selectionLines, stepLines, wantsCode } from "../../static/js/state/code.js";
import { Store } from "../../static/js/state/store.js";
import { Session } from "../../static/js/state/session.js";

// what POST /api/codegen answers for the notes' (x + y) z, cut to the fields read here
const staged = {
  code: "# inputs\nx = -2.0\ny = 5.0\nz = -4.0\n",
  lines: { x: { forward: [2], backward: [] }, q: { forward: [7], backward: [19, 20] }, f: { forward: [8], backward: [15, 16] } },
  seed: 12,
};
const circuit = {
  nodes: [
    { id: "x", op: "input", value: -2 },
    { id: "y", op: "input", value: 5 },
    { id: "z", op: "input", value: -4 },
    { id: "q", op: "add", inputs: ["x", "y"] },
    { id: "f", op: "mul", inputs: ["q", "z"] },
  ],
  output: "f",
};

test("the code's lines drop only the newline ending the last one", () => {
  assert.deepEqual(codeLines(staged.code), ["# inputs", "x = -2.0", "y = 5.0", "z = -4.0"]);
  assert.deepEqual(codeLines("a\n\nb"), ["a", "", "b"]);
});

test("a selected gate owns its forward line and its backprop lines", () => {
  assert.deepEqual(selectionLines(staged, { kind: "node", id: "q" }), [7, 19, 20]);
  assert.deepEqual(selectionLines(staged, { kind: "node", id: "x" }), [2]);
  assert.deepEqual(selectionLines(staged, { kind: "wire", source: "x" }), []);
  assert.deepEqual(selectionLines(staged, null), []);
});

test("each animation step runs its own lines: forward, seed, backprop", () => {
  const entry = { id: "q", op: "add", inputs: [] };
  assert.deepEqual(stepLines(staged, { kind: "forward", entry: { ...entry, value: 3 } }), [7]);
  assert.deepEqual(stepLines(staged, { kind: "seed", id: "f", grad: 1 }), [12]);
  assert.deepEqual(stepLines(staged, { kind: "backward", entry: { id: "f", op: "mul", upstream: 1, inputs: [] } }), [15, 16]);
  assert.deepEqual(stepLines(staged, { kind: "start" }), []);
  assert.deepEqual(stepLines(staged, undefined), []);
});

/** An API that evaluates and stages on demand, answering when the test says. */
function fakeApi() {
  const asked = [];
  const api = {
    asked,
    evaluate: async () => ({ ok: true, data: { output: "f", values: { f: -12 }, gradients: { f: 1 }, trace: { forward: [], backward: [] } } }),
    codegen: (body) => new Promise((resolve) => asked.push({ body, resolve })),
  };
  return api;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test("the session fetches the code only while the Code tab is shown, once per revision", async () => {
  const store = new Store();
  const api = fakeApi();
  new Session(store, /** @type {any} */ (api));
  store.dispatch({ type: "open", circuit, source: { kind: "circuit" } });
  await settle();
  assert.equal(api.asked.length, 0, "the Explain tab needs no code");
  store.update({ view: { ...store.state.view, panel: "code" } }, ["view"]);
  store.update({ view: { ...store.state.view } }, ["view"]);
  assert.equal(api.asked.length, 1, "one request per revision");
  assert.deepEqual(api.asked[0].body.nodes.map((n) => n.id), ["x", "y", "z", "q", "f"]);
  api.asked[0].resolve({ ok: true, data: staged });
  await settle();
  assert.equal(store.state.code?.revision, store.state.revision);
  assert.equal(store.state.code?.staged, staged);
});

test("an answer for an older revision is dropped, and a refusal is kept as the problem", async () => {
  const store = new Store();
  const api = fakeApi();
  new Session(store, /** @type {any} */ (api));
  store.update({ view: { ...store.state.view, panel: "code" } }, ["view"]);
  store.dispatch({ type: "open", circuit, source: { kind: "circuit" } });
  await settle();
  assert.equal(api.asked.length, 1);
  store.dispatch({ type: "open", circuit: { ...circuit, output: "f" }, source: { kind: "circuit" } });
  await settle();
  assert.equal(api.asked.length, 2);
  api.asked[0].resolve({ ok: true, data: staged });
  await settle();
  assert.equal(store.state.code, null, "the first circuit's code is not shown for the second");
  api.asked[1].resolve({ ok: false, status: 422, errors: [{ msg: "Natural log needs a positive input" }] });
  await settle();
  assert.equal(store.state.code?.error, "Natural log needs a positive input");
  assert.equal(wantsCode(store.state, null), false);
});
