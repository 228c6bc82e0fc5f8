/**
 * The right side panel's tabs as a view of the state: `state.view.panel` names
 * the tab shown. Each tab is a `[role=tab]` button in `#side-tabs` whose
 * `data-panel` names it, controlling the `[role=tabpanel]` with the id in its
 * `aria-controls`. A panel that does work to render (fetching, drawing) does it
 * only while `state.view.panel` is its name, and re-renders when "view" is
 * touched, so hidden tabs cost nothing.
 * @module tabs
 */

import { byId } from "../dom.js";

/** @typedef {import("../state/store.js").Store} Store */

/** @param {Store} store */
export function mountTabs(store) {
  const list = byId("side-tabs");
  const tabs = /** @type {HTMLButtonElement[]} */ ([...list.querySelectorAll('[role="tab"]')]);
  for (const tab of tabs) {
    tab.addEventListener("click", () => showPanel(store, tab.dataset.panel ?? ""));
  }
  list.addEventListener("keydown", (event) => {
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    const move = moves[/** @type {keyof typeof moves} */ (event.key)];
    if (!move) return;
    event.preventDefault();
    event.stopPropagation(); // the arrows move between tabs here, not through the backward pass
    const at = tabs.findIndex((tab) => tab.dataset.panel === store.state.view.panel);
    const next = tabs[(at + move + tabs.length) % tabs.length];
    showPanel(store, next.dataset.panel ?? "");
    next.focus();
  });
  store.subscribe((state, touched) => {
    if (touched.has("view")) render(tabs, state.view.panel);
  });
  render(tabs, store.state.view.panel);
}

/**
 * @param {Store} store
 * @param {string} panel
 */
export function showPanel(store, panel) {
  if (store.state.view.panel === panel) return;
  store.update({ view: { ...store.state.view, panel } }, ["view"]);
}

/**
 * @param {HTMLButtonElement[]} tabs
 * @param {string} shown
 */
function render(tabs, shown) {
  for (const tab of tabs) {
    const selected = tab.dataset.panel === shown;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(tab.getAttribute("aria-controls") ?? "").hidden = !selected;
  }
}
