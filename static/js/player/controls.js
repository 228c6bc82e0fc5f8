/**
 * The player bar and the keyboard, as a view of the state: the counter, the
 * phase and the play button follow `step` and `playing`; buttons and keys
 * (space, arrows, Home/End, PageUp/PageDown as a clicker sends them) drive
 * the player. Editing keys (undo, redo, delete, fit, tidy) come in from main.
 * @module controls
 */

import { byId } from "../dom.js";
import { frameAt } from "../state/trace.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("./player.js").Player} Player */

const PLAY = "M7 4.5v15L19.5 12z";
const PAUSE = "M6.5 5h4v14h-4zM13.5 5h4v14h-4z";

/**
 * @param {Store} store
 * @param {Player} player
 */
export function mountPlayerBar(store, player) {
  const click = (/** @type {string} */ id, /** @type {() => void} */ fn) => byId(id).addEventListener("click", fn);
  click("reset", () => player.reset());
  click("back", () => player.prev());
  click("play", () => player.toggle());
  click("step", () => player.next());
  const speed = /** @type {HTMLInputElement} */ (byId("speed"));
  speed.addEventListener("input", () => player.setSpeed(Number(speed.value)));
  store.subscribe((state, touched) => {
    if (touched.has("step") || touched.has("result")) renderBar(state);
  });
}

/** @param {import("../state/store.js").State} state */
function renderBar(state) {
  const count = state.steps.length;
  const frame = state.result && count ? frameAt(state.result, state.steps, state.step) : null;
  const phase = frame?.phase ?? "idle";
  byId("counter").textContent = count ? `step ${state.step + 1} / ${count}` : "no steps";
  const badge = byId("phase");
  badge.textContent = frame ? phase : "no result";
  badge.className = `phase ${phase}`;
  for (const id of ["reset", "back", "play", "step"]) /** @type {HTMLButtonElement} */ (byId(id)).disabled = !count;
  const play = byId("play");
  play.querySelector("path")?.setAttribute("d", state.playing ? PAUSE : PLAY);
  play.setAttribute("aria-label", state.playing ? "Pause" : "Play");
}

/**
 * @param {Player} player
 * @param {Record<string, () => void>} editing  more keys: Delete, f, l, Escape, ...
 * @param {{undo: () => void, redo: () => void}} history
 */
export function bindKeys(player, editing, history) {
  /** @type {Record<string, () => void>} */
  const table = {
    " ": () => player.toggle(),
    ArrowRight: () => player.next(),
    PageDown: () => player.next(),
    ArrowLeft: () => player.prev(),
    PageUp: () => player.prev(),
    Home: () => player.reset(),
    End: () => player.end(),
    ...editing,
  };
  window.addEventListener("keydown", (e) => {
    if (e.target instanceof Element && e.target.closest("dialog[open]")) return; // a dialog's keys are its own (Escape closes it)
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === "z") {
      if (typing && e.target instanceof HTMLInputElement && e.target.id === "expr") return;
      e.preventDefault();
      return e.shiftKey ? history.redo() : history.undo();
    }
    if (mod && e.key.toLowerCase() === "y") return void (e.preventDefault(), history.redo());
    if (typing || mod || e.altKey) return;
    const action = table[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });
}
