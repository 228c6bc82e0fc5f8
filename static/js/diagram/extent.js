/**
 * The box the drawing covers, worked out from the scene (every node's box and
 * its text, every wire's route or curve, the frames) instead of measured in
 * the document: a fit or an export of a culled drawing then needs none of the
 * elements that are off screen put back and laid out. Text is sized from the
 * font sizes and the faces' metrics, rounded up. No DOM.
 * @module extent
 */

import { SIZES, bounds, wireBox } from "./geometry.js";
import { frameRects } from "./frames.js";
import { outputOf } from "../state/circuit.js";

/** @typedef {import("./geometry.js").Box} Box */
/** @typedef {import("./layout.js").Placed} Placed */
/** @typedef {import("./layout.js").Scene} Scene */
/** @typedef {import("../state/circuit.js").Model} Model */
/**
 * @typedef {object} TextSizes  the diagram's font sizes in px (larger in large-text mode)
 * @property {number} label  the numbers on a stub
 * @property {number} name  a gate's name under it (and a pattern's label)
 * @property {number} gate  the output's name beside it
 */
/** @typedef {TextSizes & {patterns?: boolean}} ExtentOptions  patterns: a pattern's label may stand under each gate's name */

/** A line of text's ascent and descent (the labels take the system's sans-serif: up to Noto Sans's), and a character's advance (DejaVu Sans Mono's, wider than most proportional ones), in ems. */
const ASCENT = 1.1;
const DESCENT = 0.3;
const ADVANCE = 0.62;
/** The port dots' radius. */
const DOT = 5.5;

/**
 * The smallest box that holds the whole drawing: what a fit fills the canvas
 * with and an export crops to.
 * @param {Model} model
 * @param {Scene} scene
 * @param {ExtentOptions} text
 * @returns {Box}
 */
export function drawingExtent(model, scene, text) {
  const output = outputOf(model);
  const boxes = [];
  for (const [id, placed] of scene.nodes) {
    const node = model.nodes.get(id);
    if (node) boxes.push(...nodeInk(placed, node.label ?? node.id, id === output, text));
  }
  for (const wire of scene.wires) {
    const from = scene.nodes.get(wire.source)?.out;
    const to = scene.nodes.get(wire.target)?.ports[wire.port];
    if (from && to) boxes.push(wireBox(wire.points, from, to));
  }
  for (const { rects } of frameRects(model, scene)) boxes.push(...rects);
  return bounds(boxes);
}

/**
 * What one node draws: its shape, stub and port dots, the numbers above and
 * below the stub, a gate's name (and pattern label) under it, the output's name.
 * @param {Placed} placed
 * @param {string} name
 * @param {boolean} isOutput
 * @param {ExtentOptions} text
 * @returns {Box[]}
 */
export function nodeInk(placed, name, isOutput, text) {
  const { x, y, width, height } = placed;
  const mid = y + height / 2;
  const left = placed.ports.length ? DOT : 0; // a gate's input dots
  const ink = [
    { x: x - left, y, width: width + left + DOT, height },
    { x: x + placed.body, y: mid - 9 - ASCENT * text.label, width: width - placed.body, height: 31 + (ASCENT + DESCENT) * text.label },
  ];
  if (placed.ports.length) {
    const rows = text.patterns ? 28 : 14;
    const half = (ADVANCE * text.name * [...name].length) / 2;
    ink.push({ x: x + SIZES.lead + SIZES.radius - half, y: mid, width: 2 * half, height: SIZES.radius + rows + DESCENT * text.name });
  }
  if (isOutput) ink.push({ x: x + width + 10, y: mid - text.gate, width: ADVANCE * text.gate * [...name].length, height: 2 * text.gate });
  return ink;
}
