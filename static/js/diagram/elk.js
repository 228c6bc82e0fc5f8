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
    /** @type {Job[]} the first is with ELK, the others wait their turn */
    this.jobs = [];
    /** Whether layouts run in a worker (false once it failed and the page lays out itself). */
    this.threaded = true;
    /** @type {Promise<ElkInstance> | null} the in-page ELK, once a layout needed it */
    this.pageElk = null;
    /** @type {ElkInstance | Promise<ElkInstance>} */
    this.elk = this.spawn();
  }

  /**
   * Lay out an ELK graph. The worker gets one layout at a time, so layouts
   * superseded before their turn never run.
   * @param {any} graph
   * @returns {Promise<any>}  the laid-out graph, or a Superseded rejection
   */
  layout(graph) {
    return new Promise((resolve, reject) => {
      this.jobs.push({ graph, resolve, reject });
      if (this.jobs.length === 1) this.run(this.jobs[0]);
    });
  }

  /** Every layout asked for so far is moot: reject them, and end a worker busy with a large one. */
  supersede() {
    const running = this.jobs[0];
    for (const job of this.jobs) job.reject(new Superseded());
    this.jobs = [];
    if (running?.graph.children.length > RECYCLE_ABOVE && this.threaded) {
      /** @type {ElkInstance} */ (this.elk).terminateWorker?.();
      this.elk = this.spawn();
    }
  }

  /**
   * Post a job; when it answers (unless superseded meanwhile), settle it and post the next.
   * @param {Job} job
   */
  async run(job) {
    const elk = this.elk;
    /** @type {() => void} */
    let settle;
    try {
      const result = await (elk instanceof Promise ? elk.then((ready) => ready.layout(job.graph)) : elk.layout(job.graph));
      settle = () => job.resolve(result);
    } catch (error) {
      if (elk !== this.elk) return; // a worker that failed or was ended: the job runs elsewhere or is moot
      settle = await this.retryInPage(job, error);
    }
    if (this.jobs[0] !== job) return;
    this.jobs.shift();
    settle();
    if (this.jobs.length) this.run(this.jobs[0]);
  }

  /**
   * A worker's stack is smaller than the page's: ELK's recursion on a circuit of
   * thousands of gates can overflow it (now and then, as the JIT varies). Such a
   * layout runs once more in the page, which pauses for it; any other error stands.
   * @param {Job} job
   * @param {unknown} error
   * @returns {Promise<() => void>}  what settles the job
   */
  async retryInPage(job, error) {
    const overflow = /call stack/i.test(String(/** @type {any} */ (error)?.message ?? error));
    if (!overflow || !this.threaded) return () => job.reject(error);
    console.warn("The layout ran out of stack in its worker: laying it out in the page");
    this.pageElk ??= this.inPage();
    try {
      const result = await (await this.pageElk).layout(job.graph);
      return () => job.resolve(result);
    } catch (again) {
      return () => job.reject(again);
    }
  }

  /** @returns {ElkInstance | Promise<ElkInstance>} */
  spawn() {
    try {
      const factory = (/** @type {string} */ url) => {
        const worker = this.workerFactory(url);
        worker.addEventListener?.("error", () => this.threaded && this.fallBack("its script did not load"));
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
    if (this.jobs.length) this.run(this.jobs[0]);
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
