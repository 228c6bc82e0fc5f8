import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { notesModel, notesResult } from "./fixtures/circuits.mjs";
import { reduceQuiz, questions, score, hint, isRight, hiddenIds, nextQuestion, TOLERANCE } from "../../static/js/state/quiz.js";
import { buildSteps } from "../../static/js/state/trace.js";
import { Store } from "../../static/js/state/store.js";

const staged = JSON.parse(readFileSync(new URL("./fixtures/staged.json", import.meta.url)));
const SYMBOLS = { add: "+", mul: "×" };
const words = { formula: (op, inputs) => inputs.join(` ${SYMBOLS[op] ?? op} `), title: (op) => op };

/** Apply records one after another, as a store (or a classroom) would. */
function run(records, result = notesResult()) {
  return records.reduce((quiz, record) => reduceQuiz(quiz, record, result), null);
}

const start = (hide = "gradients", order = "ordered") => ({ type: "quiz_start", hide, order });
const answer = (node, value) => ({ type: "quiz_answer", node, value });

test("gradients are asked in the order the backward pass finds them; the output's seed is given", () => {
  assert.deepEqual(questions(notesResult(), "gradients"), [
    { id: "q", expected: -4 }, { id: "z", expected: 3 }, { id: "x", expected: -4 }, { id: "y", expected: -4 },
  ]);
});

test("values are asked gate by gate going forward; the inputs are given", () => {
  assert.deepEqual(questions(notesResult(), "values"), [{ id: "q", expected: 3 }, { id: "f", expected: -12 }]);
});

test("at a fork the gradient is asked once every contribution is in, and the notes' rounded dx = 2.06, dy = 1.59 count as right", () => {
  // the notes' staged backward pass: dnum and dinvden (here one divide), dden, dsigx and dxpysqr, dxpy,
  // then dx's last += at num = x + sigy before dsigy, and dy's last at sigy
  const asked = questions(staged, "gradients");
  assert.deepEqual(asked.map((q) => q.id), ["add1", "add3", "sigmoid2", "pow1", "add2", "x", "sigmoid1", "y"]);
  const byId = Object.fromEntries(asked.map((q) => [q.id, q.expected]));
  assert.ok(isRight(2.06, byId.x) && isRight(1.59, byId.y));
  assert.ok(!isRight(2.0, byId.x));
});

test("the tolerance is 0.001 plus 1% of the exact number", () => {
  assert.deepEqual(TOLERANCE, { relative: 0.01, absolute: 0.001 });
  assert.ok(isRight(-4.04, -4) && isRight(-3.96, -4));
  assert.ok(!isRight(-4.05, -4) && !isRight(4, -4));
  assert.ok(isRight(0.0009, 0) && !isRight(0.002, 0));
  assert.ok(!isRight(Number.NaN, -4));
});

test("a full quiz on (x + y) z with one wrong try and one hint scores 2 right first time, 1 with a hint, 1 wrong try", () => {
  const quiz = run([start(), answer("q", 4), answer("q", -4), { type: "quiz_hint", node: "z" }, answer("z", 3), answer("x", -4), answer("y", -4)]);
  assert.deepEqual(score(quiz, questions(notesResult(), "gradients")), { total: 4, right: 4, firstTime: 2, withHints: 1, wrongTries: 1, done: true });
  assert.deepEqual(quiz.last, { node: "y", verdict: "right", value: -4 });
});

test("each answer is checked at once: a wrong one is counted and the question stays open", () => {
  const quiz = run([start(), answer("q", 4)]);
  assert.deepEqual(quiz.answers.q, { wrong: 1, hinted: false, right: false });
  assert.deepEqual(quiz.last, { node: "q", verdict: "wrong", value: 4 });
  assert.equal(nextQuestion(quiz, questions(notesResult(), "gradients")).id, "q");
  assert.deepEqual([...hiddenIds(quiz, notesResult())], ["q", "z", "x", "y"]);
});

test("in order, only the next question is taken; in any order, any is", () => {
  const ordered = run([start(), answer("x", -4)]);
  assert.deepEqual(ordered.answers, {});
  assert.equal(ordered.last.verdict, "not-yet");
  const any = run([start("gradients", "any"), answer("x", -4)]);
  assert.deepEqual(any.answers.x, { wrong: 0, hinted: false, right: true });
  assert.deepEqual(score(any, questions(notesResult(), "gradients")).right, 1);
});

test("a right answer is final: answering again changes nothing; a node not asked is said so", () => {
  const quiz = run([start(), answer("q", -4)]);
  assert.equal(reduceQuiz(quiz, answer("q", 7), notesResult()), quiz);
  assert.equal(reduceQuiz(quiz, answer("f", 1), notesResult()).last.verdict, "not-asked");
});

test("a hint is the readout's chain-rule step with every number still hidden written ?", () => {
  const before = run([start("gradients", "any")]);
  const steps = buildSteps(notesResult());
  assert.deepEqual(hint(before, notesResult(), steps, words, "x"), [{ title: "Backward through q (add)", lines: ["dx = local 1 × upstream ? = ?"] }]);
  const after = reduceQuiz(before, answer("q", -4), notesResult());
  assert.deepEqual(hint(after, notesResult(), steps, words, "x")[0].lines, ["dx = local 1 × upstream -4 = ?"]);
  assert.deepEqual(hint(after, notesResult(), steps, words, "z")[0].lines, ["dz = local 3 × upstream 1 = ?"]);
});

test("a value's hint is its gate's forward step", () => {
  const quiz = run([start("values", "any")]);
  const steps = buildSteps(notesResult());
  assert.deepEqual(hint(quiz, notesResult(), steps, words, "q"), [{ title: "Forward: q (add)", lines: ["q = x + y = (-2) + 5 = ?"] }]);
  assert.deepEqual(hint(quiz, notesResult(), steps, words, "f")[0].lines, ["f = q × z = ? × (-4) = ?"]);
});

test("quiz records are plain JSON: replayed from their text they give the same quiz", () => {
  const records = [start(), answer("q", 1), answer("q", -4), { type: "quiz_hint", node: "z" }];
  assert.deepEqual(run(JSON.parse(JSON.stringify(records))), run(records));
  assert.equal(run([...records, { type: "quiz_stop" }]), null);
});

test("without a current result, answers change nothing", () => {
  const quiz = run([start()]);
  assert.equal(reduceQuiz(quiz, answer("q", -4), null), quiz);
});

/** A store holding the notes' circuit and its evaluated result. */
function notesStore() {
  const store = new Store();
  store.state = { ...store.state, model: notesModel(), result: notesResult(), steps: buildSteps(notesResult()) };
  return store;
}

test("answering goes through the store but never onto the undo history", () => {
  const store = notesStore();
  store.dispatch({ type: "set_value", node: "x", value: -2 });
  store.update({ stale: false }, ["result"]);
  const undoable = store.undoList.done.length;
  store.quiz(start());
  store.quiz(answer("q", -4));
  assert.equal(store.undoList.done.length, undoable);
  assert.equal(store.state.quiz.answers.q.right, true);
  store.undo();
  assert.equal(store.state.model.nodes.get("x").value, -2);
});

test("an edit of the circuit's values starts the quiz again and says why; answers wait for the new numbers", () => {
  const store = notesStore();
  store.quiz(start("gradients", "any"));
  store.quiz(answer("q", -4));
  const seen = [];
  store.subscribe((_, touched) => seen.push(touched.has("quiz")));
  store.dispatch({ type: "set_value", node: "z", value: -5 });
  assert.deepEqual(seen, [true]);
  assert.deepEqual(store.state.quiz.answers, {});
  assert.match(store.state.quiz.note, /circuit changed/);
  assert.equal(store.state.quiz.hide, "gradients");
  store.quiz(answer("q", -4));
  assert.deepEqual(store.state.quiz.answers, {});
});

test("a move keeps the quiz as it is", () => {
  const store = notesStore();
  store.quiz(start());
  store.quiz(answer("q", -4));
  const quiz = store.state.quiz;
  store.dispatch({ type: "move", positions: { x: { x: 10, y: 20 } } });
  assert.equal(store.state.quiz, quiz);
});

test("opening another circuit ends the quiz", () => {
  const store = notesStore();
  store.quiz(start());
  store.dispatch({ type: "open", circuit: { nodes: [{ id: "a", op: "input", value: 1 }] }, source: { kind: "circuit" } });
  assert.equal(store.state.quiz, null);
});

test("only single numbers are asked: a tensor's value or gradient is given", () => {
  // f = sum(W @ X) with W = [[1, 2]], X = [[3], [4]]: P = [[11]], f = 11; dW = dP·Xᵀ = [[3, 4]], dX = Wᵀ·dP = [[1], [2]]
  const result = {
    output: "f",
    values: { W: [[1, 2]], X: [[3], [4]], P: [[11]], f: 11 },
    gradients: { W: [[3, 4]], X: [[1], [2]], P: [[1]], f: 1 },
    trace: {
      forward: [
        { id: "W", op: "input", inputs: [], value: [[1, 2]] }, { id: "X", op: "input", inputs: [], value: [[3], [4]] },
        { id: "P", op: "matmul", inputs: ["W", "X"], value: [[11]] }, { id: "f", op: "sum", inputs: ["P"], value: 11 },
      ],
      backward: [
        { id: "f", op: "sum", upstream: 1, inputs: [{ port: 0, input: "P", local: null, sent: [[1]], total: [[1]], accumulated: false }] },
        { id: "P", op: "matmul", upstream: [[1]], inputs: [
          { port: 0, input: "W", local: null, sent: [[3, 4]], total: [[3, 4]], accumulated: false },
          { port: 1, input: "X", local: null, sent: [[1], [2]], total: [[1], [2]], accumulated: false },
        ] },
      ],
    },
  };
  assert.deepEqual(questions(result, "gradients"), []);
  assert.deepEqual(questions(result, "values"), [{ id: "f", expected: 11 }]);
});
