// Share links of a cell, with no DOM: the cell's number and its code, compressed, in the URL's
// fragment ("#cell=3&v=1&code=<base64url>"), which never reaches a server. The code is UTF-8,
// compressed as raw DEFLATE (RFC 1951) with the browser's own CompressionStream ("deflate-raw")
// and written in base64url (RFC 4648 §5), so the link survives chat apps and e-mail. Where the
// browser has no such streams (Safari before 16.4), or they fail (Safari 16.4 rejected good
// input with "Extra bytes past the end"), fflate does the same DEFLATE: links are the same.
// A link that is cut off, damaged, from another version or for a cell the page lacks gets a
// note that says which, and the page keeps its own code.

import { Inflate, deflateSync } from "fflate";

const KEY = "cell";
const VERSION = "1";
const FORMAT = "deflate-raw";
export const MAX_CODE_BYTES = 200_000;   // a shared cell larger than this is refused unread

/**
 * Whether a URL fragment is a cell link ("#cell=…"), good or bad.
 * @param {string} hash  location.hash, with or without its "#"
 */
export function isCellLink(hash) {
  return hash.replace(/^#/, "").startsWith(`${KEY}=`);
}

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new RangeError("too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function compress(bytes) {
  if (typeof CompressionStream === "function") {
    try {
      return await pipe(bytes, new CompressionStream(FORMAT));
    } catch { /* fflate below */ }
  }
  return deflateSync(bytes);
}

// Throws RangeError past `limit` bytes of output: fed 1 KB at a time, fflate's inflater can
// write at most about 1 MB more than the limit before it is stopped.
function inflate(bytes, limit) {
  const chunks = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > limit) throw new RangeError("too large");
    chunks.push(chunk);
  });
  const STEP = 1024;
  for (let at = 0; at < bytes.length; at += STEP) {
    inflater.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  }
  if (!bytes.length) inflater.push(bytes, true);
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

async function decompress(bytes, limit) {
  if (typeof DecompressionStream === "function") {
    try {
      return await pipe(bytes, new DecompressionStream(FORMAT), limit);
    } catch (error) {
      if (error instanceof RangeError) throw error;     // too large: fflate would say the same
    }
  }
  return inflate(bytes, limit);
}

/**
 * The fragment (without "#") of a link to cell `number` showing `code`.
 * @param {number} number  the cell's number on its page, from 1
 * @param {string} code
 * @returns {Promise<string>}
 */
export async function encodeCellLink(number, code) {
  const packed = await compress(new TextEncoder().encode(code));
  return new URLSearchParams({ [KEY]: String(number), v: VERSION, code: toBase64Url(packed) }).toString();
}

/**
 * The cell and code a cell link holds, or a note saying why the link cannot be used.
 * @param {string} hash  location.hash
 * @param {number} count  the number of cells on the page
 * @returns {Promise<{index: number, code: string} | {error: string}>}
 */
export async function decodeCellLink(hash, count) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const ownCode = "The page shows its own code.";
  const version = params.get("v");
  if (version !== VERSION) {
    return { error: `This link's code is in a format this site does not read (version "${String(version).slice(0, 12)}"). ${ownCode}` };
  }
  const raw = params.get(KEY);
  const number = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(number >= 1 && number <= count)) {
    return { error: `This link is for cell "${String(raw).slice(0, 12)}", but this page has cells 1 to ${count}. ${ownCode}` };
  }
  if (!params.get("code")) {
    return { error: `This link holds no code for cell ${number}: it may have been cut off when it was copied. ${ownCode}` };
  }
  try {
    const bytes = await decompress(fromBase64Url(params.get("code")), MAX_CODE_BYTES);
    return { index: number - 1, code: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch (error) {
    if (error instanceof RangeError) {
      return { error: `The code in this link is larger than ${MAX_CODE_BYTES.toLocaleString("en")} bytes, more than a cell holds; it was not opened. ${ownCode}` };
    }
    return { error: `The code in this link is damaged, perhaps cut off when it was copied, and cannot be read. ${ownCode}` };
  }
}
