/**
 * From a model to a scene: ELK (vendored, layered, ports in fixed order)
 * places the nodes and routes the wires; positions the user dragged win.
 * No DOM: the ELK instance is passed in.
 * @module layout
 */

import { inputPort, nodeSize, outputPort, curvePath, roundedPath } from "./geometry.js";
import { inputsOf, wires, outputOf } from "./model.js";

/** @typedef {import("./model.js").Model} Model */
/** @typedef {import("./geometry.js").Point} Point */
/**
 * @typedef {object} Placed
 * @property {string} id
 * @property {number} x
 * @property {number} y
 * @property {number} width
 * @property {number} height
 * @property {number} body  width of the shape before its output stub
 * @property {Point[]} ports  input ports, absolute
 * @property {Point} out  output port, absolute
 */
/** @typedef {{id: string, source: string, target: string, port: number, d: string, points: Point[] | null}} Wire */
/** @typedef {{nodes: Map<string, Placed>, wires: Wire[]}} Scene */
/** @typedef {{positions: Map<string, Point>, routes: Map<string, Point[]>}} Layout */

export const ELK_OPTIONS = Object.freeze({
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.spacing.nodeNode": "26",
  "elk.layered.spacing.nodeNodeBetweenLayers": "46",
  "elk.spacing.edgeNode": "14",
  "elk.spacing.edgeEdge": "10",
  "elk.layered.spacing.edgeNodeBetweenLayers": "14",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.padding": "[top=20,left=20,bottom=20,right=20]",
});

/** Big circuits trade straighter wires for speed: 1,000 gates in about a second. */
export const FAST_OPTIONS = Object.freeze({
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NONE",
  "elk.layered.thoroughness": "1",
});
export const FAST_ABOVE = 200;

/**
 * @param {string} id
 * @param {number} port
 */
export const wireId = (id, port) => `${id}:${port}`;

/**
 * The ELK input graph: one node per circuit node, a west port per input, an east port.
 * @param {Model} model
 * @returns {object}
 */
export function elkGraph(model) {
  const output = outputOf(model);
  const children = [...model.nodes.values()].map((node) => {
    const count = inputsOf(node).length;
    const size = nodeSize(node, count);
    const ports = inputsOf(node).map((_, i) => ({ id: `${node.id}.in${i}`, ...inputPort(i, count, size.height), width: 0, height: 0, layoutOptions: { "elk.port.side": "WEST" } }));
    ports.push({ id: `${node.id}.out`, ...outputPort(size), width: 0, height: 0, layoutOptions: { "elk.port.side": "EAST" } });
    /** @type {Record<string, string>} */
    const options = { "elk.portConstraints": "FIXED_POS" };
    if (node.op === "input") options["elk.layered.layering.layerConstraint"] = "FIRST";
    if (node.id === output) options["elk.layered.layering.layerConstraint"] = "LAST";
    return { id: node.id, width: size.width, height: size.height, ports, layoutOptions: options };
  });
  const edges = wires(model).map((w) => ({ id: wireId(w.target, w.port), sources: [`${w.source}.out`], targets: [`${w.target}.in${w.port}`] }));
  const fast = model.nodes.size > FAST_ABOVE ? FAST_OPTIONS : {};
  return { id: "root", layoutOptions: { ...ELK_OPTIONS, ...fast }, children, edges };
}

/**
 * Read ELK's answer into positions and routes.
 * @param {any} result  the laid-out graph ELK returns
 * @returns {Layout}
 */
export function readElk(result) {
  const positions = new Map();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x, y: child.y });
  const routes = new Map();
  for (const edge of result.edges ?? []) {
    const section = edge.sections?.[0];
    if (section) routes.set(edge.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
  }
  return { positions, routes };
}

/**
 * Lay out a model with an ELK instance.
 * @param {{layout: (graph: object) => Promise<any>}} elk
 * @param {Model} model
 * @returns {Promise<Layout>}
 */
export async function layoutModel(elk, model) {
  return readElk(await elk.layout(elkGraph(model)));
}

/**
 * Does every node have a place, from the user or the last layout?
 * @param {Model} model
 * @param {Layout} layout
 * @returns {boolean}
 */
export function needsLayout(model, layout) {
  return [...model.nodes.values()].some((node) => !userPlace(node) && !layout.positions.has(node.id));
}

/**
 * @param {import("./model.js").Node} node
 * @returns {Point | null}
 */
function userPlace(node) {
  const ui = node.ui;
  return ui && Number.isFinite(ui.x) && Number.isFinite(ui.y) ? { x: ui.x, y: ui.y } : null;
}

/**
 * Place every node and draw every wire: ELK's route while both ends are where
 * ELK put them, a smooth curve otherwise.
 * @param {Model} model
 * @param {Layout} layout
 * @returns {Scene}
 */
export function buildScene(model, layout) {
  /** @type {Map<string, Placed>} */
  const nodes = new Map();
  let spare = 0;
  for (const node of model.nodes.values()) {
    const at = userPlace(node) ?? layout.positions.get(node.id) ?? { x: 20, y: 20 + 70 * spare++ };
    nodes.set(node.id, place(node, at));
  }
  const drawn = wires(model).map((w) => {
    const id = wireId(w.target, w.port);
    const a = /** @type {Placed} */ (nodes.get(w.source)).out;
    const b = /** @type {Placed} */ (nodes.get(w.target)).ports[w.port];
    const route = layout.routes.get(id);
    const fits = route && near(route[0], a) && near(route[route.length - 1], b);
    const points = fits ? /** @type {Point[]} */ (route) : null;
    return { id, ...w, points, d: points ? roundedPath(points) : curvePath(a, b) };
  });
  return { nodes, wires: drawn };
}

/**
 * @param {import("./model.js").Node} node
 * @param {Point} at
 * @returns {Placed}
 */
function place(node, at) {
  const count = inputsOf(node).length;
  const size = nodeSize(node, count);
  const ports = inputsOf(node).map((_, i) => shift(inputPort(i, count, size.height), at));
  return { id: node.id, x: at.x, y: at.y, ...size, ports, out: shift(outputPort(size), at) };
}

/** @param {Point} p @param {Point} by */
function shift(p, by) {
  return { x: p.x + by.x, y: p.y + by.y };
}

/** @param {Point} a @param {Point} b */
function near(a, b) {
  return Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1;
}
