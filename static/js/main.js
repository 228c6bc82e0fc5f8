/**
 * Wiring only: build the parts, connect buttons and keys, open what the URL asks.
 * @module main
 */

import ELK from "elk";
import { createApi } from "./api.js";
import { App } from "./app.js";
import { byId } from "./dom.js";
import { attachEditing } from "./editing.js";
import { gateTable } from "./gates.js";
import { renderExamples, renderPalette, showExample, showMessage } from "./panels.js";
import { readQuery } from "./url.js";
import { Viewport } from "./viewport.js";
import { bindKeys, bindPlayer } from "./controls.js";

/** What a plain visit opens: the notes' first circuit, (x + y) z. */
const FIRST_EXAMPLE = "add-mul";

const canvas = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId("canvas")));
const root = /** @type {SVGGElement} */ (/** @type {unknown} */ (byId("viewport")));
const viewport = new Viewport(canvas, root);
const app = new App({ api: createApi(), elk: new ELK(), root, viewport });
/** @type {any} */ (window).backprop = app; // for the console and the browser tests

attachEditing(canvas, root, {
  world: (e) => viewport.world(e),
  placeOf: (id) => app.scene.nodes.get(id) ?? { x: 0, y: 0 },
  preview: (id, at) => app.edits.preview(id, at),
  move: (id, from, to) => app.edits.move(id, from, to),
  connect: (source, target, port) => app.edits.connect(source, target, port),
  select: (selection) => app.select(selection),
});
bindPlayer(app);
bindKeys(app);

byId("expr-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const expr = /** @type {HTMLInputElement} */ (byId("expr")).value.trim();
  if (expr) void app.openExpression(expr);
});

await start();

/** Load the gate table and examples, then open what the URL names. */
async function start() {
  const [gates, examples] = await Promise.all([app.api.gates(), app.api.examples()]);
  if (gates.ok) {
    app.gates = gateTable(gates.data);
    renderPalette([...app.gates.values()], (gate) => void app.edits.addGate(gate));
  }
  if (examples.ok) {
    app.examples = examples.data.examples;
    renderExamples(app.examples, (id) => void app.openExample(id));
  }
  if (!gates.ok || !examples.ok) showMessage("The server did not answer; is it running?", { error: true });
  await openFromUrl();
}

async function openFromUrl() {
  const request = readQuery(window.location.search);
  if (request.kind === "expr") {
    /** @type {HTMLInputElement} */ (byId("expr")).value = request.expr;
    return app.openExpression(request.expr, request.values);
  }
  if (request.kind === "example") {
    showExample(request.id);
    return app.openExample(request.id, request.values);
  }
  if (request.kind === "circuit") return app.edits.openCircuit(request.circuit);
  if (app.examples.some((e) => e.id === FIRST_EXAMPLE)) {
    showExample(FIRST_EXAMPLE);
    return app.openExample(FIRST_EXAMPLE);
  }
  showMessage("Type an expression and press Enter, pick an example, or add gates from the palette.");
}
