import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromCircuit, toCircuit, openPorts, outputOf, freshId, wouldCycle, newNode, sinks } from "../../static/js/state/circuit.js";
import { apply, replay } from "../../static/js/state/commands.js";
import { Store } from "../../static/js/state/store.js";
import { History } from "../../static/js/state/history.js";
import { collapseRecord, expandRecord, frameMembers, groupRecord, sameBody } from "../../static/js/state/groups.js";
import { subjectOf } from "../../static/js/state/compare.js";
import { boxSelection, extendSelection } from "../../static/js/state/intents.js";
import { failure } from "../../static/js/state/session.js";

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

// Group, expand and collapse, on the notes' 2-D neuron (dot = w0·x0 + w1·x1 + w2).
const NEURON_INPUTS = [
  { id: "w0", op: "input", value: 2 }, { id: "x0", op: "input", value: -1 }, { id: "w1", op: "input", value: -3 },
  { id: "x1", op: "input", value: -2 }, { id: "w2", op: "input", value: -3 },
  { id: "w0x0", op: "mul", inputs: ["w0", "x0"] }, { id: "w1x1", op: "mul", inputs: ["w1", "x1"] },
  { id: "s", op: "add", inputs: ["w0x0", "w1x1"] }, { id: "dot", op: "add", inputs: ["s", "w2"] },
];
const SPELLED = [
  { id: "neg", op: "mul_const", inputs: ["dot"], params: { a: -1 } }, { id: "e", op: "exp", inputs: ["neg"] },
  { id: "den", op: "add_const", inputs: ["e"], params: { c: 1 } }, { id: "f", op: "inv", inputs: ["den"] },
];
/** The sigmoid row as GET /api/gates gives it: its expansion is data. */
const SIGMOID = {
  op: "sigmoid", title: "Sigmoid", arity: { min: 1, max: 1 }, params: [],
  expansion: { ports: ["x"], body: { nodes: [{ id: "x", op: "input", value: 0 }, { id: "neg", op: "mul_const", inputs: ["x"], params: { a: -1 } }, { id: "e", op: "exp", inputs: ["neg"] }, { id: "den", op: "add_const", inputs: ["e"], params: { c: 1 } }, { id: "f", op: "inv", inputs: ["den"] }], output: "f" } },
};
const GATES = new Map([["sigmoid", SIGMOID]]);
const primitives = () => fromCircuit({ nodes: [...NEURON_INPUTS, ...SPELLED, { id: "out", op: "neg", inputs: ["f"] }], output: "out" });
const oneGate = () => fromCircuit({ nodes: [...NEURON_INPUTS, { id: "f", op: "sigmoid", inputs: ["dot"] }], output: "f" });

test("grouping the neuron's last four gates makes one sigmoid group; its inverse restores every node and wire", () => {
  const model = primitives();
  const answer = groupRecord(model, ["neg", "e", "den", "f"], "sigmoid");
  assert.ok("record" in answer);
  const step = apply(model, answer.record);
  const group = step.model.nodes.get("f");
  assert.deepEqual([group.op, group.name, group.inputs, group.ports, group.body.output], ["group", "sigmoid", ["dot"], ["dot"], "f"]);
  assert.deepEqual(group.body.nodes.map((n) => n.id), ["dot", "neg", "e", "den", "f"]);
  assert.deepEqual([...step.model.nodes.keys()].slice(-2), ["f", "out"]);
  assert.deepEqual(step.model.nodes.get("out").inputs, ["f"]);
  assert.equal(json(apply(step.model, step.inverse).model), json(model));
  assert.equal(json(replay(model, [answer.record])), json(step.model));
});

test("a group gets a different id than its output gate: wires leaving it and the output follow it", () => {
  const model = fromCircuit({ nodes: [...NEURON_INPUTS, ...SPELLED], output: "f" });
  const step = apply(model, { type: "group", node: { id: "sig", op: "group", name: "sigmoid", inputs: ["dot"], ports: ["dot"], body: { nodes: [], output: "f" } }, members: ["neg", "e", "den", "f"] });
  assert.equal(step.model.output, "sig");
  assert.equal(json(apply(step.model, step.inverse).model), json(model));
});

test("grouping is refused, in words, for a selection with two outputs, an input, one gate or two pieces", () => {
  const model = primitives();
  assert.match(groupRecord(model, ["w0x0", "w1x1", "dot"], "g").refusal ?? "", /not connected/);
  assert.match(groupRecord(model, ["w0x0", "w1x1", "s", "e", "neg"], "g").refusal ?? "", /not connected/);
  const chain = groupRecord(model, ["s", "dot", "neg", "e"], "g");
  assert.ok("record" in chain && chain.record.type === "group");
  assert.deepEqual([chain.record.node.id, chain.record.node.inputs], ["e", ["w0x0", "w1x1", "w2"]]);
  const two = fromCircuit({ nodes: [...NEURON_INPUTS, { id: "p", op: "exp", inputs: ["dot"] }, { id: "q", op: "neg", inputs: ["dot"] }, { id: "r", op: "add", inputs: ["p", "q"] }], output: "r" });
  assert.match(groupRecord(two, ["dot", "p", "q"], "g").refusal ?? "", /one output wire; the selection has 2 \(p, q\)/);
  assert.match(groupRecord(model, ["w0", "w0x0"], "g").refusal ?? "", /w0 is an input/);
  assert.match(groupRecord(model, ["e"], "g").refusal ?? "", /two or more gates/);
});

test("expanding the sigmoid gate spells it out from the gate table's data, in a frame; collapsing gives the gate back", () => {
  const model = oneGate();
  const answer = expandRecord(model, "f", GATES);
  assert.ok("record" in answer);
  const expanded = apply(model, answer.record);
  const nodes = [...expanded.model.nodes.values()].slice(-4);
  assert.deepEqual(nodes.map((n) => [n.id, n.op, n.inputs]), [["neg", "mul_const", ["dot"]], ["e", "exp", ["neg"]], ["den", "add_const", ["e"]], ["f", "inv", ["den"]]]);
  assert.deepEqual(nodes[0].ui.frame, { id: "f", name: "Sigmoid", op: "sigmoid" });
  assert.deepEqual(frameMembers(expanded.model, "f").map((n) => n.id), ["neg", "e", "den", "f"]);
  assert.equal(json(apply(expanded.model, expanded.inverse).model), json(model));
  const back = collapseRecord(expanded.model, "f", GATES);
  assert.ok("record" in back);
  assert.equal(json(apply(expanded.model, back.record).model), json(model));
});

test("a frame whose gates were edited collapses into a group, not into the composite", () => {
  const expanded = apply(oneGate(), /** @type {any} */ (expandRecord(oneGate(), "f", GATES)).record).model;
  const edited = apply(expanded, { type: "set_param", node: "den", name: "c", value: 2 }).model;
  const answer = collapseRecord(edited, "f", GATES);
  assert.ok("record" in answer);
  assert.equal(answer.record.node.op, "group");
  assert.equal(answer.record.node.name, "Sigmoid");
});

test("a group expands with ids that do not clash, and collapses back to the same group", () => {
  const grouped = apply(primitives(), /** @type {any} */ (groupRecord(primitives(), ["neg", "e", "den", "f"], "sigmoid")).record).model;
  const crowded = apply(grouped, { type: "add_node", node: { id: "e", op: "input", value: 1 } }).model;
  const answer = expandRecord(crowded, "f", GATES);
  assert.ok("record" in answer);
  assert.deepEqual(answer.record.nodes.map((n) => n.id), ["neg", "f_e", "den", "f"]);
  const expanded = apply(crowded, answer.record).model;
  const back = collapseRecord(expanded, "f", GATES);
  assert.ok("record" in back);
  const again = apply(expanded, back.record).model.nodes.get("f");
  assert.deepEqual(again.body.nodes.map((n) => n.id), ["dot", "neg", "f_e", "den", "f"]);
  assert.ok(sameBody({ ports: again.ports, body: again.body }, { ports: grouped.nodes.get("f").ports, body: grouped.nodes.get("f").body }));
});

test("moving a framed gate keeps its frame; tidying it keeps the frame too", () => {
  const expanded = apply(oneGate(), /** @type {any} */ (expandRecord(oneGate(), "f", GATES)).record).model;
  const moved = apply(expanded, { type: "move", positions: { e: { x: 5, y: 6 } } });
  assert.deepEqual(moved.model.nodes.get("e").ui, { frame: { id: "f", name: "Sigmoid", op: "sigmoid" }, x: 5, y: 6 });
  assert.deepEqual(moved.inverse, { type: "move", positions: { e: null } });
  assert.deepEqual(apply(moved.model, moved.inverse).model.nodes.get("e").ui, { frame: { id: "f", name: "Sigmoid", op: "sigmoid" } });
});

test("group, expand and collapse undo and redo through the store's history", () => {
  const store = storeOn(primitives());
  const start = json(store.state.model);
  store.dispatch(/** @type {any} */ (groupRecord(store.state.model, ["neg", "e", "den", "f"], "sigmoid")).record);
  const grouped = json(store.state.model);
  store.dispatch(/** @type {any} */ (expandRecord(store.state.model, "f", GATES)).record);
  assert.equal(store.summary().undoLabel, "expand f");
  store.undo();
  assert.equal(json(store.state.model), grouped);
  store.undo();
  assert.equal(json(store.state.model), start);
  store.redo();
  assert.equal(json(store.state.model), grouped);
  assert.equal(store.summary().undoLabel, "group sigmoid");
});

test("the comparison's subject: a composite's expanded form, a framed gate's collapsed one, nothing for a primitive", () => {
  const on = (model, id) => ({ model, selection: { kind: "node", id }, catalog: { gates: GATES } });
  const gate = subjectOf(/** @type {any} */ (on(oneGate(), "f")));
  assert.deepEqual([gate?.id, gate?.other, gate?.name, gate?.wires, gate?.record.type], ["f", "expanded", "Sigmoid", ["dot", "f"], "expand"]);
  const expanded = apply(oneGate(), /** @type {any} */ (expandRecord(oneGate(), "f", GATES)).record).model;
  const framed = subjectOf(/** @type {any} */ (on(expanded, "e")));
  assert.deepEqual([framed?.id, framed?.other, framed?.wires], ["f", "collapsed", ["dot", "f"]]);
  assert.equal(json(apply(expanded, /** @type {any} */ (framed).record).model), json(oneGate()));
  assert.equal(subjectOf(/** @type {any} */ (on(oneGate(), "dot"))), null);
});

test("shift-click adds and removes gates; a box selects the gates it touches, never inputs", () => {
  const state = { model: primitives(), selection: null, catalog: { gates: GATES } };
  let selection = extendSelection(/** @type {any} */ (state), "neg");
  assert.deepEqual(selection, { kind: "node", id: "neg" });
  selection = extendSelection(/** @type {any} */ ({ ...state, selection }), "e");
  assert.deepEqual(selection, { kind: "nodes", ids: ["neg", "e"] });
  selection = extendSelection(/** @type {any} */ ({ ...state, selection }), "neg");
  assert.deepEqual(selection, { kind: "node", id: "e" });
  const placed = [
    { id: "dot", x: 0, y: 0, body: 60, height: 60 }, { id: "neg", x: 100, y: 0, body: 60, height: 60 },
    { id: "e", x: 200, y: 0, body: 60, height: 60 }, { id: "w2", x: 150, y: 30, body: 40, height: 30 },
  ];
  assert.deepEqual(boxSelection(/** @type {any} */ (state), placed, { x: 90, y: 10, width: 150, height: 20 }), { kind: "nodes", ids: ["neg", "e"] });
  assert.deepEqual(boxSelection(/** @type {any} */ (state), placed, { x: 70, y: 10, width: 10, height: 10 }), null);
});

test("the server's error about a gate inside a group is drawn on the group", () => {
  const grouped = apply(primitives(), /** @type {any} */ (groupRecord(primitives(), ["neg", "e", "den", "f"], "sigmoid")).record).model;
  const shown = failure([{ loc: ["nodes", 9, "body", "nodes", 4], msg: "Reciprocal needs an input that is not zero; it got 0", type: "not_finite", node: "f/f" }], /** @type {any} */ ({ model: grouped }));
  assert.equal(shown.msg, "Reciprocal needs an input that is not zero; it got 0 (at f)");
  assert.deepEqual([...shown.nodes.keys()], ["f"]);
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
