/**
 * What is open, shown three ways that always agree: the expression box (red,
 * with aria-invalid, exactly while it holds an error), the examples menu, and
 * the About panel; and the address bar, which reopens the same circuit (its
 * writes paced: a slider's drag or a 5,000-gate circuit must not write it at
 * every step, see state/pace.js).
 * @module source
 */

import { byId, html } from "../dom.js";
import { Pacer } from "../state/pace.js";
import { writeLink } from "../state/url.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/session.js").Session} Session */

/**
 * @param {Store} store
 * @param {Session} session
 */
export function mountSource(store, session) {
  const box = /** @type {HTMLInputElement} */ (byId("expr"));
  const menu = /** @type {HTMLSelectElement} */ (byId("examples"));
  byId("expr-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = box.value.trim();
    if (text) void session.openExpression(text);
  });
  box.addEventListener("input", () => {
    if (store.state.draft.error) store.update({ draft: { text: box.value, error: null } }, ["draft"]);
  });
  menu.addEventListener("change", () => {
    if (menu.value) session.openExample(menu.value);
  });
  const address = new Pacer(() => {
    const link = writeLink(store.state.model, store.state.view);
    if (`${window.location.pathname}${window.location.search}` !== link) window.history.replaceState(null, "", link);
  });
  window.addEventListener("pagehide", () => address.flush());
  store.subscribe((state, touched) => {
    if (touched.has("catalog")) renderMenu(menu, state);
    if (touched.has("source") || touched.has("draft")) renderBox(box, state, touched);
    if (touched.has("source") || touched.has("catalog")) {
      menu.value = state.model.source.kind === "example" ? state.model.source.id : "";
      renderAbout(state);
    }
    if (touched.has("source") || touched.has("values") || touched.has("structure") || touched.has("view")) address.request();
  });
}

/**
 * @param {HTMLSelectElement} menu
 * @param {State} state
 */
function renderMenu(menu, state) {
  menu.replaceChildren(html("option", { value: "" }, "Examples…"));
  for (const example of state.catalog.examples) menu.append(html("option", { value: example.id }, example.title));
}

/**
 * The box shows the open expression (nothing for an example or a circuit of
 * one's own), or keeps what the user typed while it holds an error.
 * @param {HTMLInputElement} box
 * @param {State} state
 * @param {Set<import("../state/store.js").Touch>} touched
 */
function renderBox(box, state, touched) {
  const source = state.model.source;
  if (touched.has("source")) box.value = source.kind === "expr" ? source.expr : "";
  box.classList.toggle("invalid", state.draft.error !== null);
  box.setAttribute("aria-invalid", String(state.draft.error !== null));
}

/**
 * An example's title, its place in the notes and what it shows; an expression;
 * or, for a circuit edited from an example, which one.
 * @param {State} state
 */
function renderAbout(state) {
  const box = byId("about");
  const source = state.model.source;
  const examples = state.catalog.examples;
  const id = source.kind === "example" ? source.id : source.kind === "circuit" ? source.from : undefined;
  const example = examples.find((e) => e.id === id);
  box.replaceChildren();
  if (state.model.title) box.append(html("div", { class: "title", "data-role": "circuit-title" }, state.model.title));
  if (example && source.kind === "example") {
    box.append(html("div", { class: "title" }, example.title));
    if (example.section) box.append(html("div", { class: "subtitle" }, `Notes: ${example.section}`));
    if (example.description) box.append(html("p", {}, example.description));
  } else if (example) {
    if (!state.model.title) box.append(html("div", { class: "title" }, "Your circuit"));
    box.append(html("p", {}, `Edited from the example “${example.title}”.`));
  } else if (source.kind === "expr") {
    box.append(html("code", {}, `f = ${source.expr}`));
  }
  byId("about-section").hidden = !box.childElementCount;
}
