// Unit tests of src/ui/format.js (node --test).
import { test } from "node:test";
import assert from "node:assert/strict";
import { duration, fileSize, formatNumber, grouped, keptFilesText, percent, plural, pythonStatusText } from "../../src/ui/format.js";

test("duration: ms below a second, one decimal below 10 s, minutes from 90 s", () => {
  assert.equal(duration(0.2), "1 ms");
  assert.equal(duration(350), "350 ms");
  assert.equal(duration(2449), "2.4 s");
  assert.equal(duration(17_400), "17 s");
  assert.equal(duration(185_000), "3 min 05 s");
  assert.equal(duration(NaN), "–");
});

test("grouped: thousands separators, at most 3 decimals", () => {
  assert.equal(grouped(20_000_000), "20,000,000");
  assert.equal(grouped(4096), "4,096");
  assert.equal(grouped(0.5), "0.5");
  assert.equal(grouped(1234.56789), "1,234.568");
  assert.equal(grouped(-1500), "-1,500");
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

test("fileSize: bytes, KB and MB of 1,000", () => {
  assert.deepEqual([0, 1, 999, 1000, 1500, 10_500, 999_499, 999_999, 2.5e6, 123e6].map(fileSize),
    ["0 bytes", "1 byte", "999 bytes", "1 KB", "1.5 KB", "11 KB", "999 KB", "1 MB", "2.5 MB", "123 MB"]);
});

test("keptFilesText names the files a restart put back and those it could not keep", () => {
  const limits = { maxFile: 10e6, maxTotal: 20e6 };
  const none = { count: 0, first: [] };
  assert.equal(keptFilesText({ paths: [], notKept: none }, limits), "Files this cell wrote, if any, are gone too.");
  assert.equal(keptFilesText({ paths: ["notes.txt"], notKept: none }, limits),
    "The files in the working directory are back as the last cell to finish left them (notes.txt); "
    + "what this cell wrote is lost.");
  assert.ok(keptFilesText({ paths: ["a", "b", "c"], notKept: none }, limits).includes("(a, b and c);"));
  const text = keptFilesText({ paths: ["a", "b", "c", "out/d"], notKept: { count: 4,
    first: [{ path: "big.npy", size: 40e6 }, { path: "x.bin", size: 12_345_678 }, { path: "y", size: 999 }] } }, limits);
  assert.ok(text.includes("(a, b, c and 1 other);"), text);
  assert.ok(text.endsWith(" Not kept: big.npy (40 MB), x.bin (12 MB), y (999 bytes) and 1 other: "
    + "only files up to 10 MB, 20 MB in all, are kept."), text);
});
