import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { fromCircuit, toCircuit, openPorts, outputOf, freshId, wouldCycle, newNode, sinks } from "../../static/js/model.js";
import * as commands from "../../static/js/commands.js";
import { History } from "../../static/js/history.js";

const ADD = { op: "add", arity: { min: 2, max: null }, params: [] };
const MUL = { op: "mul", arity: { min: 2, max: 2 }, params: [] };
const INPUT = { op: "input", arity: { min: 0, max: 0 }, params: [] };

const notes = notesModel;

test("building (x + y) * z by hand yields the contract's circuit", () => {
  const model = fromCircuit({ nodes: [] });
  const history = new History(model);
  for (const gate of [INPUT, INPUT, INPUT, ADD, MUL]) history.execute(commands.addNode(newNode(model, gate)));
  assert.deepEqual([...model.nodes.keys()], ["x", "y", "z", "add1", "mul1"]);
  assert.equal(openPorts(model).length, 4);
  history.execute(commands.connect("add1", 0, "x"));
  history.execute(commands.connect("add1", 1, "y"));
  history.execute(commands.connect("mul1", 0, "add1"));
  history.execute(commands.connect("mul1", 1, "z"));
  assert.deepEqual(openPorts(model), []);
  assert.equal(outputOf(model), "mul1");
  assert.deepEqual(toCircuit(model).nodes.map((n) => n.inputs ?? []), [[], [], [], ["x", "y"], ["add1", "z"]]);
});

test("every command undoes exactly what it did", () => {
  const model = notes();
  const history = new History(model);
  const before = JSON.stringify(toCircuit(model));
  history.execute(commands.removeNode("q"));
  assert.deepEqual(model.nodes.get("f").inputs, [null, "z"]);
  history.execute(commands.setValue("x", -2, 7), 0);
  history.execute(commands.setParam("f", "a", 0, 3));
  history.execute(commands.moveNodes(new Map([["x", undefined]]), new Map([["x", { x: 5, y: 6 }]])));
  while (history.canUndo) history.undo();
  assert.equal(JSON.stringify(toCircuit(model)), before);
  assert.deepEqual(model.source, { kind: "expr", expr: "(x + y) * z" });
});

test("redo replays the undone command", () => {
  const model = notes();
  const history = new History(model);
  history.execute(commands.connect("f", 1, "x"));
  history.undo();
  assert.equal(model.nodes.get("f").inputs[1], "z");
  history.redo();
  assert.equal(model.nodes.get("f").inputs[1], "x");
  assert.equal(history.canRedo, false);
});

test("a structural edit turns the source into a hand-built circuit, and undo restores it", () => {
  const model = notes();
  const history = new History(model);
  history.execute(commands.connect("f", 1, "y"));
  assert.equal(model.source.kind, "circuit");
  history.undo();
  assert.equal(model.source.kind, "expr");
});

test("quick edits of one value fold into one undo step", () => {
  const model = notes();
  const history = new History(model);
  history.execute(commands.setValue("x", -2, -3), 1000);
  history.execute(commands.setValue("x", -3, -30), 1200);
  assert.equal(history.done.length, 1);
  history.undo();
  assert.equal(model.nodes.get("x").value, -2);
  history.redo();
  assert.equal(model.nodes.get("x").value, -30);
});

test("replaceCircuit swaps the whole model and undo brings the old one back", () => {
  const model = fromCircuit({ nodes: [] });
  const history = new History(model);
  history.execute(commands.replaceCircuit(notes()));
  assert.equal(model.nodes.size, 5);
  history.undo();
  assert.equal(model.nodes.size, 0);
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
