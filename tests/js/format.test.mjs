// Unit tests of src/ui/format.js (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { duration, formatNumber, percent, plural, pythonStatusText } from "../../src/ui/format.js";

test("duration: ms below a second, one decimal below 10 s, minutes from 90 s", () => {
  assert.equal(duration(0.2), "1 ms");
  assert.equal(duration(350), "350 ms");
  assert.equal(duration(2449), "2.4 s");
  assert.equal(duration(17_400), "17 s");
  assert.equal(duration(185_000), "3 min 05 s");
  assert.equal(duration(NaN), "–");
});

test("formatNumber: integers grouped, a whole number without decimals, exponents outside [0.001, 1e5)", () => {
  assert.equal(formatNumber(12345.4, true), "12,345");
  assert.equal(formatNumber(0.5), "0.500");
  assert.equal(formatNumber(0.1234), "0.123");
  assert.equal(formatNumber(2.5), "2.50");
  assert.equal(formatNumber(3), "3");
  assert.equal(formatNumber(0.0001234), "1.23e-4");
  assert.equal(formatNumber(123456), "1.23e+5");
  assert.equal(formatNumber(0), "0");
});

test("percent and plural", () => {
  assert.equal(percent(1), "100%");
  assert.equal(percent(0.001), "<1%");
  assert.equal(percent(0), "0%");
  assert.equal(percent(0.424), "42%");
  assert.equal(percent(undefined), "–");
  assert.equal(plural(1, "epoch"), "1 epoch");
  assert.equal(plural(3, "epoch"), "3 epochs");
});

test("pythonStatusText: the cells' sentence and the lab's short form", () => {
  assert.equal(pythonStatusText("ready"), "Python is ready: the cells run in your browser");
  assert.equal(pythonStatusText("ready", {}, { short: true }), "Python ready");
  assert.equal(pythonStatusText("failed", { message: "no wasm" }), "Python could not be loaded: no wasm");
  assert.equal(pythonStatusText("loading", { message: "Loading numpy" }, { short: true }), "Loading numpy…");
});
