import { test } from "node:test";
import assert from "node:assert/strict";
import { notesResult } from "./fixtures/circuits.mjs";
import { LESSONS, STORAGE_KEY, checkAnswer, loadProgress, saveProgress } from "../../static/js/state/lessons.js";

/** A localStorage stand-in. */
function memory(initial = {}) {
  const items = new Map(Object.entries(initial));
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, String(v)), items };
}

test("the path follows the notes' sections in order, each step with an example, sentences and a question", () => {
  assert.deepEqual(LESSONS.map((l) => l.section), [
    "Simple expressions", "The chain rule", "Intuition", "Modularity", "Staged computation",
    "Patterns in backward flow", "Gradients for vectorised operations",
  ]);
  for (const lesson of LESSONS) {
    assert.ok(lesson.example && lesson.text.length >= 2 && lesson.question.prompt, lesson.id);
    assert.ok(lesson.text.every((t) => !/[<>]/.test(t)), `${lesson.id} is plain text`);
  }
});

test("progress is saved under a versioned key and read back", () => {
  const storage = memory();
  saveProgress(storage, { step: 3, solved: ["simple", "chain"] });
  assert.match(STORAGE_KEY, /\.v1$/);
  assert.deepEqual(JSON.parse(storage.items.get(STORAGE_KEY)), { step: 3, solved: ["simple", "chain"] });
  assert.deepEqual(loadProgress(storage), { step: 3, solved: ["simple", "chain"] });
});

test("unreadable progress gives a fresh start; unknown lessons are dropped", () => {
  const fresh = { step: 0, solved: [] };
  for (const text of ["{not json", "[]", "null", '{"step": 7, "solved": []}', '{"step": -1, "solved": []}', '{"step": 1.5, "solved": []}', '{"step": 1, "solved": "chain"}']) {
    assert.deepEqual(loadProgress(memory({ [STORAGE_KEY]: text })), fresh, text);
  }
  assert.deepEqual(loadProgress(memory({ [STORAGE_KEY]: '{"step": 2, "solved": ["chain", "gone", 4]}' })), { step: 2, solved: ["chain"] });
  assert.deepEqual(loadProgress(null), fresh);
});

test("a browser that refuses storage loses progress but nothing fails", () => {
  const refusing = { getItem: () => { throw new Error("SecurityError"); }, setItem: () => { throw new Error("QuotaExceededError"); } };
  assert.deepEqual(loadProgress(refusing), { step: 0, solved: [] });
  assert.doesNotThrow(() => saveProgress(refusing, { step: 1, solved: [] }));
});

test("answers are checked on the circuit shown, with the quiz's tolerance", () => {
  const chain = LESSONS.find((l) => l.id === "chain").question;
  // the notes' (x + y) z: df/dx = df/dq = z = -4
  assert.ok(checkAnswer(chain, -4, notesResult()));
  assert.ok(!checkAnswer(chain, 4, notesResult()));
  assert.ok(!checkAnswer(chain, -4, null));
  const vectorised = LESSONS.find((l) => l.id === "vectorised").question;
  assert.ok(checkAnswer(vectorised, 50, null) && !checkAnswer(vectorised, 15, null));
});
