/**
 * Step through the trace: play/pause, step, step back, reset, speed. Knows
 * nothing of the DOM; it calls onChange(index) and uses timers only.
 * @module player
 */

export class Player {
  /**
   * @param {(index: number) => void} onChange
   * @param {number} [interval]  ms per step at speed 1
   */
  constructor(onChange, interval = 1300) {
    this.onChange = onChange;
    this.interval = interval;
    this.count = 1;
    this.index = 0;
    this.speed = 1;
    /** @type {ReturnType<typeof setTimeout> | null} */
    this.timer = null;
  }

  /**
   * A new script of `count` steps; show the last (everything computed).
   * @param {number} count
   */
  load(count) {
    this.pause();
    this.count = Math.max(1, count);
    this.go(this.count - 1);
  }

  get playing() {
    return this.timer !== null;
  }

  get atEnd() {
    return this.index >= this.count - 1;
  }

  /** @param {number} index */
  go(index) {
    this.index = Math.min(this.count - 1, Math.max(0, index));
    this.onChange(this.index);
  }

  next() {
    this.go(this.index + 1);
  }

  prev() {
    this.pause();
    this.go(this.index - 1);
  }

  reset() {
    this.pause();
    this.go(0);
  }

  play() {
    if (this.playing) return;
    if (this.atEnd) this.go(0);
    this.tick();
  }

  tick() {
    this.timer = setTimeout(() => {
      this.next();
      if (this.atEnd) this.pause();
      else this.tick();
    }, this.interval / this.speed);
    this.onChange(this.index);
  }

  pause() {
    if (this.timer !== null) clearTimeout(this.timer);
    const was = this.playing;
    this.timer = null;
    if (was) this.onChange(this.index);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }
}
