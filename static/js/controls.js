/**
 * Buttons and keys: player controls, undo/redo, fit, tidy, zoom, large text.
 * @module controls
 */

import { byId } from "./dom.js";

/** @typedef {import("./app.js").App} App */

const PLAY = "M7 4.5v15L19.5 12z";
const PAUSE = "M6.5 5h4v14h-4zM13.5 5h4v14h-4z";

/** @param {App} app */
export function bindPlayer(app) {
  const player = app.player;
  const click = (/** @type {string} */ id, /** @type {() => void} */ fn) => byId(id).addEventListener("click", fn);
  click("reset", () => player.reset());
  click("back", () => player.prev());
  click("play", () => player.toggle());
  click("step", () => { player.pause(); player.next(); });
  click("new", () => void app.clear());
  click("undo", () => void app.undo());
  click("redo", () => void app.redo());
  click("fit", () => app.viewport.fit());
  click("tidy", () => void app.edits.tidy());
  click("zoom-in", () => app.viewport.zoom(1.25));
  click("zoom-out", () => app.viewport.zoom(0.8));
  click("large", () => void toggleLarge(app));
  const speed = /** @type {HTMLInputElement} */ (byId("speed"));
  speed.addEventListener("input", () => void (player.speed = Number(speed.value)));
  app.onStep = (index, phase) => {
    byId("counter").textContent = `step ${index + 1} / ${player.count}`;
    const badge = byId("phase");
    badge.textContent = phase;
    badge.className = `phase ${phase}`;
    const play = byId("play");
    play.querySelector("path")?.setAttribute("d", player.playing ? PAUSE : PLAY);
    play.setAttribute("aria-label", player.playing ? "Pause" : "Play");
  };
  app.onHistory = () => {
    const undo = /** @type {HTMLButtonElement} */ (byId("undo"));
    const redo = /** @type {HTMLButtonElement} */ (byId("redo"));
    undo.disabled = !app.history.canUndo;
    redo.disabled = !app.history.canRedo;
    undo.title = app.history.canUndo ? `Undo ${app.history.done.at(-1)?.label} (Ctrl+Z)` : "Undo (Ctrl+Z)";
    redo.title = app.history.canRedo ? `Redo ${app.history.undone.at(-1)?.label} (Ctrl+Shift+Z)` : "Redo (Ctrl+Shift+Z)";
  };
  if (new URLSearchParams(window.location.search).has("large")) void toggleLarge(app);
}

/**
 * Larger text; wider labels may need longer stubs.
 * @param {App} app
 */
async function toggleLarge(app) {
  const on = document.body.classList.toggle("large");
  byId("large").setAttribute("aria-pressed", String(on));
  const roomier = app.result && (await app.arranger.roomFor(app.model, app.result));
  if (roomier) app.arranger.adopt(roomier);
  app.redraw(true);
}

/**
 * Keys: space, ←, → for the player; Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y; Delete; F fit; L tidy.
 * @param {App} app
 */
export function bindKeys(app) {
  window.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === "z") {
      if (typing && !e.shiftKey && e.target instanceof HTMLInputElement && e.target.id === "expr") return;
      e.preventDefault();
      void (e.shiftKey ? app.redo() : app.undo());
      return;
    }
    if (mod && e.key.toLowerCase() === "y") return void (e.preventDefault(), app.redo());
    if (typing || mod || e.altKey) return;
    const action = keyAction(app, e.key);
    if (action) {
      e.preventDefault();
      action();
    }
  });
}

/**
 * @param {App} app
 * @param {string} key
 * @returns {(() => void) | null}
 */
function keyAction(app, key) {
  const player = app.player;
  /** @type {Record<string, () => void>} */
  const table = {
    " ": () => player.toggle(),
    ArrowRight: () => { player.pause(); player.next(); },
    ArrowLeft: () => player.prev(),
    Home: () => player.reset(),
    End: () => { player.pause(); player.go(player.count - 1); },
    Delete: () => app.edits.removeSelection(),
    Backspace: () => app.edits.removeSelection(),
    f: () => app.viewport.fit(),
    l: () => void app.edits.tidy(),
    Escape: () => app.select(null),
  };
  return table[key] ?? null;
}
