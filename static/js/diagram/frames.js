/**
 * The dashed frames around the gates of an expanded composite or group (the
 * nodes whose `ui.frame` names it), each labelled with the gate it was.
 * @module frames
 */

import { svg } from "../dom.js";

/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("./layout.js").Placed} Placed */
/** @typedef {import("../state/circuit.js").Model} Model */
/** @typedef {import("./geometry.js").Box} Box */

const PAD = 16;

/**
 * Redraw every frame into `layer`.
 * @param {Element} layer
 * @param {Model} model
 * @param {Scene} scene
 */
export function drawFrames(layer, model, scene) {
  layer.replaceChildren();
  for (const { id, name, rects } of frameRects(model, scene)) {
    const g = svg("g", { class: "frame", "data-frame-id": id }, layer);
    rects.forEach((rect, i) => {
      svg("rect", { ...rect, rx: 10 }, g);
      if (i === 0) svg("text", { class: "frame-name", x: rect.x + 10, y: rect.y + 14 }, g).textContent = `${name} (${id}), expanded`;
    });
  }
}

/**
 * Each frame's rectangles: one per row of its gates, the first with room for its name.
 * @param {Model} model
 * @param {Scene} scene
 * @returns {{id: string, name: string, rects: Box[]}[]}
 */
export function frameRects(model, scene) {
  /** @type {Map<string, {name: string, boxes: Placed[]}>} */
  const frames = new Map();
  for (const node of model.nodes.values()) {
    const frame = node.ui?.frame;
    const placed = scene.nodes.get(node.id);
    if (!frame || !placed) continue;
    const entry = frames.get(frame.id) ?? { name: frame.name, boxes: [] };
    entry.boxes.push(placed);
    frames.set(frame.id, entry);
  }
  return [...frames].map(([id, { name, boxes }]) => ({ id, name, rects: rows(boxes).map(rowRect) }));
}

/**
 * @param {Placed[]} row
 * @param {number} i  the row's place: the first has room for the frame's name
 * @returns {Box}
 */
function rowRect(row, i) {
  const left = Math.min(...row.map((b) => b.x)) - PAD;
  const top = Math.min(...row.map((b) => b.y)) - PAD - (i === 0 ? 12 : 0);
  const right = Math.max(...row.map((b) => b.x + b.width)) + PAD;
  const bottom = Math.max(...row.map((b) => b.y + b.height)) + PAD + 10;
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * Boxes side by side (their heights overlap) form one row, so a frame whose gates
 * the layout wrapped onto two rows gets one rectangle per row and takes in no
 * gate between them.
 * @param {Placed[]} boxes
 * @returns {Placed[][]}
 */
function rows(boxes) {
  /** @type {Placed[][]} */
  const out = [];
  for (const box of [...boxes].sort((a, b) => a.y - b.y)) {
    const row = out.find((r) => r.some((other) => box.y < other.y + other.height && other.y < box.y + box.height));
    if (row) row.push(box);
    else out.push([box]);
  }
  return out;
}
