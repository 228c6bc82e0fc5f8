/**
 * The address bar follows the circuit: `?expr=...&x=-2`, `?example=<id>`,
 * or `?circuit=<json>` for one built by hand. No DOM: strings in and out.
 * @module url
 */

import { inputValues, toCircuit } from "./circuit.js";
import { parseHeld } from "./matrix.js";

/** @typedef {import("./circuit.js").Model} Model */
/** @typedef {import("./matrix.js").Held} Value */
/**
 * @typedef {{kind: "expr", expr: string, values: Record<string, Value>}
 *   | {kind: "example", id: string, values: Record<string, Value>}
 *   | {kind: "circuit", circuit: object, from?: string}
 *   | {kind: "saved", id: string, values: Record<string, Value>}
 *   | {kind: "none"}} Request
 */

const RESERVED = new Set(["expr", "example", "circuit", "from", "large"]);

/**
 * What a link asks to open: a saved circuit at /c/<id>, or what the query names.
 * @param {string} search  location.search
 * @param {string} [path]  location.pathname
 * @returns {Request}
 */
export function readQuery(search, path = "/") {
  const params = new URLSearchParams(search);
  const values = readValues(params);
  const saved = /^\/c\/([\w-]+)$/.exec(path);
  if (saved) return { kind: "saved", id: saved[1], values };
  const expr = params.get("expr");
  if (expr) return { kind: "expr", expr, values };
  const example = params.get("example");
  if (example) return { kind: "example", id: example, values };
  const circuit = params.get("circuit");
  if (circuit) {
    try {
      const from = params.get("from");
      return { kind: "circuit", circuit: JSON.parse(circuit), ...(from ? { from } : {}) };
    } catch {
      return { kind: "none" };
    }
  }
  return { kind: "none" };
}

/**
 * @param {URLSearchParams} params
 * @returns {Record<string, Value>}
 */
function readValues(params) {
  /** @type {Record<string, Value>} */
  const values = {};
  for (const [name, text] of params) {
    if (RESERVED.has(name)) continue;
    const parsed = parseHeld(text);
    if ("value" in parsed) values[name] = parsed.value;
  }
  return values;
}

/**
 * The address that reopens this model, keeping the view's large text: a saved
 * circuit's own link (with its input values) until its structure is edited,
 * else the page with a query.
 * @param {Model} model
 * @param {{large: boolean}} [view]
 * @returns {string}
 */
export function writeLink(model, view = { large: false }) {
  const params = new URLSearchParams();
  const source = model.source;
  if (source.kind === "expr") params.set("expr", source.expr);
  else if (source.kind === "example") params.set("example", source.id);
  else if (source.kind === "circuit" && model.nodes.size) params.set("circuit", JSON.stringify(bareCircuit(model)));
  if (source.kind === "circuit" && source.from) params.set("from", source.from);
  if (source.kind !== "circuit") {
    for (const { id, value } of inputValues(model)) params.set(id, typeof value === "number" ? String(value) : JSON.stringify(value));
  }
  if (view.large) params.set("large", "1");
  const query = params.toString() ? `?${params}` : "";
  return source.kind === "saved" ? `/c/${source.id}${query}` : `/${query}`;
}

/**
 * The circuit without positions, to keep links short.
 * @param {Model} model
 * @returns {object}
 */
function bareCircuit(model) {
  const circuit = toCircuit(model);
  const nodes = circuit.nodes.map(({ ui, ...rest }) => rest);
  return { ...circuit, nodes };
}

/**
 * Put values from a link into the circuit's input nodes.
 * @param {Model} model
 * @param {Record<string, Value>} values
 */
export function applyValues(model, values) {
  for (const [id, value] of Object.entries(values)) {
    const node = model.nodes.get(id);
    if (node && node.op === "input") node.value = value;
  }
}
