/**
 * Grouping gates into one compound gate, expanding a compound gate (a group, or a
 * composite such as sigmoid from its `expansion` in GET /api/gates) into its
 * primitive gates, and collapsing those back: each answer is an edit record for
 * commands.js, or a refusal in plain words. Expanded gates carry `ui.frame`
 * ({id, name, op}), which the diagram draws as a dashed frame. No DOM.
 * @module groups
 */

import { inputsOf, outputOf } from "./circuit.js";

/** @typedef {import("./circuit.js").Model} Model */
/** @typedef {import("./circuit.js").Node} Node */
/** @typedef {import("./circuit.js").Frame} Frame */
/** @typedef {import("./commands.js").Command} Command */
/** @typedef {import("./gates.js").GateInfo} GateInfo */
/** @typedef {{record: Command} | {refusal: string}} Answer */
/** @typedef {{ports: string[], body: {nodes: Node[], output: string}}} Expansion */

/**
 * Group `members` into one gate named `name`: its inputs are the wires coming in,
 * and its value is that of the one member whose wire leaves the selection (whose id
 * the group takes, so nothing outside is rewired).
 * @param {Model} model
 * @param {string[]} members
 * @param {string} name
 * @returns {Answer}
 */
export function groupRecord(model, members, name) {
  const inside = new Set(members);
  const nodes = [...model.nodes.values()].filter((n) => inside.has(n.id));
  const why = refusal(model, nodes, inside);
  if (why) return { refusal: why };
  const leaving = leavingIds(model, inside);
  if (leaving.length !== 1) {
    const which = leaving.length ? ` (${leaving.join(", ")})` : "";
    return { refusal: `A group has one output wire; the selection has ${leaving.length}${which}. Select gates that end in one gate.` };
  }
  const sources = [...new Set(nodes.flatMap((n) => /** @type {string[]} */ (inputsOf(n))).filter((src) => !inside.has(src)))];
  const body = [...sources.map((src) => ({ id: src, op: "input", value: 0 })), ...nodes.map(bare)];
  const output = leaving[0];
  const at = model.nodes.get(output)?.ui;
  /** @type {Node} */
  const node = { id: output, op: "group", name: name.trim() || "group", inputs: sources, ports: sources, body: { nodes: body, output } };
  if (at && Number.isFinite(at.x)) node.ui = { x: at.x, y: at.y };
  return { record: { type: "group", node, members: nodes.map((n) => n.id) } };
}

/**
 * @param {Model} model
 * @param {Node[]} nodes
 * @param {Set<string>} inside
 * @returns {string | null}
 */
function refusal(model, nodes, inside) {
  if (nodes.length < 2) return "Select two or more gates to group (shift-click adds a gate).";
  const leaf = nodes.find((n) => n.op === "input");
  if (leaf) return `${leaf.id} is an input: a group's inputs stay outside it. Select only gates.`;
  if (nodes.some((n) => inputsOf(n).includes(null))) return "Wire every input of the selected gates before grouping them.";
  if (!connected(nodes, inside)) return "The selected gates are not connected to each other: a group is one piece of the circuit.";
  return null;
}

/**
 * Members whose value leaves the selection: read by a gate outside it, or the output.
 * @param {Model} model
 * @param {Set<string>} inside
 * @returns {string[]}
 */
function leavingIds(model, inside) {
  const out = new Set();
  for (const node of model.nodes.values()) {
    if (inside.has(node.id)) continue;
    for (const src of inputsOf(node)) if (src !== null && inside.has(src)) out.add(src);
  }
  const result = outputOf(model);
  if (result !== null && inside.has(result)) out.add(result);
  return [...inside].filter((id) => out.has(id));
}

/**
 * @param {Node[]} nodes
 * @param {Set<string>} inside
 */
function connected(nodes, inside) {
  /** @type {Map<string, Set<string>>} */
  const next = new Map(nodes.map((n) => [n.id, new Set()]));
  for (const n of nodes) {
    for (const src of inputsOf(n)) {
      if (src === null || !inside.has(src)) continue;
      next.get(n.id)?.add(src);
      next.get(src)?.add(n.id);
    }
  }
  const seen = new Set([nodes[0].id]);
  const stack = [nodes[0].id];
  while (stack.length) for (const id of next.get(/** @type {string} */ (stack.pop())) ?? []) if (!seen.has(id)) (seen.add(id), stack.push(id));
  return seen.size === nodes.length;
}

/**
 * A node as a body holds it: no place on the canvas, no frame.
 * @param {Node} node
 * @returns {Node}
 */
function bare(node) {
  const { ui, ...rest } = structuredClone(node);
  return rest;
}

/**
 * What a gate expands into: a group's own body, or a composite's expansion.
 * @param {Node} node
 * @param {Map<string, GateInfo>} gates
 * @returns {Expansion | null}
 */
export function expansionOf(node, gates) {
  if (node.op === "group" && node.body && node.ports) return { ports: node.ports, body: /** @type {Expansion["body"]} */ (node.body) };
  return /** @type {Expansion | null} */ (gates.get(node.op)?.expansion ?? null);
}

/**
 * Expand a group or a composite gate into its gates, drawn in a frame. The gate
 * that gives the value keeps the node's id; the others keep their body ids where
 * those are free.
 * @param {Model} model
 * @param {string} id
 * @param {Map<string, GateInfo>} gates
 * @returns {Answer}
 */
export function expandRecord(model, id, gates) {
  const node = model.nodes.get(id);
  const expansion = node ? expansionOf(node, gates) : null;
  if (!node || !expansion) return { refusal: `${id} is not a group or a composite gate: there is nothing to expand.` };
  const frame = node.ui?.frame ?? { id, name: node.op === "group" ? node.name ?? "group" : gates.get(node.op)?.title ?? node.op, op: node.op };
  /** @type {Map<string, string>} */
  const names = new Map(expansion.ports.map((port, i) => [port, /** @type {string} */ (inputsOf(node)[i])]));
  const taken = new Set([...model.nodes.keys()].filter((k) => k !== id));
  for (const inner of expansion.body.nodes) {
    if (names.has(inner.id)) continue;
    const name = inner.id === expansion.body.output ? id : free(inner.id, id, taken);
    taken.add(name);
    names.set(inner.id, name);
  }
  const nodes = expansion.body.nodes
    .filter((inner) => !expansion.ports.includes(inner.id))
    .map((inner) => ({ ...bare(inner), id: /** @type {string} */ (names.get(inner.id)), ...(inner.inputs ? { inputs: inputsOf(inner).map((src) => names.get(src ?? "") ?? src) } : {}), ui: { frame } }));
  return { record: { type: "expand", node: id, nodes } };
}

/**
 * @param {string} wanted
 * @param {string} owner
 * @param {Set<string>} taken
 */
function free(wanted, owner, taken) {
  if (!taken.has(wanted)) return wanted;
  let n = 1;
  while (taken.has(`${owner}_${wanted}${n > 1 ? n : ""}`)) n += 1;
  return `${owner}_${wanted}${n > 1 ? n : ""}`;
}

/**
 * The gates drawn in frame `frameId`, in model order.
 * @param {Model} model
 * @param {string} frameId
 * @returns {Node[]}
 */
export function frameMembers(model, frameId) {
  return [...model.nodes.values()].filter((n) => n.ui?.frame?.id === frameId);
}

/**
 * Collapse a frame back into one gate: the composite it came from when its gates
 * still compute it, else a group with the frame's name.
 * @param {Model} model
 * @param {string} frameId
 * @param {Map<string, GateInfo>} gates
 * @returns {Answer}
 */
export function collapseRecord(model, frameId, gates) {
  const members = frameMembers(model, frameId);
  const frame = /** @type {Frame} */ (members[0]?.ui?.frame);
  if (!frame) return { refusal: `There is no expanded gate called ${frameId}.` };
  const answer = members.length === 1 ? singleGroup(model, members[0], frame) : groupRecord(model, members.map((n) => n.id), frame.name);
  if (!("record" in answer) || answer.record.type !== "group") return answer;
  const group = answer.record.node;
  const expansion = gates.get(frame.op)?.expansion;
  if (!expansion || !sameBody(/** @type {Expansion} */ (expansion), /** @type {Expansion} */ ({ ports: group.ports, body: group.body }))) return answer;
  /** @type {Node} */
  const gate = { id: group.id, op: frame.op, inputs: group.inputs };
  if (group.ui) gate.ui = group.ui;
  return { record: { ...answer.record, node: gate } };
}

/**
 * A frame of one gate (a one-gate group expanded) collapses into a group of it.
 * @param {Model} model
 * @param {Node} node
 * @param {Frame} frame
 * @returns {Answer}
 */
function singleGroup(model, node, frame) {
  const sources = [...new Set(/** @type {string[]} */ (inputsOf(node)))];
  const body = [...sources.map((src) => ({ id: src, op: "input", value: 0 })), bare(node)];
  /** @type {Node} */
  const group = { id: node.id, op: "group", name: frame.name, inputs: sources, ports: sources, body: { nodes: body, output: node.id } };
  if (node.ui && Number.isFinite(node.ui.x)) group.ui = { x: /** @type {number} */ (node.ui.x), y: /** @type {number} */ (node.ui.y) };
  return { record: { type: "group", node: group, members: [node.id] } };
}

/**
 * Do two bodies compute the same thing, gate for gate, whatever their ids?
 * @param {Expansion} a
 * @param {Expansion} b
 * @returns {boolean}
 */
export function sameBody(a, b) {
  const nodesA = new Map(a.body.nodes.map((n) => [n.id, n]));
  const nodesB = new Map(b.body.nodes.map((n) => [n.id, n]));
  /** @type {(x: string | null, y: string | null) => boolean} */
  const same = (x, y) => {
    const [pa, pb] = [a.ports.indexOf(x ?? ""), b.ports.indexOf(y ?? "")];
    if (pa >= 0 || pb >= 0) return pa === pb;
    const [na, nb] = [nodesA.get(x ?? ""), nodesB.get(y ?? "")];
    if (!na || !nb || na.op !== nb.op || canonical(na) !== canonical(nb)) return false;
    const [ia, ib] = [inputsOf(na), inputsOf(nb)];
    return ia.length === ib.length && ia.every((src, k) => same(src, ib[k]));
  };
  return a.ports.length === b.ports.length && same(a.body.output, b.body.output);
}

/** @param {Node} node */
function canonical(node) {
  const params = Object.entries(node.params ?? {}).sort(([p], [q]) => (p < q ? -1 : 1));
  return JSON.stringify([params, node.op === "const" ? node.value : null]);
}
