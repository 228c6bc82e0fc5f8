/**
 * Undo/redo as two lists of plain records: each entry is the record that was
 * applied and the record that undoes it, so the history prints as JSON and
 * replays to the same circuit. No DOM.
 * @module history
 */

/** @typedef {import("./commands.js").Command} Command */
/** @typedef {{record: Command, inverse: Command, label: string}} Entry */

/** Edits of one value within this many ms fold into one undo step. */
const FOLD_MS = 1000;

export class History {
  /** @param {number} [limit]  oldest steps are dropped past this */
  constructor(limit = 500) {
    this.limit = limit;
    /** @type {Entry[]} */
    this.done = [];
    /** @type {Entry[]} */
    this.undone = [];
    this.lastAt = 0;
  }

  /**
   * Command an applied edit; typing into one field folds into one step.
   * @param {Entry} entry
   * @param {number} [now]
   */
  push(entry, now = Date.now()) {
    const last = this.done.at(-1);
    if (last && now - this.lastAt < FOLD_MS && folds(last.record, entry.record)) {
      last.record = entry.record;
    } else {
      this.done.push(entry);
      if (this.done.length > this.limit) this.done.shift();
    }
    this.undone = [];
    this.lastAt = now;
  }

  /** @returns {Entry | undefined} the entry to undo (its inverse is applied by the caller) */
  undo() {
    const entry = this.done.pop();
    if (entry) this.undone.push(entry);
    this.lastAt = 0;
    return entry;
  }

  /** @returns {Entry | undefined} the entry to redo */
  redo() {
    const entry = this.undone.pop();
    if (entry) this.done.push(entry);
    return entry;
  }

  get canUndo() {
    return this.done.length > 0;
  }

  get canRedo() {
    return this.undone.length > 0;
  }

  /** The applied records, oldest first: replayed on the first circuit they give the current one. */
  records() {
    return this.done.map((entry) => entry.record);
  }
}

/**
 * @param {Command} a
 * @param {Command} b
 */
function folds(a, b) {
  return a.type === "set_value" && b.type === "set_value" && a.node === b.node;
}

/**
 * What an undo button says about a record.
 * @param {Command} record
 * @returns {string}
 */
export function describe(record) {
  switch (record.type) {
    case "set_value":
    case "set_param":
      return `set ${record.node}${record.type === "set_param" ? `.${record.name}` : ""}`;
    case "add_node":
      return `add ${record.node.id}`;
    case "remove_node":
      return `delete ${record.node}`;
    case "set_inputs":
      return `rewire ${record.node}`;
    case "move":
      return Object.keys(record.positions).length === 1 ? `move ${Object.keys(record.positions)[0]}` : "tidy up";
    case "set_output":
      return record.node ? `make ${record.node} the output` : "clear the output";
    case "open":
      return "open circuit";
    case "group":
      return record.node.op === "group" ? `group ${record.node.name ?? record.node.id}` : `collapse ${record.node.id}`;
    case "expand":
      return `expand ${record.node}`;
    case "set_title":
      return "rename";
    default:
      return "edit";
  }
}
