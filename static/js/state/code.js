/**
 * The circuit as staged Python code (POST /api/codegen), and which of its lines
 * belong to a gate or to a step of the animation. No DOM.
 * @module code
 */

/** @typedef {{forward: number[], backward: number[]}} NodeLines  1-based line numbers */
/**
 * @typedef {object} Staged  what POST /api/codegen answers
 * @property {string} code
 * @property {Record<string, string>} names  node id -> its variable
 * @property {Record<string, string>} gradients  node id -> the variable holding its gradient
 * @property {Record<string, NodeLines>} lines
 * @property {number} seed  the line seeding the output's gradient
 */
/**
 * @typedef {object} Code  the staged code of one revision of the circuit, or why there is none
 * @property {number} revision
 * @property {Staged | null} staged
 * @property {string | null} error
 */

/**
 * The code's lines, without the newline that ends the last one.
 * @param {string} code
 * @returns {string[]}
 */
export function codeLines(code) {
  const lines = code.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/**
 * The lines of a selected gate or input: the one computing it and those sending its gradient on.
 * @param {Staged} staged
 * @param {import("./store.js").Selection} selection
 * @returns {number[]}
 */
export function selectionLines(staged, selection) {
  if (selection?.kind !== "node") return [];
  const lines = staged.lines[selection.id];
  return lines ? [...lines.forward, ...lines.backward] : [];
}

/**
 * The lines the animation's step runs: a gate's forward line, the seed, or a gate's backprop lines.
 * @param {Staged} staged
 * @param {import("./trace.js").Step | undefined} step
 * @returns {number[]}
 */
export function stepLines(staged, step) {
  if (step?.kind === "forward") return staged.lines[step.entry.id]?.forward ?? [];
  if (step?.kind === "seed") return [staged.seed];
  if (step?.kind === "backward") return staged.lines[step.entry.id]?.backward ?? [];
  return [];
}

/**
 * Whether the Code tab needs the code of this state fetched: it is shown, the circuit
 * has fresh numbers, and the code held (or asked for) is of another revision.
 * @param {import("./store.js").State} state
 * @param {number | null} asked  the revision whose code is on its way, if any
 */
export function wantsCode(state, asked) {
  if (state.view.panel !== "code" || !state.result || state.stale) return false;
  return state.code?.revision !== state.revision && asked !== state.revision;
}
