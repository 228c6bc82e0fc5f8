import { notesModel } from "./fixtures/circuits.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { elkGraph } from "../../static/js/diagram/layout.js";
import { LayoutEngine, RECYCLE_ABOVE, Superseded } from "../../static/js/diagram/elk.js";

const require = createRequire(import.meta.url);
const VENDOR = "../../static/vendor/elkjs-0.12.1";
const Api = require(`${VENDOR}/elk-api.js`);
const Bundled = require(`${VENDOR}/elk.bundled.js`);
/** elk-worker.min.js outside a worker exports its dispatcher as a worker-shaped class. */
const { Worker: InThread } = require(`${VENDOR}/elk-worker.min.js`);

/** A Web Worker's face over the real ELK worker code: layouts can be held, the worker failed or ended. */
class TestWorker {
  constructor(url, hold) {
    this.url = url;
    this.hold = hold;
    this.held = [];
    this.listeners = [];
    this.terminated = false;
    this.inner = new InThread(url);
    this.inner.onmessage = (message) => this.onmessage(message);
  }
  postMessage(message) {
    if (this.hold && message.cmd === "layout") this.held.push(message);
    else if (this.overflow && message.cmd === "layout") this.answerOverflow(message);
    else this.inner.postMessage(message);
  }
  /** Answer as a worker whose stack ELK's recursion overflowed: the RangeError, cloned. */
  answerOverflow(message) {
    this.layouts = (this.layouts ?? 0) + 1;
    this.onmessage({ data: { id: message.id, error: new RangeError(this.overflow) } });
  }
  release() {
    this.hold = false;
    for (const message of this.held.splice(0)) this.inner.postMessage(message);
  }
  addEventListener(type, listener) {
    if (type === "error") this.listeners.push(listener);
  }
  fail() {
    for (const listener of this.listeners) listener({ type: "error" });
  }
  terminate() {
    this.terminated = true;
  }
}

/** An engine over test workers (held ones if `hold`), with the workers it made and its warnings. */
function engine({ hold = false, factory = undefined, overflow = undefined } = {}) {
  const workers = [];
  const warnings = [];
  const pages = [];
  const inPage = async () => (pages.push(new Bundled()), pages.at(-1));
  const make = (url) => Object.assign(new TestWorker(url, hold), { overflow });
  const workerFactory = factory ?? ((url) => (workers.push(make(url)), workers.at(-1)));
  const warn = console.warn;
  console.warn = (message) => warnings.push(message);
  try {
    return { elk: new LayoutEngine({ Api, workerFactory, inPage }), workers, warnings, pages };
  } finally {
    console.warn = warn;
  }
}

const placed = (result) => result.children.every((c) => Number.isFinite(c.x) && Number.isFinite(c.y));
const large = () => ({ id: "root", children: Array.from({ length: RECYCLE_ABOVE + 1 }, (_, i) => ({ id: `n${i}`, width: 10, height: 10 })), edges: [] });

test("layouts run in a worker started from the vendored worker script", async () => {
  const { elk, workers } = engine();
  const result = await elk.layout(elkGraph(notesModel()));
  assert.ok(placed(result));
  assert.equal(workers.length, 1);
  assert.equal(workers[0].url, "/vendor/elkjs-0.12.1/elk-worker.min.js");
  assert.equal(elk.threaded, true);
});

test("where no worker can start, the page lays out itself and says so", async () => {
  const { elk, warnings } = engine({ factory: () => { throw new Error("Worker is not defined"); } });
  assert.ok(placed(await elk.layout(elkGraph(notesModel()))));
  assert.equal(elk.threaded, false);
  assert.match(warnings[0], /layout runs in the page.*Worker is not defined/);
});

test("a worker whose script fails to load hands the layouts asked for to the page", async () => {
  const { elk, workers } = engine({ hold: true });
  const pending = elk.layout(elkGraph(notesModel()));
  const warn = console.warn;
  console.warn = () => undefined;
  workers[0].fail();
  console.warn = warn;
  assert.ok(placed(await pending));
  assert.equal(elk.threaded, false);
});

test("a superseded large layout rejects and its worker is ended for a fresh one", async () => {
  const { elk, workers } = engine({ hold: true });
  const stale = elk.layout(large());
  elk.supersede();
  await assert.rejects(stale, Superseded);
  assert.equal(workers[0].terminated, true);
  assert.equal(workers.length, 2);
  const next = elk.layout(elkGraph(notesModel()));
  workers[1].release();
  assert.ok(placed(await next));
});

test("a superseded small layout rejects, its worker kept and its late answer dropped", async () => {
  const { elk, workers } = engine({ hold: true });
  const stale = elk.layout(elkGraph(notesModel()));
  elk.supersede();
  await assert.rejects(stale, Superseded);
  const next = elk.layout(elkGraph(notesModel()));
  workers[0].release();
  assert.ok(placed(await next));
  assert.equal(workers.length, 1);
  assert.equal(workers[0].terminated, false);
  assert.equal(elk.jobs.length, 0);
});

test("layouts superseded before their turn never reach the worker", async () => {
  const { elk, workers } = engine({ hold: true });
  const first = elk.layout(elkGraph(notesModel()));
  const queued = elk.layout(large());
  assert.equal(workers[0].held.length, 1);
  elk.supersede();
  await assert.rejects(first, Superseded);
  await assert.rejects(queued, Superseded);
  assert.equal(workers[0].terminated, false);
  const next = elk.layout(elkGraph(notesModel()));
  workers[0].release();
  assert.ok(placed(await next));
  assert.equal(workers[0].held.length, 0);
});

/** Run `fn` with console.warn collected into `into`. */
async function warnInto(into, fn) {
  const warn = console.warn;
  console.warn = (message) => into.push(message);
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

test("a layout that overflows the worker's stack is laid out once more in the page, and the worker stays", async () => {
  const { elk, workers, pages } = engine({ overflow: "Maximum call stack size exceeded" });
  const warnings = [];
  const result = await warnInto(warnings, () => elk.layout(elkGraph(notesModel())));
  assert.ok(placed(result));
  assert.equal(workers[0].layouts, 1);
  assert.equal(pages.length, 1);
  assert.match(warnings[0], /ran out of stack in its worker/);
  assert.equal(elk.threaded, true);
  workers[0].overflow = undefined;
  const later = [];
  assert.ok(placed(await warnInto(later, () => elk.layout(elkGraph(notesModel())))));
  assert.deepEqual(later, []); // the next layout ran in the worker again
});

test("any other failure of a layout in the worker stands: no retry in the page", async () => {
  const { elk, pages } = engine({ overflow: "Unsupported layout option" });
  await assert.rejects(elk.layout(elkGraph(notesModel())), /Unsupported layout option/);
  assert.equal(pages.length, 0);
  assert.equal(elk.jobs.length, 0);
});
