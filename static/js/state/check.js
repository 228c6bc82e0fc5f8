/**
 * The Check tab's part of the state, and the session that fills it: while the
 * tab is shown, the circuit's gradients are checked against central differences
 * at the chosen step h and at every step of a scan over ten decades, one input
 * is nudged by h and swept over a range. Every answer is written into
 * `state.check` with the revision, step and input it was asked for, so a view
 * shows what belongs to the circuit on screen and an older answer is dropped.
 * No DOM.
 * @module check
 */

import { inputValues, toCircuit } from "./circuit.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").State} State */
/** @typedef {ReturnType<typeof import("./api.js").createApi>} Api */
/** @typedef {{analytic: any, numeric: any, rel_error: number}} InputCheck */
/** @typedef {{h: number, inputs: Record<string, InputCheck>, max_rel_error: number}} Gradcheck */
/** @typedef {{input: string, output: string, xs: number[], values: (number | null)[], gradients: (number | null)[]}} Sweep */
/**
 * @typedef {object} CheckState
 * @property {number} h  the central difference's step, and the nudge
 * @property {string | null} input  the input nudged and swept (null: the first one)
 * @property {string} key  what the answers below were asked for (revision, h, input)
 * @property {Gradcheck | null} gradcheck  at step h
 * @property {{h: number, rel: number | null}[]} scan  the chosen input's relative error at each step of SCAN_STEPS
 * @property {Sweep | null} sweep  the output and its gradient over a range of the input
 * @property {{input: string, x: number, h: number, fx: number | null, fxh: number | null} | null} nudge  f(x) and f(x + h)
 * @property {{gradcheck?: string, sweep?: string}} errors  why a part has no answer
 */

/** The steps of the scan: ten decades, 1e-1 down to 1e-10. */
export const SCAN_STEPS = Array.from({ length: 10 }, (_, i) => Number(`1e-${i + 1}`));
/** A relative error below this passes (the notes: 1e-7 and less is good). */
export const PASS_BELOW = 1e-6;
const SWEEP_POINTS = 201;

/** @returns {CheckState} */
export function initialCheck() {
  return { h: 1e-5, input: null, key: "", gradcheck: null, scan: [], sweep: null, nudge: null, errors: {} };
}

/**
 * The input the tab nudges and sweeps: the chosen one while it is still a scalar input, else the first scalar one.
 * @param {State} state
 * @returns {{id: string, value: number} | null}
 */
export function chosenInput(state) {
  const scalars = inputValues(state.model).filter((i) => typeof i.value === "number");
  const chosen = scalars.find((i) => i.id === state.check.input) ?? scalars[0];
  return chosen ? { id: chosen.id, value: /** @type {number} */ (chosen.value) } : null;
}

/**
 * The range a sweep covers: the input's value in the middle, at least 2 either side.
 * @param {number} x
 * @returns {[number, number]}
 */
export function sweepRange(x) {
  const half = Math.max(2, 2 * Math.abs(x));
  return [x - half, x + half];
}

/**
 * What the answers must have been asked for to be shown now.
 * @param {State} state
 */
export function wantedKey(state) {
  return JSON.stringify([state.revision, state.check.h, chosenInput(state)?.id ?? null]);
}

/**
 * @param {Store} store
 * @param {Partial<CheckState>} patch
 */
export function setCheck(store, patch) {
  store.update({ check: { ...store.state.check, ...patch } }, ["check"]);
}

export class CheckSession {
  /**
   * @param {Store} store
   * @param {Api} api
   */
  constructor(store, api) {
    this.store = store;
    this.api = api;
    this.asked = "";
    store.subscribe((state) => {
      if (this.due(state)) void this.run(state);
    });
  }

  /**
   * Whether the tab is shown with a fresh result whose checks are neither shown nor on their way.
   * @param {State} state
   */
  due(state) {
    if (state.view.panel !== "check" || !state.result || state.stale) return false;
    const key = wantedKey(state);
    return key !== state.check.key && key !== this.asked;
  }

  /** @param {State} state */
  async run(state) {
    const key = wantedKey(state);
    this.asked = key;
    const circuit = toCircuit(state.model);
    const input = chosenInput(state);
    const { h } = state.check;
    const [gradcheck, scan, sweep, nudge] = await Promise.all([
      this.api.gradcheck(circuit, h),
      this.scan(circuit),
      input ? this.api.sweep({ ...circuit, input: input.id, ...range(sweepRange(input.value)), points: SWEEP_POINTS }) : null,
      input ? this.api.sweep({ ...circuit, input: input.id, from: input.value, to: input.value + h, points: 2 }) : null,
    ]);
    if (this.asked === key) this.asked = "";
    if (wantedKey(this.store.state) !== key) return this.catchUp(); // the circuit, h or input changed meanwhile
    /** @type {CheckState["errors"]} */
    const errors = {};
    if (!gradcheck.ok) errors.gradcheck = gradcheck.errors[0].msg;
    if (sweep && !sweep.ok) errors.sweep = sweep.errors[0].msg;
    setCheck(this.store, {
      key,
      gradcheck: gradcheck.ok ? gradcheck.data : null,
      scan: SCAN_STEPS.map((step, i) => ({ h: step, rel: relError(scan[i], input?.id) })),
      sweep: sweep?.ok ? sweep.data : null,
      nudge: nudge?.ok && input ? { input: input.id, x: input.value, h, fx: nudge.data.values[0], fxh: nudge.data.values[1] } : null,
      errors,
    });
  }

  /**
   * The gradient check at every step of the scan, one after another, so that a large
   * circuit's checks never take every one of the server's heavy-evaluation slots at once.
   * @param {object} circuit
   */
  async scan(circuit) {
    const answers = [];
    for (const step of SCAN_STEPS) answers.push(await this.api.gradcheck(circuit, step));
    return answers;
  }

  /** Ask again for what the state wants now, unless it is already on its way. */
  catchUp() {
    if (this.due(this.store.state)) void this.run(this.store.state);
  }
}

/**
 * @param {[number, number]} ends
 * @returns {{from: number, to: number}}
 */
function range([from, to]) {
  return { from, to };
}

/**
 * One input's relative error in a gradient check's answer (the largest when none is chosen).
 * @param {import("./api.js").Answer<Gradcheck>} answer
 * @param {string | undefined} input
 * @returns {number | null}
 */
function relError(answer, input) {
  if (!answer.ok) return null;
  return input ? answer.data.inputs[input]?.rel_error ?? null : answer.data.max_rel_error;
}
