/**
 * The Learn tab, a view of `state.lessons`: the lesson shown (its section,
 * sentences and question), next and previous, which open each step's example,
 * and the path's progress, kept in the browser whenever it changes. Text is
 * set as text, never parsed as HTML. It renders only while its tab is shown.
 * @module lessons-panel
 */

import { byId, html } from "../dom.js";
import { LESSONS, checkAnswer, loadProgress, saveProgress } from "../state/lessons.js";
import { parseValue } from "../state/format.js";
import { questions, score } from "../state/quiz.js";
import { showPanel } from "./tabs.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/session.js").Session} Session */
/** @typedef {import("../state/lessons.js").Lesson} Lesson */

const WATCHED = ["view", "lessons"];

/**
 * @param {Store} store
 * @param {Session} session
 * @param {import("../state/lessons.js").Storage | null} storage
 */
export function mountLessons(store, session, storage) {
  const box = byId("lessons");
  store.subscribe((state, touched) => {
    if (touched.has("lessons")) saveProgress(storage, { step: state.lessons.step, solved: state.lessons.solved });
    if (touched.has("quiz") && quizDone(state)) queueMicrotask(() => solveQuizStep(store)); // after this change has reached every view
    if (state.view.panel === "learn" && WATCHED.some((t) => touched.has(/** @type {any} */ (t)))) render(box, store, session);
  });
  store.update({ lessons: { ...loadProgress(storage), last: null } }, ["lessons"]);
}

/**
 * @param {HTMLElement} box
 * @param {Store} store
 * @param {Session} session
 */
function render(box, store, session) {
  const { step, solved } = store.state.lessons;
  const lesson = LESSONS[step];
  box.replaceChildren(
    html("p", { class: "lesson-where", "data-role": "lesson-where" }, `Step ${step + 1} of ${LESSONS.length} · ${lesson.section}`),
    html("h3", { "data-role": "lesson-title" }, lesson.title),
    ...lesson.text.map((t) => html("p", {}, t)),
    button("Open its example", "lesson-open", () => session.openExample(lesson.example)),
    question(lesson, store),
    navigation(store, session),
    html("p", { class: "hint", "data-role": "lesson-progress" }, `${solved.length} of ${LESSONS.length} questions solved.`),
  );
}

/**
 * @param {Lesson} lesson
 * @param {Store} store
 */
function question(lesson, store) {
  const state = store.state;
  const block = html("div", { class: "lesson-question" });
  block.append(html("p", { class: "prompt" }, lesson.question.prompt));
  if (lesson.question.kind === "quiz") {
    const hide = lesson.question.hide;
    const start = () => {
      store.quiz({ type: "quiz_start", hide, order: "ordered" });
      showPanel(store, "quiz");
    };
    block.append(button("Start the quiz on this circuit", "lesson-quiz", start));
    if (state.lessons.solved.includes(lesson.id)) block.append(html("p", { class: "verdict right", "data-role": "lesson-solved" }, "Quiz done ✓"));
    return block;
  }
  if (state.lessons.solved.includes(lesson.id)) block.append(html("p", { class: "verdict right", "data-role": "lesson-solved" }, "Solved ✓"));
  const field = /** @type {HTMLInputElement} */ (html("input", { inputmode: "decimal", spellcheck: "false", "aria-label": "Your answer", "data-role": "lesson-answer" }));
  field.addEventListener("keydown", (e) => {
    if (e.key === "Enter") answer(store, lesson, parseValue(field.value));
  });
  block.append(field, button("Check", "lesson-check", () => answer(store, lesson, parseValue(field.value))));
  const last = state.lessons.last;
  if (last?.id === lesson.id) block.append(html("p", { class: `verdict ${last.right ? "right" : "wrong"}`, "data-role": "lesson-verdict", role: "status" }, last.right ? "Right!" : "Not quite; look at the circuit and try again."));
  return block;
}

/**
 * @param {Store} store
 * @param {Lesson} lesson
 * @param {import("../state/format.js").Value | null} value
 */
function answer(store, lesson, value) {
  if (typeof value !== "number") return;
  const lessons = store.state.lessons;
  const right = checkAnswer(lesson.question, value, store.state.stale ? null : store.state.result);
  const solved = right && !lessons.solved.includes(lesson.id) ? [...lessons.solved, lesson.id] : lessons.solved;
  store.update({ lessons: { ...lessons, solved, last: { id: lesson.id, value, right } } }, ["lessons"]);
}

/**
 * @param {Store} store
 * @param {Session} session
 */
function navigation(store, session) {
  const at = store.state.lessons.step;
  const go = (/** @type {number} */ to) => {
    store.update({ lessons: { ...store.state.lessons, step: to, last: null } }, ["lessons"]);
    session.openExample(LESSONS[to].example);
  };
  const nav = html("div", { class: "lesson-nav" });
  const prev = button("← Previous", "lesson-prev", () => go(at - 1));
  const next = button("Next →", "lesson-next", () => go(at + 1));
  prev.toggleAttribute("disabled", at === 0);
  next.toggleAttribute("disabled", at === LESSONS.length - 1);
  nav.append(prev, next);
  return nav;
}

/**
 * A step whose question is a quiz is solved when a quiz is finished on it.
 * @param {Store} store
 */
function solveQuizStep(store) {
  const lessons = store.state.lessons;
  const lesson = LESSONS[lessons.step];
  if (lesson.question.kind !== "quiz" || lessons.solved.includes(lesson.id)) return;
  store.update({ lessons: { ...lessons, solved: [...lessons.solved, lesson.id] } }, ["lessons"]);
}

/** @param {State} state */
function quizDone(state) {
  return Boolean(state.quiz && state.result && !state.stale && score(state.quiz, questions(state.result, state.quiz.hide)).done);
}

/**
 * @param {string} text
 * @param {string} role
 * @param {() => void} action
 */
function button(text, role, action) {
  const element = html("button", { "data-role": role }, text);
  element.addEventListener("click", action);
  return element;
}
