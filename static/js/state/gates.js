/**
 * What the diagram needs to know about each gate: its symbol and formulas,
 * from GET /api/gates. No DOM.
 * @module gates
 */

/**
 * @typedef {object} GateInfo
 * @property {string} op
 * @property {string} title
 * @property {{min: number, max: number | null}} arity
 * @property {string[]} params
 * @property {string} symbol
 * @property {string} forward
 * @property {string[]} local_gradient
 * @property {string} pattern
 * @property {string} [undefined]
 * @property {boolean} [leaf]  inputs and constants
 * @property {Record<string, number>} [defaults]  each constant's starting value
 * @property {string} [display]  the symbol with its constants, e.g. "+{c}"
 * @property {string | null} [function]  its name in expressions
 * @property {{ports: string[], body: {nodes: import("./circuit.js").Node[], output: string}} | null} [expansion]  a composite's primitive gates
 */

/**
 * The text in a gate's circle: the table's display template with the gate's
 * constants filled in ("+1", "×-1", "^2"), else its symbol.
 * @param {string} op
 * @param {Record<string, number>} [params]
 * @param {Map<string, GateInfo>} [table]
 * @returns {string}
 */
export function gateSymbol(op, params = {}, table = new Map()) {
  const gate = table.get(op);
  if (!gate) return op;
  const template = gate.display ?? gate.symbol;
  const filled = template.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
  return filled.replace("+-", "−").replace("-", "−") || op;
}

/**
 * A gate's forward formula over its input names: ("add", ["x", "y"]) -> "x + y".
 * @param {GateInfo | undefined} gate
 * @param {string[]} inputs
 * @param {Record<string, number>} [params]
 * @returns {string}
 */
export function formulaFor(gate, inputs, params = {}) {
  if (!gate) return `${inputs.join(", ")}`;
  return substitute(gate.forward, inputs, params);
}

/**
 * Replace the table's names (x, y, out, p, c, a) in a code row with names and
 * numbers; a variadic row's "..." stands for the inputs after x and y, written
 * with the separator before it ("x + y + ..." over a, b, c is "a + b + c").
 * @param {string} code
 * @param {string[]} inputs
 * @param {Record<string, number>} params
 * @param {Record<string, string>} [extra]  e.g. {out: "q"}
 * @returns {string}
 */
export function substitute(code, inputs, params, extra = {}) {
  /** @type {Record<string, string>} */
  const names = { x: inputs[0] ?? "x", y: inputs[1] ?? "y", ...extra };
  for (const [k, v] of Object.entries(params)) names[k] = String(v);
  const named = /\by\b/.test(code) ? 2 : 1;
  const spread = code.replace(/([^\w.]+)\.\.\./, (whole, sep) => inputs.slice(named).map((name) => `${sep}${name}`).join(""));
  return spread.replace(/\b[A-Za-z_]\w*\b/g, (word) => names[word] ?? word);
}

/**
 * @param {{gates: GateInfo[]}} body  GET /api/gates
 * @returns {Map<string, GateInfo>}
 */
export function gateTable(body) {
  return new Map((body?.gates ?? []).map((gate) => [gate.op, gate]));
}

/**
 * A node as a learner reads it: an input by its name, a gate by its name and
 * the palette's title for it ("q (Add)"), never the internal op.
 * @param {{id: string, op: string, label?: string}} node
 * @param {Map<string, GateInfo>} table
 * @returns {string}
 */
export function gateName(node, table) {
  const name = node.label ?? node.id;
  const gate = table.get(node.op);
  return gate && !isLeafOp(node.op, table) ? `${name} (${gate.title})` : name;
}

/**
 * @param {string} op
 * @param {Map<string, GateInfo>} table
 * @returns {boolean}
 */
export function isLeafOp(op, table) {
  return Boolean(table.get(op)?.leaf);
}
