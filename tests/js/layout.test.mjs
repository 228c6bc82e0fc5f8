import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fromCircuit } from "../../static/js/model.js";
import { elkGraph, layoutModel, buildScene, needsLayout, wireId } from "../../static/js/layout.js";

const require = createRequire(import.meta.url);
const ELK = require("../../static/vendor/elkjs-0.12.1/elk.bundled.js");

const notes = notesModel;

test("the ELK graph has a west port per input and one east port", () => {
  const graph = elkGraph(notes());
  const q = graph.children.find((c) => c.id === "q");
  assert.deepEqual(q.ports.map((p) => p.id), ["q.in0", "q.in1", "q.out"]);
  assert.equal(graph.edges.length, 4);
  assert.deepEqual(graph.edges[0], { id: "q:0", sources: ["x.out"], targets: ["q.in0"] });
});

test("ELK lays the circuit out left to right, inputs first, output last", async () => {
  const model = notes();
  const layout = await layoutModel(new ELK(), model);
  const x = (id) => layout.positions.get(id).x;
  assert.ok(x("x") < x("q") && x("q") < x("f"));
  assert.equal(x("x"), x("z"));
  assert.equal(needsLayout(model, layout), false);
});

test("wires follow ELK's routes while both ends stay put", async () => {
  const model = notes();
  const layout = await layoutModel(new ELK(), model);
  const scene = buildScene(model, layout);
  const wire = scene.wires.find((w) => w.id === wireId("f", 1));
  assert.ok(wire.points.length >= 2);
  const end = wire.points.at(-1);
  assert.deepEqual(end, scene.nodes.get("f").ports[1]);
});

test("a node the user moved keeps its place and its wires become curves", async () => {
  const model = notes();
  const layout = await layoutModel(new ELK(), model);
  model.nodes.get("q").ui = { x: 500, y: 300 };
  const scene = buildScene(model, layout);
  assert.equal(scene.nodes.get("q").x, 500);
  assert.equal(scene.wires.find((w) => w.id === "q:0").points, null);
  assert.match(scene.wires.find((w) => w.id === "q:0").d, / C/);
});

test("a node with no place asks for a layout", () => {
  assert.equal(needsLayout(notes(), { positions: new Map(), routes: new Map() }), true);
});

test("big circuits get the fast layout options", () => {
  const nodes = [{ id: "x", op: "input", value: 1 }];
  for (let i = 0; i < 250; i += 1) nodes.push({ id: `g${i}`, op: "neg", inputs: [nodes.at(-1).id] });
  const graph = elkGraph(fromCircuit({ nodes }));
  assert.equal(graph.layoutOptions["elk.layered.thoroughness"], "1");
  assert.equal(elkGraph(notes()).layoutOptions["elk.layered.thoroughness"], undefined);
});
