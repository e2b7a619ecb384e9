// Unit tests of src/cells/text.js: streamed output, "\r", trimming at line boundaries, long
// lines cut inside.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendText, cutLongLines, cutNote, limit, shortLine, trim, DROPPED, LINE_KEEP, MAX_LINE }
  from "../../src/cells/text.js";

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

test("one line of 300,003 characters keeps its head, a cut note and its tail with END", () => {
  const segs = [];
  appendText(segs, "stdout", "A".repeat(300_000) + "END\n");
  assert.equal(limit(segs), true);
  const cut = 300_003 - 2 * LINE_KEEP;
  assert.deepEqual(segs, [{ kind: "stdout", text: "A".repeat(LINE_KEEP) },
    { kind: "note", text: "[… 298,003 characters cut …]", cut },
    { kind: "stdout", text: "A".repeat(LINE_KEEP - 3) + "END\n" }]);
  assert.equal(cutNote(1), "[… 1 character cut …]");
  // Nothing more to do: the next flush rewrites nothing.
  assert.equal(limit(segs), false);
});

test("a line of MAX_LINE characters stays whole, and 200,000 short lines keep their tail", () => {
  const whole = [];
  appendText(whole, "stdout", "x".repeat(MAX_LINE) + "\n");
  assert.equal(limit(whole), false);
  assert.equal(whole[0].text.length, MAX_LINE + 1);
  const many = [];
  for (let i = 0; i < 200_000; i++) appendText(many, "stdout", `${i}\n`);
  assert.equal(limit(many), true);
  assert.equal(many[0].text, DROPPED);
  assert.ok(many.every((s, i) => i === 0 || s.kind === "stdout"));
  assert.ok(many[1].text.endsWith("199999\n"));
});

test("a long line streamed in pieces: the tail moves on, the head and the count stay right", () => {
  const segs = [];
  appendText(segs, "stdout", "head-");
  let sent = 5;
  for (let i = 0; i < 30; i++) {
    appendText(segs, "stdout", "y".repeat(10_000));
    sent += 10_000;
    limit(segs);
  }
  appendText(segs, "stdout", "tail!");
  appendText(segs, "stderr", " and more\nnext line\n");
  sent += 5 + 9;
  limit(segs);
  const [head, note, tail, rest] = segs;
  assert.ok(head.text.startsWith("head-") && head.text.length === LINE_KEEP);
  assert.equal(note.cut, sent - 2 * LINE_KEEP);
  assert.equal(note.text, cutNote(note.cut));
  assert.equal(tail.kind, "stdout");
  assert.ok(tail.text.endsWith("tail!"));
  assert.equal(tail.text.length + " and more".length, LINE_KEEP);  // the tail spans both kinds
  assert.deepEqual(rest, { kind: "stderr", text: " and more\nnext line\n" });
});

test("cut lines among short ones, dropped with the lines around them when output is long", () => {
  const segs = [];
  for (let i = 0; i < 5; i++) appendText(segs, "stdout", `line ${i}\n${"z".repeat(150_000)}\n`);
  appendText(segs, "stdout", "last\n");
  assert.equal(cutLongLines(segs), true);
  const text = segs.map((s) => s.text).join("");
  assert.equal(text.split("\n").filter(Boolean).length, 11);
  assert.equal(segs.filter((s) => s.kind === "note").length, 5);
  // A small cap: trim drops whole lines, each cut line with its note.
  trim(segs, 2 * LINE_KEEP + 20);
  const kept = segs.map((s) => s.text).join("");
  assert.equal(kept, DROPPED + "line 4\n" + "z".repeat(LINE_KEEP) + cutNote(148_000) + "z".repeat(LINE_KEEP) + "\nlast\n");
});

test("shortLine quotes a long line's start and end", () => {
  assert.equal(shortLine("short"), "short");
  const line = shortLine("A".repeat(300_000) + "END");
  assert.equal(line.length, 120);
  assert.equal(line, "A".repeat(60) + "…" + "A".repeat(56) + "END");
});
