/**
 * The guided path through the notes' sections, as data: each step names the
 * example it opens, says a few sentences (plain text, never HTML) and asks a
 * question to try. Progress (the step reached and the questions solved) is
 * part of the one state (`state.lessons`) and is kept in the browser under a
 * versioned key; what cannot be read back (another version, corrupt text,
 * storage refused) is ignored and the path starts at its first step. No DOM.
 * @module lessons
 */

import { isRight } from "./quiz.js";

/** @typedef {import("./trace.js").Result} Result */
/**
 * @typedef {{kind: "gradient" | "value", node: string, prompt: string}
 *   | {kind: "fixed", answer: number, prompt: string}
 *   | {kind: "quiz", hide: "gradients" | "values", prompt: string}} Question
 *   a number read from the circuit shown, a fixed number, or a quiz to start
 */
/** @typedef {{id: string, section: string, title: string, example: string, text: string[], question: Question}} Lesson */
/** @typedef {{step: number, solved: string[]}} Progress */
/** @typedef {{getItem: (key: string) => string | null, setItem: (key: string, value: string) => void}} Storage */

/** @type {Lesson[]} */
export const LESSONS = [
  {
    id: "simple",
    section: "Simple expressions",
    title: "One gate, one rate",
    example: "multiply",
    text: [
      "Here a single multiply gate takes x = 4 and y = -3 and gives f = -12.",
      "A gradient answers one question: if an input moved by a tiny amount, how much would f move, and which way? That rate is the number on the red label.",
      "For a product, moving x by a little moves f by y times that little, so df/dx is just the value of y. The roles swap for y.",
    ],
    question: { kind: "gradient", node: "y", prompt: "What is df/dy on this circuit?" },
  },
  {
    id: "chain",
    section: "The chain rule",
    title: "Gates in a row",
    example: "add-mul",
    text: [
      "Now two gates: q = x + y feeds f = q · z.",
      "The add gate knows nothing about f. It only knows that q moves one for one with x. The multiply gate knows that f moves z times as fast as q.",
      "The chain rule says to multiply these rates along the path: df/dx = (dq/dx) · (df/dq).",
    ],
    question: { kind: "gradient", node: "x", prompt: "Multiply along the path: what is df/dx?" },
  },
  {
    id: "intuition",
    section: "Intuition",
    title: "Every gate works alone",
    example: "add-mul",
    text: [
      "Backpropagation is local. On the way forward each gate computes its output and can already tell how that output would respond to each of its inputs.",
      "On the way back it receives a single number, how strongly f reacts to its output, and passes on that number times each of its local rates.",
      "Step through the pass with → and watch each gate do exactly that, knowing nothing of the rest of the circuit.",
    ],
    question: { kind: "quiz", hide: "gradients", prompt: "Try it yourself: hide the gradients and fill them in, gate by gate." },
  },
  {
    id: "modularity",
    section: "Modularity",
    title: "Any function can be a gate",
    example: "neuron",
    text: [
      "A gate can be as small or as big as we like, as long as we know its local gradient. This neuron squashes w0·x0 + w1·x1 + w2 with one sigmoid gate.",
      "The sigmoid's local gradient has a neat form: its output times one minus its output. Here the output is about 0.73, so the gate passes on about 0.2 of what it receives.",
      "The example \"sigmoid as primitive gates\" spells the same gate out in four steps and ends with the same gradients.",
    ],
    question: { kind: "gradient", node: "x0", prompt: "What is df/dx0 on this neuron (to two decimals is enough)?" },
  },
  {
    id: "staged",
    section: "Staged computation",
    title: "Backprop as code",
    example: "staged",
    text: [
      "In practice the forward pass is written as small stages, each result kept in its own variable, and the backward pass walks those stages in reverse.",
      "When a variable is used in more than one stage, each use sends back its own share of the gradient, and the shares add up: in code, +=.",
      "Here x reaches f along three paths; step through and watch its gradient grow at every fork.",
    ],
    question: { kind: "gradient", node: "x", prompt: "After all three shares have arrived, what is df/dx?" },
  },
  {
    id: "patterns",
    section: "Patterns in backward flow",
    title: "Add, max and multiply",
    example: "patterns",
    text: [
      "Three gates cover most of what you will meet, and each moves gradients in a way you can spot at a glance.",
      "Add hands the same gradient to all its inputs. Max hands all of it to the larger input and nothing to the others. Multiply hands each input the gradient times the other input, so a large input makes its partner's gradient large.",
    ],
    question: { kind: "gradient", node: "w", prompt: "w loses the max to z. What gradient does w receive?" },
  },
  {
    id: "vectorised",
    section: "Gradients for vectorised operations",
    title: "Matrices follow the shapes",
    example: "matmul",
    text: [
      "The same rules hold for whole matrices. For D = W·X, the gradient of W is the upstream gradient times X transposed, and the gradient of X is W transposed times the upstream gradient.",
      "There is no need to memorise which transpose goes where: the gradient of a matrix always has that matrix's shape, and only one product of the pieces fits it.",
    ],
    question: { kind: "fixed", answer: 50, prompt: "W is 5×10. How many numbers does dW hold?" },
  },
];

/** Where progress is kept; a new version of its shape gets a new key. */
export const STORAGE_KEY = "backprop-circuits.lessons.v1";

/** @returns {Progress} */
export function freshProgress() {
  return { step: 0, solved: [] };
}

/**
 * Read progress back; anything unreadable gives a fresh start.
 * @param {Storage | null} storage
 * @returns {Progress}
 */
export function loadProgress(storage) {
  try {
    const saved = JSON.parse(storage?.getItem(STORAGE_KEY) ?? "null");
    const ids = new Set(LESSONS.map((l) => l.id));
    if (!Number.isInteger(saved?.step) || saved.step < 0 || saved.step >= LESSONS.length || !Array.isArray(saved.solved)) return freshProgress();
    return { step: saved.step, solved: saved.solved.filter((/** @type {unknown} */ id) => typeof id === "string" && ids.has(id)) };
  } catch {
    return freshProgress();
  }
}

/**
 * Keep progress; a browser that refuses storage only loses it.
 * @param {Storage | null} storage
 * @param {Progress} progress
 */
export function saveProgress(storage, progress) {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(progress));
  } catch {
    /* private mode or a full quota: progress lasts until the page closes */
  }
}

/**
 * Is a typed number the answer to a step's question, on the circuit shown?
 * @param {Question} question
 * @param {number} value
 * @param {Result | null} result
 * @returns {boolean}
 */
export function checkAnswer(question, value, result) {
  if (question.kind === "fixed") return isRight(value, question.answer);
  if (question.kind === "quiz" || !result) return false;
  const exact = (question.kind === "gradient" ? result.gradients : result.values)[question.node];
  return typeof exact === "number" && isRight(value, exact);
}
