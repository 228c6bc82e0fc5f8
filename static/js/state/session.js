/**
 * Talks to the server for the state: opens expressions and examples as edit
 * records, and evaluates the circuit whenever its structure or values change,
 * writing the result (or the problem) back into the store. The newest edit
 * always wins: an answer for an older revision is dropped. No DOM.
 * @module session
 */

import { fromCircuit, inputValues, openPorts, outputOf, sinks, toCircuit } from "./circuit.js";
import { buildSteps } from "./trace.js";
import { applyValues } from "./url.js";
import { gateName } from "./gates.js";
import { decodeHash } from "./hashlink.js";
import { wantsCode } from "./code.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {import("./store.js").State} State */
/** @typedef {import("./store.js").Problem} Problem */
/** @typedef {import("./api.js").ApiError} ApiError */
/** @typedef {import("./matrix.js").Held} Value */
/** @typedef {ReturnType<typeof import("./api.js").createApi>} Api */

export class Session {
  /**
   * @param {Store} store
   * @param {Api} api
   */
  constructor(store, api) {
    this.store = store;
    this.api = api;
    /** @type {Promise<void> | null} */
    this.running = null;
    this.again = false;
    /** @type {number | null} the revision whose staged code is on its way */
    this.codeAsked = null;
    store.subscribe((state, touched) => {
      if (touched.has("structure") || touched.has("values")) void this.evaluate();
      if ((touched.has("result") || touched.has("view")) && wantsCode(state, this.codeAsked)) void this.stageCode();
    });
  }

  /** Load the gate table and the examples. */
  async loadCatalog() {
    const [gates, examples] = await Promise.all([this.api.gates(), this.api.examples()]);
    if (!gates.ok || !examples.ok) {
      this.store.update({ problem: problem("The server did not answer; is it running?") }, ["problem"]);
      return;
    }
    const table = new Map(gates.data.gates.map((/** @type {any} */ g) => [g.op, g]));
    this.store.update({ catalog: { gates: table, examples: examples.data.examples, ready: true } }, ["catalog"]);
  }

  /**
   * Parse an expression and open its circuit; inputs keep the values they have.
   * @param {string} expr
   * @param {Record<string, Value>} [values]
   */
  async openExpression(expr, values = {}) {
    const known = Object.fromEntries(inputValues(this.store.state.model).map((i) => [i.id, i.value]));
    const answer = await this.api.parse(expr, { ...known, ...values });
    if (!answer.ok) {
      const error = answer.errors[0];
      const where = error.position === undefined ? {} : { expr, position: error.position };
      this.store.update({ draft: { text: expr, error }, problem: problem(error.msg, where) }, ["draft", "problem"]);
      return;
    }
    this.store.update({ draft: { text: expr, error: null }, problem: null }, ["draft", "problem"]);
    this.store.dispatch({ type: "open", circuit: answer.data, source: { kind: "expr", expr } });
  }

  /**
   * @param {string} id
   * @param {Record<string, Value>} [values]
   */
  openExample(id, values = {}) {
    const example = this.store.state.catalog.examples.find((e) => e.id === id);
    if (!example) return this.store.update({ problem: problem(`There is no example called "${id}".`) }, ["problem"]);
    const model = fromCircuit(example.circuit);
    applyValues(model, values);
    this.clearDraft();
    this.store.dispatch({ type: "open", circuit: toCircuit(model), source: { kind: "example", id } });
  }

  /**
   * Open a circuit from a link or a file.
   * @param {any} circuit
   * @param {string} [from]  the example it was edited from
   */
  openCircuit(circuit, from) {
    if (!circuit || !Array.isArray(circuit.nodes)) return this.store.update({ problem: problem("The link's circuit is not readable.") }, ["problem"]);
    this.clearDraft();
    this.store.dispatch({ type: "open", circuit, source: from ? { kind: "circuit", from } : { kind: "circuit" } });
  }

  /**
   * Open a saved circuit by its id (the link /c/<id>), with a link's values.
   * @param {string} id
   * @param {Record<string, Value>} [values]
   */
  async openSaved(id, values = {}) {
    const answer = await this.api.saved(id);
    if (!answer.ok) return this.store.update({ problem: problem(notOpened(id, answer)) }, ["problem"]);
    const model = fromCircuit({ ...answer.data.circuit, title: answer.data.title ?? undefined });
    applyValues(model, values);
    this.clearDraft();
    this.store.dispatch({ type: "open", circuit: toCircuit(model), source: { kind: "saved", id } });
  }

  /**
   * Open the circuit a link carries in its hash (see hashlink.js).
   * @param {string} hash
   * @returns {Promise<boolean>}  whether the hash held a circuit (readable or not)
   */
  async openHash(hash) {
    const read = await decodeHash(hash);
    if (!read) return false;
    if (read.ok) this.openCircuit(read.circuit);
    else this.store.update({ problem: problem(read.msg) }, ["problem"]);
    return true;
  }

  /** An empty canvas to build on (undo brings the old circuit back). */
  newCircuit() {
    this.clearDraft();
    this.store.dispatch({ type: "open", circuit: { nodes: [] }, source: { kind: "circuit" } });
  }

  clearDraft() {
    this.store.update({ draft: { text: "", error: null } }, ["draft"]);
  }

  /** Evaluate now; while a request is out, one more follows it with the newest circuit. */
  async evaluate() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.evaluateOnce();
    await this.running;
    this.running = null;
    if (this.again) {
      this.again = false;
      await this.evaluate();
    }
  }

  async evaluateOnce() {
    const { model, revision, catalog } = this.store.state;
    const blocked = whyNot(model, catalog.gates);
    if (blocked) return this.store.update({ result: null, steps: [], step: 0, stale: false, playing: false, problem: blocked }, ["result", "step", "problem"]);
    const answer = await this.api.evaluate(toCircuit(model));
    if (this.store.state.revision !== revision) return; // a newer edit is on its way
    if (!answer.ok) {
      const failed = failure(answer.errors, this.store.state);
      return this.store.update({ result: null, steps: [], step: 0, stale: false, playing: false, problem: failed }, ["result", "step", "problem"]);
    }
    const steps = buildSteps(answer.data);
    this.store.update({ result: answer.data, steps, step: steps.length - 1, stale: false, playing: false, problem: null }, ["result", "step", "problem"]);
  }

  /** Ask for the staged code of the circuit shown; an answer for an older revision is dropped. */
  async stageCode() {
    const { model, revision } = this.store.state;
    this.codeAsked = revision;
    const answer = await this.api.codegen(toCircuit(model));
    if (this.codeAsked === revision) this.codeAsked = null;
    if (this.store.state.revision !== revision) return;
    const code = answer.ok ? { revision, staged: answer.data, error: null } : { revision, staged: null, error: answer.errors[0].msg };
    this.store.update({ code }, ["code"]);
  }
}

/**
 * Why this circuit cannot be evaluated yet, in plain words, or null.
 * @param {import("./circuit.js").Model} model
 * @param {Map<string, import("./gates.js").GateInfo>} gates
 * @returns {Problem | null}
 */
export function whyNot(model, gates) {
  if (!model.nodes.size) return problem("Type an expression and press Enter, pick an example, or add gates from the palette.", { kind: "note" });
  const open = openPorts(model);
  if (open.length) {
    const first = open[0];
    const node = /** @type {import("./circuit.js").Node} */ (model.nodes.get(first.node));
    const more = open.length > 1 ? ` (${open.length} inputs are still open)` : "";
    const msg = `Wire input ${first.port + 1} of ${gateName(node, gates)} to something to see the numbers${more}.`;
    return problem(msg, { kind: "note", nodes: new Map(open.map((o) => [o.node, "open input"])) });
  }
  if (!outputOf(model)) {
    const ends = sinks(model);
    const msg = `Which of ${ends.join(", ")} is the result? Click it to make it the output; the gradients then flow back from it.`;
    return problem(msg, { kind: "note" });
  }
  return null;
}

/**
 * The server refused the circuit: its first error in plain words, every error on its node.
 * The server's messages already name the gate as the palette does and say why; an error
 * inside a group (its node "s/e") is shown on the group, s.
 * @param {ApiError[]} errors
 * @param {State} state
 * @returns {Problem}
 */
export function failure(errors, state) {
  const drawn = (/** @type {string} */ id) => (state.model.nodes.has(id) ? id : id.split("/")[0]);
  const first = errors[0];
  const node = first.node ? state.model.nodes.get(drawn(first.node)) : undefined;
  const where = node ? ` (at ${node.label ?? node.id})` : "";
  const nodes = new Map(errors.filter((e) => e.node).map((e) => [drawn(/** @type {string} */ (e.node)), e.msg]));
  return problem(`${first.msg}${where}`, { nodes });
}

/**
 * Why a saved circuit did not open, in plain words: above all, a link that names nothing.
 * @param {string} id
 * @param {{status: number, errors: ApiError[]}} answer
 * @returns {string}
 */
function notOpened(id, answer) {
  if (answer.status === 404) return `No circuit is saved at /c/${id}: the link may be mistyped or cut short. Check it against the one you were given, or open one from My circuits.`;
  return `The saved circuit "${id}" could not be opened: ${answer.errors[0].msg}`;
}

/**
 * @param {string} msg
 * @param {Partial<Problem>} [more]
 * @returns {Problem}
 */
function problem(msg, more = {}) {
  return { msg, kind: "error", nodes: new Map(), ...more };
}
