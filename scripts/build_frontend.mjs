// Bundles the site's own front end (src/) with esbuild into <out> (build/assets/site/):
//   main.js     every page: cells, lab, maths (src/main.js); code needed later (the editor,
//               the lab) is split into chunk-*.js files loaded on demand
//   runtime.js  the Python runtime alone, for tests and tools (the same module main.js uses)
//   worker.js   the Python worker, one file (src/runtime/worker.js)
//   site.css    the styles (src/styles/index.css)
// The bundle is written next to <out> and swapped in whole, so a page never sees half of it.
//
//   node scripts/build_frontend.mjs [--out build/assets/site] [--dev]   (--dev: not minified)

import { build } from "esbuild";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const at = args.indexOf("--out");
const out = resolve(ROOT, at >= 0 ? args[at + 1] : "build/assets/site");
const minify = !args.includes("--dev");
const tmp = `${out}.tmp`;
const old = `${out}.old`;

const common = {
  absWorkingDir: ROOT, bundle: true, minify, sourcemap: false, legalComments: "none",
  target: "es2022", logLevel: "warning",
};

rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
await build({
  ...common, entryPoints: { main: "src/main.js", runtime: "src/runtime/runtime.js" },
  outdir: tmp, format: "esm", splitting: true, chunkNames: "chunk-[hash]",
});
await build({ ...common, entryPoints: { worker: "src/runtime/worker.js" }, outdir: tmp, format: "esm" });
await build({ ...common, entryPoints: { site: "src/styles/index.css" }, outdir: tmp });

rmSync(old, { recursive: true, force: true });
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });

