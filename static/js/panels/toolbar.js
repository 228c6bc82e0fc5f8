/**
 * The top bar's tools as a view of the state: undo and redo say what they
 * would undo; large text, presentation mode and patterns mode (gates labelled
 * by what they do to gradients) are view options in the state,
 * shown as classes on the page (presentation hides the side panels so the
 * circuit gets the whole screen).
 * @module toolbar
 */

import { byId } from "../dom.js";

/** @typedef {import("../state/store.js").Store} Store */

/**
 * @param {Store} store
 * @param {{undo: () => void, redo: () => void, clear: () => void}} actions
 */
export function mountToolbar(store, actions) {
  byId("undo").addEventListener("click", actions.undo);
  byId("redo").addEventListener("click", actions.redo);
  byId("new").addEventListener("click", actions.clear);
  byId("large").addEventListener("click", () => toggleView(store, "large"));
  byId("present").addEventListener("click", () => toggleView(store, "presentation"));
  byId("patterns").addEventListener("click", () => toggleView(store, "patterns"));
  store.subscribe((state, touched) => {
    if (touched.has("history")) renderHistory(state.history);
    if (touched.has("view")) renderView(state.view);
  });
}

/**
 * @param {Store} store
 * @param {"large" | "presentation" | "patterns"} option
 */
export function toggleView(store, option) {
  const view = store.state.view;
  store.update({ view: { ...view, [option]: !view[option] } }, ["view"]);
}

/** @param {import("../state/store.js").State["history"]} h */
function renderHistory(h) {
  const undo = /** @type {HTMLButtonElement} */ (byId("undo"));
  const redo = /** @type {HTMLButtonElement} */ (byId("redo"));
  undo.disabled = !h.canUndo;
  redo.disabled = !h.canRedo;
  undo.title = h.canUndo ? `Undo ${h.undoLabel} (Ctrl+Z)` : "Undo (Ctrl+Z)";
  redo.title = h.canRedo ? `Redo ${h.redoLabel} (Ctrl+Shift+Z)` : "Redo (Ctrl+Shift+Z)";
}

/** @param {import("../state/store.js").State["view"]} view */
function renderView(view) {
  document.documentElement.classList.toggle("large", view.large);
  document.body.classList.toggle("presenting", view.presentation);
  byId("large").setAttribute("aria-pressed", String(view.large));
  byId("present").setAttribute("aria-pressed", String(view.presentation));
  byId("patterns").setAttribute("aria-pressed", String(view.patterns));
}
