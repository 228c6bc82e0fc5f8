import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { Player } from "../../static/js/player.js";
import { gateSymbol, formulaFor, substitute } from "../../static/js/gates.js";

test("load shows the last step; reset, next and prev move one at a time", () => {
  const seen = [];
  const player = new Player((i) => seen.push(i));
  player.load(4);
  assert.equal(player.index, 3);
  player.reset();
  player.next();
  player.next();
  player.prev();
  assert.equal(player.index, 1);
  player.prev();
  player.prev();
  assert.equal(player.index, 0);
});

test("play walks to the end and stops", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const player = new Player(() => {}, 100);
    player.load(3);
    player.play();
    assert.equal(player.index, 0);
    mock.timers.tick(100);
    assert.equal(player.index, 1);
    mock.timers.tick(100);
    assert.equal(player.index, 2);
    assert.equal(player.playing, false);
  } finally {
    mock.timers.reset();
  }
});

test("gate symbols show their constants", () => {
  assert.equal(gateSymbol("add_const", { c: 1 }), "+1");
  assert.equal(gateSymbol("add_const", { c: -2 }), "−2");
  assert.equal(gateSymbol("mul_const", { a: -1 }), "×-1");
  assert.equal(gateSymbol("pow", { p: 2 }), "^2");
  const table = new Map([["sigmoid", { op: "sigmoid", symbol: "σ" }]]);
  assert.equal(gateSymbol("sigmoid", {}, /** @type {any} */ (table)), "σ");
  assert.equal(gateSymbol("unknown_op"), "unknown_op");
});

test("formulas read with the circuit's names", () => {
  const gate = { op: "div", forward: "x / y" };
  assert.equal(formulaFor(gate, ["num", "den"]), "num / den");
  assert.equal(formulaFor({ op: "add", forward: "x + y" }, ["a", "b", "c"]), "a + b + c");
  assert.equal(substitute("p * x ** (p - 1)", ["xpy"], { p: 2 }), "2 * xpy ** (2 - 1)");
  assert.equal(substitute("out", ["y"], {}, { out: "sigy" }), "sigy");
});
