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
  const { fromCircuit } = await import("./js/model.js");
  const { layoutModel, buildScene } = await import("./js/layout.js");
  const { drawScene, paintNumbers } = await import("./js/diagram.js");
  const { buildSteps, frameAt } = await import("./js/trace.js");
  const app = window.backprop;
  const model = fromCircuit(circuit);
  let t = performance.now();
  const layout = await layoutModel(app.elk, model);
  const layoutMs = performance.now() - t;
  t = performance.now();
  const scene = buildScene(model, layout);
  drawScene(app.root, model, scene, { output: circuit.output, gates: app.gates });
  app.root.getBBox();
  const drawMs = performance.now() - t;
  const answer = await app.api.evaluate(circuit);
  if (!answer.ok) throw new Error(JSON.stringify(answer.errors).slice(0, 300));
  t = performance.now();
  const steps = buildSteps(answer.data);
  paintNumbers(app.root, answer.data, frameAt(answer.data, steps, steps.length - 1));
  app.root.getBBox();
  const paintMs = performance.now() - t;
  t = performance.now();
  await app.replace(fromCircuit(circuit));
  await app.evaluate();
  app.root.getBBox();
  const openMs = performance.now() - t;
  const labels = app.root.querySelectorAll("text.label").length;
  return { layoutMs, drawMs, paintMs, openMs, labels };
}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(url)
        page.wait_for_function("window.backprop && window.backprop.gates.size > 0")
        print(f"{'gates':>6} {'layout ms':>10} {'draw ms':>8} {'paint ms':>9} {'open ms':>8}")
        for size in args.sizes:
            runs = [
                page.evaluate(MEASURE, engine.random_circuit(size, seed))
                for seed in range(args.repeat)
            ]
            med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            print(
                f"{size:>6} {med['layoutMs']:>10.0f} {med['drawMs']:>8.0f} "
                f"{med['paintMs']:>9.0f} {med['openMs']:>8.0f}   (median of {args.repeat})"
            )
        browser.close()


if __name__ == "__main__":
    main()
