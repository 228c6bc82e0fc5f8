"""Time to lay out (elkjs) and draw (SVG) random circuits in headless Chromium.

Run: python -m bench.frontend_layout [--sizes 100 1000] [--repeat 3]
Starts the app on a free local port, opens the front end in Debian's Chromium,
and for each size builds a random circuit of that many gates, then times, in
the page: the ELK layout, drawing the SVG (with a forced style/layout pass),
painting the API's numbers, and the whole open (layout, draw, POST
/api/evaluate, paint) as a user triggers it.
"""

from __future__ import annotations

import argparse
import statistics

from playwright.sync_api import sync_playwright

import engine
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, serve_app

MEASURE = """
async (circuit) => {
  const { store, session, diagram, player } = window.backprop;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  const answered = async () => {
    while (!store.state.result || store.state.stale) await frame();
    await diagram.settled;
  };
  let layouts = 0;
  const layoutFor = diagram.arranger.layoutFor.bind(diagram.arranger);
  diagram.arranger.layoutFor = (...args) => (layouts++, layoutFor(...args));
  let t = performance.now();
  session.openCircuit(circuit);
  await answered();
  const openMs = performance.now() - t;
  const input = circuit.nodes.find((n) => n.op === "input").id;
  layouts = 0;
  t = performance.now();
  store.dispatch({ type: "set_value", node: input, value: 0.25 });
  await answered();
  diagram.root.getBBox();
  const valueMs = performance.now() - t;
  const valueLayouts = layouts;
  const gate = circuit.nodes.at(-1).id;
  const start = diagram.scene.nodes.get(gate);
  const dragMs = [];
  for (let i = 1; i <= 30; i++) {
    t = performance.now();
    store.update({ drag: { id: gate, at: { x: start.x + 3 * i, y: start.y + 2 * i } } }, ["drag"]);
    diagram.root.getBBox();
    dragMs.push(performance.now() - t);
  }
  store.update({ drag: null }, []);
  player.reset();
  const stepMs = [];
  for (let i = 0; i < 30; i++) {
    t = performance.now();
    player.next();
    diagram.root.getBBox();
    stepMs.push(performance.now() - t);
  }
  const worst = (xs) => Math.max(...xs);
  return { openMs, valueMs, valueLayouts, dragMs: worst(dragMs), stepMs: worst(stepMs) };
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(url)
        page.wait_for_function("window.backprop && window.backprop.store.state.catalog.ready")
        print(
            f"{'gates':>6} {'open ms':>8} {'value edit ms':>14} {'layouts':>8} "
            f"{'drag frame ms':>14} {'step frame ms':>14}"
        )
        for size in args.sizes:
            runs = [
                page.evaluate(MEASURE, engine.random_circuit(size, seed))
                for seed in range(args.repeat)
            ]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{size:>6} {med['openMs']:>8.0f} {med['valueMs']:>14.1f} "
                f"{med['valueLayouts']:>8.0f} {med['dragMs']:>14.1f} {med['stepMs']:>14.1f}"
                f"   (median of {args.repeat}; drag and step: the slowest of 30 frames)"
            )
        browser.close()


if __name__ == "__main__":
    main()
