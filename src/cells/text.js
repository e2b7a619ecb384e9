// The text of a cell's output as segments [{kind: "stdout"|"stderr"|"note", text}]: pure
// functions, no DOM (tested with node --test).

/** Characters kept per output block. */
export const MAX_TEXT = 200_000;

/** The note put first when earlier output was dropped. */
export const DROPPED = "[earlier output dropped]\n";

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
 * Keeps at most `max` characters of output, dropping whole lines from the start (a line longer
 * than everything kept is cut inside), and puts the DROPPED note first.
 * @param {{kind: string, text: string}[]} segments  changed in place
 * @param {number} [max]
 * @returns {boolean} true if anything was dropped
 */
export function trim(segments, max = MAX_TEXT) {
  let total = segments.reduce((n, s) => n + (s.kind === "note" ? 0 : s.text.length), 0);
  if (total <= max) return false;
  if (segments[0]?.kind === "note") segments.shift();
  let lineEnded = true;  // the dropped text ended with a newline
  while (total > max && segments.length) {
    const extra = total - max;
    const first = segments[0];
    const cut = Math.min(extra, first.text.length);
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
