// Unit tests of src/lab/share.js (node --test): the lab's share links hold every setting and the
// seed in the URL fragment; a broken link gets a note that says what is wrong, never a half-filled form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIELDS, formDefaults } from "../../src/lab/form-model.js";
import { decodeLink, encodeLink, isLabLink } from "../../src/lab/share.js";
import { CHOICES } from "./lab-fixtures.mjs";

const DEFAULTS = formDefaults(CHOICES);

const CHANGED = {
  ...DEFAULTS, hidden: "128, 32", activation: "relu", optimizer: "adam", lr: "0.002", beta: "0.85", batchSize: "64",
  epochs: "7", weightDecay: "0.01", dropout: "0.2", schedule: "cosine", warmup: "1.5", keep: "best",
  backend: "numpy", seed: "4242", data: "full",
};

test("a link holds every field and gives back exactly the form's values", () => {
  const link = encodeLink(CHANGED);
  assert.ok(link.startsWith("lab=1&"));
  for (const name of FIELDS) assert.ok(new URLSearchParams(link).has(name), name);
  assert.ok(isLabLink(`#${link}`) && isLabLink(link) && !isLabLink("#training-in-slices"));
  assert.deepEqual(decodeLink(`#${link}`, CHOICES), { values: Object.fromEntries(FIELDS.map((k) => [k, CHANGED[k]])) });
  const defaults = decodeLink(encodeLink({ ...DEFAULTS, backend: "kernel" }), CHOICES);
  assert.equal(defaults.values.seed, "0");
  assert.equal(defaults.values.hidden, "64");
});

test("characters that mean something in a URL survive the trip", () => {
  // The form refuses this value, but it reached the check intact, "&" and "=" included.
  assert.match(decodeLink(encodeLink({ ...CHANGED, hidden: "64 & 32=" }), CHOICES).error, /"&" is not one/);
  const { values } = decodeLink(encodeLink({ ...CHANGED, hidden: " 8,\t8 " }), CHOICES);
  assert.equal(values.hidden, "8,\t8");
});

test("broken link 1: cut off while copying", () => {
  const link = encodeLink(CHANGED);
  const cut = link.slice(0, link.indexOf("&keep"));
  assert.match(decodeLink(`#${cut}`, CHOICES).error, /incomplete, perhaps cut off .* lacks keep, backend, seed, data/);
  // Cut early: more settings missing than the message lists, and one stop after the list.
  const early = decodeLink(`#${link.slice(0, link.indexOf("&lr"))}`, CHOICES).error;
  assert.match(early, /lacks [A-Za-z]+(, [A-Za-z]+){4}, …; the form shows its usual values\.$/);
  // Cut inside a name: "…&be" is missing beta and the rest, not an unknown setting "be".
  assert.match(decodeLink("#lab=1&hidden=64&activation=sigmoid&optimizer=momentum&lr=4&be", CHOICES).error,
    /incomplete, perhaps cut off .* lacks beta, batchSize, epochs, weightDecay, dropout, …/);
  // Cut in the middle of the last value: "data=fu".
  assert.match(decodeLink(`#${link.slice(0, -2)}`, CHOICES).error, /Unknown data set "fu"/);
});

test("broken link 2: settings the lab does not know, or values out of range", () => {
  assert.match(decodeLink(`#${encodeLink(CHANGED)}&turbo=1&colour=red`, CHOICES).error,
    /settings the lab does not know \("turbo", "colour"\)/);
  const out = decodeLink(`#${encodeLink({ ...CHANGED, lr: "1000", dropout: "1", seed: "-3" })}`, CHOICES).error;
  assert.match(out, /cannot be used: The learning rate must be above 0 and at most 100; got 1000\./);
  assert.match(out, /The dropout rate must be at least 0 and below 1; got 1\./);
  assert.match(out, /The seed must be between 0 and 4,294,967,295; got -3\./);
});

test("broken link 3: garbage and other versions", () => {
  assert.match(decodeLink("#lab=%E0%A4%A&&&=x", CHOICES).error, /format the lab does not read/);
  assert.match(decodeLink("#lab=%F0%9F%92%A5%%zz", CHOICES).error, /format the lab does not read \(version "💥%%zz"\)/);
  assert.match(decodeLink("#lab=2&hidden=64", CHOICES).error, /format the lab does not read \(version "2"\)/);
  assert.match(decodeLink(`#${encodeLink(CHANGED)}&%00%ff=%%%`, CHOICES).error, /settings the lab does not know/);
  assert.match(decodeLink(`#${encodeLink(CHANGED).split("&seed")[0]}&se`, CHOICES).error, /incomplete, .* lacks seed, data/);
  assert.match(decodeLink("#lab=1", CHOICES).error, /lacks hidden, activation, optimizer, lr, beta, …/);
});
