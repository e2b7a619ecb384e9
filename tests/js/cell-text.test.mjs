// Unit tests of src/cells/text.js: streamed output, "\r", trimming at line boundaries.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendText, trim, DROPPED } from "../../src/cells/text.js";

const join = (segments) => segments.map((s) => s.text).join("");

test("appendText joins one kind, keeps kinds apart, and \\r rewrites the line", () => {
  const segs = [];
  assert.equal(appendText(segs, "stdout", "a\nb"), false);
  appendText(segs, "stdout", "c\n");
  appendText(segs, "stderr", "warn\n");
  assert.deepEqual(segs, [{ kind: "stdout", text: "a\nbc\n" }, { kind: "stderr", text: "warn\n" }]);
  assert.equal(appendText(segs, "stdout", "10%\r20%\r\n"), true);
  assert.equal(join(segs), "a\nbc\nwarn\n20%\n");
});

test("trim keeps whole lines: 100,000 printed lines never start mid-line", () => {
  const segs = [];
  for (let i = 0; i < 100_000; i++) appendText(segs, "stdout", `${i / 3}\n`);
  assert.equal(trim(segs), true);
  const text = join(segs);
  assert.ok(text.startsWith(DROPPED));
  const kept = text.slice(DROPPED.length).split("\n");
  assert.equal(kept.at(-1), "");
  assert.equal(kept.at(-2), String(99_999 / 3));
  // every kept line is a whole number printed above, the first one included
  const first = Number(kept[0]);
  assert.ok(Number.isFinite(first) && Math.abs(first * 3 - Math.round(first * 3)) < 1e-6, kept[0]);
  assert.ok(text.length - DROPPED.length <= 200_000);
});

test("trim across segments, a cut at a line end drops nothing more, one huge line is cut", () => {
  const segs = [{ kind: "stdout", text: "aaaa\nbb" }, { kind: "stderr", text: "cc\ndd\n" }];
  trim(segs, 8);  // the line "bbcc" spans both segments and is kept whole
  assert.deepEqual(segs, [{ kind: "note", text: DROPPED }, { kind: "stdout", text: "bb" },
    { kind: "stderr", text: "cc\ndd\n" }]);
  const mid = [{ kind: "stdout", text: "aaaa\nbb" }, { kind: "stderr", text: "cc\ndd\n" }];
  trim(mid, 6);  // cut inside "bbcc": the rest of that line goes too
  assert.deepEqual(mid, [{ kind: "note", text: DROPPED }, { kind: "stderr", text: "dd\n" }]);
  const exact = [{ kind: "stdout", text: "12\n34\n" }];
  trim(exact, 3);
  assert.equal(join(exact), DROPPED + "34\n");
  const huge = [{ kind: "stdout", text: "x".repeat(20) }];
  trim(huge, 5);
  assert.equal(join(huge), DROPPED + "xxxxx");
  assert.equal(trim([{ kind: "stdout", text: "short" }], 10), false);
});

test("trim: the line after the dropped note is a whole printed line, and the lines run on from it", () => {
  const segs = [];
  for (let i = 0; i < 100_000; i++) appendText(segs, "stdout", `${i / 3}\n`);
  trim(segs);
  const text = join(segs);
  assert.ok(text.startsWith(DROPPED));
  const kept = text.slice(DROPPED.length).split("\n").slice(0, -1);
  const first = Math.round(Number(kept[0]) * 3);
  // A fragment such as "66667" of "33333.666666666667" would not print back as itself.
  kept.forEach((line, i) => assert.equal(line, String((first + i) / 3)));
  assert.equal(first + kept.length, 100_000);
});
