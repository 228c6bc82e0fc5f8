/**
 * "My circuits": the circuits this browser saved, newest first, kept in local
 * storage under a versioned key. Storage that does not hold a readable list
 * (another version, a hand edit, a full or blocked storage) reads as an empty
 * list and is never trusted beyond the fields checked here. No DOM: the
 * storage is passed in.
 * @module mine
 */

/** The key; a new layout of the entries gets a new one. */
export const MINE_KEY = "backprop-circuits.mine.v1";
/** The oldest entries are dropped past this. */
const MAX_ENTRIES = 200;

/** @typedef {{id: string, title: string, created: string}} Mine */
/** @typedef {Pick<Storage, "getItem" | "setItem">} Shelf */

/**
 * @param {Shelf} storage
 * @returns {Mine[]}
 */
export function readMine(storage) {
  let list;
  try {
    list = JSON.parse(storage.getItem(MINE_KEY) ?? "[]");
  } catch {
    return [];
  }
  return Array.isArray(list) ? list.filter(isEntry) : [];
}

/**
 * Put a saved circuit at the top of the list; answers whether storage took it.
 * @param {Shelf} storage
 * @param {Mine} entry
 * @returns {boolean}
 */
export function remember(storage, entry) {
  const list = [entry, ...readMine(storage).filter((e) => e.id !== entry.id)].slice(0, MAX_ENTRIES);
  return write(storage, list);
}

/**
 * Take a circuit off the list (it stays saved on the server).
 * @param {Shelf} storage
 * @param {string} id
 * @returns {boolean}
 */
export function forget(storage, id) {
  return write(storage, readMine(storage).filter((e) => e.id !== id));
}

/**
 * @param {Shelf} storage
 * @param {Mine[]} list
 * @returns {boolean}
 */
function write(storage, list) {
  try {
    storage.setItem(MINE_KEY, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/**
 * @param {any} entry
 * @returns {entry is Mine}
 */
function isEntry(entry) {
  return !!entry && typeof entry.id === "string" && /^[\w-]+$/.test(entry.id) && typeof entry.title === "string" && typeof entry.created === "string";
}
