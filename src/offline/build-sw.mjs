// Generate the service worker of a built site: node src/offline/build-sw.mjs <site_dir> <build_id>
// esbuild bundles src/offline/sw.js (Workbox's modules), then workbox-build's injectManifest
// writes <site_dir>/sw.js with the list of files to precache and their revisions.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { injectManifest } from "workbox-build";

const here = fileURLToPath(new URL(".", import.meta.url));
const [siteArg, buildId = randomUUID()] = process.argv.slice(2);
if (!siteArg) {
  console.error("usage: node src/offline/build-sw.mjs <site_dir> [build_id]");
  process.exit(2);
}
const site = resolve(siteArg);
const work = mkdtempSync(join(tmpdir(), "mlp-sw-"));
try {
  const bundled = join(work, "sw.js");
  await build({
    entryPoints: [join(here, "sw.js")], outfile: bundled, bundle: true, minify: true, format: "iife",
    define: { "process.env.NODE_ENV": '"production"', __BUILD_ID__: JSON.stringify(buildId) },
    logLevel: "error",
  });
  const { count, size, warnings } = await injectManifest({
    swSrc: bundled,
    swDest: join(site, "sw.js"),
    globDirectory: site,
    globPatterns: ["**/*.{html,js,mjs,css,json,wasm,zip,whl,npz,py,xml,woff2,svg,png,ico,webmanifest}"],
    // The runtime loads python_start.zip and the trimmed numpy wheel (scripts/assets/trim.py), not
    // the full standard library (sources or bytecode), numpy's official wheel or its bytecode.
    globIgnores: ["sw.js", "assets/data/mnist-full.npz", "assets/pyodide/python_stdlib.zip",
      "assets/pyodide/python_stdlib.pyc.zip", "assets/pyodide/numpy.pyc.zip",
      "assets/pyodide/numpy-+([0-9.])-cp*.whl", "notebooks/**", "**/*.map", "assets/javascripts/lunr/**"],
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  });
  for (const w of warnings) console.error(`warning: ${w}`);
  console.log(`sw.js: ${count} files to precache, ${(size / 1e6).toFixed(1)} MB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
