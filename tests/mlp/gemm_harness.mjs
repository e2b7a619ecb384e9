// Runs the matrix-product kernel (mlp/_kernel.wasm) on a memory image prepared by test_kernel.py.
// Usage: node gemm_harness.mjs KERNEL.wasm IMAGE.bin CALLS.json OUT.bin
// The image is copied to address BASE of a fresh memory whose first BASE bytes hold a canary
// pattern; each call is [function name, ...integer arguments] with addresses already offset by
// BASE. Writes the memory's first BASE + image bytes to OUT.bin, so the caller can check both the
// results and that nothing else was written.
import fs from "node:fs";

const [wasmFile, imageFile, callsFile, outFile] = process.argv.slice(2);
const image = fs.readFileSync(imageFile);
const { base, calls } = JSON.parse(fs.readFileSync(callsFile, "utf8"));
const pages = Math.ceil((base + image.length) / 65536) + 1;
const memory = new WebAssembly.Memory({ initial: pages });
const bytes = new Uint8Array(memory.buffer);
bytes.fill(0xa5, 0, base);
bytes.set(image, base);
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmFile), { env: { memory } });
for (const [name, ...args] of calls) instance.exports[name](...args);
fs.writeFileSync(outFile, bytes.subarray(0, base + image.length));
