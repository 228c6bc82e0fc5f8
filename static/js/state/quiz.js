/**
 * A quiz on the circuit shown: its gradients (or its values) are hidden and the
 * learner fills in each wire's number, in the order the pass finds them or in
 * any order, with hints and a score. The quiz is part of the one state
 * (`state.quiz`) and changes only by plain JSON records, so a classroom can
 * send them as they are:
 *
 *   {"type": "quiz_start", "hide": "gradients" | "values", "order": "ordered" | "any"}
 *   {"type": "quiz_answer", "node": "x", "value": -4}
 *   {"type": "quiz_hint", "node": "x"}
 *   {"type": "quiz_restart", "reason": "..."}      (the store sends it when the circuit changes)
 *   {"type": "quiz_stop"}
 *
 * Answering is not an edit of the circuit: these records go through
 * `Store.quiz`, which applies them with `reduceQuiz` and never through
 * `Store.dispatch`, so they are never on the undo history and undo cannot take
 * an answer back. What is asked and the right numbers are read from the
 * result each time, never copied into the quiz. No DOM.
 * @module quiz
 */

import { readout } from "./trace.js";

/** @typedef {import("./trace.js").Result} Result */
/** @typedef {import("./trace.js").Step} Step */
/** @typedef {import("./trace.js").Words} Words */
/** @typedef {"gradients" | "values"} Hide */
/** @typedef {"ordered" | "any"} Order */
/** @typedef {{wrong: number, hinted: boolean, right: boolean}} Answer */
/** @typedef {{node: string, verdict: "right" | "wrong" | "not-yet" | "not-asked", value?: number}} Feedback */
/**
 * @typedef {object} Quiz
 * @property {Hide} hide  which numbers the learner fills in
 * @property {Order} order  "ordered": only the next question is asked; "any": any of them
 * @property {Record<string, Answer>} answers  by node id, for the questions tried or hinted
 * @property {Feedback | null} last  what the last answer got
 * @property {string} note  why the quiz started again, if it did
 */
/**
 * @typedef {{type: "quiz_start", hide: Hide, order: Order}
 *   | {type: "quiz_answer", node: string, value: number}
 *   | {type: "quiz_hint", node: string}
 *   | {type: "quiz_restart", reason: string}
 *   | {type: "quiz_stop"}} QuizRecord
 */
/** @typedef {{id: string, expected: number}} Question */

/** An answer is right when |answer − exact| ≤ absolute + relative × |exact|. */
export const TOLERANCE = { relative: 0.01, absolute: 0.001 };

const LEAVES = new Set(["input", "const"]);
const BLANK = { wrong: 0, hinted: false, right: false };

/**
 * Apply one quiz record. Answers and hints need the circuit's numbers: without
 * a current result (none yet, or one for earlier values) they change nothing.
 * @param {Quiz | null} quiz
 * @param {QuizRecord} record
 * @param {Result | null} result
 * @returns {Quiz | null}
 */
export function reduceQuiz(quiz, record, result) {
  if (record.type === "quiz_start") return { hide: record.hide, order: record.order, answers: {}, last: null, note: "" };
  if (record.type === "quiz_stop" || !quiz) return null;
  if (record.type === "quiz_restart") return { ...quiz, answers: {}, last: null, note: record.reason };
  if (!result) return quiz;
  const asked = questions(result, quiz.hide);
  const question = asked.find((q) => q.id === record.node);
  if (!question) return { ...quiz, last: { node: record.node, verdict: "not-asked" } };
  const answer = quiz.answers[record.node] ?? BLANK;
  if (answer.right) return quiz;
  if (record.type === "quiz_hint") return withAnswer(quiz, record.node, { ...answer, hinted: true }, quiz.last);
  if (quiz.order === "ordered" && nextQuestion(quiz, asked)?.id !== record.node) {
    return { ...quiz, last: { node: record.node, verdict: "not-yet", value: record.value } };
  }
  const right = isRight(record.value, question.expected);
  const next = right ? { ...answer, right } : { ...answer, wrong: answer.wrong + 1 };
  return withAnswer(quiz, record.node, next, { node: record.node, verdict: right ? "right" : "wrong", value: record.value });
}

/**
 * @param {Quiz} quiz
 * @param {string} id
 * @param {Answer} answer
 * @param {Feedback | null} last
 * @returns {Quiz}
 */
function withAnswer(quiz, id, answer, last) {
  return { ...quiz, answers: { ...quiz.answers, [id]: answer }, last };
}

/**
 * @param {number} value
 * @param {number} expected
 */
export function isRight(value, expected) {
  return Number.isFinite(value) && Math.abs(value - expected) <= TOLERANCE.absolute + TOLERANCE.relative * Math.abs(expected);
}

/**
 * What the quiz asks, in the order the pass finds the numbers: gradients in
 * the order they become final going backward (a node at a fork once all its
 * contributions are in; the output's seed is given), or the gates' values
 * going forward (inputs and constants are given). Only scalars are asked.
 * @param {Result} result
 * @param {Hide} hide
 * @returns {Question[]}
 */
export function questions(result, hide) {
  const trace = result.trace ?? { forward: [], backward: [] };
  const ops = new Map(trace.forward.map((e) => [e.id, e.op]));
  if (hide === "values") {
    const gates = trace.forward.filter((e) => !LEAVES.has(e.op)).map((e) => e.id);
    return scalars(gates, result.values);
  }
  /** @type {Map<string, number>} */
  const finalAt = new Map();
  let count = 0;
  for (const entry of trace.backward) for (const sent of entry.inputs) finalAt.set(sent.input, count++);
  const ids = [...finalAt].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  return scalars(ids.filter((id) => ops.get(id) !== "const" && id !== result.output), result.gradients);
}

/**
 * @param {string[]} ids
 * @param {Record<string, import("./format.js").Value>} numbers
 * @returns {Question[]}
 */
function scalars(ids, numbers) {
  return ids.flatMap((id) => (typeof numbers[id] === "number" ? [{ id, expected: /** @type {number} */ (numbers[id]) }] : []));
}

/**
 * The first question not yet answered right.
 * @param {Quiz} quiz
 * @param {Question[]} asked
 * @returns {Question | undefined}
 */
export function nextQuestion(quiz, asked) {
  return asked.find((q) => !quiz.answers[q.id]?.right);
}

/**
 * The score so far: right first time (no wrong try, no hint), right with a
 * hint, the wrong tries in all, and whether every question is answered.
 * @param {Quiz} quiz
 * @param {Question[]} asked
 * @returns {{total: number, right: number, firstTime: number, withHints: number, wrongTries: number, done: boolean}}
 */
export function score(quiz, asked) {
  const answers = asked.map((q) => quiz.answers[q.id] ?? BLANK);
  const right = answers.filter((a) => a.right);
  return {
    total: asked.length,
    right: right.length,
    firstTime: right.filter((a) => !a.hinted && a.wrong === 0).length,
    withHints: right.filter((a) => a.hinted).length,
    wrongTries: answers.reduce((sum, a) => sum + a.wrong, 0),
    done: asked.length > 0 && right.length === asked.length,
  };
}

/**
 * The nodes whose asked number is still hidden.
 * @param {Quiz} quiz
 * @param {Result} result
 * @returns {Set<string>}
 */
export function hiddenIds(quiz, result) {
  return new Set(questions(result, quiz.hide).filter((q) => !quiz.answers[q.id]?.right).map((q) => q.id));
}

/**
 * A question's hint: the chain-rule step(s) that give its number, as the
 * readout writes them, with every number still hidden written "?". A
 * gradient's steps are the backward steps that send to it; a value's, the
 * forward step of its gate.
 * @param {Quiz} quiz
 * @param {Result} result
 * @param {Step[]} steps
 * @param {Words} words
 * @param {string} id
 * @returns {{title: string, lines: string[]}[]}
 */
export function hint(quiz, result, steps, words, id) {
  const hidden = hiddenIds(quiz, result);
  const masked = { ...words, hidden: (/** @type {string} */ name) => hidden.has(name) };
  if (quiz.hide === "values") {
    const step = steps.find((s) => s.kind === "forward" && s.entry.id === id);
    if (!step) return [];
    const text = readout(step, result, masked);
    return [{ title: text.title, lines: text.lines.map((l) => l.text) }];
  }
  return steps.flatMap((step) => {
    if (step.kind !== "backward" || !step.entry.inputs.some((s) => s.input === id)) return [];
    const text = readout(step, result, masked);
    return [{ title: text.title, lines: text.lines.filter((_, k) => step.entry.inputs[k].input === id).map((l) => l.text) }];
  });
}
