// The text of a cell's output as segments [{kind: "stdout"|"stderr"|"note", text}]: pure
// functions, no DOM (tested with node --test).

/** Characters kept per output block. */
export const MAX_TEXT = 200_000;

/** A longer line is cut inside: its first and last LINE_KEEP characters stay. */
export const MAX_LINE = 100_000;
export const LINE_KEEP = 1_000;

/** The note put first when earlier output was dropped. */
export const DROPPED = "[earlier output dropped]\n";

/** The note that stands for the `n` characters cut out of a long line. @param {number} n */
export const cutNote = (n) => `[… ${n.toLocaleString("en")} character${n === 1 ? "" : "s"} cut …]`;

/**
 * "\r": what follows overwrites the current line, as in a terminal. Drops the text after the
 * last newline.
 * @param {{kind: string, text: string}[]} segments  changed in place
 */
export function carriageReturn(segments) {
  for (let i = segments.length - 1; i >= 0; i--) {
    const cut = segments[i].text.lastIndexOf("\n");
    if (cut >= 0) {
      segments[i].text = segments[i].text.slice(0, cut + 1);
      segments.length = i + 1;
      return;
    }
  }
  segments.length = 0;
}

/**
 * Adds streamed text of one kind; "\r\n" is a newline, a lone "\r" goes back to the start of
 * the line. Consecutive text of the same kind joins one segment.
 * @param {{kind: string, text: string}[]} segments  changed in place
 * @param {string} kind
 * @param {string} raw
 * @returns {boolean} true when earlier text was rewritten (not only appended)
 */
export function appendText(segments, kind, raw) {
  let rewrite = false;
  raw.replace(/\r\n/g, "\n").split("\r").forEach((part, i) => {
    if (i > 0) {
      carriageReturn(segments);
      rewrite = true;
    }
    if (!part) return;
    const last = segments[segments.length - 1];
    if (last && last.kind === kind) last.text += part;
    else segments.push({ kind, text: part });
  });
  return rewrite;
}

/**
 * What the cells keep of streamed output: long lines cut inside (cutLongLines), then whole
 * lines dropped from the start (trim).
 * @param {{kind: string, text: string, cut?: number}[]} segments  changed in place
 * @returns {boolean} true when earlier text was changed
 */
export function limit(segments) {
  const cut = cutLongLines(segments);
  const dropped = trim(segments);
  return cut || dropped;
}

/**
 * Keeps at most `max` characters of output, dropping whole lines from the start (a line longer
 * than everything kept is cut inside), and puts the DROPPED note first. Notes do not count.
 * @param {{kind: string, text: string, cut?: number}[]} segments  changed in place
 * @param {number} [max]
 * @returns {boolean} true if anything was dropped
 */
export function trim(segments, max = MAX_TEXT) {
  let total = segments.reduce((n, s) => n + (s.kind === "note" ? 0 : s.text.length), 0);
  if (total <= max) return false;
  if (segments[0]?.text === DROPPED) segments.shift();
  let lineEnded = true;  // the dropped text ended with a newline
  while (total > max && segments.length) {
    const first = segments[0];
    if (first.kind === "note") {  // a cut note goes with the line around it
      segments.shift();
      continue;
    }
    const cut = Math.min(total - max, first.text.length);
    lineEnded = first.text[cut - 1] === "\n";
    total -= cut;
    if (cut === first.text.length) segments.shift();
    else first.text = first.text.slice(cut);
  }
  if (!lineEnded) dropPartialLine(segments);
  segments.unshift({ kind: "note", text: DROPPED });
  return true;
}

// After a cut inside a line: drops the rest of that line (up to its newline, possibly in a
// later segment). Without a newline after the cut (one huge line), the cut stays.
function dropPartialLine(segments) {
  for (let i = 0; i < segments.length; i++) {
    const cut = segments[i].text.indexOf("\n");
    if (cut < 0) continue;
    segments.splice(0, i);
    segments[0].text = segments[0].text.slice(cut + 1);
    if (!segments[0].text) segments.shift();
    return;
  }
}

/**
 * Cuts every line longer than `maxLine` characters inside: its first and last `keep` characters
 * stay, with a cut note (cutNote) between them that counts what went. A line cut before keeps
 * its head, and its tail moves on as the line grows, so the end of the line is always shown.
 * @param {{kind: string, text: string, cut?: number}[]} segments  changed in place
 * @param {number} [maxLine]
 * @param {number} [keep]  at most maxLine / 2
 * @returns {boolean} true if anything was cut
 */
export function cutLongLines(segments, maxLine = MAX_LINE, keep = LINE_KEEP) {
  if (!hasLongLine(segments, maxLine, keep)) return false;
  const out = [];
  for (const line of splitLines(segments)) {
    for (const piece of cutLine(line, maxLine, keep)) {
      const last = out[out.length - 1];
      if (last && last.kind === piece.kind && piece.kind !== "note") last.text += piece.text;
      else out.push(piece);
    }
  }
  segments.splice(0, segments.length, ...out);
  return true;
}

// Whether a line needs cutting: longer than maxLine, or, once cut, a tail longer than keep.
// It only counts (no copies): this runs at every flush of output.
function hasLongLine(segments, maxLine, keep) {
  let length = 0;
  let cut = false;
  for (const seg of segments) {
    if (seg.kind === "note") {
      if (seg.cut !== undefined) [length, cut] = [0, true];
      continue;
    }
    for (let from = 0; ;) {
      const newline = seg.text.indexOf("\n", from);
      length += (newline < 0 ? seg.text.length : newline) - from;
      if (length > (cut ? keep : maxLine)) return true;
      if (newline < 0) break;
      [length, cut, from] = [0, false, newline + 1];
    }
  }
  return false;
}

// The segments as lines, each a list of pieces {kind, text, cut?}; a line's newline ends its
// last piece.
function splitLines(segments) {
  const lines = [[]];
  for (const seg of segments) {
    if (seg.kind === "note") {
      lines[lines.length - 1].push({ ...seg });
      if (seg.text.endsWith("\n")) lines.push([]);
      continue;
    }
    const parts = seg.text.split("\n");
    parts.forEach((part, i) => {
      const text = i < parts.length - 1 ? part + "\n" : part;
      if (text) lines[lines.length - 1].push({ kind: seg.kind, text });
      if (i < parts.length - 1) lines.push([]);
    });
  }
  return lines.filter((line) => line.length);
}

const textLength = (pieces) => pieces.reduce((n, p) => n + (p.kind === "note" ? 0 : p.text.length), 0);

// The first (from = "head") or last ("tail") n characters of pieces, notes left out.
function take(pieces, n, from) {
  const out = [];
  const order = from === "head" ? pieces : [...pieces].reverse();
  for (const p of order) {
    if (n <= 0) break;
    if (p.kind === "note") continue;
    const text = from === "head" ? p.text.slice(0, n) : p.text.slice(-n);
    n -= text.length;
    out.push({ kind: p.kind, text });
  }
  return from === "head" ? out : out.reverse();
}

function cutLine(pieces, maxLine, keep) {
  const end = pieces[pieces.length - 1];
  const newline = end.kind !== "note" && end.text.endsWith("\n") ? { kind: end.kind, text: "\n" } : null;
  if (newline) {
    pieces = [...pieces.slice(0, -1), { kind: end.kind, text: end.text.slice(0, -1) }];
  }
  const at = pieces.findIndex((p) => p.cut !== undefined);
  let kept = pieces;
  if (at < 0) {
    const length = textLength(pieces);
    if (length > maxLine) {
      const cut = length - 2 * keep;
      kept = [...take(pieces, keep, "head"), { kind: "note", text: cutNote(cut), cut }, ...take(pieces, keep, "tail")];
    }
  } else {
    const after = pieces.slice(at + 1);
    const extra = textLength(after) - keep;
    if (extra > 0) {
      const cut = pieces[at].cut + extra;
      kept = [...pieces.slice(0, at), { kind: "note", text: cutNote(cut), cut }, ...take(after, keep, "tail")];
    }
  }
  kept = kept.filter((p) => p.text);
  return newline ? [...kept, newline] : kept;
}

/**
 * A line short enough to quote: at most `max` characters, its middle replaced by "…".
 * @param {string} line
 * @param {number} [max]
 * @returns {string}
 */
export function shortLine(line, max = 120) {
  if (line.length <= max) return line;
  const head = Math.ceil((max - 1) / 2);
  return `${line.slice(0, head)}…${line.slice(line.length - (max - 1 - head))}`;
}
