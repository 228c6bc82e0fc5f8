/**
 * A gradient travelling along a wire: a red dot carrying the number it sends,
 * from the gate's input port back to the wire's source. The path is sampled
 * once and the dot moves by a transform animation, so a frame of it costs
 * no script and no layout.
 * @module flow
 */

import { svg } from "../dom.js";
import { formatValue } from "../state/format.js";

/** @typedef {import("../state/format.js").Value} Value */

/** Points sampled along a wire for a pulse's keyframes. */
const SAMPLES = 24;

/**
 * Animate one pulse per sent gradient; earlier pulses are removed.
 * @param {SVGGElement} root
 * @param {string} gate  the gate sending
 * @param {{port: number, sent: Value}[]} sends
 * @param {number} duration  ms
 */
export function sendPulses(root, gate, sends, duration) {
  const overlay = root.querySelector("g.overlay");
  if (!overlay) return;
  overlay.replaceChildren();
  for (const { port, sent } of sends) {
    const wire = root.querySelector(`path.wire[data-target="${CSS.escape(gate)}"][data-port="${port}"]`);
    if (wire) travel(overlay, /** @type {SVGPathElement} */ (wire), formatValue(sent), duration);
  }
}

/**
 * @param {Element} overlay
 * @param {SVGPathElement} path
 * @param {string} text
 * @param {number} duration
 */
function travel(overlay, path, text, duration) {
  const length = path.getTotalLength();
  const g = svg("g", { class: "pulse-group" }, overlay);
  svg("circle", { class: "pulse", r: 7 }, g);
  svg("text", { class: "pulse-text", y: -12 }, g).textContent = text;
  // the dot slows as it arrives: it has gone a share 1 - (1 - t)² of the way at time t
  const keyframes = Array.from({ length: SAMPLES + 1 }, (_, i) => {
    const p = path.getPointAtLength(length * (1 - i / SAMPLES));
    return { transform: `translate(${p.x}px, ${p.y}px)`, offset: 1 - Math.sqrt(1 - i / SAMPLES) };
  });
  g.animate(keyframes, { duration, fill: "forwards" }).finished.then(() => g.remove());
}

/** Remove any pulses. @param {SVGGElement} root */
export function clearPulses(root) {
  root.querySelector("g.overlay")?.replaceChildren();
}
