/**
 * From a model to a scene: ELK (vendored, layered, ports in fixed order)
 * places the nodes and routes the wires; positions the user dragged win.
 * No DOM: the ELK instance is passed in.
 * @module layout
 */

import { fitTransform, inputPort, nodeSize, outputPort, curvePath, roundedPath } from "./geometry.js";
import { inputsOf, wires, outputOf } from "../state/circuit.js";

/** @typedef {import("../state/circuit.js").Model} Model */
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
/**
 * @typedef {object} Layout
 * @property {Map<string, Point>} positions
 * @property {Map<string, Point[]>} routes
 * @property {Map<string, number>} [stubs]  output stubs longer than usual, for wide labels
 * @property {Record<string, string>} [wrap]  the wrapping options it was laid out with
 */
/**
 * @typedef {object} LayoutOptions
 * @property {Map<string, number>} [stubs]  see Layout
 * @property {{width: number, height: number}} [view]  the area a fit fills; lets long circuits wrap into rows
 * @property {Record<string, string>} [wrap]  wrap as an earlier layout did instead of trying again
 */

const ELK_OPTIONS = Object.freeze({
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

/**
 * Big circuits trade straighter wires for speed: network-simplex placement
 * doubles the layout's time already at 100 gates (about 1 s here, warm).
 * They also avoid ELK's two depth-first searches that recurse once per node
 * (splitting the graph into connected components, and network-simplex
 * layering's own components): at 5,000 gates either overflows a worker's
 * stack (about 60 % of the page's in Chromium). Longest-path layering from
 * the sources lays out 5,000 gates with a third of a worker's stack, and
 * 1,000 gates no slower.
 */
const FAST_OPTIONS = Object.freeze({
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.considerModelOrder.strategy": "NONE",
  "elk.layered.thoroughness": "1",
  "elk.separateConnectedComponents": "false",
  "elk.layered.layering.strategy": "LONGEST_PATH_SOURCE",
});
const FAST_ABOVE = 60;

/** A circuit whose fit would draw it smaller than this is tried wrapped into rows. */
const WRAP_BELOW = 0.9;
/** Padding of a fit, as the viewport uses it. */
export const FIT_PADDING = 24;

/**
 * @param {string} id
 * @param {number} port
 */
export const wireId = (id, port) => `${id}:${port}`;

/**
 * The ELK input graph: one node per circuit node, a west port per input, an east port.
 * @param {Model} model
 * @param {Map<string, number>} [stubs]  longer output stubs
 * @param {Record<string, string>} [extra]  more layout options
 * @returns {object}
 */
export function elkGraph(model, stubs = new Map(), extra = {}) {
  const output = outputOf(model);
  const children = [...model.nodes.values()].map((node) => {
    const count = inputsOf(node).length;
    const size = nodeSize(node, count, stubs.get(node.id));
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
  return { id: "root", layoutOptions: { ...ELK_OPTIONS, ...fast, ...extra }, children, edges };
}

/**
 * Options that wrap a long circuit into rows, aiming at the view's shape (or a
 * taller one: stretch < 1). SINGLE_EDGE cuts only where one wire crosses, so
 * branching parts stay whole; MULTI_EDGE may cut through several wires.
 * @param {{width: number, height: number}} view
 * @param {"SINGLE_EDGE" | "MULTI_EDGE"} [strategy]
 * @param {number} [stretch]
 * @returns {Record<string, string>}
 */
export function wrapOptions(view, strategy = "SINGLE_EDGE", stretch = 1) {
  return { "elk.layered.wrapping.strategy": strategy, "elk.aspectRatio": ((stretch * view.width) / view.height).toFixed(2) };
}

/**
 * Read ELK's answer into positions and routes.
 * @param {any} result  the laid-out graph ELK returns
 * @param {Map<string, number>} [stubs]  the stubs it was laid out with
 * @param {Record<string, string>} [wrap]  the wrapping options it was laid out with
 * @returns {Layout}
 */
function readElk(result, stubs = new Map(), wrap = {}) {
  const positions = new Map();
  for (const child of result.children ?? []) positions.set(child.id, { x: child.x, y: child.y });
  const routes = new Map();
  for (const edge of result.edges ?? []) {
    const section = edge.sections?.[0];
    if (section) routes.set(edge.id, [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
  }
  return { positions, routes, stubs, wrap };
}

/**
 * Circuits up to this many nodes try wrapped layouts and keep the largest fit;
 * cutting through several wires costs ELK seconds on larger ones that fork a lot.
 */
const TRY_WRAPS_UP_TO = 30;

/**
 * Lay out a model with an ELK instance. Given a view, a circuit that would be
 * drawn smaller than readable in one row is also laid out wrapped into rows
 * (cut at one wire, or at several for circuits that fork), for the view's shape
 * and taller ones, and the layout that fits largest is kept.
 * @param {{layout: (graph: object) => Promise<any>}} elk
 * @param {Model} model
 * @param {LayoutOptions} [options]
 * @returns {Promise<Layout>}
 */
export async function layoutModel(elk, model, { stubs = new Map(), view, wrap } = {}) {
  if (wrap) return readElk(await elk.layout(elkGraph(model, stubs, wrap)), stubs, wrap);
  const plain = await elk.layout(elkGraph(model, stubs));
  if (!view || model.nodes.size > TRY_WRAPS_UP_TO || fitScale(plain, view) >= WRAP_BELOW) return readElk(plain, stubs);
  let best = { result: plain, wrap: {} };
  const tries = [wrapOptions(view, "MULTI_EDGE"), wrapOptions(view, "MULTI_EDGE", 0.5)];
  if (hasSingleCut(plain)) tries.unshift(wrapOptions(view));
  for (const options of tries) {
    const wrapped = await elk.layout(elkGraph(model, stubs, options));
    if (fitScale(wrapped, view) > 1.05 * fitScale(best.result, view)) best = { result: wrapped, wrap: options };
  }
  return readElk(best.result, stubs, best.wrap);
}

/**
 * The scale a fit would draw ELK's result at.
 * @param {{width: number, height: number}} result
 * @param {{width: number, height: number}} view
 */
function fitScale(result, view) {
  return fitTransform({ x: 0, y: 0, width: result.width, height: result.height }, view, FIT_PADDING).k;
}

/**
 * Is there a gap between two columns of nodes that only one wire crosses?
 * Without one, single-edge wrapping has nowhere to cut (and is not worth a run).
 * @param {any} result  the laid-out graph ELK returns
 * @returns {boolean}
 */
export function hasSingleCut(result) {
  const x = new Map((result.children ?? []).map((/** @type {any} */ c) => [c.id, c.x]));
  const owner = (/** @type {string} */ port) => x.get(port.slice(0, port.lastIndexOf(".")));
  /** @type {[number, number][]} */
  const ends = (result.edges ?? []).map((/** @type {any} */ e) => [owner(e.sources[0]), owner(e.targets[0])]);
  const columns = [...new Set(x.values())].sort((a, b) => a - b).slice(1);
  return columns.some((at) => ends.filter(([a, b]) => a < at && b >= at).length === 1);
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
 * @param {import("../state/circuit.js").Node} node
 * @returns {Point | null}
 */
function userPlace(node) {
  const { x, y } = node.ui ?? {};
  return typeof x === "number" && typeof y === "number" && Number.isFinite(x) && Number.isFinite(y) ? { x, y } : null;
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
    nodes.set(node.id, place(node, at, layout.stubs?.get(node.id)));
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
 * @param {import("../state/circuit.js").Node} node
 * @param {Point} at
 * @param {number} [stub]
 * @returns {Placed}
 */
function place(node, at, stub) {
  const count = inputsOf(node).length;
  const size = nodeSize(node, count, stub);
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

/**
 * Where a node added from the palette goes: leaves in a column at the left,
 * gates stepping right of what is drawn.
 * @param {Scene} scene
 * @param {boolean} leaf
 * @returns {Point}
 */
export function freeSpot(scene, leaf) {
  const placed = [...scene.nodes.values()];
  if (!placed.length) return { x: 0, y: 0 };
  const left = Math.min(...placed.map((p) => p.x));
  const top = Math.min(...placed.map((p) => p.y));
  const bottom = Math.max(...placed.map((p) => p.y + p.height));
  const right = Math.max(...placed.map((p) => p.x + p.width));
  return leaf ? { x: left, y: bottom + 24 } : { x: right + 60, y: top + (placed.length % 3) * 40 };
}
