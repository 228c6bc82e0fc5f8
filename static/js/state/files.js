/**
 * Circuits as files: the JSON a download holds (the contract's format, with its
 * version and the `ui` positions), its file name, and the check a file must pass
 * before it is opened, so a bad file gets a message saying what and where and
 * never reaches the state. No DOM.
 * @module files
 */

import { toCircuit } from "./circuit.js";

/** @typedef {import("./circuit.js").Circuit} Circuit */
/** @typedef {import("./store.js").State} State */
/** @typedef {{ok: true, circuit: Circuit} | {ok: false, msg: string}} Read */

/** The format versions this front end reads. */
const VERSIONS = [1];

/**
 * The file's text: the circuit as the contract writes it, indented.
 * @param {import("./circuit.js").Model} model
 * @returns {string}
 */
export function circuitFile(model) {
  return `${JSON.stringify(toCircuit(model), null, 2)}\n`;
}

/**
 * What the circuit is called: its own title, the example's, the expression, or "circuit".
 * @param {State} state
 * @returns {string}
 */
export function titleOf(state) {
  const { model, catalog } = state;
  if (model.title) return model.title;
  const source = model.source;
  if (source.kind === "expr") return `f = ${source.expr}`;
  const id = source.kind === "example" ? source.id : source.kind === "circuit" ? source.from : undefined;
  return catalog.examples.find((e) => e.id === id)?.title ?? "circuit";
}

/**
 * `<title>.json` (or another extension), with what file systems refuse replaced by "_".
 * @param {string} title
 * @param {string} [extension]
 * @returns {string}
 */
export function fileName(title, extension = "json") {
  const safe = title.replace(/[\u0000-\u001f<>:"/\\|?*]/g, "_").trim().slice(0, 100);
  return `${safe.replace(/^\.+/, "") || "circuit"}.${extension}`;
}

/**
 * Read a file's text as a circuit, or say what is wrong with it and where.
 * @param {string} text
 * @param {string} name  the file's name, for the message
 * @returns {Read}
 */
export function readCircuitFile(text, name) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, msg: `${name} is not JSON: ${/** @type {Error} */ (error).message}.` };
  }
  const wrong = checkCircuit(data);
  return wrong ? { ok: false, msg: `${name} is not a circuit: ${wrong}.` } : { ok: true, circuit: data };
}

/**
 * What stops this value from being opened as a circuit, or null.
 * @param {any} data
 * @returns {string | null}
 */
export function checkCircuit(data) {
  if (!data || typeof data !== "object" || Array.isArray(data)) return "the file holds no JSON object";
  if (data.version !== undefined && !VERSIONS.includes(data.version)) return `"version" is ${JSON.stringify(data.version)}; this app reads version ${VERSIONS.join(", ")}`;
  if (!Array.isArray(data.nodes) || !data.nodes.length) return `"nodes" must be a non-empty list`;
  if (data.title !== undefined && typeof data.title !== "string") return `"title" must be text`;
  const ids = new Set();
  for (const [index, node] of data.nodes.entries()) {
    const wrong = checkNode(node);
    if (wrong) return `nodes[${index}]${wrong}`;
    if (ids.has(node.id)) return `nodes[${index}]: the id "${node.id}" is used twice`;
    ids.add(node.id);
  }
  if (data.output !== undefined && !ids.has(data.output)) return `"output" names ${JSON.stringify(data.output)}, which is not a node`;
  return null;
}

/**
 * @param {any} node
 * @returns {string | null}  where in the node and what, or null
 */
function checkNode(node) {
  if (!node || typeof node !== "object" || Array.isArray(node)) return " is not an object";
  if (typeof node.id !== "string" || !node.id) return `.id must be non-empty text`;
  if (typeof node.op !== "string" || !node.op) return `.op must be non-empty text (node "${node.id}")`;
  if (node.inputs !== undefined && !(Array.isArray(node.inputs) && node.inputs.every((/** @type {unknown} */ i) => i === null || typeof i === "string"))) {
    return `.inputs must be a list of node ids (node "${node.id}")`;
  }
  if (node.value !== undefined && !isValue(node.value)) return `.value must be a number or nested lists of numbers (node "${node.id}")`;
  if (node.params !== undefined && !(isObject(node.params) && Object.values(node.params).every(Number.isFinite))) {
    return `.params must map names to numbers (node "${node.id}")`;
  }
  if (node.label !== undefined && typeof node.label !== "string") return `.label must be text (node "${node.id}")`;
  if (node.ui !== undefined && !isObject(node.ui)) return `.ui must be an object (node "${node.id}")`;
  return null;
}

/**
 * @param {unknown} value
 * @returns {boolean}
 */
function isValue(value) {
  return Number.isFinite(value) || (Array.isArray(value) && value.length > 0 && value.every(isValue));
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, any>}
 */
function isObject(value) {
  return !!value && typeof value === "object" && !Array.isArray(value);
}
