"""What a person waits for: a slider key press to every figure and the readout showing the new state.

Usage::

    .venv/bin/python benchmarks/bench_browser.py [--n 1000000] [--moves 30]

Writes a small notebook into a temporary folder (an explorer on ``--n``
binormal cases with amounts, prevalence 1 %, AUC 0.85, as in
``bench_explorer.py``), serves it as the no-code app (``aipm-sim app``, i.e.
Voilà, on a free port of 127.0.0.1) and opens it in Debian's Chromium
(``/usr/bin/chromium``, under Playwright, with the browser tests' flags and
fixtures from ``tests/browser/browser_helpers.py``).

Each move is one ArrowRight or ArrowLeft key press on the threshold slider's
handle. Timed inside the page with ``performance.now()``: from the keydown
event to the last of (a) the readout's text changing (a MutationObserver)
and (b) the ``load`` event of every explorer picture whose image changed,
followed by one animation frame (the frame that shows them). A move is over
when nothing changed for 1.5 s. ``--pixel-scale 2`` renders the pictures at
twice the pixels (``aipm_sim.widgets._canvas.PIXEL_SCALE``) in a browser whose
``devicePixelRatio`` is 2, as on a HiDPI screen. Printed: the median and the 90th percentile
over the moves, how many pictures changed per move, and the bytes and pixel
size of the pictures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import machine_line

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

NOTEBOOK_CELLS = [
    "import aipm_sim as am\nfrom aipm_sim.widgets import ThresholdExplorer, _canvas\n_canvas.PIXEL_SCALE = {scale}",
    (
        "model = am.BinormalModel(prevalence=0.01, auc=0.85, amount_mean=80.0, positive_amount_mean=250.0)\n"
        "scores = model.sample({n}, seed=0)\n"
        "money = am.ValueModel(tp=-5.0, fp=-5.0, fn_amount=-1.0)\n"
        "explorer = ThresholdExplorer(scores, money, volume=50_000, period='day', currency='EUR', min_recall=0.5)\n"
        "explorer"
    ),
]

#: Installed in the page once: timestamps of keydowns, readout changes and picture loads.
PROBE = """
() => {
  const log = window.__aipm = {keys: [], kpis: [], loads: []};
  document.addEventListener('keydown', () => log.keys.push(performance.now()), true);
  const kpis = document.querySelector('.aipm-kpis');
  new MutationObserver(() => log.kpis.push(performance.now()))
    .observe(kpis, {childList: true, subtree: true, characterData: true});
  // 'load' does not bubble: listen in the capture phase, then wait for the frame that paints it.
  document.addEventListener('load', (e) => {
    const el = e.target;
    if (el.classList && el.classList.contains('aipm-figure')) {
      const name = [...el.classList].find(c => c.startsWith('aipm-figure-'));
      requestAnimationFrame(() => log.loads.push([performance.now(), name]));
    }
  }, true);
}
"""


def write_notebook(folder, n, scale):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Browser benchmark")]
    nb.cells += [nbformat.v4.new_code_cell(c.format(n=n, scale=scale)) for c in NOTEBOOK_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "bench_browser.ipynb"
    nbformat.write(nb, path)
    return path


def percentile(samples, q):
    s = sorted(samples)
    k = (len(s) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def measure_moves(page, moves, quiet_ms=1500, timeout_ms=30_000):
    """Press keys one at a time; per move (latency ms, pictures changed, readout changed)."""
    handle = page.locator(".aipm-threshold .noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    out = []
    for i in range(moves):
        key = "ArrowRight" if (i // 5) % 2 == 0 else "ArrowLeft"  # 5 up, 5 down: stays in range
        page.evaluate("() => { const l = window.__aipm; l.keys = []; l.kpis = []; l.loads = []; }")
        handle.press(key)
        start = time.monotonic()
        last_count = -1
        since = time.monotonic()
        while True:
            page.wait_for_timeout(100)
            count = page.evaluate("() => window.__aipm.kpis.length + window.__aipm.loads.length")
            if count != last_count:
                last_count, since = count, time.monotonic()
            elif count > 0 and (time.monotonic() - since) * 1000 >= quiet_ms:
                break
            if (time.monotonic() - start) * 1000 > timeout_ms:
                break
        log = page.evaluate("() => window.__aipm")
        if not log["keys"] or not (log["kpis"] or log["loads"]):
            raise RuntimeError(f"move {i}: nothing changed within {timeout_ms} ms ({log})")
        t0 = log["keys"][0]
        ends = log["kpis"] + [t for t, _ in log["loads"]]
        out.append((max(ends) - t0, len({name for _, name in log["loads"]}), bool(log["kpis"])))
    return out


def picture_sizes(page):
    return page.evaluate("""
    async () => {
      const out = [];
      for (const img of document.querySelectorAll('img.aipm-figure')) {
        const blob = await (await fetch(img.src)).blob();
        out.push([img.naturalWidth, img.naturalHeight, blob.size, img.clientWidth,
                  window.devicePixelRatio]);
      }
      return out;
    }""")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="scored cases (default 10^6)")
    parser.add_argument("--moves", type=int, default=30, help="key presses timed (default 30)")
    parser.add_argument("--pixel-scale", type=int, default=1, choices=(1, 2),
                        help="device pixels per CSS pixel, of the pictures and of the browser (2: HiDPI)")
    args = parser.parse_args(argv)

    from browser_helpers import CHROMIUM, CHROMIUM_ARGS, Server, free_port, jupyter_env, wait_for_explorer

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("bench_browser: skipped, playwright is not installed (pip install -e '.[dev]')")
        return 0
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        print(f"bench_browser: skipped, no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
        return 0

    with tempfile.TemporaryDirectory(prefix="aipm-bench-browser-") as tmp:
        folder = Path(tmp)
        notebook = write_notebook(folder, args.n, args.pixel_scale)
        port = free_port()
        env = jupyter_env(folder)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        argv_ = [sys.executable, "-m", "aipm_sim.cli", "app", str(notebook), "--port", str(port), "--no-browser"]
        server = Server("voila", argv_, url=f"http://127.0.0.1:{port}/", folder=folder, env=env, cwd=folder)
        try:
            server.wait_ready()
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": 1280, "height": 2000},
                                                  device_scale_factor=args.pixel_scale)
                    page = context.new_page()
                    page.set_default_timeout(180_000)
                    t0 = time.monotonic()
                    page.goto(server.url)
                    wait_for_explorer(page, server)
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('img.aipm-figure')]"
                        ".every(i => i.src.startsWith('blob:') && i.complete)")
                    t_load = time.monotonic() - t0
                    page.wait_for_timeout(2000)  # let the first renders settle
                    page.evaluate(PROBE)
                    measure_moves(page, 2)  # warm-up, not counted
                    moves = measure_moves(page, args.moves)
                    sizes = picture_sizes(page)
                finally:
                    browser.close()
        finally:
            server.stop()

    lat = [m[0] for m in moves]
    changed = statistics.median(m[1] for m in moves)
    print(machine_line())
    print(f"browser latency, explorer on {args.n:,} cases, {args.moves} key presses; "
          f"pictures and Chromium at {args.pixel_scale}x device pixels; app loaded in {t_load:.1f} s")
    print(f"key press -> readout and every changed picture shown: median {statistics.median(lat):.0f} ms, "
          f"p90 {percentile(lat, 0.9):.0f} ms, min {min(lat):.0f} ms, max {max(lat):.0f} ms (goal 100 ms)")
    print(f"pictures changed per move (median): {changed:g} of {len(sizes)}; readout changed in "
          f"{sum(m[2] for m in moves)} of {len(moves)} moves")
    px = sizes[0]
    total = sum(s[2] for s in sizes)
    print(f"pictures: {px[0]}x{px[1]} px shown {px[3]} CSS px wide (devicePixelRatio {px[4]:g}); "
          f"{total / 1024:.0f} KiB of PNG per move in all ({', '.join(f'{s[2] / 1024:.0f}' for s in sizes)} KiB)")
    print("latencies (ms):", json.dumps([round(x) for x in lat]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
