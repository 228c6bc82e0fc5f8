/**
 * A link that needs no server storage: the circuit, compressed with the
 * browser's own CompressionStream ("deflate-raw") and written in base64url,
 * rides in the URL hash after a versioned prefix (`#c1.`). No DOM.
 * @module hashlink
 */

import { checkCircuit } from "./files.js";

/** The hash's prefix; a later encoding gets a new number and this one keeps opening. */
export const HASH_PREFIX = "#c1.";
/** Longer links are cut short by mail and chat programs: past this, offer a stored link. */
export const MAX_HASH_CHARS = 4000;

/**
 * The hash for a circuit, or null when it is over MAX_HASH_CHARS.
 * @param {object} circuit
 * @returns {Promise<string | null>}
 */
export async function encodeHash(circuit) {
  const bytes = new TextEncoder().encode(JSON.stringify(circuit));
  const packed = await pipe(bytes, new CompressionStream("deflate-raw"));
  const hash = `${HASH_PREFIX}${toBase64Url(packed)}`;
  return hash.length > MAX_HASH_CHARS ? null : hash;
}

/**
 * The circuit in a hash: null when the hash holds none, else a circuit or what is wrong.
 * @param {string} hash  location.hash
 * @returns {Promise<{ok: true, circuit: any} | {ok: false, msg: string} | null>}
 */
export async function decodeHash(hash) {
  if (!hash.startsWith(HASH_PREFIX)) return null;
  let circuit;
  try {
    const bytes = await pipe(fromBase64Url(hash.slice(HASH_PREFIX.length)), new DecompressionStream("deflate-raw"));
    circuit = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, msg: "The link's circuit cannot be read: the link may be cut short." };
  }
  const wrong = checkCircuit(circuit);
  return wrong ? { ok: false, msg: `The link's circuit cannot be opened: ${wrong}.` } : { ok: true, circuit };
}

/**
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {CompressionStream | DecompressionStream} stream
 * @returns {Promise<Uint8Array>}
 */
async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * @param {string} text
 * @returns {Uint8Array<ArrayBuffer>}
 */
function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
