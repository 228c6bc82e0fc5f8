/**
 * A gradient travelling along a wire: a red dot carrying the number it sends,
 * from the gate's input port back to the wire's source.
 * @module flow
 */

import { svg } from "../dom.js";
import { formatValue } from "../state/format.js";

/** @typedef {import("../state/format.js").Value} Value */

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
  const start = performance.now();
  /** @param {number} now */
  const frame = (now) => {
    const f = Math.min(1, (now - start) / duration);
    const eased = 1 - (1 - f) ** 2;
    const p = path.getPointAtLength(length * (1 - eased));
    g.setAttribute("transform", `translate(${p.x},${p.y})`);
    if (f < 1 && g.isConnected) requestAnimationFrame(frame);
    else g.remove();
  };
  requestAnimationFrame(frame);
}

/** Remove any pulses. @param {SVGGElement} root */
export function clearPulses(root) {
  root.querySelector("g.overlay")?.replaceChildren();
}
