/**
 * The Check tab as a view of `state.check`: backprop's gradient of each input
 * beside its central difference at the step h (which the learner sets), the
 * relative error against h over ten decades, the nudge of one input by h
 * beside the prediction h · df/dx, and a sweep of that input with f and
 * df/dx plotted. It draws only while its tab is shown; the answers come from
 * the CheckSession (state/check.js).
 * @module check-panel
 */

import { byId, html } from "../dom.js";
import { formatNumber, formatValue } from "../state/format.js";
import { PASS_BELOW, chosenInput, setCheck, wantedKey } from "../state/check.js";
import { inputValues } from "../state/circuit.js";
import { drawPlot } from "./plot.js";

/** @typedef {import("../state/store.js").Store} Store */
/** @typedef {import("../state/store.js").State} State */
/** @typedef {import("../state/store.js").Touch} Touch */

const REDRAW = /** @type {Touch[]} */ (["check", "view", "result", "structure", "values", "circuit"]);
/** Where a relative error of exactly 0 is drawn on the log axis. */
const ZERO_DRAWN_AT = 1e-17;

/** @param {Store} store */
export function mountCheck(store) {
  const field = /** @type {HTMLInputElement} */ (byId("check-h"));
  field.addEventListener("input", () => {
    const h = Number(field.value);
    const valid = field.value.trim() !== "" && h > 0 && h < 1;
    field.setAttribute("aria-invalid", String(!valid));
    if (valid) setCheck(store, { h });
  });
  const select = /** @type {HTMLSelectElement} */ (byId("check-input"));
  select.addEventListener("change", () => setCheck(store, { input: select.value }));
  store.subscribe((state, touched) => {
    if (state.view.panel === "check" && REDRAW.some((t) => touched.has(t))) render(state);
  });
}

/** @param {State} state */
function render(state) {
  const field = /** @type {HTMLInputElement} */ (byId("check-h"));
  if (document.activeElement !== field) field.value = String(state.check.h);
  const fresh = state.check.key === wantedKey(state);
  byId("check-status").textContent = status(state, fresh);
  byId("panel-check").classList.toggle("stale", !fresh);
  renderTable(state);
  renderScan(state);
  renderInputs(state);
  renderNudge(state);
  renderSweep(state);
}

/**
 * @param {State} state
 * @param {boolean} fresh
 */
function status(state, fresh) {
  if (!state.result) return "The circuit has no numbers yet.";
  if (!fresh) return "Checking…";
  return state.check.errors.gradcheck ?? `Passes when the relative error is below ${PASS_BELOW.toExponential(0)}.`;
}

/** @param {State} state */
function renderTable(state) {
  const rows = Object.entries(state.check.gradcheck?.inputs ?? {}).map(([id, row]) => {
    const pass = row.rel_error < PASS_BELOW;
    const verdict = html("td", { class: pass ? "pass" : "fail" }, pass ? "pass" : "fail");
    const cells = [id, formatValue(row.analytic), formatValue(row.numeric), row.rel_error.toExponential(1)];
    const tr = html("tr", { "data-input": id });
    tr.append(...cells.map((text) => html("td", {}, text)), verdict);
    return tr;
  });
  byId("check-table").querySelector("tbody")?.replaceChildren(...rows);
}

/** @param {State} state */
function renderScan(state) {
  const input = chosenInput(state)?.id;
  const drawn = (/** @type {number | null} */ rel) => (rel === 0 ? ZERO_DRAWN_AT : rel);
  const here = input ? state.check.gradcheck?.inputs[input]?.rel_error : state.check.gradcheck?.max_rel_error;
  drawPlot(/** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId("check-h-plot"))), {
    title: `Relative error of d${input ?? "f"} against the step h`,
    x: { label: "step h", log: true },
    y: { label: "relative error", log: true },
    series: [{ points: state.check.scan.map((p) => [p.h, drawn(p.rel)]), class: "error", label: "relative error" }],
    marks: here === undefined ? [] : [{ x: state.check.h, y: /** @type {number} */ (drawn(here)), class: "current", label: `h = ${state.check.h}` }],
  });
}

/** @param {State} state */
function renderInputs(state) {
  const select = /** @type {HTMLSelectElement} */ (byId("check-input"));
  const ids = inputValues(state.model).filter((i) => typeof i.value === "number").map((i) => i.id);
  if ([...select.options].map((o) => o.value).join(",") !== ids.join(",")) {
    select.replaceChildren(...ids.map((id) => html("option", { value: id }, id)));
  }
  select.value = chosenInput(state)?.id ?? "";
}

/** @param {State} state */
function renderNudge(state) {
  const box = byId("check-nudge");
  const nudge = state.check.nudge;
  if (!nudge || nudge.fx === null || nudge.fxh === null || !state.result) {
    return box.replaceChildren(html("p", { class: "hint" }, chosenInput(state) ? "No nudge to show yet." : "Sensitivity needs a scalar input."));
  }
  const { input: x, h } = nudge;
  const grad = /** @type {number} */ (state.result.gradients[x]);
  const lines = [
    `${x} = ${nudge.x} → ${x} + h = ${nudge.x + h}`,
    `f(${x} + h) − f(${x}) = ${formatNumber(nudge.fxh - nudge.fx)}`,
    `h · df/d${x} = ${formatNumber(h)} × ${formatNumber(grad)} = ${formatNumber(h * grad)}`,
  ];
  box.replaceChildren(...lines.map((text, i) => html("div", { class: i === 0 ? "line" : "line result", "data-line": String(i) }, text)));
}

/** @param {State} state */
function renderSweep(state) {
  const sweep = state.check.sweep;
  const input = chosenInput(state);
  byId("check-sweep-error").textContent = state.check.errors.sweep ?? "";
  const plots = ["check-sweep-f", "check-sweep-grad"].map((id) => /** @type {SVGSVGElement} */ (/** @type {unknown} */ (byId(id))));
  for (const plot of plots) plot.toggleAttribute("hidden", !sweep || !input || !state.result);
  if (!sweep || !input || !state.result) return;
  const x = input.id;
  const f = /** @type {number} */ (state.result.values[sweep.output]);
  const grad = /** @type {number} */ (state.result.gradients[x]);
  drawPlot(plots[0], {
    title: `f = ${sweep.output} as ${x} varies`,
    x: { label: x },
    y: { label: "f" },
    series: [{ points: sweep.xs.map((v, i) => [v, sweep.values[i]]), class: "value", label: "f" }],
    marks: [{ x: input.value, y: f, class: "current", label: `${x} = ${formatNumber(input.value)}, f = ${formatNumber(f)}` }],
  });
  drawPlot(plots[1], {
    title: `df/d${x} as ${x} varies`,
    x: { label: x },
    y: { label: `df/d${x}` },
    series: [{ points: sweep.xs.map((v, i) => [v, sweep.gradients[i]]), class: "grad", label: `df/d${x}` }],
    marks: [{ x: input.value, y: grad, class: "current", label: `${x} = ${formatNumber(input.value)}, df/d${x} = ${formatNumber(grad)}` }],
  });
}
