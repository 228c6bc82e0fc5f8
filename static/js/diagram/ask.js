/**
 * The quiz on the diagram. While a quiz runs, each number it still asks shows
 * as "?" (the next one in order marked), the numbers already answered or
 * given show in full whatever the animation's step, no pulse carries a number
 * along a wire, and clicking a "?" opens a field to type the answer, which
 * goes to the store as a quiz record. The diagram view calls `paintQuiz` last
 * in its paint; nothing else in diagram/ knows about quizzes.
 * @module ask
 */

import { html } from "../dom.js";
import { setLabel } from "./render.js";
import { clearPulses } from "./flow.js";
import { hiddenIds, nextQuestion, questions } from "../state/quiz.js";
import { toNumber } from "../state/matrix.js";

/** @typedef {import("./render.js").Drawing} Drawing */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/store.js").Store} Store */

/** @type {WeakMap<Drawing, Set<Element>>} each drawing's labels now showing "?" */
const asking = new WeakMap();

/**
 * Overwrite the labels a quiz hides or reveals; with no quiz, only clear the marks.
 * @param {Drawing} drawing
 * @param {State} state
 */
export function paintQuiz(drawing, state) {
  const marked = asking.get(drawing) ?? new Set();
  for (const text of marked) text.classList.remove("ask", "next");
  marked.clear();
  asking.set(drawing, marked);
  const { quiz, result } = state;
  if (!quiz || !result) return;
  clearPulses(drawing.root); // a pulse carries the number it sends
  const hidden = hiddenIds(quiz, result);
  const next = quiz.order === "ordered" ? nextQuestion(quiz, questions(result, quiz.hide))?.id : undefined;
  for (const [id, drawn] of drawing.nodes) {
    const [value, grad] = drawn.labels;
    const asked = quiz.hide === "values" ? value : grad;
    setLabel(value, result.values[id] ?? null);
    setLabel(grad, quiz.hide === "values" ? null : result.gradients[id] ?? null);
    if (hidden.has(id)) marked.add(ask(asked, id === next));
  }
}

/**
 * @param {SVGTextElement} text
 * @param {boolean} next
 * @returns {SVGTextElement}
 */
function ask(text, next) {
  text.textContent = "?";
  text.setAttribute("data-full", "?");
  text.classList.add("ask");
  text.classList.toggle("next", next);
  const title = text.parentElement?.querySelector("title");
  if (title) title.textContent = "Click to type this number";
  return text;
}

/**
 * Clicking a "?" opens a field over it; Enter sends the answer, Escape or
 * leaving the field closes it.
 * @param {SVGSVGElement} canvas
 * @param {Store} store
 */
export function attachAnswering(canvas, store) {
  const stage = /** @type {HTMLElement} */ (canvas.closest(".stage"));
  canvas.addEventListener("click", (e) => {
    const text = /** @type {Element} */ (e.target).closest(".label-wrap")?.querySelector("text.ask");
    if (text) openField(stage, /** @type {SVGTextElement} */ (text), store);
  });
}

/**
 * @param {HTMLElement} stage
 * @param {SVGTextElement} text
 * @param {Store} store
 */
function openField(stage, text, store) {
  stage.querySelector(".ask-field")?.remove();
  const node = text.getAttribute("data-node-id") ?? "";
  const name = text.getAttribute("data-role") === "grad" ? `d${node}` : node;
  const field = /** @type {HTMLInputElement} */ (html("input", { class: "ask-field", inputmode: "decimal", spellcheck: "false", "aria-label": `Your answer for ${name}`, "data-ask": node }));
  const box = text.getBoundingClientRect();
  const frame = stage.getBoundingClientRect();
  field.style.left = `${box.left - frame.left + box.width / 2}px`;
  field.style.top = `${box.top - frame.top + box.height / 2}px`;
  let open = true;
  const close = () => {
    if (!open) return; // removing a focused field fires its blur: close once
    open = false;
    field.remove();
  };
  field.addEventListener("keydown", (e) => {
    if (e.key === "Escape") close();
    if (e.key !== "Enter") return;
    const value = toNumber(field.value);
    if (typeof value !== "number") return void field.classList.add("invalid");
    close();
    store.quiz({ type: "quiz_answer", node, value });
  });
  field.addEventListener("blur", close);
  stage.append(field);
  field.focus();
}
