/**
 * ES-module face of the vendored elk.bundled.js (a UMD file): index.html loads
 * it with a classic deferred <script>, which sets the global ELK before any
 * module runs.
 * @module elk-shim
 */

const ELK = /** @type {any} */ (globalThis).ELK;
if (!ELK) throw new Error("elk.bundled.js did not load: the layout library is missing");

export default ELK;
