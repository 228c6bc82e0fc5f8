import { test } from "node:test";
import assert from "node:assert/strict";
import { formatNumber, formatValue, formatFull } from "../../static/js/state/format.js";

test("formatNumber keeps 4 significant digits and trims zeros", () => {
  assert.equal(formatNumber(2.0595697955721652), "2.06");
  assert.equal(formatNumber(1.5922327514838093), "1.592");
  assert.equal(formatNumber(-0.7915934472725935), "-0.7916");
  assert.equal(formatNumber(-12), "-12");
  assert.equal(formatNumber(0.017986209962091555), "0.01799");
});

test("formatNumber switches to exponents for tiny and huge numbers", () => {
  assert.equal(formatNumber(0), "0");
  assert.equal(formatNumber(1234567), "1.23e6");
  assert.equal(formatNumber(-0.00003), "-3e-5");
  assert.equal(formatNumber(12345.6), "12346");
});

test("formatNumber names non-finite numbers", () => {
  assert.equal(formatNumber(Infinity), "∞");
  assert.equal(formatNumber(NaN), "NaN");
});

test("formatValue shows short vectors whole and matrices by shape", () => {
  assert.equal(formatValue([0.39, -0.59]), "[0.39, -0.59]");
  assert.equal(formatValue([[1, 2], [3, 4]]), "[2×2] 1, …");
});

test("formatFull keeps full precision", () => {
  assert.equal(formatFull(2.0595697955721652), "2.0595697955721652");
  assert.equal(formatFull([1, 2]), "[1,2]");
});
