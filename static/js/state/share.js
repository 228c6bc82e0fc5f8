/**
 * Saving for a link: the circuit as the contract writes it (version, `ui`
 * positions, title) goes to POST /api/circuits; an edited saved circuit is
 * saved as a fork that names its parent. A save becomes the open circuit's
 * source (the address bar shows /c/<id>) and joins "My circuits". Refusals
 * come back in plain words, with how long to wait when the server says. No DOM.
 * @module share
 */

import { toCircuit } from "./circuit.js";
import { remember } from "./mine.js";

/** @typedef {import("./store.js").Store} Store */
/** @typedef {ReturnType<typeof import("./api.js").createApi>} Api */
/** @typedef {import("./api.js").Answer<any>} Answer */
/** @typedef {{ok: true, id: string, url: string, listed: boolean} | {ok: false, msg: string}} Saved  `listed`: it joined My circuits */

/**
 * @param {Store} store
 * @param {Api} api
 * @param {import("./mine.js").Shelf} storage
 * @param {string} title  empty for none
 * @returns {Promise<Saved>}
 */
export async function saveCircuit(store, api, storage, title) {
  const model = store.state.model;
  const circuit = toCircuit({ ...model, title: title || undefined });
  const source = model.source;
  const parent = source.kind === "saved" ? source.id : source.kind === "circuit" ? source.parent : undefined;
  const answer = await api.save({ circuit, title: title || null, ...(parent ? { parent } : {}) });
  if (!answer.ok) return { ok: false, msg: whyNotSaved(answer) };
  const { id, url } = answer.data;
  store.applyQuietly({ type: "batch", records: [{ type: "set_title", title: title || null }, { type: "set_source", source: { kind: "saved", id } }] });
  const listed = remember(storage, { id, title: title || "Untitled circuit", created: new Date().toISOString() });
  return { ok: true, id, url, listed };
}

/**
 * A refused save in plain words.
 * @param {Answer} answer
 * @returns {string}
 */
export function whyNotSaved(answer) {
  if (answer.ok) return "";
  const said = answer.errors[0]?.msg ?? "";
  const wait = answer.retryAfter === undefined ? "" : ` Try again in ${answer.retryAfter} s.`;
  if (answer.status === 0) return `Not saved: ${said}`;
  if (answer.status === 429) return `Not saved: too many saves from this browser in a short time.${wait || " Try again in a minute."}`;
  if (answer.status === 503) return `Not saved: the database is not answering (${said}).${wait}`;
  if (answer.status === 413) return `Not saved: the circuit is too large to store (${said}).`;
  return `Not saved: ${said}`;
}
