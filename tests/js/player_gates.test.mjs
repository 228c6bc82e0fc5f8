import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { Player } from "../../static/js/player/player.js";
import { Store } from "../../static/js/state/store.js";
import { gateSymbol, formulaFor, substitute } from "../../static/js/state/gates.js";

/** A store holding a result with `count` steps, on the last one. */
function storeWith(count) {
  const store = new Store();
  const steps = Array.from({ length: count }, () => ({ kind: "start" }));
  store.update({ result: { output: "f", values: {}, gradients: {} }, steps, step: count - 1 }, ["result", "step"]);
  return store;
}

test("reset, next and prev move the state's step one at a time, within bounds", () => {
  const store = storeWith(4);
  const player = new Player(store);
  assert.equal(store.state.step, 3);
  player.reset();
  player.next();
  player.next();
  player.prev();
  assert.equal(store.state.step, 1);
  player.prev();
  player.prev();
  assert.equal(store.state.step, 0);
  player.end();
  player.next();
  assert.equal(store.state.step, 3);
});

test("play from the end starts over, walks to the end and stops", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const store = storeWith(3);
    const player = new Player(store, 100);
    player.toggle();
    assert.equal(store.state.step, 0);
    assert.equal(store.state.playing, true);
    mock.timers.tick(100);
    assert.equal(store.state.step, 1);
    mock.timers.tick(100);
    assert.equal(store.state.step, 2);
    assert.equal(store.state.playing, false);
    mock.timers.tick(500);
    assert.equal(store.state.step, 2);
  } finally {
    mock.timers.reset();
  }
});

const TABLE = new Map([
  ["add_const", { op: "add_const", symbol: "+c", display: "+{c}" }],
  ["mul_const", { op: "mul_const", symbol: "×a", display: "×{a}" }],
  ["pow", { op: "pow", symbol: "x^p", display: "^{p}" }],
  ["sigmoid", { op: "sigmoid", symbol: "σ", display: "σ" }],
]);

test("gate symbols fill the table's display template with their constants", () => {
  const table = /** @type {any} */ (TABLE);
  assert.equal(gateSymbol("add_const", { c: 1 }, table), "+1");
  assert.equal(gateSymbol("add_const", { c: -2 }, table), "−2");
  assert.equal(gateSymbol("mul_const", { a: -1 }, table), "×−1");
  assert.equal(gateSymbol("pow", { p: 2 }, table), "^2");
  assert.equal(gateSymbol("sigmoid", {}, table), "σ");
  assert.equal(gateSymbol("unknown_op", {}, table), "unknown_op");
});

test("formulas read with the circuit's names", () => {
  const gate = { op: "div", forward: "x / y" };
  assert.equal(formulaFor(gate, ["num", "den"]), "num / den");
  assert.equal(substitute("p * x ** (p - 1)", ["xpy"], { p: 2 }), "2 * xpy ** (2 - 1)");
  assert.equal(substitute("out", ["y"], {}, { out: "sigy" }), "sigy");
});

test("a variadic row's ... stands for the inputs after the named ones", () => {
  assert.equal(formulaFor({ op: "add", forward: "x + y + ..." }, ["a", "b"]), "a + b");
  assert.equal(formulaFor({ op: "add", forward: "x + y + ..." }, ["a", "b", "c", "d"]), "a + b + c + d");
  assert.equal(formulaFor({ op: "sum", forward: "sum(x, ...)" }, ["u", "v"]), "sum(u, v)");
  assert.equal(formulaFor({ op: "sum", forward: "sum(x, ...)" }, ["u"]), "sum(u)");
});
