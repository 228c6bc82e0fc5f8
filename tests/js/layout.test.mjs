import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fromCircuit } from "../../static/js/state/circuit.js";
import { elkGraph, layoutModel, buildScene, needsLayout, wireId, hasSingleCut, wrapOptions } from "../../static/js/diagram/layout.js";
import { SIZES } from "../../static/js/diagram/geometry.js";

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

/** x -> g0 -> g1 -> ... : a long, thin circuit. @param {number} n */
function chain(n) {
  const nodes = [{ id: "x", op: "input", value: 1 }];
  for (let i = 0; i < n; i += 1) nodes.push({ id: `g${i}`, op: "neg", inputs: [nodes.at(-1).id] });
  return fromCircuit({ nodes, output: nodes.at(-1).id });
}

const VIEW = { width: 1000, height: 700 };

test("a longer stub for wide labels widens the node for ELK and in the scene", async () => {
  const stubs = new Map([["x", 160]]);
  const graph = elkGraph(notes(), stubs);
  assert.equal(graph.children.find((c) => c.id === "x").width - graph.children.find((c) => c.id === "y").width, 160 - SIZES.stub);
  const scene = buildScene(notes(), await layoutModel(new ELK(), notes(), { stubs }));
  const x = scene.nodes.get("x");
  assert.equal(x.width - x.body, 160);
  assert.ok(x.out.x + 10 < scene.nodes.get("q").x, "the next gate stays clear of the longer stub");
});

test("a long chain wraps into rows shaped like the view", async () => {
  const model = chain(14);
  const plain = await layoutModel(new ELK(), model);
  const wrapped = await layoutModel(new ELK(), model, { view: VIEW });
  const rows = (layout) => new Set([...layout.positions].filter(([id]) => id !== "x").map(([, p]) => Math.round(p.y))).size;
  assert.equal(rows(plain), 1);
  assert.ok(rows(wrapped) >= 3, `rows: ${rows(wrapped)}`);
  assert.equal(wrapOptions(VIEW)["elk.aspectRatio"], "1.43");
});

test("a circuit that fits the view is not wrapped", async () => {
  const layout = await layoutModel(new ELK(), notes(), { view: VIEW });
  assert.deepEqual(layout, await layoutModel(new ELK(), notes()));
});

test("hasSingleCut: a chain can be cut between any two columns, a diamond cannot", async () => {
  const elk = new ELK();
  assert.equal(hasSingleCut(await elk.layout(elkGraph(chain(3)))), true);
  const diamond = fromCircuit({ nodes: [
    { id: "x", op: "input", value: 1 },
    { id: "a", op: "neg", inputs: ["x"] }, { id: "b", op: "exp", inputs: ["x"] },
    { id: "f", op: "add", inputs: ["a", "b"] },
  ], output: "f" });
  assert.equal(hasSingleCut(await elk.layout(elkGraph(diamond))), false);
});
