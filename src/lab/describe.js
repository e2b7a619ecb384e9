// What the lab says about a run, with no DOM: the stats under the progress bar, the status line
// and the message after a run ends. One rule for "which epoch" serves all three, so they never
// disagree (after Stop in the middle of epoch 2 every text says epoch 2).

import { duration, grouped, plural } from "../ui/format.js";
import { formatLr } from "./form-model.js";

const CHANCE_LOSS = Math.log(10); // cross-entropy of a uniform guess over 10 classes
const fixed4 = (x) => (x === null || x === undefined ? "–" : x.toFixed(4));

/**
 * The epoch a run's model is in, counted from 1, or has just finished (at an epoch's end).
 * @param {{epoch: number, batch: number}} p  epochs finished, batches done in the current one
 * @returns {number}
 */
export function epochOf(p) {
  return p.batch === 0 ? p.epoch : p.epoch + 1;
}

/**
 * Where a run is, in words: "epoch 2 of 20, after batch 76 of 79" or "epoch 3 of 3".
 * @param {{epoch: number, batch: number, epochs: number, batchesPerEpoch: number}} p
 */
export function position(p) {
  const where = `epoch ${epochOf(p)} of ${p.epochs}`;
  return p.batch ? `${where}, after batch ${p.batch} of ${p.batchesPerEpoch}` : where;
}

/**
 * The stats of a run as [name, value] pairs: epoch, samples per second, time, test accuracy.
 * While training, the last finished epoch's test accuracy; afterwards, the final model's.
 * @param {object} run  a controller run
 * @returns {[string, string][]}
 */
export function stats(run) {
  const p = run?.progress;
  if (!p) return [];
  const training = run.status === "training";
  const accuracy = !training && run.result ? run.result.accuracy : run.epochs.at(-1)?.test_acc;
  return [
    ["Epoch", `${epochOf(p)} of ${p.epochs}`],
    ["Samples/s", grouped(Math.round(training ? p.rate : p.samples / p.elapsed))],
    training ? ["Time left", `about ${duration(1000 * p.eta)}`] : ["Training time", duration(1000 * p.elapsed)],
    ["Test accuracy", fixed4(accuracy)],
  ];
}

/**
 * The status line above the progress bar for the run shown (the one training, else the last).
 * @param {object|null} run
 * @returns {string}
 */
export function statusLine(run) {
  if (!run) return "Choose a configuration and press Train. Python starts in this page the first time (a few seconds).";
  const p = run.progress;
  switch (run.status) {
    case "training":
      if (!p) return `Training ${run.label}…`;
      return p.batch === 0
        ? `Training ${run.label}: epoch ${p.epoch} of ${p.epochs} done.`
        : `Training ${run.label}: batch ${p.batch} of ${p.batchesPerEpoch} in epoch ${p.epoch + 1}.`;
    case "done":
      return `Finished ${run.label}: ${plural(run.epochs.length, "epoch")} in ${duration(1000 * p?.elapsed)} of training.`;
    case "stopped": return p ? `Stopped ${run.label} in ${position(p)}.` : `Stopped ${run.label}.`;
    case "diverged": return `${run.label} diverged.`;
    case "failed": return `${run.label} failed.`;
    case "imported": return `Loaded ${run.label}: test accuracy ${fixed4(run.result.accuracy)}.`;
    default: return `Starting ${run.label}…`;
  }
}

/**
 * What the status line says while a slice that ends an epoch measures the whole sets.
 * @param {number} epoch  the epoch that ends
 * @param {{train_size: number, test_size: number}} info
 */
export function measuring(epoch, info) {
  return `Epoch ${epoch} done: measuring loss and accuracy on ${grouped(info.train_size)} training `
    + `and ${grouped(info.test_size)} test images…`;
}

/**
 * The message after a run: {text, kind} ("error", "warning", "info"), or null.
 * @param {object|null} run
 * @returns {{text: string, kind: string}|null}
 */
export function message(run) {
  if (!run) return null;
  if (run.status === "diverged") return { text: run.message, kind: "error" };
  if (run.status === "failed") return { text: `Training failed: ${run.message}`, kind: "error" };
  const kept = run.kept?.epoch ? `The model is the best epoch's: ${run.kept.text}.` : null;
  if (run.status === "stopped" && run.progress) {
    const p = run.progress;
    const complete = p.batch ? ` (${plural(p.epoch, "complete epoch")} on the charts)` : "";
    const model = kept ? `${kept} Draw a digit or inspect it below.` : "The model trained so far is kept: draw a digit or inspect it below.";
    return { text: `Stopped in ${position(p)}${complete}. ${model}`, kind: "info" };
  }
  const last = run.epochs.at(-1);
  if (run.status === "done" && last && last.test_loss > 2 * CHANCE_LOSS) {
    const c = run.config;
    return {
      text: `The test loss ended at ${last.test_loss.toFixed(2)}, far above the ${CHANCE_LOSS.toFixed(2)} of a uniform guess: `
        + `the learning rate (${formatLr(c.lr)}) is probably too large for ${c.activation} with ${c.optimizer}.`,
      kind: "warning",
    };
  }
  return run.status === "done" && kept ? { text: kept, kind: "info" } : null;
}
