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
 */

/**
 * The text in a gate's circle: the gate table's symbol, with a constant shown by its
 * value ("+1", "×-1", "^2").
 * @param {string} op
 * @param {Record<string, number>} [params]
 * @param {Map<string, GateInfo>} [table]
 * @returns {string}
 */
export function gateSymbol(op, params = {}, table = new Map()) {
  if (op === "add_const" && params.c !== undefined) return `${params.c < 0 ? "−" : "+"}${Math.abs(params.c)}`;
  if (op === "mul_const" && params.a !== undefined) return `×${params.a}`;
  if (op === "pow" && params.p !== undefined) return `^${params.p}`;
  return table.get(op)?.symbol || op;
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
  if (gate.op === "add" && inputs.length > 2) return inputs.join(" + ");
  return substitute(gate.forward, inputs, params);
}

/**
 * Replace the table's names (x, y, out, p, c, a) in a code row with names and numbers.
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
  return code.replace(/\b[A-Za-z_]\w*\b/g, (word) => names[word] ?? word);
}

/**
 * @param {{gates: GateInfo[]}} body  GET /api/gates
 * @returns {Map<string, GateInfo>}
 */
export function gateTable(body) {
  return new Map((body?.gates ?? []).map((gate) => [gate.op, gate]));
}
