"""The front end on random circuits in headless Chromium, as a user drives it.

Run: python -m bench.frontend_layout [--sizes 100 500 1000 5000] [--repeat 3]
Starts the app on a free local port, opens the front end in Debian's Chromium,
and for each size opens a random circuit of that many gates, then times, in the
page (median of the repeats, in ms): the whole open (layout, SVG, POST
/api/evaluate, numbers) and the layout's share of it (ELK in its Web Worker);
the longest main-thread task during the open (long tasks are 50 ms or more);
when the first frame was painted after the open began, and whether that was
before the layout landed (the page answering during it); a value edit, as
script time and until its numbers are painted, with how many layouts it ran
(none is the design); a drag and an animation step, as script time per move and
as the mean time per rendered frame; an idle frame for scale; and the backward
animation playing at normal speed for a few steps, from the gaps between
requestAnimationFrame timestamps: the 95th percentile and the longest, and the
share of the playing time spent in late frames (gaps over 20 ms: a 60 Hz frame
missed). Sizes above 1,000 gates run once (opening 5,000 gates takes seconds).
"""

from __future__ import annotations

import argparse
import statistics

from playwright.sync_api import sync_playwright

import engine
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, serve_app

PLAY_MS = 5200  # four steps of the backward animation at normal speed
LATE_MS = 20

MEASURE = """
async (circuit) => {
  const { store, session, diagram, player } = window.backprop;
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
  const answered = async () => {
    while (!store.state.result || store.state.stale) await frame();
    await diagram.settled;
  };
  const mean = async (count, act) => {
    const t = performance.now();
    for (let i = 1; i <= count; i++) (act(i), await frame());
    return (performance.now() - t) / count;
  };
  const script = (count, act) => {
    const t = performance.now();
    for (let i = 1; i <= count; i++) act(i);
    return (performance.now() - t) / count;
  };
  let layouts = 0;
  let landed = 0;
  const layoutFor = diagram.arranger.layoutFor.bind(diagram.arranger);
  diagram.arranger.layoutFor = (...args) => {
    layouts++;
    return layoutFor(...args).then((layout) => ((landed ||= performance.now()), layout));
  };
  let longestTaskMs = 0;
  const tasks = new PerformanceObserver((list) => {
    for (const task of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, task.duration);
  });
  tasks.observe({ type: "longtask" });
  let t = performance.now();
  let painted = 0;
  requestAnimationFrame(() => (painted = performance.now()));
  session.openCircuit(circuit);
  await answered();
  const openMs = performance.now() - t;
  const layoutMs = landed - t;
  const firstFrameMs = painted - t;
  const answeredDuringLayout = painted < landed;
  tasks.takeRecords().forEach((task) => (longestTaskMs = Math.max(longestTaskMs, task.duration)));
  tasks.disconnect();
  const input = circuit.nodes.find((n) => n.op === "input").id;
  layouts = 0;
  t = performance.now();
  store.dispatch({ type: "set_value", node: input, value: 0.25 });
  const valueScriptMs = performance.now() - t;
  await answered();
  const valueMs = performance.now() - t;
  const valueLayouts = layouts;
  const gate = circuit.nodes.at(-1).id;
  const at = diagram.scene.nodes.get(gate);
  const drag = (i) =>
    store.update({ drag: { id: gate, at: { x: at.x + 3 * i, y: at.y + i } } }, ["drag"]);
  const dragScriptMs = script(30, drag);
  const dragFrameMs = await mean(10, drag);
  store.update({ drag: null }, []);
  player.reset();
  const stepScriptMs = script(10, () => player.next());
  const stepFrameMs = await mean(10, () => player.next());
  const idleFrameMs = await mean(10, () => undefined);
  store.update({ step: store.state.steps.findIndex((s) => s.kind === "backward") }, ["step"]);
  await frame();
  const stamps = [];
  player.toggle();
  const start = performance.now();
  while (performance.now() - start < PLAY_MS) stamps.push(await new Promise(requestAnimationFrame));
  player.toggle();
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  return {
    openMs, layoutMs, longestTaskMs, firstFrameMs, answeredDuringLayout,
    valueScriptMs, valueMs, valueLayouts,
    dragScriptMs, dragFrameMs, stepScriptMs, stepFrameMs, idleFrameMs,
    playP95Ms: gaps[Math.floor(0.95 * (gaps.length - 1))],
    playMaxMs: gaps.at(-1),
    playLateShare:
      gaps.filter((g) => g > LATE_MS).reduce((a, b) => a + b, 0) / (stamps.at(-1) - stamps[0]),
  };
}
""".replace("PLAY_MS", str(PLAY_MS)).replace("LATE_MS", str(LATE_MS))

ONCE_ABOVE = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with serve_app() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(url)
        page.wait_for_function("() => window.backprop && window.backprop.store.state.catalog.ready")
        print(
            f"{'gates':>6} {'open':>7} {'layout':>7} {'longest task':>13} {'1st frame':>10} "
            f"{'value: js':>10} {'answer':>8} {'layouts':>8} "
            f"{'drag: js':>9} {'frame':>7} {'step: js':>9} {'frame':>7} {'idle frame':>11} "
            f"{'play: p95':>10} {'max':>6} {'late':>6}   (ms)"
        )
        for size in args.sizes:
            repeat = args.repeat if size <= ONCE_ABOVE else 1
            runs = [
                page.evaluate(MEASURE, engine.random_circuit(size, seed)) for seed in range(repeat)
            ]
            m = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            answered = "yes" if all(r["answeredDuringLayout"] for r in runs) else "no"
            print(
                f"{size:>6} {m['openMs']:>7.0f} {m['layoutMs']:>7.0f} {m['longestTaskMs']:>13.0f} "
                f"{m['firstFrameMs']:>6.0f} {answered:>3} {m['valueScriptMs']:>10.1f} "
                f"{m['valueMs']:>8.0f} {m['valueLayouts']:>8.0f} "
                f"{m['dragScriptMs']:>9.2f} {m['dragFrameMs']:>7.0f} "
                f"{m['stepScriptMs']:>9.2f} {m['stepFrameMs']:>7.0f} {m['idleFrameMs']:>11.0f} "
                f"{m['playP95Ms']:>10.1f} {m['playMaxMs']:>6.0f} {m['playLateShare']:>6.0%}"
            )
        browser.close()


if __name__ == "__main__":
    main()
