/**
 * ELK off the main thread. index.html loads the vendored elk-api.js (a UMD
 * file, with a classic deferred <script> that sets the global ELK), which hands
 * each layout to a Web Worker running elk-worker.min.js: a layout of thousands
 * of gates leaves the page answering. Where no worker starts, or its script
 * fails to load, the in-page elk.bundled.js is loaded instead, with a warning
 * in the console. Layouts that a newer one makes moot are superseded: their
 * promises reject with Superseded, and a worker busy with a large one is ended
 * and a fresh one started rather than waited for.
 * @module elk
 */

const VENDOR = "/vendor/elkjs-0.12.1";
/** A stale layout of more nodes than this ends its worker: starting another is cheaper than waiting. */
export const RECYCLE_ABOVE = 500;

/** What a superseded layout's promise rejects with. */
export class Superseded extends Error {
  constructor() {
    super("a newer layout superseded this one");
    this.name = "Superseded";
  }
}

/** @typedef {{layout: (graph: any) => Promise<any>, terminateWorker?: () => void}} ElkInstance */
/** @typedef {{graph: any, resolve: (result: any) => void, reject: (error: unknown) => void}} Job */
/**
 * @typedef {object} EngineOptions
 * @property {any} [Api]  elk-api's ELK class (the global one by default)
 * @property {(url: string) => any} [workerFactory]  makes the worker (a Web Worker by default)
 * @property {() => Promise<ElkInstance>} [inPage]  an ELK that lays out in this thread, for when no worker starts
 */

export class LayoutEngine {
  /** @param {EngineOptions} [options] */
  constructor({ Api = /** @type {any} */ (globalThis).ELK, workerFactory = (url) => new Worker(url), inPage = loadBundle } = {}) {
    this.Api = Api;
    this.workerFactory = workerFactory;
    this.inPage = inPage;
    /** @type {Set<Job>} */
    this.jobs = new Set();
    /** Whether layouts run in a worker (false once it failed and the page lays out itself). */
    this.threaded = true;
    /** @type {ElkInstance | Promise<ElkInstance>} */
    this.elk = this.spawn();
  }

  /**
   * Lay out an ELK graph.
   * @param {any} graph
   * @returns {Promise<any>}  the laid-out graph, or a Superseded rejection
   */
  layout(graph) {
    return new Promise((resolve, reject) => {
      const job = { graph, resolve, reject };
      this.jobs.add(job);
      this.run(job);
    });
  }

  /** Every layout asked for so far is moot: reject them, and end a worker busy with a large one. */
  supersede() {
    const large = [...this.jobs].some((job) => job.graph.children.length > RECYCLE_ABOVE);
    for (const job of this.jobs) job.reject(new Superseded());
    this.jobs.clear();
    if (large && this.threaded) {
      /** @type {ElkInstance} */ (this.elk).terminateWorker?.();
      this.elk = this.spawn();
    }
  }

  /** @param {Job} job */
  async run(job) {
    const elk = this.elk;
    try {
      const result = await (await elk).layout(job.graph);
      if (this.jobs.delete(job)) job.resolve(result);
    } catch (error) {
      if (elk === this.elk && this.jobs.delete(job)) job.reject(error);
    }
  }

  /** @returns {ElkInstance | Promise<ElkInstance>} */
  spawn() {
    try {
      const factory = (/** @type {string} */ url) => {
        const worker = this.workerFactory(url);
        worker.addEventListener?.("error", () => this.fallBack("its script did not load"));
        return worker;
      };
      return new this.Api({ workerUrl: `${VENDOR}/elk-worker.min.js`, workerFactory: factory, algorithms: ["layered"] });
    } catch (error) {
      return this.fallBack(String(error));
    }
  }

  /**
   * No worker: lay out in the page from now on, the layouts asked for included.
   * @param {string} why
   * @returns {Promise<ElkInstance>}
   */
  fallBack(why) {
    console.warn(`The layout runs in the page (the page pauses during a large one): no Web Worker, ${why}`);
    this.threaded = false;
    const elk = this.inPage();
    this.elk = elk;
    for (const job of this.jobs) this.run(job);
    return elk;
  }
}

/**
 * The in-page ELK: elk.bundled.js, loaded on demand (it sets the global ELK again).
 * @returns {Promise<ElkInstance>}
 */
function loadBundle() {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = `${VENDOR}/elk.bundled.js`;
    script.onload = () => resolve(new (/** @type {any} */ (globalThis).ELK)());
    script.onerror = () => reject(new Error("elk.bundled.js did not load: the layout library is missing"));
    document.head.append(script);
  });
}
