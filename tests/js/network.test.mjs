// Unit tests of the "network" figure's layout (src/figures/network.js), a pure function.
import { test } from "node:test";
import assert from "node:assert/strict";
import { layout } from "../../src/figures/network.js";

const figure = (sizes, image, shown = 12) => ({
  sizes, image,
  layers: sizes.map((size, i) => ({ size, units: i === 0 && image ? [] : Array.from({ length: Math.min(size, shown) }, (_, k) => k) })),
});

test("layout: columns in order inside the width, the picture first, units inside the height", () => {
  for (const width of [300, 358, 640, 1000]) {
    for (const f of [figure([784, 64, 10], { height: 28, width: 28 }), figure([3, 4, 2], null), figure([784, 32, 16, 16, 10], { height: 28, width: 28 })]) {
      const geo = layout(f, width);
      const xs = geo.columns.map((c) => c.x);
      assert.deepEqual([...xs].sort((a, b) => a - b), xs, "left to right");
      assert.ok(xs[0] >= 0 && xs.at(-1) + geo.right <= width + 0.5, `inside ${width}: ${xs}`);
      for (const c of geo.columns) {
        for (const y of c.units.values()) assert.ok(y - geo.radius >= 30 && y + geo.radius <= geo.height - 40, `y ${y}`);
      }
      if (f.image) assert.ok(geo.picture.x + geo.picture.size < xs[1] - geo.radius, "the picture left of the first hidden column");
    }
  }
});

test("layout: a wide layer keeps a row for the units it leaves out", () => {
  const geo = layout(figure([784, 64, 10], { height: 28, width: 28 }), 640);
  assert.equal(geo.columns[1].more, 52);
  assert.ok(geo.columns[1].moreY > Math.max(...geo.columns[1].units.values()));
  assert.equal(geo.columns[2].more, 0);
});
