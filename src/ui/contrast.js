// Readable text on a computed colour: black or white, whichever contrasts more with the colour
// actually painted behind it (WCAG 2.1 relative luminance and contrast ratio,
// https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). One of the two always reaches 4.58:1, on
// any colour, which no fixed threshold on a shade can promise on both palettes.
//
// The painted colour is found by letting a 1x1 canvas composite the element's (translucent,
// color-mix) background over the page's: the canvas parses every CSS colour syntax the browser
// does, so no colour parser is written here. No library fits this small need.

export const DARK_TEXT = "#000000";
export const LIGHT_TEXT = "#ffffff";

let pixel = null;

/**
 * The colour `layers` paint when drawn in order on an opaque white base, as [r, g, b] in 0..255.
 * @param {string[]} layers  CSS colours, bottom first (e.g. the page background, a cell's)
 * @returns {number[]}
 */
export function composite(layers) {
  pixel ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  pixel.clearRect(0, 0, 1, 1);
  for (const color of ["#fff", ...layers]) {
    pixel.fillStyle = "#fff";      // an unparsable colour leaves fillStyle as it was: white,
    pixel.fillStyle = color;       // which paints nothing visible over the white base
    pixel.fillRect(0, 0, 1, 1);
  }
  return Array.from(pixel.getImageData(0, 0, 1, 1).data.slice(0, 3));
}

/**
 * WCAG 2.1 relative luminance of an sRGB colour.
 * @param {number[]} rgb  [r, g, b] in 0..255
 * @returns {number} in [0, 1]
 */
export function luminance([r, g, b]) {
  const linear = (c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/**
 * WCAG contrast ratio of two luminances, from 1 to 21.
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
export function contrast(a, b) {
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

/**
 * DARK_TEXT or LIGHT_TEXT, whichever contrasts more with `rgb`.
 * @param {number[]} rgb  [r, g, b] in 0..255
 * @returns {string}
 */
export function textOn(rgb) {
  const l = luminance(rgb);
  const dark = contrast(l, 0);
  const light = contrast(l, 1);
  return dark >= light ? DARK_TEXT : LIGHT_TEXT;
}

/**
 * Sets the text colour of each of `cells` from the background it shows over the page.
 * Cells not in the document, or not laid out, are left as they are.
 * @param {Iterable<HTMLElement>} cells
 */
export function fitTextColor(cells) {
  const page = getComputedStyle(document.body).backgroundColor;
  for (const cell of cells) {
    if (!cell.isConnected) continue;
    const background = getComputedStyle(cell).backgroundColor;
    cell.style.color = textOn(composite([page, background]));
  }
}
