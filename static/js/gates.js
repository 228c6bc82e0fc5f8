/**
 * What the diagram needs to know about each gate: its symbol and formulas,
 * from GET /api/gates with a built-in fallback. No DOM.
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

/** Symbols drawn in the circle: the notes' notation, short enough to fit. */
const SYMBOLS = /** @type {Record<string, string>} */ ({
  add: "+", sub: "−", mul: "×", div: "÷", neg: "−x", max: "max", min: "min", pow: "x^p",
  exp: "exp", log: "log", inv: "1/x", add_const: "+c", mul_const: "×a", sigmoid: "σ",
  tanh: "tanh", relu: "relu", matmul: "·", sum: "Σ",
});

/**
 * The text in a gate's circle; constants shown with their value ("+1", "×-1", "^2").
 * @param {string} op
 * @param {Record<string, number>} [params]
 * @param {Map<string, GateInfo>} [table]
 * @returns {string}
 */
export function gateSymbol(op, params = {}, table = new Map()) {
  if (op === "add_const" && params.c !== undefined) return `${params.c < 0 ? "−" : "+"}${Math.abs(params.c)}`;
  if (op === "mul_const" && params.a !== undefined) return `×${params.a}`;
  if (op === "pow" && params.p !== undefined) return `^${params.p}`;
  return SYMBOLS[op] ?? table.get(op)?.symbol ?? op;
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
