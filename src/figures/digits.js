// Figure kind "digits": a grid of small grey-scale images (MNIST digits, weights as images).
//   {kind: "digits", count, height, width, pixels (count*height*width values 0..255),
//    labels?: string[], truth?: string[], title?, mode?: "gray" | "ink" | "signed", titles?: string[]}
// With truth (the true labels), labels are readings: a wrong one is marked by colour, a cross
// and the true label in words, and a line above the grid counts them.
// mode "ink" draws dark ink on the page's paper (MNIST digits in the lab); "signed" draws
// positive values red and negative ones blue, each image on its own scale (weights).

import { el } from "../ui/dom.js";
import { frame, summaryNode } from "./common.js";
import { digitsSummary } from "./summary.js";

const POSITIVE = [214, 69, 65];   // "signed" mode: red where a value is positive
const NEGATIVE = [47, 110, 186];  // blue where it is negative

/**
 * Paints one image into a canvas (sized width x height).
 * Modes: "gray" (opaque grey, 0 black .. `max` white), "ink" (black ink whose alpha is the
 * value / `max`: transparent paper, so the page's palette shows through), "signed" (red for
 * positive, blue for negative values, alpha |v| / max|v| of the image).
 * @param {HTMLCanvasElement} canvas
 * @param {ArrayLike<number>} pixels
 * @param {{width: number, height: number, offset?: number, mode?: "gray"|"ink"|"signed", max?: number}} options
 */
export function paintImage(canvas, pixels, { width, height, offset = 0, mode = "gray", max = 255 }) {
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(width, height);
  const n = width * height;
  let scale = max;
  if (mode === "signed") {
    scale = 0;
    for (let p = 0; p < n; p++) scale = Math.max(scale, Math.abs(pixels[offset + p]));
    scale = scale || 1;
  }
  const data = image.data;
  for (let p = 0; p < n; p++) {
    const v = pixels ? pixels[offset + p] : 0;
    if (mode === "gray") {
      data[4 * p] = data[4 * p + 1] = data[4 * p + 2] = v;
      data[4 * p + 3] = 255;
    } else if (mode === "ink") {
      data[4 * p + 3] = Math.round(255 * Math.min(1, Math.max(0, v / scale)));
    } else {
      const c = v >= 0 ? POSITIVE : NEGATIVE;
      data[4 * p] = c[0];
      data[4 * p + 1] = c[1];
      data[4 * p + 2] = c[2];
      data[4 * p + 3] = Math.round(255 * Math.min(1, Math.abs(v) / scale));
    }
  }
  ctx.putImageData(image, 0, 0);
}

/**
 * @param {{count: number, height: number, width: number, pixels: ArrayLike<number>,
 *          labels?: string[], title?: string, className?: string,
 *          mode?: "gray"|"ink"|"signed", titles?: string[]}} figure  titles: one tooltip per image
 * @returns {import("./common.js").Drawn}
 */
export function drawDigits(figure) {
  const { count, height, width, labels, truth, titles, mode = "gray" } = figure;
  // Signed values (weights) keep their sign; grey levels are bytes.
  const pixels = ArrayBuffer.isView(figure.pixels) ? figure.pixels
    : (mode === "signed" ? Float32Array : Uint8Array).from(figure.pixels);
  const grid = el("div", { class: "pycell-digits" });
  const scale = Math.max(1, Math.round(56 / Math.max(width, height)));
  let wrongCount = 0;
  for (let i = 0; i < count; i++) {
    const wrong = Boolean(truth && labels && labels[i] !== truth[i]);
    wrongCount += wrong;
    const canvas = el("canvas", {
      class: "pycell-digits__image", role: "img",
      "aria-label": !labels ? `image ${i + 1}` : `image ${i + 1}, label ${labels[i]}`
        + (wrong ? `, wrong: the true label is ${truth[i]}` : truth ? ", right" : ""),
    });
    paintImage(canvas, pixels, { width, height, offset: i * width * height, mode });
    canvas.style.width = `${width * scale}px`;
    canvas.style.height = `${height * scale}px`;
    grid.append(el("div", { class: "pycell-digits__item" + (wrong ? " pycell-digits__item--wrong" : ""),
      title: titles?.[i] }, canvas,
      labels ? el("span", { class: "pycell-digits__label", text: wrong ? `\u2717 ${labels[i]}` : labels[i] }) : null,
      wrong ? el("span", { class: "pycell-digits__truth", text: `true ${truth[i]}` }) : null));
  }
  const summary = truth && labels ? el("p", { class: "pycell-digits__summary",
    text: `${wrongCount} of ${count} wrong` + (wrongCount ? " (marked \u2717, with the true label)" : "") }) : null;
  return { node: frame("digits", figure, summaryNode(digitsSummary(figure)), summary, grid) };
}
