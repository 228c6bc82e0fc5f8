/**
 * The animation's script, read from the API's trace: forward steps reveal
 * values in topological order, then the backward steps from the output's seed
 * gradient, each with its chain-rule readout. No DOM, no timers.
 * @module trace
 */

import { formatValue } from "./format.js";

/** @typedef {import("./format.js").Value} Value */
/** @typedef {{port: number, input: string, local: Value | null, sent: Value, total: Value, accumulated: boolean}} Sent */
/** @typedef {{id: string, op: string, upstream: Value, inputs: Sent[]}} BackwardEntry */
/** @typedef {{id: string, op: string, inputs: string[], value: Value}} ForwardEntry */
/**
 * @typedef {{kind: "start"} | {kind: "forward", entry: ForwardEntry}
 *   | {kind: "seed", id: string, grad: Value} | {kind: "backward", entry: BackwardEntry}
 *   | {kind: "done", grads: {id: string, grad: Value}[]}} Step
 */
/**
 * @typedef {object} Result  what POST /api/evaluate answers
 * @property {string} output
 * @property {Record<string, Value>} values
 * @property {Record<string, Value>} gradients
 * @property {string[]} [order]
 * @property {{forward: ForwardEntry[], backward: BackwardEntry[]}} [trace]
 */
/**
 * @typedef {object} Frame  what the diagram shows at one step
 * @property {Set<string>} values  nodes whose value is shown
 * @property {Map<string, Value>} grads  nodes whose gradient is shown, with its running total
 * @property {string | null} active  the gate being worked on
 * @property {string[]} targets  nodes receiving a gradient at this step
 * @property {"start" | "forward" | "backward" | "done"} phase
 */

const LEAVES = new Set(["input", "const"]);

/**
 * @param {Result} result
 * @returns {Step[]}
 */
export function buildSteps(result) {
  const trace = result.trace ?? { forward: [], backward: [] };
  /** @type {Step[]} */
  const steps = [{ kind: "start" }];
  for (const entry of trace.forward) if (!LEAVES.has(entry.op)) steps.push({ kind: "forward", entry });
  steps.push({ kind: "seed", id: result.output, grad: result.gradients[result.output] });
  for (const entry of trace.backward) steps.push({ kind: "backward", entry });
  const inputs = trace.forward.filter((e) => e.op === "input");
  steps.push({ kind: "done", grads: inputs.map((e) => ({ id: e.id, grad: result.gradients[e.id] })) });
  return steps;
}

/**
 * What is shown after steps[0..index] have run; the last step shows everything.
 * @param {Result} result
 * @param {Step[]} steps
 * @param {number} index
 * @returns {Frame}
 */
export function frameAt(result, steps, index) {
  const last = steps.length - 1;
  if (index >= last) return finalFrame(result, steps[last]);
  const values = new Set(leafIds(result));
  const grads = new Map();
  for (const step of steps.slice(0, index + 1)) {
    if (step.kind === "forward") values.add(step.entry.id);
    if (step.kind === "seed") grads.set(step.id, step.grad);
    if (step.kind === "backward") for (const s of step.entry.inputs) grads.set(s.input, s.total);
  }
  return { values, grads, ...focus(steps[index]), phase: phaseOf(steps[index]) };
}

/**
 * @param {Result} result
 * @param {Step} step
 * @returns {Frame}
 */
function finalFrame(result, step) {
  const values = new Set(Object.keys(result.values));
  const grads = new Map(Object.entries(result.gradients));
  return { values, grads, ...focus(step), phase: "done" };
}

/**
 * @param {Result} result
 * @returns {string[]}
 */
function leafIds(result) {
  const forward = result.trace?.forward ?? [];
  return forward.filter((e) => LEAVES.has(e.op)).map((e) => e.id);
}

/**
 * @param {Step} step
 * @returns {{active: string | null, targets: string[]}}
 */
function focus(step) {
  if (step.kind === "forward") return { active: step.entry.id, targets: [] };
  if (step.kind === "seed") return { active: step.id, targets: [step.id] };
  if (step.kind === "backward") return { active: step.entry.id, targets: step.entry.inputs.map((s) => s.input) };
  return { active: null, targets: [] };
}

/**
 * @param {Step} step
 * @returns {Frame["phase"]}
 */
function phaseOf(step) {
  if (step.kind === "start") return "start";
  if (step.kind === "done") return "done";
  return step.kind === "forward" ? "forward" : "backward";
}

/**
 * @typedef {object} Words  how the readout names things
 * @property {(op: string, inputs: string[], params?: Record<string, number>) => string} formula  a gate's formula over names
 * @property {(op: string) => string} title  a gate's name as the palette shows it
 * @property {(id: string) => Record<string, number> | undefined} [params]  a node's constants
 * @property {(id: string) => boolean} [hidden]  nodes whose number (of this step's kind) is written "?", as in a quiz
 */

/**
 * The readout for one step: a heading and lines of chain rule with numbers.
 * @param {Step} step
 * @param {Result} result
 * @param {Words} words
 * @returns {{title: string, subtitle?: string, lines: {text: string, fork: boolean}[]}}
 */
export function readout(step, result, words) {
  if (step.kind === "start") {
    return { title: "Ready", lines: [{ text: "Inputs are set. Step forward to compute each gate's value.", fork: false }] };
  }
  if (step.kind === "forward") {
    const { id, op, inputs, value } = step.entry;
    const params = words.params?.(id);
    const numbers = inputs.map((name) => shown(words, name, result.values[name]).replace(/^-.*/, (n) => `(${n})`));
    const text = `${id} = ${words.formula(op, inputs, params)} = ${words.formula(op, numbers, params)} = ${shown(words, id, value)}`;
    return { title: `Forward: ${id} (${words.title(op)})`, lines: [{ text, fork: false }] };
  }
  if (step.kind === "done") {
    return { title: "Done: every gradient is known", lines: step.grads.map((g) => ({ text: `d${g.id} = ${formatValue(g.grad)}`, fork: false })) };
  }
  if (step.kind === "seed") {
    return { title: `Backward starts at ${step.id}`, lines: [{ text: `d${step.id} = ${formatValue(step.grad)}  (df/df = 1)`, fork: false }] };
  }
  const { id, op, upstream, inputs } = step.entry;
  const title = `Backward through ${id} (${words.title(op)})`;
  const up = shown(words, id, upstream);
  const subtitle = `upstream gradient d${id} = ${up}; each input gets local × upstream`;
  return { title, subtitle, lines: inputs.map((s) => sentLine(s, up, words.hidden?.(s.input) ?? false)) };
}

/**
 * A node's number as the readout writes it: "?" while it is hidden.
 * @param {Words} words
 * @param {string} id
 * @param {Value} value
 * @returns {string}
 */
function shown(words, id, value) {
  return words.hidden?.(id) ? "?" : formatValue(value);
}

/**
 * "dx += local 0.04518 × upstream 1 = 0.04518  → dx = 2.059" at a fork,
 * "dq = local 1 × upstream -4 = -4" otherwise.
 * @param {Sent} s
 * @param {string} upstream  as written
 * @param {boolean} hidden  the input's gradient is written "?"
 * @returns {{text: string, fork: boolean}}
 */
function sentLine(s, upstream, hidden) {
  const name = `d${s.input}`;
  const sign = s.accumulated ? "+=" : "=";
  const chain = s.local === null ? "upstream times the other input, transposed so the shapes fit" : `local ${formatValue(s.local)} × upstream ${upstream}`;
  const number = (/** @type {Value} */ v) => (hidden ? "?" : formatValue(v));
  const running = s.accumulated ? `   → ${name} = ${number(s.total)}` : "";
  return { text: `${name} ${sign} ${chain} = ${number(s.sent)}${running}`, fork: s.accumulated };
}

/**
 * The contributions that summed to a node's gradient, from every backward step.
 * @param {Step[]} steps
 * @param {string} id
 * @returns {{from: string, sent: Value, total: Value}[]}
 */
export function contributions(steps, id) {
  const out = [];
  for (const step of steps) {
    if (step.kind !== "backward") continue;
    for (const s of step.entry.inputs) if (s.input === id) out.push({ from: step.entry.id, sent: s.sent, total: s.total });
  }
  return out;
}
