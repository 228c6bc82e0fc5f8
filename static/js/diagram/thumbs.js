/**
 * Tensor labels on wires: the shape ("5×10") beside a heatmap thumbnail, an
 * SVG <image> whose PNG data URL is drawn once per value on a canvas (one
 * pixel per cell) and cached for as long as that value lives. The diagram
 * calls `paintLabel` for every label it writes; scalars pass through as text.
 * @module thumbs
 */

import { svg } from "../dom.js";
import { labelSize } from "./arrange.js";
import { limitOf, pixels } from "./heat.js";
import { THUMB, labelWidth, thumbed, wireText } from "./labels.js";
import { rowsOf } from "../state/matrix.js";

/** @typedef {import("../state/format.js").Value} Value */

/** @type {WeakMap<object, string>} */
const urls = new WeakMap();

/**
 * A canvas with one pixel per cell, on the diverging scale from -limit to +limit.
 * @param {number[][]} rows
 * @param {number} limit
 * @returns {HTMLCanvasElement}
 */
export function heatCanvas(rows, limit) {
  const canvas = document.createElement("canvas");
  canvas.width = rows[0]?.length ?? 0;
  canvas.height = rows.length;
  const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  if (canvas.width && canvas.height) context.putImageData(new ImageData(pixels(rows, limit), canvas.width, canvas.height), 0, 0);
  return canvas;
}

/**
 * @param {number[] | number[][]} value
 * @returns {string}
 */
function thumbnail(value) {
  let url = urls.get(value);
  if (url === undefined) {
    const rows = rowsOf(value);
    url = heatCanvas(rows, limitOf(rows)).toDataURL();
    urls.set(value, url);
  }
  return url;
}

/**
 * Write a value into a wire label: its text and, for a tensor, a thumbnail
 * before it, the pair centred where the label's text was centred.
 * @param {SVGTextElement} text
 * @param {Value | null} value
 */
export function paintLabel(text, value) {
  const centre = Number(text.dataset.cx ?? (text.dataset.cx = text.getAttribute("x") ?? "0"));
  text.textContent = value === null ? "" : wireText(value);
  const image = /** @type {SVGImageElement | null} */ (text.previousElementSibling?.matches("image.thumb") ? text.previousElementSibling : null);
  if (value === null || !thumbed(value)) {
    image?.remove();
    return text.setAttribute("x", String(centre));
  }
  const size = labelSize();
  const [width, gap, height] = [THUMB.width * size, THUMB.gap * size, THUMB.height * size];
  const total = width + gap + labelWidth(text.textContent, size);
  const left = centre - total / 2;
  const y = Number(text.getAttribute("y")) - height * 0.8;
  const attrs = { x: left, y, width, height, href: thumbnail(value) };
  const thumb = image ?? svg("image", { class: "thumb", preserveAspectRatio: "none", "data-role": `${text.dataset.role}-thumb`, "data-node-id": text.dataset.nodeId ?? "" });
  for (const [name, v] of Object.entries(attrs)) thumb.setAttribute(name, String(v));
  if (!image) text.before(thumb);
  text.setAttribute("x", String(left + width + gap + (total - width - gap) / 2));
}
