/**
 * The gate palette, built from the gate table the server sends: a click adds
 * that gate beside what is drawn, as an add_node record, and selects it.
 * @module palette
 */

import { byId, html } from "../dom.js";
import { newNode } from "../state/circuit.js";
import { gateSymbol } from "../state/gates.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/gates.js").GateInfo} GateInfo */

/**
 * @param {Store} store
 * @param {(leaf: boolean) => {x: number, y: number}} freeSpot  where a new node goes
 */
export function mountPalette(store, freeSpot) {
  const box = byId("palette");
  store.subscribe((state, touched) => {
    if (!touched.has("catalog")) return;
    box.replaceChildren();
    for (const gate of state.catalog.gates.values()) box.append(button(gate, state.catalog.gates, () => add(store, gate, freeSpot)));
  });
}

/**
 * @param {GateInfo} gate
 * @param {Map<string, GateInfo>} table
 * @param {() => void} onClick
 */
function button(gate, table, onClick) {
  const b = html("button", { type: "button", "data-op": gate.op, title: `${gate.title}: ${gate.forward}` });
  const symbol = gate.leaf ? (gate.op === "input" ? "x" : "1") : gateSymbol(gate.op, gate.defaults, table);
  b.append(html("span", { class: "sym" }, symbol), html("span", { class: "name" }, gate.title));
  b.addEventListener("click", onClick);
  return b;
}

/**
 * @param {Store} store
 * @param {GateInfo} gate
 * @param {(leaf: boolean) => {x: number, y: number}} freeSpot
 */
function add(store, gate, freeSpot) {
  const node = newNode(store.state.model, gate);
  node.ui = freeSpot(!node.inputs);
  store.dispatch({ type: "add_node", node });
  store.update({ selection: { kind: "node", id: node.id } }, ["selection"]);
}
