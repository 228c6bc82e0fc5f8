/**
 * The page's one layout engine. index.html runs this module on its own before
 * main.js, so ELK's worker loads and compiles while the page's other modules
 * are still arriving; main.js imports the same instance.
 * @module engine
 */

import { LayoutEngine } from "./elk.js";

export const engine = new LayoutEngine();
