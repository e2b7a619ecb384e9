// Predictions of the drawn digit, with no DOM: one question to Python at a time, at most one
// every INTERVAL_MS while the reader draws, always about the latest drawing.

import { toBytes } from "./mnist.js";

const INTERVAL_MS = 90;  // at most about 10 predictions a second while drawing

/**
 * The predictor of a lab controller. `request(pixels, version)` hands it the drawing (784
 * values in [0, 1], or null when the pad is empty) and its version; `again()` asks again for
 * the last drawing (another model came into use). Each answer lands in `latest` and the
 * controller emits "prediction":
 * {probabilities: number[]|null, figure: the drawing's "prediction" figure|null, network: its
 * "network" diagram|null, message:
 * string|null, version, model: run id|null}.
 * @param {import("./controller.js").LabController} lab
 */
export function predictor(lab) {
  let pixels = null;
  let version = 0;
  let wanted = false;
  let busy = false;

  const show = (latest) => {
    out.latest = { probabilities: null, figure: null, network: null, message: null, version, model: null, ...latest };
    lab.emit("prediction");
  };

  async function once() {
    const model = lab.drawingModel();
    if (!pixels) return show({});
    if (!model) return show({ message: "Train a model first, or load weights: then it will tell which digit this is." });
    const asked = version;
    try {
      const bytes = toBytes(pixels);
      const out = await lab.call("predict", { run_id: model.id, pixels: bytes }, { transfer: [bytes.buffer] });
      show({ probabilities: out.probabilities, figure: out.figure, network: out.network, version: asked, model: model.id });
    } catch (error) {
      show({ message: error.message });
    }
  }

  async function loop() {
    busy = true;
    while (wanted) {
      wanted = false;
      const t0 = performance.now();
      await once();
      const wait = INTERVAL_MS - (performance.now() - t0);
      if (wanted && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    busy = false;
  }

  const out = {
    latest: null,
    request(nextPixels, nextVersion) {
      pixels = nextPixels;
      version = nextVersion;
      out.again();
    },
    again() {
      wanted = true;
      if (!busy) loop();
    },
  };
  return out;
}
