import { test } from "node:test";
import assert from "node:assert/strict";
import { readQuery, writeLink, applyValues } from "../../static/js/state/url.js";
import { createApi, readErrors } from "../../static/js/state/api.js";
import { fromCircuit } from "../../static/js/state/circuit.js";

const circuit = { nodes: [{ id: "x", op: "input", value: -2 }, { id: "y", op: "input", value: 5 }, { id: "q", op: "add", inputs: ["x", "y"] }] };

test("a link with an expression and values opens them", () => {
  assert.deepEqual(readQuery("?expr=(x%2By)*z&x=-2&y=5&z=-4"), { kind: "expr", expr: "(x+y)*z", values: { x: -2, y: 5, z: -4 } });
  assert.deepEqual(readQuery("?example=staged"), { kind: "example", id: "staged", values: {} });
  assert.deepEqual(readQuery(""), { kind: "none" });
  assert.deepEqual(readQuery("?circuit=%7Bbad"), { kind: "none" });
});

test("the URL follows an expression's values", () => {
  const model = fromCircuit(circuit, { kind: "expr", expr: "x + y" });
  model.nodes.get("x").value = 3;
  assert.equal(writeLink(model), "/?expr=x+%2B+y&x=3&y=5");
  assert.equal(writeLink(model, { large: true }), "/?expr=x+%2B+y&x=3&y=5&large=1");
});

test("a hand-built circuit round-trips through its link", () => {
  const model = fromCircuit(circuit);
  model.nodes.get("q").ui = { x: 1, y: 2 };
  const back = readQuery(writeLink(model).slice(1));
  assert.equal(back.kind, "circuit");
  assert.deepEqual(back.circuit.nodes, circuit.nodes);
});

test("a saved circuit keeps its own link, with its values, until its structure is edited", () => {
  assert.deepEqual(readQuery("?x=3", "/c/Jq3T0pX8bW5cGd1vNnR7ZA"), { kind: "saved", id: "Jq3T0pX8bW5cGd1vNnR7ZA", values: { x: 3 } });
  const saved = fromCircuit(circuit, { kind: "saved", id: "abc" });
  assert.equal(writeLink(saved), "/c/abc?x=-2&y=5");
  const edited = fromCircuit(circuit, { kind: "circuit", from: "add-mul" });
  assert.equal(readQuery(writeLink(edited).slice(1)).from, "add-mul");
});

test("values from a link reach only input nodes", () => {
  const model = fromCircuit(circuit);
  applyValues(model, { x: 9, q: 1, nope: 2 });
  assert.equal(model.nodes.get("x").value, 9);
  assert.equal(model.nodes.get("q").value, undefined);
});

test("readErrors keeps the node and position the API names", () => {
  const errors = readErrors({ detail: [{ loc: ["body"], msg: "bad", type: "not_finite", node: "f" }, { msg: "oops", position: 3 }] }, 422);
  assert.deepEqual(errors.map((e) => [e.node, e.position]), [["f", undefined], [undefined, 3]]);
  assert.deepEqual(readErrors({ detail: "Not Found" }, 404), [{ msg: "Not Found" }]);
  assert.match(readErrors(null, 500)[0].msg, /500/);
});

test("the client posts JSON and reports failures without throwing", async () => {
  const calls = [];
  const fake = async (url, init) => {
    calls.push([url, init]);
    if (url.endsWith("evaluate")) return new Response(JSON.stringify({ detail: [{ msg: "x", type: "cycle", node: "q" }] }), { status: 422 });
    return new Response(JSON.stringify({ gates: [] }), { status: 200 });
  };
  const api = createApi(fake);
  assert.deepEqual(await api.gates(), { ok: true, data: { gates: [] } });
  const answer = await api.evaluate(circuit);
  assert.equal(answer.ok, false);
  assert.equal(answer.errors[0].node, "q");
  assert.equal(calls[1][1].method, "POST");
  const down = await createApi(async () => { throw new TypeError("refused"); }).gates();
  assert.equal(down.ok, false);
  assert.equal(down.status, 0);
});
