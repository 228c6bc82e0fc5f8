import { test } from "node:test";
import assert from "node:assert/strict";
import { Pacer } from "../../static/js/state/pace.js";

/** A fake clock and timer queue; each write takes `cost` ms of the clock. */
function harness({ cost = 1, ...options } = {}) {
  const world = { now: 0, timers: [], writes: [] };
  const pacer = new Pacer(
    () => {
      world.writes.push(world.now);
      world.now += cost;
    },
    {
      ...options,
      clock: () => world.now,
      later: (run, ms) => {
        const timer = { run, at: world.now + ms };
        world.timers.push(timer);
        return timer;
      },
      cancel: (timer) => world.timers.splice(world.timers.indexOf(timer), 1),
    },
  );
  const advance = (ms) => {
    const until = world.now + ms;
    for (;;) {
      const due = world.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      world.timers.splice(world.timers.indexOf(due), 1);
      world.now = Math.max(world.now, due.at);
      due.run();
    }
    world.now = Math.max(world.now, until);
  };
  return { world, pacer, advance };
}

test("few cheap writes run at once", () => {
  const { world, pacer, advance } = harness();
  for (let k = 0; k < 5; k++) {
    pacer.request();
    advance(100);
  }
  assert.equal(world.writes.length, 5);
  assert.equal(world.timers.length, 0);
});

test("past the burst, one paced write covers every request made meanwhile", () => {
  const { world, pacer, advance } = harness({ burst: 20, window: 10_000, spacing: 500 });
  for (let k = 0; k < 20; k++) {
    pacer.request();
    advance(10);
  }
  assert.equal(world.writes.length, 20);
  for (let k = 0; k < 30; k++) {
    pacer.request(); // a slider's drag: a request every 10 ms
    advance(10);
  }
  assert.equal(world.writes.length, 20); // waiting, however many requests come
  advance(500);
  assert.equal(world.writes.length, 21); // one more, 500 ms after the last
  assert.equal(world.writes[20] - world.writes[19], 500);
  advance(10_000); // the window passes: at once again
  pacer.request();
  assert.equal(world.writes.at(-1), world.now - 1);
});

test("a sustained drag stays under Safari's 100 history updates in 30 s", () => {
  const { world, pacer, advance } = harness();
  for (let t = 0; t < 30_000; t += 16) {
    pacer.request();
    advance(16);
  }
  advance(1_000);
  assert.ok(world.writes.length < 100, `${world.writes.length} writes`);
  assert.ok(world.writes.length > 50, "the link kept following the drag");
});

test("a costly write spaces the next by five times its cost", () => {
  const { world, pacer, advance } = harness({ cost: 180 });
  pacer.request();
  assert.equal(world.writes.length, 1);
  pacer.request();
  assert.equal(world.writes.length, 1);
  advance(899 - 180);
  assert.equal(world.writes.length, 1);
  advance(1);
  assert.deepEqual(world.writes, [0, 900]);
});

test("flush runs a scheduled write at once, and only once", () => {
  const { world, pacer, advance } = harness({ cost: 100 });
  pacer.request();
  pacer.request();
  pacer.flush();
  assert.equal(world.writes.length, 2);
  advance(5_000);
  assert.equal(world.writes.length, 2);
  pacer.flush();
  assert.equal(world.writes.length, 2);
});
