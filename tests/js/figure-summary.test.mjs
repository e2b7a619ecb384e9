// Unit tests of the figures' text alternatives (src/figures/summary.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { barsSummary, chartSummary, describeSeries, digitsSummary, heatmapSummary } from "../../src/figures/summary.js";

test("describeSeries says where a series went over the x axis", () => {
  assert.equal(describeSeries("test accuracy", [1, 2, 3], [0.84, 0.9, 0.92], "epoch"),
    "test accuracy rose from 0.84 to 0.92 over 3 epochs");
  assert.equal(describeSeries("loss", [0, 5, 10], [2.3, 0.3, 0.5], "step"),
    "loss fell from 2.3 to 0.5 from step 0 to 10, lowest 0.3 at step 5");
  assert.equal(describeSeries("loss", [1, 2], [null, undefined], "epoch"), "loss: no values yet");
  assert.equal(describeSeries("loss", [1, 2], [null, 0.5], "epoch"), "loss was 0.5 at epoch 2");
});

test("chartSummary names the chart and every series", () => {
  const text = chartSummary({ title: "Loss", x: [1, 2], xlabel: "epoch", logy: true,
    series: [{ name: "train", values: [1, 0.5] }, { name: "test", values: [1.2, 0.7] }] });
  assert.equal(text, 'Line chart "Loss" (logarithmic y axis): train fell from 1 to 0.5 over 2 epochs; '
    + "test fell from 1.2 to 0.7 over 2 epochs.");
  assert.match(chartSummary({ x: [0.01, 1], xlabel: "learning rate", logx: true, logy: true,
    series: [{ name: "accuracy", values: [0.2, 0.9] }] }), /^Line chart \(logarithmic x and y axis\): accuracy rose/);
});

test("heatmapSummary counts a confusion matrix's right answers and its worst mistakes", () => {
  const text = heatmapSummary({ rows: 2, cols: 2, values: [8, 2, 1, 9], rowLabels: ["a", "b"], colLabels: ["a", "b"],
    shade: "row", ylabel: "true", xlabel: "predicted" });
  assert.equal(text, "Confusion matrix (rows: true, columns: predicted): 17 of 20 are right, on the diagonal (85%); "
    + "the diagonal cells are bold and outlined. Most frequent mistakes: a taken for b (2 times), b taken for a (1 time).");
  assert.equal(heatmapSummary({ rows: 1, cols: 2, values: [0.5, -1], rowLabels: ["r"], colLabels: ["x", "y"], title: "W" }),
    'Heatmap "W": 1 rows by 2 columns, values from -1 to 0.5.');
});

test("barsSummary and digitsSummary", () => {
  assert.equal(barsSummary({ values: [0.1, 0.7, 0.2], labels: ["0", "1", "2"], format: "percent" }),
    "Bars, 3 values: highest 1 with 70%, then 2 with 20%.");
  assert.equal(barsSummary({ values: [NaN, NaN], labels: ["0", "1"] }), "Bars: no values yet.");
  assert.equal(digitsSummary({ count: 2, width: 28, height: 28, labels: ["5", "0"] }),
    "2 images of 28 by 28 pixels, labelled 5, 0.");
});
