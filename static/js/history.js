/**
 * Undo/redo stacks over command objects. No DOM.
 * @module history
 */

/** @typedef {import("./commands.js").Command} Command */
/** @typedef {import("./model.js").Model} Model */

export class History {
  /**
   * @param {Model} model  the live model every command edits
   * @param {number} [limit]  oldest steps are dropped past this
   */
  constructor(model, limit = 500) {
    this.model = model;
    this.limit = limit;
    /** @type {Command[]} */
    this.done = [];
    /** @type {Command[]} */
    this.undone = [];
    /** @type {number} when the last command ran, for folding quick value edits */
    this.lastAt = 0;
  }

  /**
   * Run a command and record it.
   * @param {Command} command
   * @param {number} [now]  ms timestamp; edits of one field within a second fold into one step
   */
  execute(command, now = Date.now()) {
    command.do(this.model);
    const last = this.done.at(-1);
    const fold = last?.absorb && now - this.lastAt < 1000 && last.absorb(command);
    if (!fold) this.done.push(command);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.lastAt = now;
  }

  /** @returns {Command | undefined} the command undone */
  undo() {
    const command = this.done.pop();
    if (!command) return undefined;
    command.undo(this.model);
    this.undone.push(command);
    this.lastAt = 0;
    return command;
  }

  /** @returns {Command | undefined} the command redone */
  redo() {
    const command = this.undone.pop();
    if (!command) return undefined;
    command.do(this.model);
    this.done.push(command);
    return command;
  }

  get canUndo() {
    return this.done.length > 0;
  }

  get canRedo() {
    return this.undone.length > 0;
  }
}
