/**
 * Paces a write that may be frequent or costly, such as the address bar's:
 * browsers refuse history updates past a rate (Safari throws after 100 in 30 s,
 * a slider's drag asks for dozens a second), and a 5,000-gate circuit's link
 * costs some 180 ms to write. A request is written at once while writes are
 * few and cheap; otherwise one write is scheduled, spaced from the last by
 * `spacing` ms or five times its cost, and it writes whatever is current then,
 * covering every request made meanwhile. No DOM: the clock and timer are given.
 * @module pace
 */

/**
 * @typedef {object} PaceOptions
 * @property {number} [burst]  writes allowed at once within `window` ms
 * @property {number} [window]
 * @property {number} [spacing]  ms between paced writes
 * @property {number} [costly]  a write that took this many ms or more paces the next
 * @property {() => number} [clock]
 * @property {(run: () => void, ms: number) => unknown} [later]
 * @property {(timer: unknown) => void} [cancel]
 */

export class Pacer {
  /**
   * @param {() => void} write
   * @param {PaceOptions} [options]
   */
  constructor(write, { burst = 20, window = 10_000, spacing = 500, costly = 50, clock = () => performance.now(), later = (run, ms) => setTimeout(run, ms), cancel = (t) => clearTimeout(/** @type {number} */ (t)) } = {}) {
    this.write = write;
    this.limits = { burst, window, spacing, costly };
    this.clock = clock;
    this.later = later;
    this.cancel = cancel;
    /** @type {number[]} when the recent writes ran */
    this.times = [];
    this.cost = 0;
    /** @type {unknown} */
    this.timer = null;
  }

  /** Write now, or make sure a write is scheduled. */
  request() {
    if (this.timer !== null) return;
    const now = this.clock();
    const { burst, window, spacing, costly } = this.limits;
    this.times = this.times.filter((t) => now - t < window);
    if (this.times.length < burst && this.cost < costly) {
      this.run();
      return;
    }
    const last = this.times.at(-1) ?? now;
    const wait = Math.max(0, last + Math.max(spacing, 5 * this.cost) - now);
    this.timer = this.later(() => {
      this.timer = null;
      this.run();
    }, wait);
  }

  /** Run a scheduled write now (the page is being left). */
  flush() {
    if (this.timer === null) return;
    this.cancel(this.timer);
    this.timer = null;
    this.run();
  }

  /** @private */
  run() {
    const start = this.clock();
    this.write();
    this.cost = this.clock() - start;
    this.times.push(start);
  }
}
