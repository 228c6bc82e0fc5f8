/**
 * The backward pass as an animation over the state's `step`: play, pause,
 * step, step back, reset, speed. The player holds nothing of its own but a
 * timer; the step, whether it plays and the speed live in the state. No DOM.
 * @module player
 */

/** @typedef {import("../state/store.js").Store} Store */

export class Player {
  /**
   * @param {Store} store
   * @param {number} [interval]  ms per step at speed 1
   */
  constructor(store, interval = 1300) {
    this.store = store;
    this.interval = interval;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
    store.subscribe((state, touched) => {
      if (touched.has("step") || touched.has("result")) this.schedule();
    });
  }

  get last() {
    return Math.max(0, this.store.state.steps.length - 1);
  }

  /** @param {number} index */
  go(index) {
    this.store.update({ step: Math.min(this.last, Math.max(0, index)), playing: false }, ["step"]);
  }

  next() {
    this.go(this.store.state.step + 1);
  }

  prev() {
    this.go(this.store.state.step - 1);
  }

  reset() {
    this.go(0);
  }

  end() {
    this.go(this.last);
  }

  toggle() {
    const { playing, step } = this.store.state;
    if (playing) return this.store.update({ playing: false }, ["step"]);
    if (!this.store.state.steps.length) return;
    this.store.update({ playing: true, step: step >= this.last ? 0 : step }, ["step"]);
  }

  /** @param {number} speed */
  setSpeed(speed) {
    this.store.update({ speed }, ["player"]);
  }

  /** While playing, the next step follows after an interval; it stops at the end. */
  schedule() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const { playing, speed } = this.store.state;
    if (!playing) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const step = this.store.state.step + 1;
      this.store.update({ step: Math.min(step, this.last), playing: step < this.last }, ["step"]);
    }, this.interval / speed);
  }
}
