/**
 * The Code tab: the circuit as staged Python code, read from `state.code` (the
 * session fetches it while the tab is shown). The selected gate's lines and the
 * lines of the animation's current step are highlighted; a button copies the
 * code. Lines are text (textContent), never markup.
 * @module code-panel
 */

import { byId, html } from "../dom.js";
import { codeLines, selectionLines, stepLines } from "../state/code.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */

/** @param {Store} store */
export function mountCode(store) {
  const view = byId("code-view");
  const status = byId("code-status");
  byId("code-copy").addEventListener("click", () => void copy(store.state, status));
  store.subscribe((state, touched, before) => {
    if (state.view.panel !== "code") return;
    const shown = touched.has("view") && before.view.panel !== "code";
    if (shown || touched.has("code") || touched.has("result")) render(view, status, state);
    if (shown || touched.has("code") || touched.has("selection") || touched.has("step")) highlight(view, state);
  });
}

/**
 * @param {HTMLElement} view
 * @param {HTMLElement} status
 * @param {State} state
 */
function render(view, status, state) {
  const { code } = state;
  view.classList.toggle("stale", code !== null && code.revision !== state.revision);
  status.textContent = state.result ? (code?.error ?? "") : "The code appears once the circuit has numbers.";
  if (!code?.staged || view.dataset.revision === String(code.revision)) return;
  view.dataset.revision = String(code.revision);
  view.replaceChildren(...codeLines(code.staged.code).map((text, k) => html("span", { class: "code-line", "data-line": k + 1 }, `${text}\n`)));
}

/**
 * Mark the selected gate's lines and the current step's; only lines whose marks change are touched.
 * @param {HTMLElement} view
 * @param {State} state
 */
function highlight(view, state) {
  const staged = state.code?.revision === state.revision ? state.code.staged : null;
  const marks = {
    selected: staged ? selectionLines(staged, state.selection) : [],
    current: staged ? stepLines(staged, state.steps[state.step]) : [],
  };
  for (const [mark, lines] of Object.entries(marks)) {
    for (const line of view.querySelectorAll(`.code-line.${mark}`)) line.classList.remove(mark);
    for (const n of lines) view.children[n - 1]?.classList.add(mark);
  }
  const first = marks.current[0] ?? marks.selected[0];
  if (first) view.children[first - 1]?.scrollIntoView({ block: "nearest" });
}

/**
 * @param {State} state
 * @param {HTMLElement} status
 */
async function copy(state, status) {
  const text = state.code?.staged?.code;
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
    status.textContent = "Copied: it runs as it is in Python.";
  } catch {
    status.textContent = "The browser would not copy; select the code and copy it by hand.";
  }
}
