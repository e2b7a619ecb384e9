// Views of a trained model: class probabilities as bars, the confusion matrix as a heatmap table,
// grids of misclassified digits and of first-layer weights drawn as 28x28 images.

import { SIDE, paintDigit } from "./lab-draw.js";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function percent(p) {
  if (!(p >= 0)) return "–";
  return p >= 0.995 ? "100%" : p < 0.005 ? (p > 0 ? "<1%" : "0%") : `${Math.round(p * 100)}%`;
}

// Ten bars, one per class. update(null) empties them.
export function createBars(root) {
  const head = el("p", "lab-bars__head");
  head.setAttribute("aria-live", "polite");
  const list = el("ol", "lab-bars");
  list.setAttribute("aria-label", "Class probabilities");
  const rows = [];
  for (let d = 0; d < 10; d++) {
    const li = el("li", "lab-bars__row");
    const label = el("span", "lab-bars__digit", String(d));
    const track = el("span", "lab-bars__track");
    const fill = el("span", "lab-bars__fill");
    track.append(fill);
    const value = el("span", "lab-bars__value", "–");
    li.append(label, track, value);
    list.append(li);
    rows.push({ li, fill, value });
  }
  root.append(head, list);

  // `info` ({version, model}) is written into data attributes: which drawing and which model
  // these probabilities belong to.
  function update(probs, message, info = {}) {
    let best = -1;
    if (probs) for (let d = 0; d < 10; d++) if (best < 0 || probs[d] > probs[best]) best = d;
    rows.forEach((r, d) => {
      const p = probs ? probs[d] : 0;
      r.fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
      r.value.textContent = probs ? percent(p) : "–";
      r.li.classList.toggle("lab-bars__row--best", d === best);
      r.li.setAttribute("aria-label", probs ? `${d}: ${percent(p)}` : `${d}`);
    });
    head.dataset.prediction = best >= 0 ? String(best) : "";
    head.dataset.version = info.version !== undefined ? String(info.version) : "";
    head.dataset.model = info.model || "";
    list.dataset.probabilities = probs ? JSON.stringify(probs) : "";
    head.innerHTML = "";
    if (best >= 0) {
      head.append("Prediction ", el("strong", "lab-bars__best", String(best)), ` with ${percent(probs[best])}`);
    } else {
      head.textContent = message || "Draw a digit to see what the model thinks.";
    }
  }
  update(null);
  return { update, head };
}

// Confusion matrix as a table: rows are true classes, columns predicted ones. Each cell is
// shaded by its share of the row; the diagonal in the primary colour, mistakes in the accent.
export function renderConfusion(root, matrix) {
  root.innerHTML = "";
  const table = el("table", "lab-confusion");
  const caption = el("caption", null, "Rows: true digit. Columns: predicted digit. Shade: share of the row.");
  table.append(caption);
  const thead = el("thead");
  const hr = el("tr");
  const corner = el("th", "lab-confusion__corner");
  corner.innerHTML = '<span class="lab-confusion__axis">true ↓<br>pred. →</span>';
  hr.append(corner);
  for (let j = 0; j < 10; j++) {
    const th = el("th", null, String(j));
    th.scope = "col";
    hr.append(th);
  }
  thead.append(hr);
  table.append(thead);
  const tbody = el("tbody");
  for (let i = 0; i < 10; i++) {
    const tr = el("tr");
    const th = el("th", null, String(i));
    th.scope = "row";
    tr.append(th);
    const total = matrix[i].reduce((a, b) => a + b, 0) || 1;
    for (let j = 0; j < 10; j++) {
      const n = matrix[i][j];
      const share = n / total;
      const td = el("td", i === j ? "lab-confusion__hit" : "lab-confusion__miss", n ? String(n) : "");
      // Mistakes are rare, so their shade is stretched to stay visible.
      const strength = i === j ? share : Math.min(1, share * 5);
      td.style.setProperty("--lab-shade", `${Math.round(strength * 100)}%`);
      if (strength > 0.55) td.classList.add("lab-confusion__strong");
      td.title = `true ${i}, predicted ${j}: ${n} (${(share * 100).toFixed(1)}% of the ${i}s)`;
      tr.append(td);
    }
    tbody.append(tr);
  }
  table.append(tbody);
  root.append(table);
}

// Misclassified test images: items are {pixels (784 values 0..255), label, predicted, p}.
export function renderMistakes(root, items, total) {
  root.innerHTML = "";
  if (!items.length) {
    root.append(el("p", "lab-empty", "No test image is misclassified."));
    return;
  }
  const grid = el("ul", "lab-digits");
  for (const it of items) {
    const li = el("li", "lab-digits__item");
    const c = el("canvas", "lab-digit");
    paintDigit(c, it.pixels.map((v) => v / 255));
    c.setAttribute("role", "img");
    c.setAttribute("aria-label", `a ${it.label} predicted as ${it.predicted}`);
    const cap = el("span", "lab-digits__caption");
    cap.innerHTML = `<span class="lab-digits__true">${it.label}</span>→<span class="lab-digits__pred">${it.predicted}</span>`;
    li.title = `true ${it.label}, predicted ${it.predicted} with ${percent(it.p)}`;
    const tile = el("span", "lab-tile");
    tile.append(c);
    li.append(tile, cap);
    grid.append(li);
  }
  root.append(grid);
  if (total > items.length) {
    root.append(el("p", "lab-note", `The first ${items.length} of ${total.toLocaleString("en")} misclassified test images.`));
  }
}

// Colours of positive and negative weights; the tile behind them is the page's code background.
const POSITIVE = [214, 69, 65];
const NEGATIVE = [47, 110, 186];

// First-layer weights, one 28x28 image per hidden unit: red where a bright pixel raises the
// unit's input, blue where it lowers it; each image scaled to its own largest |w|.
export function paintWeights(canvas, w) {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(SIDE, SIDE);
  let m = 0;
  for (const v of w) m = Math.max(m, Math.abs(v));
  m = m || 1;
  for (let k = 0; k < SIDE * SIDE; k++) {
    const v = w[k] / m;
    const c = v >= 0 ? POSITIVE : NEGATIVE;
    img.data[4 * k] = c[0];
    img.data[4 * k + 1] = c[1];
    img.data[4 * k + 2] = c[2];
    img.data[4 * k + 3] = Math.round(255 * Math.min(1, Math.abs(v)));
  }
  ctx.putImageData(img, 0, 0);
}

export function renderWeights(root, units, total) {
  root.innerHTML = "";
  const grid = el("ul", "lab-weights");
  units.forEach((w, i) => {
    const li = el("li", "lab-weights__item");
    const c = el("canvas", "lab-weight");
    paintWeights(c, w);
    c.setAttribute("role", "img");
    c.setAttribute("aria-label", `weights into hidden unit ${i + 1}`);
    li.title = `unit ${i + 1}`;
    li.append(c);
    grid.append(li);
  });
  root.append(grid);
  const legend = el("p", "lab-note lab-weights__legend");
  legend.innerHTML = '<span class="lab-swatch lab-swatch--pos"></span> positive '
    + '<span class="lab-swatch lab-swatch--neg"></span> negative'
    + (total > units.length ? ` · the first ${units.length} of ${total.toLocaleString("en")} units` : ` · ${total} units`);
  root.append(legend);
}
