// Unit tests of src/cells/share.js (node --test): round trips and broken links.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_CODE_BYTES, decodeCellLink, encodeCellLink, isCellLink } from "../../src/cells/share.js";

const CODE = "import numpy as np\n# ünïcödé, emoji 🧠 and a tab\tstay as they are\nprint(np.arange(3) @ np.arange(3))\n";

test("a link round-trips the cell number and the exact code", async () => {
  const fragment = await encodeCellLink(3, CODE);
  assert.ok(isCellLink(fragment) && isCellLink("#" + fragment));
  assert.match(fragment, /^cell=3&v=1&code=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await decodeCellLink("#" + fragment, 5), { index: 2, code: CODE });
});

test("long, repetitive code is compressed well below its length", async () => {
  const code = "x = np.zeros((28, 28))\n".repeat(400);
  const fragment = await encodeCellLink(1, code);
  assert.ok(fragment.length < code.length / 20, `${fragment.length} characters for ${code.length}`);
  assert.equal((await decodeCellLink(fragment, 1)).code, code);
});

test("a link for a cell the page lacks names the cell and the page's range", async () => {
  const fragment = await encodeCellLink(9, CODE);
  const { error } = await decodeCellLink(fragment, 7);
  assert.match(error, /cell "9", but this page has cells 1 to 7/);
  assert.match((await decodeCellLink(fragment.replace("cell=9", "cell=zero"), 7)).error, /cell "zero"/);
});

test("a cut-off or damaged code is reported, not shown half-read", async () => {
  const fragment = await encodeCellLink(2, CODE);
  assert.match((await decodeCellLink(fragment.slice(0, -12), 4)).error, /damaged, perhaps cut off/);
  assert.match((await decodeCellLink(fragment.replace(/code=.*/, "code=%%%"), 4)).error, /damaged/);
  assert.match((await decodeCellLink(fragment.replace(/&code=.*/, ""), 4)).error, /holds no code for cell 2/);
});

test("another version and an oversized payload are refused with a note", async () => {
  const fragment = await encodeCellLink(1, CODE);
  assert.match((await decodeCellLink(fragment.replace("v=1", "v=7"), 2)).error, /version "7"/);
  const huge = await encodeCellLink(1, "#".repeat(MAX_CODE_BYTES + 1));
  assert.match((await decodeCellLink(huge, 2)).error, /larger than 200,000 bytes/);
});

// A browser without the compression streams (Safari before 16.4), or whose decompression
// fails on good input (Safari 16.4: "Extra bytes past the end"): fflate reads and writes the
// same raw DEFLATE.
async function withStreams(streams, fn) {
  const saved = { CompressionStream: globalThis.CompressionStream, DecompressionStream: globalThis.DecompressionStream };
  Object.assign(globalThis, streams);
  try {
    return await fn();
  } finally {
    Object.assign(globalThis, saved);
  }
}
const NONE = { CompressionStream: undefined, DecompressionStream: undefined };
class BrokenDecompression {
  constructor() {
    return new TransformStream({ transform() { throw new TypeError("Extra bytes past the end"); } });
  }
}

test("without CompressionStream, links are made and read, and read where it exists", async () => {
  const made = await withStreams(NONE, () => encodeCellLink(3, CODE));
  assert.match(made, /^cell=3&v=1&code=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await withStreams(NONE, () => decodeCellLink(made, 5)), { index: 2, code: CODE });
  assert.deepEqual(await decodeCellLink(made, 5), { index: 2, code: CODE });
  const streamed = await encodeCellLink(3, CODE);
  assert.deepEqual(await withStreams(NONE, () => decodeCellLink(streamed, 5)), { index: 2, code: CODE });
});

test("where DecompressionStream fails on a good link, the link is read all the same", async () => {
  const fragment = await encodeCellLink(2, CODE);
  const read = await withStreams({ DecompressionStream: BrokenDecompression }, () => decodeCellLink(fragment, 4));
  assert.deepEqual(read, { index: 1, code: CODE });
});

test("without the streams, damaged and oversized links get the same notes", async () => {
  await withStreams(NONE, async () => {
    const fragment = await encodeCellLink(2, CODE);
    assert.match((await decodeCellLink(fragment.slice(0, -12), 4)).error, /damaged, perhaps cut off/);
    const huge = await encodeCellLink(1, "#".repeat(MAX_CODE_BYTES + 1));
    assert.match((await decodeCellLink(huge, 2)).error, /larger than 200,000 bytes/);
    const bomb = await encodeCellLink(1, "#".repeat(5_000_000));
    assert.ok(bomb.length < 20_000, `${bomb.length} characters`);
    assert.match((await decodeCellLink(bomb, 2)).error, /larger than 200,000 bytes/);
  });
});
