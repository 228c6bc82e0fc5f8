/**
 * The Quiz tab, a view of `state.quiz`: pick what to hide and in what order,
 * then one row per asked number, with a field (Enter checks it), a hint button
 * and, once asked for, the hint; the last answer's verdict and the score.
 * Every action is a quiz record sent through `store.quiz` (see state/quiz.js).
 * It renders only while its tab is shown.
 * @module quiz-panel
 */

import { byId, html } from "../dom.js";
import { hint, nextQuestion, questions, score, TOLERANCE } from "../state/quiz.js";
import { formatValue, parseValue } from "../state/format.js";
import { wordsFor } from "./readout.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/quiz.js").Quiz} Quiz */
/** @typedef {import("../state/quiz.js").Question} Question */

const WATCHED = ["view", "quiz", "result", "catalog"];

/** @param {Store} store */
export function mountQuiz(store) {
  const box = byId("quiz");
  store.subscribe((state, touched) => {
    if (state.view.panel === "quiz" && WATCHED.some((t) => touched.has(/** @type {any} */ (t)))) render(box, store);
  });
}

/**
 * @param {HTMLElement} box
 * @param {Store} store
 */
function render(box, store) {
  const typing = box.contains(document.activeElement);
  const { quiz, result, stale } = store.state;
  box.replaceChildren();
  if (!quiz) return box.append(...setup(store));
  box.append(heading(quiz, store));
  if (quiz.note) box.append(html("p", { class: "note", "data-role": "quiz-note" }, quiz.note));
  if (!result || stale) return box.append(html("p", { class: "hint" }, "Waiting for the circuit's numbers…"));
  const asked = questions(result, quiz.hide);
  if (!asked.length) return box.append(html("p", { class: "hint" }, "This circuit has no single numbers to ask (tensors are not asked)."));
  if (quiz.last) box.append(html("p", { class: `verdict ${quiz.last.verdict}`, "data-role": "quiz-feedback", role: "status" }, verdict(quiz)));
  const list = html("ol", { class: "questions" });
  for (const question of asked) list.append(row(question, quiz, store));
  box.append(list, html("p", { class: "score", "data-role": "quiz-score" }, scoreText(quiz, asked)));
  const next = nextQuestion(quiz, asked);
  if (typing && next) /** @type {HTMLInputElement | null} */ (box.querySelector(`[data-quiz-node="${CSS.escape(next.id)}"] input`))?.focus();
}

/**
 * @param {Store} store
 * @returns {HTMLElement[]}
 */
function setup(store) {
  const hide = choice("quiz-hide", "Hide", [["gradients", "the gradients"], ["values", "the values"]]);
  const order = choice("quiz-order", "Ask", [["ordered", "in order (the next one)"], ["any", "in any order"]]);
  const start = html("button", { class: "primary", "data-role": "quiz-start" }, "Start the quiz");
  start.addEventListener("click", () => {
    const pick = (/** @type {HTMLElement} */ label) => /** @type {HTMLSelectElement} */ (label.querySelector("select")).value;
    store.quiz({ type: "quiz_start", hide: /** @type {any} */ (pick(hide)), order: /** @type {any} */ (pick(order)) });
  });
  const rule = `An answer counts when it is within ${TOLERANCE.absolute} + ${TOLERANCE.relative * 100}% of the exact number.`;
  return [html("p", {}, "Hide the numbers of the circuit shown and work them out yourself, wire by wire."), hide, order, start, html("p", { class: "hint" }, rule)];
}

/**
 * @param {string} id
 * @param {string} text
 * @param {[string, string][]} options
 */
function choice(id, text, options) {
  const label = html("label", { class: "choice" }, `${text} `);
  const select = html("select", { id });
  for (const [value, words] of options) select.append(html("option", { value }, words));
  label.append(select);
  return label;
}

/**
 * @param {Quiz} quiz
 * @param {Store} store
 */
function heading(quiz, store) {
  const line = html("p", { class: "quiz-head" }, `Hidden: the ${quiz.hide}, asked ${quiz.order === "ordered" ? "in order" : "in any order"}. `);
  const stop = html("button", { "data-role": "quiz-stop" }, "Stop");
  stop.addEventListener("click", () => store.quiz({ type: "quiz_stop" }));
  line.append(stop);
  return line;
}

/**
 * @param {Question} question
 * @param {Quiz} quiz
 * @param {Store} store
 */
function row(question, quiz, store) {
  const answer = quiz.answers[question.id];
  const name = nameOf(quiz, question.id);
  const item = html("li", { "data-quiz-node": question.id, class: answer?.right ? "right" : "" });
  item.append(html("span", { class: "name" }, `${name} =`));
  if (answer?.right) item.append(html("span", { class: "answer" }, `${formatValue(question.expected)} ✓`));
  else item.append(field(question.id, name, store), hintButton(question.id, store));
  if (answer?.hinted) item.append(...hintLines(question.id, quiz, store.state));
  return item;
}

/**
 * @param {string} id
 * @param {string} name
 * @param {Store} store
 */
function field(id, name, store) {
  const input = /** @type {HTMLInputElement} */ (html("input", { inputmode: "decimal", spellcheck: "false", "aria-label": `Your answer for ${name}` }));
  input.addEventListener("keydown", (e) => {
    if (e.key !== "Enter") return;
    const value = parseValue(input.value);
    if (typeof value === "number") store.quiz({ type: "quiz_answer", node: id, value });
    else input.classList.add("invalid");
  });
  return input;
}

/**
 * @param {string} id
 * @param {Store} store
 */
function hintButton(id, store) {
  const button = html("button", { "data-role": "quiz-hint" }, "Hint");
  button.addEventListener("click", () => store.quiz({ type: "quiz_hint", node: id }));
  return button;
}

/**
 * @param {string} id
 * @param {Quiz} quiz
 * @param {State} state
 */
function hintLines(id, quiz, state) {
  const steps = hint(quiz, /** @type {any} */ (state.result), state.steps, wordsFor(state), id);
  return steps.map((s) => {
    const block = html("div", { class: "quiz-hint", "data-role": "quiz-hint-text" });
    block.append(html("div", { class: "title" }, s.title), ...s.lines.map((l) => html("div", { class: "line" }, l)));
    return block;
  });
}

/**
 * @param {Quiz} quiz
 * @param {string} id
 */
function nameOf(quiz, id) {
  return quiz.hide === "gradients" ? `d${id}` : id;
}

/** @param {Quiz} quiz */
function verdict(quiz) {
  const last = /** @type {NonNullable<Quiz["last"]>} */ (quiz.last);
  const name = nameOf(quiz, last.node);
  if (last.verdict === "right") return `Right: ${name} = ${formatValue(last.value ?? 0)}.`;
  if (last.verdict === "wrong") return `${name} = ${formatValue(last.value ?? 0)} is not right. Try again, or ask for a hint.`;
  if (last.verdict === "not-yet") return `Not yet: the quiz asks the numbers in order, and ${name} is not next.`;
  return `${name} is not one of the numbers asked.`;
}

/**
 * @param {Quiz} quiz
 * @param {Question[]} asked
 */
function scoreText(quiz, asked) {
  const s = score(quiz, asked);
  const tries = `${s.wrongTries} wrong ${s.wrongTries === 1 ? "try" : "tries"}`;
  if (!s.done) return `${s.right} of ${s.total} answered so far; ${tries}.`;
  return `Done! Score: ${s.firstTime} of ${s.total} right first time, ${s.withHints} with a hint, ${tries}.`;
}
