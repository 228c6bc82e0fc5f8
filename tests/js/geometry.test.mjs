import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeSize, inputPort, outputPort, roundedPath, curvePath, wireBox, bounds, fitTransform, readableFit, zoomAt, toWorld, SIZES } from "../../static/js/diagram/geometry.js";

test("a gate's box holds its circle and the labelled stub", () => {
  const size = nodeSize({ id: "q", op: "add" }, 2);
  assert.equal(size.body, SIZES.lead + 2 * SIZES.radius);
  assert.equal(size.width, size.body + SIZES.stub);
});

test("a longer stub makes the box wider, not the shape", () => {
  const long = nodeSize({ id: "q", op: "add" }, 2, 160);
  assert.equal(long.width, long.body + 160);
  assert.equal(long.body, nodeSize({ id: "q", op: "add" }, 2).body);
});

test("an input's box grows with its name", () => {
  assert.ok(nodeSize({ id: "weights", op: "input" }, 0).width > nodeSize({ id: "x", op: "input" }, 0).width);
});

test("input ports sit on the left, spread about the middle", () => {
  const a = inputPort(0, 2, 60);
  const b = inputPort(1, 2, 60);
  assert.equal(a.x, 0);
  assert.equal((a.y + b.y) / 2, 30);
  assert.ok(a.y < b.y);
  assert.deepEqual(outputPort({ width: 100, height: 60 }), { x: 100, y: 30 });
});

test("roundedPath rounds every bend", () => {
  const d = roundedPath([{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: 40 }]);
  assert.equal(d, "M0,0 L42,0 Q50,0 50,8 L50,40");
  assert.match(curvePath({ x: 0, y: 0 }, { x: 100, y: 20 }), /^M0,0 C/);
});

test("fitTransform centres the drawing and caps enlargement", () => {
  const t = fitTransform({ x: 0, y: 0, width: 100, height: 50 }, { width: 1000, height: 500 }, 0, 2);
  assert.equal(t.k, 2);
  assert.deepEqual({ x: t.x, y: t.y }, { x: 400, y: 200 });
});

test("zoomAt keeps the point under the cursor still", () => {
  const t = { k: 1, x: 10, y: 20 };
  const at = { x: 300, y: 200 };
  const before = toWorld(t, at);
  const after = toWorld(zoomAt(t, at, 1.5), at);
  assert.ok(Math.abs(before.x - after.x) < 1e-9 && Math.abs(before.y - after.y) < 1e-9);
});

test("bounds wraps boxes", () => {
  assert.deepEqual(bounds([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }]), { x: 0, y: -5, width: 25, height: 15 });
});

test("readableFit is fitTransform when the drawing fits at a readable scale", () => {
  const box = { x: 0, y: 0, width: 400, height: 200 };
  const view = { width: 1000, height: 800 };
  assert.deepEqual(readableFit(box, view, { x: 400, y: 100 }), fitTransform(box, view));
});

test("readableFit keeps a long drawing readable with its output in view", () => {
  const box = { x: 10, y: 0, width: 5000, height: 300 };
  const view = { width: 1000, height: 800 };
  const t = readableFit(box, view, { x: 5000, y: 150 }, 40, 0.8);
  assert.equal(t.k, 0.8);
  assert.equal(5010 * t.k + t.x, 1000 - 40); // the right end, with the output, at the right padding
  assert.equal(t.y, (800 - 300 * 0.8) / 2); // the height fits: centred
});

test("readableFit centres the focus when it lies inside a huge drawing", () => {
  const t = readableFit({ x: 0, y: 0, width: 10000, height: 10000 }, { width: 1000, height: 800 }, { x: 5000, y: 5000 }, 40, 0.8);
  assert.deepEqual(toWorld(t, { x: 500, y: 400 }), { x: 5000, y: 5000 });
});

test("wireBox holds every point of a wire's curve, and of its route", () => {
  for (const [a, b] of [[{ x: 0, y: 0 }, { x: 300, y: 120 }], [{ x: 200, y: 50 }, { x: 40, y: -80 }], [{ x: 0, y: 0 }, { x: 10, y: 0 }]]) {
    const box = wireBox(null, a, b);
    const [c1x, c1y, c2x, c2y] = curvePath(a, b).match(/-?[\d.]+/g).map(Number).slice(2, 6); // "M a C c1 c2 b"
    for (let i = 0; i <= 50; i++) {
      const t = i / 50;
      const u = 1 - t;
      const x = u ** 3 * a.x + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t ** 3 * b.x;
      const y = u ** 3 * a.y + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t ** 3 * b.y;
      assert.ok(x >= box.x - 0.01 && x <= box.x + box.width + 0.01, `x ${x} at t=${t}`);
      assert.ok(y >= box.y - 0.01 && y <= box.y + box.height + 0.01, `y ${y} at t=${t}`);
    }
  }
  const route = [{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 50, y: -40 }, { x: 90, y: -40 }];
  assert.deepEqual(wireBox(route, route[0], route[3]), { x: 0, y: -40, width: 90, height: 40 });
});
