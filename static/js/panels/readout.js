/**
 * The chain-rule panel and the message line, both read from the state: the
 * current step's arithmetic, or nothing when there is no result; the problem
 * in plain words, or a one-line summary of the result (which a running quiz
 * replaces, as it would give the answers away).
 * @module readout
 */

import { byId, html } from "../dom.js";
import { readout } from "../state/trace.js";
import { formulaFor } from "../state/gates.js";
import { formatValue } from "../state/format.js";
import { inputValues } from "../state/circuit.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */

/** @param {Store} store */
export function mountReadout(store) {
  const box = byId("readout");
  const line = byId("message");
  store.subscribe((state, touched) => {
    if (touched.has("result") || touched.has("step") || touched.has("catalog") || touched.has("quiz")) renderReadout(box, state);
    if (touched.has("result") || touched.has("problem") || touched.has("structure") || touched.has("quiz")) renderMessage(line, state);
  });
}

/**
 * @param {HTMLElement} box
 * @param {State} state
 */
function renderReadout(box, state) {
  box.replaceChildren();
  const step = state.steps[state.step];
  if (!state.result || !step) return box.append(html("p", { class: "hint" }, "The chain rule at each step shows here once the circuit has numbers."));
  if (state.quiz) return box.append(html("p", { class: "hint" }, "The chain rule stays hidden while the quiz runs: a hint in the Quiz tab shows one gate's step."));
  const content = readout(step, state.result, wordsFor(state));
  box.append(html("div", { class: "title", "data-role": "readout-title" }, content.title));
  if (content.subtitle) box.append(html("div", { class: "subtitle" }, content.subtitle));
  for (const item of content.lines) {
    const row = html("div", { class: `line${item.fork ? " fork" : ""}`, "data-role": "readout-line" });
    if (item.fork) row.append(html("span", { class: "fork-tag" }, "FORK +="));
    row.append(item.text);
    box.append(row);
  }
}

/**
 * How the readout names gates and formulas, from the state's gate table.
 * @param {State} state
 * @returns {import("../state/trace.js").Words}
 */
export function wordsFor(state) {
  const gates = state.catalog.gates;
  return {
    formula: (op, inputs, params) => formulaFor(gates.get(op), inputs, params),
    title: (op) => gates.get(op)?.title ?? op,
    params: (id) => state.model.nodes.get(id)?.params,
  };
}

/**
 * @param {HTMLElement} line
 * @param {State} state
 */
function renderMessage(line, state) {
  const problem = state.problem;
  line.classList.toggle("error", problem?.kind === "error");
  if (problem) {
    line.replaceChildren(problem.msg);
    if (problem.expr !== undefined && problem.position !== undefined) {
      line.append(html("div", { class: "caret" }, `${problem.expr}\n${" ".repeat(problem.position)}^`));
    }
    return;
  }
  const result = state.result;
  if (!result) return line.replaceChildren("");
  if (state.quiz) return line.replaceChildren(`Quiz: fill in the hidden ${state.quiz.hide}, in the Quiz tab or by clicking a ? on the diagram.`);
  const grads = inputValues(state.model).map((i) => `d${i.id} = ${formatValue(result.gradients[i.id] ?? 0)}`);
  line.replaceChildren(`${result.output} = ${formatValue(result.values[result.output])}   ·   ${grads.join("   ")}   ·   press → to step through the passes`);
}
