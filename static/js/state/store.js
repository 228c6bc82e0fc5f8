/**
 * The one state every view follows, and the one way to change it. A change
 * names what it touched; each view re-renders from the state alone, so nothing
 * can show what the state no longer holds. Edits go through `dispatch` as
 * records (see commands.js), so undo/redo, saving and broadcasting need
 * nothing more. No DOM.
 * @module store
 */

import { apply } from "./commands.js";
import { History, describe } from "./history.js";
import { fromCircuit } from "./circuit.js";
import { reduceQuiz } from "./quiz.js";
import { initialCheck } from "./check.js";

/** @typedef {import("./circuit.js").Model} Model */
/** @typedef {import("./commands.js").Command} Command */
/** @typedef {import("./trace.js").Result} Result */
/** @typedef {import("./trace.js").Step} Step */
/** @typedef {import("./api.js").ApiError} ApiError */
/** @typedef {import("./gates.js").GateInfo} GateInfo */
/** @typedef {import("./quiz.js").Quiz} Quiz */
/** @typedef {import("./quiz.js").QuizRecord} QuizRecord */
/** @typedef {import("./code.js").Code} Code */
/** @typedef {import("./lessons.js").Progress & {last: {id: string, value: number, right: boolean} | null}} Lessons */
/**
 * @typedef {{kind: "node", id: string} | {kind: "nodes", ids: string[]}
 *   | {kind: "wire", source: string, target?: string, port?: number} | null} Selection  "nodes": shift-clicked gates
 */
/** @typedef {{id: string, title: string, section?: string, description?: string, circuit: any}} Example */
/**
 * @typedef {"circuit" | "structure" | "values" | "positions" | "source" | "result" | "step"
 *   | "selection" | "problem" | "draft" | "view" | "catalog" | "history" | "drag" | "player" | "compare" | "quiz" | "lessons" | "check"
 *   | "code"} Touch
 */
/**
 * @typedef {object} Problem  why the circuit shows no numbers
 * @property {string} msg  plain words for the message line
 * @property {"error" | "note"} kind  an error (red) or what to do next
 * @property {Map<string, string>} nodes  node id -> its own message, drawn on the node
 * @property {string} [expr]  the expression it is about, with `position`
 * @property {number} [position]
 */
/**
 * @typedef {object} State
 * @property {Model} model  the circuit, with where it came from
 * @property {number} revision  counts edits that change the numbers; a result belongs to one revision
 * @property {Result | null} result  the last evaluation of this circuit
 * @property {boolean} stale  the result is for earlier values: a new one is on its way
 * @property {Code | null} code  the circuit as staged Python code (fetched while the Code tab is shown)
 * @property {Step[]} steps  the animation's script, read from the result's trace
 * @property {number} step  the step shown
 * @property {boolean} playing
 * @property {number} speed
 * @property {Selection} selection
 * @property {Problem | null} problem
 * @property {{text: string, error: ApiError | null}} draft  the expression box
 * @property {{large: boolean, presentation: boolean, panel: string, patterns: boolean}} view  `panel` names the side panel's tab shown; `patterns` labels gates by what they do to gradients
 * @property {import("./check.js").CheckState} check  the Check tab: the step h, the input it nudges, the server's answers
 * @property {{gates: Map<string, GateInfo>, examples: Example[], ready: boolean}} catalog
 * @property {{id: string, at: {x: number, y: number}} | null} drag  a gate being dragged
 * @property {{canUndo: boolean, canRedo: boolean, undoLabel: string, redoLabel: string}} history
 * @property {Quiz | null} quiz  the quiz on this circuit, if one runs (quiz.js)
 * @property {Lessons} lessons  the lesson path: the step shown, the questions solved (kept in the browser), the last try
 * @property {import("./compare.js").Comparison | null} compare  the selected gate's other form, evaluated
 */
/** @typedef {(state: State, touched: Set<Touch>, before: State) => void} Listener */

/** @returns {State} */
export function initialState() {
  return {
    model: fromCircuit({ nodes: [] }),
    revision: 0,
    result: null,
    stale: false,
    code: null,
    steps: [],
    step: 0,
    playing: false,
    speed: 1,
    selection: null,
    problem: null,
    draft: { text: "", error: null },
    view: { large: false, presentation: false, panel: "explain", patterns: false },
    check: initialCheck(),
    catalog: { gates: new Map(), examples: [], ready: false },
    drag: null,
    history: { canUndo: false, canRedo: false, undoLabel: "", redoLabel: "" },
    quiz: null,
    lessons: { step: 0, solved: [], last: null },
    compare: null,
  };
}

/** Why a quiz starts again after an edit of the circuit or its values. */
const RESTARTED = "The circuit changed, so the quiz started again on its new numbers.";

export class Store {
  /** @param {State} [state] */
  constructor(state = initialState()) {
    this.state = state;
    this.undoList = new History();
    /** @type {Listener[]} */
    this.listeners = [];
  }

  /** @param {Listener} listener */
  subscribe(listener) {
    this.listeners.push(listener);
  }

  /**
   * The one way the state changes: a patch and what it touched.
   * @param {Partial<State>} patch
   * @param {Touch[]} touched
   */
  update(patch, touched) {
    const before = this.state;
    this.state = { ...before, ...patch };
    const set = new Set(touched);
    for (const listener of this.listeners) listener(this.state, set, before);
  }

  /**
   * Apply an edit record and remember it for undo.
   * @param {Command} record
   */
  dispatch(record) {
    const applied = apply(this.state.model, record);
    this.undoList.push({ record, inverse: applied.inverse, label: describe(record) });
    this.commit(applied.model, applied.touched);
  }

  /**
   * Apply a quiz record (quiz.js) to `state.quiz`: not an edit of the circuit,
   * so it is never on the undo history. Answers wait for a current result.
   * @param {QuizRecord} record
   */
  quiz(record) {
    const result = this.state.stale ? null : this.state.result;
    this.update({ quiz: reduceQuiz(this.state.quiz, record, result) }, ["quiz"]);
  }

  undo() {
    const entry = this.undoList.undo();
    if (entry) this.applyQuietly(entry.inverse);
  }

  redo() {
    const entry = this.undoList.redo();
    if (entry) this.applyQuietly(entry.record);
  }

  /** @param {Command} record  applied without a new history entry */
  applyQuietly(record) {
    const applied = apply(this.state.model, record);
    this.commit(applied.model, applied.touched);
  }

  /**
   * A new model. A new circuit drops the result; a new structure or new values
   * make it stale (kept, faded, until its successor arrives), start a new
   * revision and start a running quiz again (a new circuit ends it); a move
   * changes neither.
   * @param {Model} model
   * @param {import("./commands.js").Touch[]} touched
   */
  commit(model, touched) {
    /** @type {Partial<State>} */
    const patch = { model, selection: keep(this.state.selection, model), history: this.summary() };
    /** @type {Touch[]} */
    const also = ["history", "selection"];
    if (touched.includes("structure") || touched.includes("values")) {
      Object.assign(patch, { revision: this.state.revision + 1, stale: this.state.result !== null });
      also.push("result");
      if (this.state.quiz) {
        const opened = touched.includes("circuit"); // a quiz is on one circuit: another one ends it
        patch.quiz = reduceQuiz(this.state.quiz, opened ? { type: "quiz_stop" } : { type: "quiz_restart", reason: RESTARTED }, null);
        also.push("quiz");
      }
    }
    if (touched.includes("circuit")) Object.assign(patch, { result: null, steps: [], step: 0, stale: false, playing: false });
    this.update(patch, [...touched, ...also]);
  }

  summary() {
    const h = this.undoList;
    return { canUndo: h.canUndo, canRedo: h.canRedo, undoLabel: h.done.at(-1)?.label ?? "", redoLabel: h.undone.at(-1)?.label ?? "" };
  }
}

/**
 * A selection survives an edit only if what it names is still there.
 * @param {Selection} selection
 * @param {Model} model
 * @returns {Selection}
 */
function keep(selection, model) {
  if (!selection) return null;
  if (selection.kind === "node") return model.nodes.has(selection.id) ? selection : null;
  if (selection.kind === "nodes") return selection.ids.every((id) => model.nodes.has(id)) ? selection : null;
  return model.nodes.has(selection.source) && (selection.target === undefined || model.nodes.has(selection.target)) ? selection : null;
}
