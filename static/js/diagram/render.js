/**
 * Draws a scene into the SVG keyed by id: each node is one group and each
 * wire one path pair, created once and then updated in place. A changed node
 * is redrawn alone; a moved one only gets a new transform and its wires new
 * paths. Numbers are painted separately, so value edits and animation steps
 * touch labels only.
 * @module render
 */

import { svg } from "../dom.js";
import { SIZES, curvePath } from "./geometry.js";
import { gateSymbol, isLeafOp } from "../state/gates.js";
import { formatFull } from "../state/format.js";
import { heldLabel, isSeeded } from "../state/matrix.js";
import { paintLabel } from "./thumbs.js";
import { badgeLines } from "./labels.js";
import { drawFrames } from "./frames.js";

/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("./layout.js").Placed} Placed */
/** @typedef {import("./layout.js").Wire} Wire */
/** @typedef {import("../state/circuit.js").Model} Model */
/** @typedef {import("../state/circuit.js").Node} Node */
/** @typedef {import("../state/trace.js").Frame} Frame */
/** @typedef {import("../state/format.js").Value} Value */
/** @typedef {{output: string | null, gates: Map<string, any>}} Context */
/** @typedef {{g: SVGGElement, key: string, labels: SVGTextElement[]}} Drawn */

export class Drawing {
  /** @param {SVGGElement} root */
  constructor(root) {
    this.root = root;
    this.framesLayer = svg("g", { class: "frames" }, root);
    this.wiresLayer = svg("g", { class: "wires" }, root);
    this.nodesLayer = svg("g", { class: "nodes" }, root);
    this.overlay = svg("g", { class: "overlay" }, root);
    /** @type {Map<string, Drawn>} */
    this.nodes = new Map();
    /** @type {Map<string, {line: SVGPathElement, hit: SVGPathElement, wire: Wire}>} */
    this.wires = new Map();
    /** @type {Element[]} */
    this.badges = [];
    /** Which elements carry each highlight, so a step touches only what changes. */
    this.marks = {
      active: new Marks("active"),
      target: new Marks("target"),
      backward: new Marks("active"),
      forward: new Marks("forward-active"),
      selectedNode: new Marks("selected"),
      selectedWire: new Marks("selected"),
      error: new Marks("error"),
    };
  }

  /**
   * Bring the drawing in line with a scene: add, update and remove by id.
   * @param {Model} model
   * @param {Scene} scene
   * @param {Context} context
   */
  sync(model, scene, context) {
    for (const [id, drawn] of this.nodes) if (!model.nodes.has(id)) (drawn.g.remove(), this.nodes.delete(id));
    for (const node of model.nodes.values()) this.syncNode(node, /** @type {Placed} */ (scene.nodes.get(node.id)), context);
    const seen = new Set();
    for (const wire of scene.wires) (seen.add(wire.id), this.syncWire(wire));
    for (const [id, drawn] of this.wires) if (!seen.has(id)) (drawn.line.remove(), drawn.hit.remove(), this.wires.delete(id));
    drawFrames(this.framesLayer, model, scene);
  }

  /**
   * @param {Node} node
   * @param {Placed} placed
   * @param {Context} context
   */
  syncNode(node, placed, context) {
    const key = JSON.stringify([node.op, node.params, node.inputs, node.label, node.op === "const" ? node.value : 0, placed.width, placed.height, node.id === context.output, context.gates.size]);
    const drawn = this.nodes.get(node.id);
    if (drawn && drawn.key === key) return void drawn.g.setAttribute("transform", `translate(${placed.x},${placed.y})`);
    const g = drawNode(node, placed, context);
    if (drawn?.g.isConnected) drawn.g.replaceWith(g);
    else this.nodesLayer.append(g); // new, or in place of one off screen (cull.js)
    this.nodes.set(node.id, { g, key, labels: [...g.querySelectorAll("text.label")].map((t) => /** @type {SVGTextElement} */ (t)) });
  }

  /** @param {Wire} wire */
  syncWire(wire) {
    const drawn = this.wires.get(wire.id);
    if (drawn) {
      for (const path of [drawn.line, drawn.hit]) if (path.getAttribute("d") !== wire.d) path.setAttribute("d", wire.d);
      if (drawn.wire.source !== wire.source) for (const path of [drawn.line, drawn.hit]) path.setAttribute("data-source", wire.source);
      drawn.wire = wire;
      return;
    }
    const attrs = { d: wire.d, "data-wire-id": wire.id, "data-source": wire.source, "data-target": wire.target, "data-port": wire.port };
    const line = /** @type {SVGPathElement} */ (svg("path", { ...attrs, class: "wire" }, this.wiresLayer));
    const hit = /** @type {SVGPathElement} */ (svg("path", { ...attrs, class: "wire-hit" }, this.wiresLayer));
    this.wires.set(wire.id, { line, hit, wire });
  }

  /**
   * Move one node while it is dragged: its transform and the wires at its ports.
   * @param {Placed} placed  where it stands now
   * @param {(id: string) => Placed | undefined} placeOf  where the others stand
   * @returns {Element[]}  the elements moved
   */
  moveNode(placed, placeOf) {
    const g = this.nodes.get(placed.id)?.g;
    g?.setAttribute("transform", `translate(${placed.x},${placed.y})`);
    const moved = g ? [g] : [];
    for (const { line, hit, wire } of this.wires.values()) {
      if (wire.source !== placed.id && wire.target !== placed.id) continue;
      const from = wire.source === placed.id ? placed : placeOf(wire.source);
      const to = wire.target === placed.id ? placed : placeOf(wire.target);
      if (!from || !to) continue;
      const d = curvePath(from.out, to.ports[wire.port]);
      line.setAttribute("d", d);
      hit.setAttribute("d", d);
      moved.push(line, hit);
    }
    return moved;
  }

  /**
   * Write the numbers of one frame into the labels; hidden ones are emptied.
   * Without a result, inputs and constants still show the values they hold.
   * @param {{values: Record<string, Value>} | null} result
   * @param {Frame | null} frame
   * @param {Model} model
   */
  paintNumbers(result, frame, model) {
    for (const [id, drawn] of this.nodes) {
      const [value, grad] = drawn.labels;
      const own = model.nodes.get(id)?.value;
      const held = result || isSeeded(own) ? undefined : own;
      const shown = result && frame?.values.has(id) ? result.values[id] : held;
      setLabel(value, shown ?? null);
      setLabel(grad, frame?.grads.get(id) ?? null);
    }
  }

  /**
   * Highlight the active gate, the nodes receiving gradient and the wires between.
   * @param {Frame | null} frame
   */
  paintFocus(frame) {
    const phase = frame?.phase ?? "done";
    const active = phase === "done" ? null : frame?.active ?? null;
    const targets = phase === "backward" ? (frame?.targets ?? []).filter((id) => id !== active) : [];
    this.marks.active.set(this.groups(active === null ? [] : [active]));
    this.marks.target.set(this.groups(targets));
    const into = active === null ? [] : this.linesInto(active);
    this.marks.backward.set(phase === "backward" ? into : []);
    this.marks.forward.set(phase === "forward" ? into : []);
  }

  /**
   * @param {import("../state/store.js").Selection} s
   */
  paintSelection(s) {
    this.marks.selectedNode.set(this.groups(s?.kind === "node" ? [s.id] : s?.kind === "nodes" ? s.ids : []));
    const stub = s?.kind === "wire" && s.target === undefined ? this.nodes.get(s.source)?.g.querySelector("line.stub") : null;
    const line = s?.kind === "wire" && s.target !== undefined ? this.wires.get(`${s.target}:${s.port}`)?.line : null;
    this.marks.selectedWire.set([stub, line].filter((e) => e !== null && e !== undefined));
  }

  /**
   * Mark the nodes a problem names, with a short badge above each.
   * @param {Map<string, string>} errors  node id -> message
   */
  paintErrors(errors) {
    for (const badge of this.badges) badge.remove();
    this.badges = [];
    this.marks.error.set(this.groups([...errors.keys()]));
    for (const [id, message] of errors) {
      const drawn = this.nodes.get(id);
      if (!drawn) continue;
      const lines = badgeLines(message);
      const x = SIZES.lead + SIZES.radius;
      const badge = svg("text", { class: "error-badge", x, y: -10 - 15 * (lines.length - 1), "data-role": "error" }, drawn.g);
      lines.forEach((line, i) => (svg("tspan", { x, dy: i ? 15 : 0 }, badge).textContent = line));
      this.badges.push(badge);
    }
  }

  /**
   * The drawn groups of some nodes.
   * @param {string[]} ids
   * @returns {Element[]}
   */
  groups(ids) {
    return ids.flatMap((id) => this.nodes.get(id)?.g ?? []);
  }

  /**
   * The wires into a gate.
   * @param {string} id
   * @returns {Element[]}
   */
  linesInto(id) {
    return [...this.wires.values()].filter((w) => w.wire.target === id).map((w) => w.line);
  }

  /** @param {string} id */
  gradLabel(id) {
    return this.nodes.get(id)?.labels[1];
  }
}

/** One class on a set of elements, changed by difference. */
class Marks {
  /** @param {string} name */
  constructor(name) {
    this.name = name;
    /** @type {Set<Element>} */
    this.on = new Set();
  }

  /** @param {Element[]} elements  the ones that carry the class from now on */
  set(elements) {
    const next = new Set(elements);
    for (const e of this.on) if (!next.has(e)) e.classList.remove(this.name);
    for (const e of next) if (!this.on.has(e)) e.classList.add(this.name);
    this.on = next;
  }
}

/**
 * @param {Node} node
 * @param {Placed} placed
 * @param {Context} context
 * @returns {SVGGElement}
 */
function drawNode(node, placed, context) {
  const kind = isLeafOp(node.op, context.gates) ? node.op : "gate";
  const output = node.id === context.output ? " output" : "";
  const g = /** @type {SVGGElement} */ (svg("g", { class: `node ${kind}${output}`, "data-node-id": node.id, "data-op": node.op, transform: `translate(${placed.x},${placed.y})` }));
  const midY = placed.height / 2;
  const stub = placed.width - placed.body;
  if (kind === "gate") drawGate(g, node, placed, context.gates);
  else drawPill(g, node, placed);
  svg("line", { class: "stub", x1: placed.body, y1: midY, x2: placed.width, y2: midY, "data-node-id": node.id }, g);
  svg("rect", { class: "stub-hit", x: placed.body, y: midY - 26, width: stub - 6, height: 52, "data-node-id": node.id }, g);
  svg("circle", { class: "port port-out", cx: placed.width, cy: midY, r: 5.5, "data-node-id": node.id }, g);
  drawLabels(g, node.id, placed.body + stub / 2, midY);
  if (output) svg("text", { class: "out-name", x: placed.width + 10, y: midY }, g).textContent = node.label ?? node.id;
  return g;
}

/**
 * @param {Element} g
 * @param {Node} node
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
  const name = node.name ?? "group";
  const symbol = node.op === "group" ? (name.length > 9 ? `${name.slice(0, 8)}…` : name) : gateSymbol(node.op, node.params, gates);
  const size = symbol.length > 4 ? " tiny" : symbol.length > 2 ? " small" : "";
  svg("text", { class: `gate-symbol${size}`, x: cx, y: cy }, g).textContent = symbol;
  svg("text", { class: "node-name", x: cx, y: cy + SIZES.radius + 14 }, g).textContent = node.label ?? node.id;
}

/**
 * @param {Element} g
 * @param {Node} node
 * @param {Placed} placed
 */
function drawPill(g, node, placed) {
  const h = SIZES.pillHeight;
  svg("rect", { class: "pill", x: 0, y: 0, width: placed.body, height: h, rx: h / 2 }, g);
  const text = node.op === "const" ? heldLabel(node.value ?? 0) : node.label ?? node.id;
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
 * @param {Element} text
 * @param {Value | null} value
 */
export function setLabel(text, value) {
  const full = value === null ? "" : formatFull(value);
  if (text.getAttribute("data-full") === full) return;
  paintLabel(/** @type {SVGTextElement} */ (text), value);
  text.setAttribute("data-full", full);
  const title = text.parentElement?.querySelector("title");
  if (title) title.textContent = full;
}
