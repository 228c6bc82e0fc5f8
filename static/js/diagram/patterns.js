/**
 * Patterns mode (`state.view.patterns`): during the backward pass each gate the
 * pass has reached is labelled by what it does to the gradient: add
 * distributes, max routes it to the larger input, mul swaps its inputs and
 * scales; any other gate shows its local rule from the gate table. Labels are
 * kept by difference, so an animation step touches only the gates that change.
 * @module patterns
 */

import { svg } from "../dom.js";
import { SIZES } from "./geometry.js";

/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("./render.js").Drawing} Drawing */

/** The notes' three patterns, and their close relatives, in a few words. */
const WORDS = /** @type {Record<string, string>} */ ({
  add: "add: distributes",
  sum: "sum: distributes",
  sub: "distributes, −1 to the 2nd",
  max: "max: routes to the larger",
  min: "min: routes to the smaller",
  mul: "mul: swaps and scales",
});
const LONGEST = 28;

/**
 * What a gate does to the gradient, in a few words: its pattern, or its local rule.
 * @param {string} op
 * @param {Map<string, any>} gates  the gate table
 * @returns {string}
 */
export function patternText(op, gates) {
  if (WORDS[op]) return WORDS[op];
  const rule = `grad × ${(gates.get(op)?.local_gradient ?? []).join(", ")}`;
  return rule.length > LONGEST ? `${rule.slice(0, LONGEST - 1)}…` : rule;
}

/**
 * The gates labelled now: those the backward pass has reached by the step shown
 * (every one once it is done), the one it is working on marked current.
 * @param {State} state
 * @returns {Map<string, {text: string, current: boolean}>}
 */
export function patternLabels(state) {
  const shown = new Map();
  if (!state.view.patterns) return shown;
  state.steps.slice(0, state.step + 1).forEach((step, index) => {
    if (step.kind !== "backward") return;
    const current = index === state.step;
    shown.set(step.entry.id, { text: patternText(step.entry.op, state.catalog.gates), current });
  });
  return shown;
}

export class PatternLabels {
  /** @param {Drawing} drawing */
  constructor(drawing) {
    this.drawing = drawing;
    /** @type {Map<string, SVGTextElement>} */
    this.labels = new Map();
  }

  /** @param {State} state */
  paint(state) {
    const wanted = patternLabels(state);
    for (const [id, label] of this.labels) {
      if (!wanted.has(id) || label.parentNode !== this.drawing.nodes.get(id)?.g) (label.remove(), this.labels.delete(id));
    }
    for (const [id, { text, current }] of wanted) {
      const label = this.labels.get(id) ?? this.add(id);
      if (!label) continue;
      if (label.textContent !== text) label.textContent = text;
      label.classList.toggle("current", current);
    }
  }

  /**
   * A label under a gate's name.
   * @param {string} id
   * @returns {SVGTextElement | null}
   */
  add(id) {
    const g = this.drawing.nodes.get(id)?.g;
    const body = g?.querySelector(".gate-body");
    if (!g || !body) return null;
    const x = SIZES.lead + SIZES.radius;
    const y = Number(body.getAttribute("cy")) + SIZES.radius + 28;
    const label = /** @type {SVGTextElement} */ (svg("text", { class: "pattern-label", x, y, "data-node-id": id, "data-role": "pattern" }, g));
    this.labels.set(id, label);
    return label;
  }
}
