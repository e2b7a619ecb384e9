import { test } from "node:test";
import assert from "node:assert/strict";
import { emptyState, load, navMark, record, save, summary, STORE_KEY } from "../../src/exercises/progress.js";

const titles = ["tanh", "leaky ReLU", "RMSProp", "Adam", "networks of any depth"];

test("a pass stays a pass when a later run fails; the latest result is kept too", () => {
  let s = { ...emptyState(), titles };
  s = record(s, { title: "tanh", passed: true });
  s = record(s, { title: "tanh", passed: false, reason: "my_tanh raised" });
  assert.deepEqual(s.results.tanh, { passed: true, latest: "fail", reason: "my_tanh raised" });
  s = record(s, { title: "Adam", passed: false, reason: "x" });
  assert.equal(s.results.Adam.passed, false);
  assert.deepEqual(summary(s), { done: 1, total: 5, complete: false });
  assert.equal(navMark(s), "1/5");
  for (const t of titles) s = record(s, { title: t, passed: true });
  assert.equal(navMark(s), "\u2713");
  assert.equal(navMark({ ...emptyState(), titles }), "");
});

test("load and save go through storage; unreadable storage starts afresh", () => {
  const items = new Map();
  const storage = { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => items.set(k, v) };
  const s = record({ ...emptyState(), titles }, { title: "RMSProp", passed: true });
  assert.equal(save(s, storage), true);
  assert.deepEqual(load(storage), s);
  items.set(STORE_KEY, "{not json");
  assert.deepEqual(load(storage), emptyState());
  assert.equal(save(s, { setItem: () => { throw new Error("full"); } }), false);
});

test("blocked storage (reading localStorage throws): load starts afresh and save says false", () => {
  const had = Object.getOwnPropertyDescriptor(globalThis, "localStorage");
  Object.defineProperty(globalThis, "localStorage", { configurable: true,
    get() { throw new Error("Failed to read the 'localStorage' property from 'Window': Access is denied"); } });
  try {
    assert.deepEqual(load(), emptyState());
    assert.equal(save({ ...emptyState(), titles }), false);
  } finally {
    if (had) Object.defineProperty(globalThis, "localStorage", had);
    else delete globalThis.localStorage;
  }
});
