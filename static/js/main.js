/**
 * Wiring only: one store, the session that talks to the server, and every view
 * following the store; then open what the URL asks.
 * @module main
 */

import { engine } from "./diagram/engine.js";
import { createApi } from "./state/api.js";
import { Store } from "./state/store.js";
import { Session } from "./state/session.js";
import { Comparer } from "./state/compare.js";
import * as intents from "./state/intents.js";
import { readQuery } from "./state/url.js";
import { byId } from "./dom.js";
import { Viewport } from "./diagram/viewport.js";
import { DiagramView } from "./diagram/view.js";
import { attachGestures } from "./diagram/gestures.js";
import { freeSpot } from "./diagram/layout.js";
import { mountInputs } from "./panels/inputs.js";
import { mountPalette } from "./panels/palette.js";
import { mountReadout } from "./panels/readout.js";
import { mountInspector } from "./panels/inspector.js";
import { mountSource } from "./panels/source.js";
import { mountToolbar, toggleView } from "./panels/toolbar.js";
import { mountTabs } from "./panels/tabs.js";
import { mountQuiz } from "./panels/quiz.js";
import { mountLessons } from "./panels/lessons.js";
import { attachAnswering } from "./diagram/ask.js";
import { mountMatrix } from "./panels/matrix.js";
import { mountShare } from "./panels/share.js";
import { mountFiles } from "./panels/files.js";
import { mountCode } from "./panels/code.js";
import { mountCheck } from "./panels/check.js";
import { CheckSession } from "./state/check.js";
import { Player } from "./player/player.js";
import { bindKeys, mountPlayerBar } from "./player/controls.js";

/** What a plain visit opens: the notes' first circuit, (x + y) z. */
const FIRST_EXAMPLE = "add-mul";

const canvas = /** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId("canvas")));
const root = /** @type {SVGGElement} */ (/** @type {unknown} */ (byId("viewport")));
const store = new Store();
const api = createApi();
const session = new Session(store, api);
new Comparer(store, api);
const checks = new CheckSession(store, api);
const viewport = new Viewport(canvas, root);
const diagram = new DiagramView(root, engine, viewport);
const player = new Player(store);

const undo = () => store.undo();
const redo = () => store.redo();
const remove = () => run(intents.removeSelection(store.state));
const fit = () => diagram.fit(store.state);
const tidy = () => {
  diagram.tidy();
  const record = intents.tidy(store.state);
  if (record) store.dispatch(record);
  else store.update({}, ["positions"]);
};

mountToolbar(store, { undo, redo, clear: () => session.newCircuit() });
mountTabs(store);
mountShare(store, api, { canvas, root, extent: () => diagram.extent(store.state) });
mountFiles(store, session);
diagram.follow(store);
mountSource(store, session);
mountInputs(store);
mountPalette(store, (leaf) => freeSpot(diagram.scene, leaf));
mountReadout(store);
mountInspector(store, remove);
mountQuiz(store);
mountLessons(store, session, storage());
attachAnswering(canvas, store);
mountMatrix(store);
mountCode(store);
mountCheck(store);
mountPlayerBar(store, player);
bindKeys(player, { Delete: remove, Backspace: remove, f: fit, l: tidy, Escape: () => select(null), p: () => toggleView(store, "presentation") }, { undo, redo });
for (const [id, action] of /** @type {[string, () => void][]} */ ([["fit", fit], ["tidy", tidy], ["zoom-in", () => viewport.zoom(1.25)], ["zoom-out", () => viewport.zoom(0.8)]])) {
  byId(id).addEventListener("click", action);
}
attachGestures(canvas, root, {
  world: (e) => viewport.world(e),
  placeOf: (id) => diagram.scene.nodes.get(id) ?? { x: 0, y: 0 },
  preview: (id, at) => store.update({ drag: { id, at } }, ["drag"]),
  move: (id, to) => {
    store.update({ drag: null }, []);
    store.dispatch({ type: "move", positions: { [id]: to } });
  },
  connect: (source, target, port) => {
    const answer = intents.connect(store.state, source, target, port);
    if (answer && "record" in answer) store.dispatch(answer.record);
    else if (answer) store.update({ problem: { msg: answer.refusal, kind: "error", nodes: new Map() } }, ["problem"]);
  },
  select,
  selectBox: (box) => store.update({ selection: intents.boxSelection(store.state, [...diagram.scene.nodes.values()], box) }, ["selection"]),
});

/** @type {any} */ (window).backprop = { store, session, checks, diagram, viewport, player }; // for the console and the browser tests

/** The browser's localStorage, or null where reading it is refused. */
function storage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * @param {import("./state/store.js").Selection} selection
 * @param {boolean} [extend]  shift-click: add to the selection
 */
function select(selection, extend = false) {
  if (extend && selection?.kind === "node") return store.update({ selection: intents.extendSelection(store.state, selection.id) }, ["selection"]);
  const record = intents.outputFromClick(store.state, selection);
  if (record) store.dispatch(record);
  store.update({ selection }, ["selection"]);
}

/** @param {import("./state/commands.js").Command | null} record */
function run(record) {
  if (record) store.dispatch(record);
}

/**
 * Open what the address asked: a circuit in the hash, a saved one, an expression, an example.
 * @param {import("./state/url.js").Request} request
 * @param {string} hash
 */
async function openAddress(request, hash) {
  if (await session.openHash(hash)) return;
  if (request.kind === "expr") await session.openExpression(request.expr, request.values);
  else if (request.kind === "example") session.openExample(request.id, request.values);
  else if (request.kind === "circuit") session.openCircuit(request.circuit, request.from);
  else if (request.kind === "saved") await session.openSaved(request.id, request.values);
  else if (store.state.catalog.examples.some((e) => e.id === FIRST_EXAMPLE)) session.openExample(FIRST_EXAMPLE);
  else store.update({}, ["structure"]);
}

// read the address before anything draws: the address bar follows the state from then on
const request = readQuery(window.location.search, window.location.pathname);
const hash = window.location.hash;
if (new URLSearchParams(window.location.search).has("large")) toggleView(store, "large");
await session.loadCatalog();
await openAddress(request, hash);
