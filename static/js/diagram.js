/**
 * Draws a scene into the SVG: wires, then nodes keyed by id, each with its
 * value (green, above its output wire) and gradient (red, below) labels.
 * Numbers are painted separately so value edits and animation steps are cheap.
 * @module diagram
 */

import { svg } from "./dom.js";
import { SIZES } from "./geometry.js";
import { gateSymbol } from "./gates.js";
import { formatFull, formatValue } from "./format.js";

/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("./layout.js").Placed} Placed */
/** @typedef {import("./model.js").Model} Model */
/** @typedef {import("./trace.js").Frame} Frame */
/** @typedef {import("./format.js").Value} Value */

/**
 * Draw everything afresh.
 * @param {SVGGElement} root
 * @param {Model} model
 * @param {Scene} scene
 * @param {{output: string | null, gates: Map<string, any>}} context
 */
export function drawScene(root, model, scene, context) {
  root.replaceChildren();
  const wiresLayer = svg("g", { class: "wires" }, root);
  const nodesLayer = svg("g", { class: "nodes" }, root);
  svg("g", { class: "overlay" }, root);
  for (const wire of scene.wires) drawWire(wiresLayer, wire);
  for (const node of model.nodes.values()) {
    const placed = /** @type {Placed} */ (scene.nodes.get(node.id));
    drawNode(nodesLayer, node, placed, context);
  }
}

/**
 * @param {Element} layer
 * @param {import("./layout.js").Wire} wire
 */
function drawWire(layer, wire) {
  const attrs = { d: wire.d, "data-wire-id": wire.id, "data-source": wire.source, "data-target": wire.target, "data-port": wire.port };
  svg("path", { ...attrs, class: "wire" }, layer);
  svg("path", { ...attrs, class: "wire-hit" }, layer);
}

/**
 * @param {Element} layer
 * @param {import("./model.js").Node} node
 * @param {Placed} placed
 * @param {{output: string | null, gates: Map<string, any>}} context
 */
function drawNode(layer, node, placed, context) {
  const kind = node.op === "input" || node.op === "const" ? node.op : "gate";
  const output = node.id === context.output ? " output" : "";
  const g = svg("g", { class: `node ${kind}${output}`, "data-node-id": node.id, "data-op": node.op, transform: `translate(${placed.x},${placed.y})` }, layer);
  const midY = placed.height / 2;
  const stub = placed.width - placed.body;
  if (kind === "gate") drawGate(g, node, placed, context.gates);
  else drawPill(g, node, placed);
  svg("line", { class: "stub", x1: placed.body, y1: midY, x2: placed.width, y2: midY, "data-node-id": node.id }, g);
  svg("rect", { class: "stub-hit", x: placed.body, y: midY - 26, width: stub - 6, height: 52, "data-node-id": node.id }, g);
  svg("circle", { class: "port port-out", cx: placed.width, cy: midY, r: 5.5, "data-node-id": node.id }, g);
  drawLabels(g, node.id, placed.body + stub / 2, midY);
  if (output) svg("text", { class: "out-name", x: placed.width + 10, y: midY }, g).textContent = node.label ?? node.id;
}

/**
 * @param {Element} g
 * @param {import("./model.js").Node} node
 * @param {Placed} placed
 * @param {Map<string, any>} gates
 */
function drawGate(g, node, placed, gates) {
  const cx = SIZES.lead + SIZES.radius;
  const cy = placed.height / 2;
  placed.ports.forEach((port, i) => {
    const y = port.y - placed.y;
    const dx = Math.sqrt(Math.max(0, SIZES.radius ** 2 - (y - cy) ** 2));
    svg("line", { class: "lead", x1: 0, y1: y, x2: cx - dx, y2: y }, g);
    const open = node.inputs?.[i] == null ? " open" : "";
    svg("circle", { class: `port port-in${open}`, cx: 0, cy: y, r: 5.5, "data-node-id": node.id, "data-port": i }, g);
  });
  svg("circle", { class: "gate-body", cx, cy, r: SIZES.radius }, g);
  const symbol = gateSymbol(node.op, node.params, gates);
  svg("text", { class: `gate-symbol${symbol.length > 2 ? " small" : ""}`, x: cx, y: cy }, g).textContent = symbol;
  svg("text", { class: "node-name", x: cx, y: cy + SIZES.radius + 14 }, g).textContent = node.label ?? node.id;
}

/**
 * @param {Element} g
 * @param {import("./model.js").Node} node
 * @param {Placed} placed
 */
function drawPill(g, node, placed) {
  const h = SIZES.pillHeight;
  svg("rect", { class: "pill", x: 0, y: 0, width: placed.body, height: h, rx: h / 2 }, g);
  const text = node.op === "const" ? formatValue(node.value ?? 0) : node.label ?? node.id;
  svg("text", { class: "pill-text", x: placed.body / 2, y: h / 2 }, g).textContent = text;
}

/**
 * @param {Element} g
 * @param {string} id
 * @param {number} x
 * @param {number} y
 */
function drawLabels(g, id, x, y) {
  for (const [role, dy] of [["value", -9], ["grad", 22]]) {
    const wrap = svg("g", { class: `label-wrap ${role}` }, g);
    svg("title", {}, wrap);
    svg("text", { class: `label ${role}`, x, y: y + Number(dy), "data-node-id": id, "data-role": role }, wrap);
  }
}

/**
 * Write the numbers of one frame into the labels; hidden ones are emptied.
 * @param {SVGGElement} root
 * @param {{values: Record<string, Value>}} result
 * @param {Frame} frame
 */
export function paintNumbers(root, result, frame) {
  for (const text of root.querySelectorAll("text.label")) {
    const id = /** @type {string} */ (text.getAttribute("data-node-id"));
    const isValue = text.getAttribute("data-role") === "value";
    const shown = isValue ? frame.values.has(id) : frame.grads.has(id);
    const value = isValue ? result.values[id] : frame.grads.get(id);
    setLabel(text, shown && value !== undefined ? value : null);
  }
}

/**
 * @param {Element} text
 * @param {Value | null} value
 */
function setLabel(text, value) {
  const label = value === null ? "" : formatValue(value);
  if (text.textContent !== label) text.textContent = label;
  const full = value === null ? "" : formatFull(value);
  text.setAttribute("data-full", full);
  const title = text.parentElement?.querySelector("title");
  if (title) title.textContent = full;
}

/** Empty every label (no result yet). @param {SVGGElement} root */
export function clearNumbers(root) {
  for (const text of root.querySelectorAll("text.label")) setLabel(text, null);
}

/**
 * Highlight the active gate, the nodes receiving gradient and the wires between.
 * @param {SVGGElement} root
 * @param {Frame} frame
 */
export function paintFocus(root, frame) {
  const targets = new Set(frame.targets);
  const backward = frame.phase === "backward";
  for (const g of root.querySelectorAll("g.node")) {
    const id = g.getAttribute("data-node-id");
    g.classList.toggle("active", id === frame.active && frame.phase !== "done");
    g.classList.toggle("target", backward && targets.has(/** @type {string} */ (id)) && id !== frame.active);
  }
  for (const wire of root.querySelectorAll("path.wire")) {
    const into = wire.getAttribute("data-target") === frame.active && frame.phase !== "done";
    wire.classList.toggle("active", into && backward);
    wire.classList.toggle("forward-active", into && frame.phase === "forward");
  }
}

/**
 * Mark the nodes an error names, with a short badge above each.
 * @param {SVGGElement} root
 * @param {Map<string, string>} errors  node id -> message
 */
export function paintErrors(root, errors) {
  for (const badge of root.querySelectorAll(".error-badge")) badge.remove();
  for (const g of root.querySelectorAll("g.node")) {
    const message = errors.get(/** @type {string} */ (g.getAttribute("data-node-id")));
    g.classList.toggle("error", message !== undefined);
    if (message === undefined) continue;
    const badge = svg("text", { class: "error-badge", x: SIZES.lead + SIZES.radius, y: -10, "data-role": "error" }, g);
    badge.textContent = message.length > 48 ? `${message.slice(0, 46)}…` : message;
  }
}
