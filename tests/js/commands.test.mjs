import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromCircuit, toCircuit, openPorts, outputOf, freshId, wouldCycle, newNode, sinks } from "../../static/js/state/circuit.js";
import { apply, replay } from "../../static/js/state/commands.js";
import { Store } from "../../static/js/state/store.js";
import { History } from "../../static/js/state/history.js";

const ADD = { op: "add", arity: { min: 2, max: null }, params: [], leaf: false };
const MUL = { op: "mul", arity: { min: 2, max: 2 }, params: [], leaf: false };
const INPUT = { op: "input", arity: { min: 0, max: 0 }, params: [], leaf: true };
const POW = { op: "pow", arity: { min: 1, max: 1 }, params: ["p"], leaf: false, defaults: { p: 2 } };

const notes = notesModel;
const json = (model) => JSON.stringify(toCircuit(model));

/** A store on a model, its history's timestamps far apart so nothing folds. */
function storeOn(model) {
  const store = new Store();
  store.state = { ...store.state, model };
  let now = 0;
  const push = store.undoList.push.bind(store.undoList);
  store.undoList.push = (entry) => push(entry, (now += 5000));
  return store;
}

test("building (x + y) * z by hand yields the contract's circuit", () => {
  const store = storeOn(fromCircuit({ nodes: [] }));
  for (const gate of [INPUT, INPUT, INPUT, ADD, MUL]) store.dispatch({ type: "add_node", node: newNode(store.state.model, gate) });
  const model = () => store.state.model;
  assert.deepEqual([...model().nodes.keys()], ["x", "y", "z", "add1", "mul1"]);
  assert.equal(openPorts(model()).length, 4);
  store.dispatch({ type: "set_inputs", node: "add1", inputs: ["x", "y"] });
  store.dispatch({ type: "set_inputs", node: "mul1", inputs: ["add1", "z"] });
  assert.deepEqual(openPorts(model()), []);
  assert.equal(outputOf(model()), "mul1");
  assert.deepEqual(toCircuit(model()).nodes.map((n) => n.inputs ?? []), [[], [], [], ["x", "y"], ["add1", "z"]]);
});

test("a new gate's constants start at the gate table's defaults", () => {
  assert.deepEqual(newNode(notes(), POW).params, { p: 2 });
});

test("every command undoes exactly what it did, and the model is never changed in place", () => {
  const start = notes();
  const before = json(start);
  const store = storeOn(start);
  store.dispatch({ type: "remove_node", node: "q" });
  assert.deepEqual(store.state.model.nodes.get("f").inputs, [null, "z"]);
  store.dispatch({ type: "set_value", node: "x", value: 7 });
  store.dispatch({ type: "set_param", node: "f", name: "a", value: 3 });
  store.dispatch({ type: "move", positions: { x: { x: 5, y: 6 } } });
  store.dispatch({ type: "set_output", node: "x" });
  store.dispatch({ type: "add_node", node: { id: "k", op: "const", value: 2 }, index: 0 });
  assert.equal(json(start), before);
  while (store.undoList.canUndo) store.undo();
  assert.equal(json(store.state.model), before);
  assert.deepEqual(store.state.model.source, { kind: "expr", expr: "(x + y) * z" });
});

test("removing a node and undoing puts it back in its place with every wire", () => {
  const model = notes();
  const { model: without, inverse } = apply(model, { type: "remove_node", node: "x" });
  assert.deepEqual(without.nodes.get("q").inputs, [null, "y"]);
  const back = apply(without, inverse).model;
  assert.equal(json(back), json(model));
});

test("redo replays the undone record", () => {
  const store = storeOn(notes());
  store.dispatch({ type: "set_inputs", node: "f", inputs: ["q", "x"] });
  store.undo();
  assert.equal(store.state.model.nodes.get("f").inputs[1], "z");
  store.redo();
  assert.equal(store.state.model.nodes.get("f").inputs[1], "x");
  assert.equal(store.undoList.canRedo, false);
});

test("an edit other than an input's value turns the source into a circuit of one's own; undo restores it", () => {
  const store = storeOn(notes());
  store.dispatch({ type: "set_value", node: "x", value: 4 });
  assert.equal(store.state.model.source.kind, "expr");
  store.dispatch({ type: "set_param", node: "f", name: "a", value: 2 });
  assert.equal(store.state.model.source.kind, "circuit");
  store.undo();
  assert.equal(store.state.model.source.kind, "expr");
});

test("an edited example remembers which one it came from", () => {
  const model = { ...notes(), source: { kind: "example", id: "add-mul" } };
  const edited = apply(model, { type: "set_inputs", node: "f", inputs: ["q", "y"] }).model;
  assert.deepEqual(edited.source, { kind: "circuit", from: "add-mul" });
});

test("quick edits of one value fold into one undo step", () => {
  const model = notes();
  const history = new History();
  const step = (m, record, at) => {
    const applied = apply(m, record);
    history.push({ record, inverse: applied.inverse, label: "" }, at);
    return applied.model;
  };
  let m = step(model, { type: "set_value", node: "x", value: -3 }, 1000);
  m = step(m, { type: "set_value", node: "x", value: -30 }, 1200);
  assert.equal(history.done.length, 1);
  const undone = apply(m, /** @type {any} */ (history.undo()).inverse).model;
  assert.equal(undone.nodes.get("x").value, -2);
  assert.equal(replay(model, history.records().concat(history.undone.map((e) => e.record))).nodes.get("x").value, -30);
});

test("the history prints as JSON and replays to the same circuit", () => {
  const first = fromCircuit({ nodes: [] });
  const store = storeOn(first);
  store.dispatch({ type: "open", circuit: toCircuit(notes()), source: { kind: "expr", expr: "(x + y) * z" } });
  store.dispatch({ type: "set_value", node: "x", value: 3 });
  store.dispatch({ type: "add_node", node: { id: "w", op: "input", value: 2 } });
  store.dispatch({ type: "set_inputs", node: "q", inputs: ["x", "y", "w"] });
  store.dispatch({ type: "move", positions: { q: { x: 40, y: 50 } } });
  store.dispatch({ type: "remove_node", node: "y" });
  const printed = JSON.stringify(store.undoList.records());
  const replayed = replay(first, JSON.parse(printed));
  assert.equal(json(replayed), json(store.state.model));
  assert.deepEqual(replayed.source, store.state.model.source);
});

test("open swaps the whole circuit and undo brings the old one back", () => {
  const store = storeOn(fromCircuit({ nodes: [] }));
  store.dispatch({ type: "open", circuit: toCircuit(notes()), source: { kind: "example", id: "add-mul" } });
  assert.equal(store.state.model.nodes.size, 5);
  store.undo();
  assert.equal(store.state.model.nodes.size, 0);
});

test("each change says what it touched, and a new circuit drops the old result", () => {
  const store = storeOn(notes());
  const seen = [];
  store.subscribe((state, touched) => seen.push([...touched].sort()));
  store.state = { ...store.state, result: { output: "f", values: {}, gradients: {} }, steps: [{ kind: "start" }] };
  store.dispatch({ type: "set_value", node: "x", value: 1 });
  assert.ok(seen[0].includes("values") && !seen[0].includes("structure"));
  assert.equal(store.state.stale, true);
  store.dispatch({ type: "move", positions: { x: { x: 1, y: 1 } } });
  assert.ok(seen[1].includes("positions") && !seen[1].includes("values"));
  store.dispatch({ type: "open", circuit: { nodes: [] }, source: { kind: "circuit" } });
  assert.ok(seen[2].includes("circuit"));
  assert.equal(store.state.result, null);
  assert.deepEqual(store.state.steps, []);
});

test("a selection of a deleted node is dropped", () => {
  const store = storeOn(notes());
  store.update({ selection: { kind: "node", id: "q" } }, ["selection"]);
  store.dispatch({ type: "remove_node", node: "q" });
  assert.equal(store.state.selection, null);
});

test("a record the model cannot take is refused, and nothing changes", () => {
  const store = storeOn(notes());
  const before = store.state;
  assert.throws(() => store.dispatch({ type: "set_value", node: "nope", value: 1 }), /no node "nope"/);
  assert.throws(() => store.dispatch({ type: "explode" }), /unknown command/);
  assert.equal(store.state, before);
  assert.equal(store.undoList.canUndo, false);
});

test("freshId names inputs x, y, z and gates op1, op2", () => {
  const model = notes();
  assert.equal(freshId(model, "input"), "w");
  assert.equal(freshId(model, "add"), "add1");
});

test("wouldCycle spots a wire from a node's descendant back into it", () => {
  const model = notes();
  assert.equal(wouldCycle(model, "f", "q"), true);
  assert.equal(wouldCycle(model, "z", "q"), false);
  assert.deepEqual(sinks(model), ["f"]);
});

test("a move leaves the numbers as they are: not stale, and no new revision to wait for", () => {
  const store = storeOn(notes());
  store.state = { ...store.state, result: { output: "f", values: {}, gradients: {} } };
  const revision = store.state.revision;
  store.dispatch({ type: "move", positions: { x: { x: 5, y: 5 } } });
  assert.equal(store.state.stale, false);
  assert.equal(store.state.revision, revision);
  store.dispatch({ type: "set_value", node: "x", value: 2 });
  assert.equal(store.state.stale, true);
  assert.equal(store.state.revision, revision + 1);
});

test("a given upstream gradient (output_grad) rides along with its output, and comes back with it on undo", () => {
  const circuit = {
    nodes: [{ id: "W", op: "input", value: [[1, 2]] }, { id: "X", op: "input", value: [[3], [4]] }, { id: "D", op: "matmul", inputs: ["W", "X"] }],
    output: "D",
    output_grad: [[-2]],
  };
  const start = fromCircuit(circuit);
  assert.deepEqual(toCircuit(start).output_grad, [[-2]]);
  const store = storeOn(start);
  store.dispatch({ type: "set_output", node: "W" });
  assert.equal(toCircuit(store.state.model).output_grad, undefined, "it belonged to D's shape, not W's");
  store.undo();
  assert.deepEqual(toCircuit(store.state.model).output_grad, [[-2]]);
  store.dispatch({ type: "remove_node", node: "D" });
  assert.equal(store.state.model.outputGrad, undefined);
  store.undo();
  assert.deepEqual(toCircuit(store.state.model), { version: 1, ...structuredClone(circuit) });
});
