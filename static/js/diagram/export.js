/**
 * The diagram as a picture that stands alone, exactly as shown: a copy of the
 * drawn SVG with every element's computed style written inline (green values,
 * red gradients, the current step's highlight), cropped to the circuit, with
 * the diagram's fonts (the vendored DejaVu faces) embedded as data URLs.
 * The PNG is that SVG drawn at 2x (or more) on a canvas.
 * @module export
 */

import { inFull } from "./cull.js";

/** Styles copied from the screen onto each element of the copy. */
const STYLES = [
  "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-linejoin", "stroke-linecap", "stroke-opacity",
  "opacity", "filter", "paint-order", "font-family", "font-size", "font-weight", "font-style", "font-variant-numeric",
  "text-anchor", "dominant-baseline", "letter-spacing",
];
/** Drawn only for the mouse: left out of a picture. */
const NOT_DRAWN = ".wire-hit, .stub-hit, .drag-wire, title";
const MARGIN = 24;
const BACKGROUND = "#fbfcfe";
/** The diagram's faces: family and weight -> the vendored file. */
const FACES = [
  { family: "DejaVu Sans", weight: 400, file: "/vendor/fontsource-dejavu-sans-5.3.0/dejavu-sans-latin-400-normal.woff2" },
  { family: "DejaVu Sans", weight: 700, file: "/vendor/fontsource-dejavu-sans-5.3.0/dejavu-sans-latin-700-normal.woff2" },
  { family: "DejaVu Sans Mono", weight: 400, file: "/vendor/fontsource-dejavu-mono-5.3.0/dejavu-mono-latin-400-normal.woff2" },
  { family: "DejaVu Sans Mono", weight: 700, file: "/vendor/fontsource-dejavu-mono-5.3.0/dejavu-mono-latin-700-normal.woff2" },
];

/**
 * The picture's SVG text and its size in CSS pixels. The elements off screen
 * are put back for the copy, which takes their computed styles.
 * @param {SVGSVGElement} canvas  the diagram's <svg>
 * @param {SVGGElement} root  its zoomed and panned group
 * @param {import("./geometry.js").Box} box  the box the drawing covers
 * @returns {Promise<{text: string, width: number, height: number}>}
 */
export async function exportSvg(canvas, root, box) {
  const copy = inFull(root, () => {
    const copy = /** @type {SVGGElement} */ (root.cloneNode(true));
    inlineStyles(root, copy);
    return copy;
  });
  const width = Math.ceil(box.width + 2 * MARGIN);
  const height = Math.ceil(box.height + 2 * MARGIN);
  copy.removeAttribute("transform");
  copy.removeAttribute("id");
  for (const element of copy.querySelectorAll(NOT_DRAWN)) element.remove();
  const picture = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  const viewBox = [box.x - MARGIN, box.y - MARGIN, width, height];
  for (const [name, value] of Object.entries({ width, height, viewBox: viewBox.join(" "), role: "img" })) picture.setAttribute(name, String(value));
  const fonts = document.createElementNS("http://www.w3.org/2000/svg", "style");
  fonts.textContent = await fontFaces(copy);
  const paper = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [name, value] of Object.entries({ x: viewBox[0], y: viewBox[1], width, height, fill: BACKGROUND })) paper.setAttribute(name, String(value));
  picture.append(fonts, paper, copy);
  picture.setAttribute("aria-label", canvas.getAttribute("aria-label") ?? "Circuit diagram");
  return { text: new XMLSerializer().serializeToString(picture), width, height };
}

/**
 * The SVG drawn at `scale` times its size, as a PNG.
 * @param {{text: string, width: number, height: number}} picture
 * @param {number} [scale]
 * @returns {Promise<Blob>}
 */
export async function exportPng(picture, scale = 2) {
  const image = new Image();
  image.src = `data:image/svg+xml;base64,${toBase64(new TextEncoder().encode(picture.text))}`;
  await image.decode();
  const board = document.createElement("canvas");
  board.width = Math.round(picture.width * scale);
  board.height = Math.round(picture.height * scale);
  const context = /** @type {CanvasRenderingContext2D} */ (board.getContext("2d"));
  context.drawImage(image, 0, 0, board.width, board.height);
  return new Promise((resolve, reject) => board.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the PNG could not be made"))), "image/png"));
}

/**
 * Copy the computed styles of the drawn elements onto their copies, which have the same shape.
 * @param {Element} drawn
 * @param {Element} copy
 */
function inlineStyles(drawn, copy) {
  const computed = getComputedStyle(drawn);
  if (computed.display === "none" || computed.visibility === "hidden") {
    copy.setAttribute("display", "none");
    return;
  }
  copy.setAttribute("style", STYLES.map((name) => `${name}:${computed.getPropertyValue(name)}`).join(";"));
  for (let i = 0; i < drawn.children.length; i += 1) inlineStyles(drawn.children[i], copy.children[i]);
}

/**
 * @font-face rules, with the font files as data URLs, for the faces the copy's text uses.
 * @param {Element} copy
 * @returns {Promise<string>}
 */
async function fontFaces(copy) {
  const used = new Set();
  for (const text of copy.querySelectorAll("text")) {
    const style = /** @type {SVGElement} */ (text).style;
    const family = style.fontFamily.includes("Mono") ? "DejaVu Sans Mono" : "DejaVu Sans";
    used.add(`${family}|${Number(style.fontWeight) >= 600 ? 700 : 400}`);
  }
  const faces = FACES.filter((face) => used.has(`${face.family}|${face.weight}`));
  const rules = await Promise.all(faces.map(async (face) => {
    const bytes = new Uint8Array(await (await fetch(face.file)).arrayBuffer());
    return `@font-face{font-family:"${face.family}";font-weight:${face.weight};src:url(data:font/woff2;base64,${toBase64(bytes)}) format("woff2")}`;
  }));
  return rules.join("\n");
}

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
function toBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
