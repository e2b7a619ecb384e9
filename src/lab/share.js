// Share links of the lab, with no DOM: every setting of the form and the seed in the URL's
// fragment ("#lab=1&hidden=64&activation=sigmoid&…"), as TensorFlow Playground does. The
// fragment never reaches a server. Opening a link fills the form; the same seed gives the same
// network, the same batches and so the same curve. A link that is cut off, comes from another
// version or holds a value the lab refuses gets a note that says which, and the normal form.

import { FIELDS, validate } from "./form-model.js";

const KEY = "lab";
const VERSION = "1";

/**
 * Whether a URL fragment is a lab link ("#lab=…"), good or bad.
 * @param {string} hash  location.hash, with or without its "#"
 */
export function isLabLink(hash) {
  return hash.replace(/^#/, "").startsWith(`${KEY}=`);
}

/**
 * The fragment (without "#") that holds the form's raw values.
 * @param {Record<string, string>} raw
 * @returns {string}
 */
export function encodeLink(raw) {
  const params = new URLSearchParams({ [KEY]: VERSION });
  for (const name of FIELDS) params.set(name, String(raw[name] ?? "").trim());
  return params.toString();
}

const list = (names) => names.slice(0, 5).join(", ") + (names.length > 5 ? ", …" : "");

/**
 * The form's values held by a lab link, or a note saying why the link cannot be used.
 * @param {string} hash  location.hash
 * @param {import("./form-model.js").Choices} choices
 * @returns {{values: Record<string, string>} | {error: string}}
 */
export function decodeLink(hash, choices) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const version = params.get(KEY);
  if (version !== VERSION) {
    return { error: `This link's settings are in a format the lab does not read (version "${String(version).slice(0, 12)}"); the form shows its usual values.` };
  }
  params.delete(KEY);
  // Missing settings first: a link cut off inside a name ("…&be") also holds an unknown one.
  const missing = FIELDS.filter((k) => !params.has(k));
  if (missing.length) {
    return { error: `This link is incomplete, perhaps cut off when it was copied: it lacks ${list(missing)}; the form shows its usual values.` };
  }
  const unknown = [...new Set(params.keys())].filter((k) => !FIELDS.includes(k));
  if (unknown.length) {
    return { error: `This link holds settings the lab does not know (${list(unknown.map((k) => `"${k.slice(0, 24)}"`))}); the form shows its usual values.` };
  }
  const values = Object.fromEntries(FIELDS.map((k) => [k, params.get(k)]));
  const { errors } = validate(values, choices);
  const bad = FIELDS.filter((k) => errors[k]);
  if (bad.length) {
    return { error: `This link's settings cannot be used: ${bad.map((k) => errors[k]).join(" ")} The form shows its usual values.` };
  }
  return { values };
}
