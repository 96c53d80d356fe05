"""Measure the live module notebook in a real JupyterLab (Debian chromium through Playwright).

Prints, for the example module (`conditions`):
- widget models alive in the kernel after each of 3 run-alls, and after 50 clicks on ▲/▼;
- reloads of the saved notebook without « model not found », out of 10;
- keys pressed in a focused exercise control that reached JupyterLab's keymap (the document),
  out of those pressed.

    python scripts/measure_live.py [--json]

A report, not a test: the figures go in the closing note of a change (before → after).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from live_frontends import (  # noqa: E402
    MODEL_NOT_FOUND,
    jupyter_server,
    open_notebook,
    run_all,
    wait_idle,
)

from exercisekit.chromium import CHROMIUM_ARGS, find_chromium  # noqa: E402

# One control of each kind a learner focuses in an exercise: a radio, a checkbox, a dropdown,
# the « Vérifier » button, a ▼ button and a scenario choice.
CONTROLS = [
    ".exk-live .widget-radio-box input[type=radio]",
    ".exk-live .widget-checkbox input[type=checkbox]",
    ".exk-live .widget-dropdown select",
    ".exk-live button:has-text('Vérifier')",
    ".exk-live button:has-text('Descendre'):not([disabled])",
    ".exk-live .widget-vbox > button.widget-button",
]
KEYS = ["ArrowDown", "ArrowUp", "a", "m", "d", "d", "x"]


def count_keys(page) -> None:
    """Count keydowns sent from a control inside an output, and those that bubbled up to <body>,
    the last stop before JupyterLab's keymap on the document. Those are stopped there, so that
    the notebook stays as it is for the next key (otherwise `d d` would delete the cell)."""
    page.evaluate(
        """() => {
            window.__exkSent = 0; window.__exkReached = 0;
            const inWidget = e => e.target.closest && e.target.closest('.jp-OutputArea');
            window.addEventListener('keydown', e => { if (inWidget(e)) window.__exkSent++; }, true);
            document.body.addEventListener('keydown', e => {
                if (inWidget(e)) { window.__exkReached++; e.stopPropagation(); }
            });
        }"""
    )


def widgets_rendered(page) -> None:
    """Wait until every widget output of the notebook shows a view or an error."""
    page.wait_for_function(
        """() => {
            const outs = [...document.querySelectorAll('.jp-OutputArea-output')];
            return outs.length > 0 && outs.every(o => o.childElementCount > 0 || o.textContent);
        }""",
        timeout=60_000,
    )
    page.wait_for_timeout(1500)


def measure(folder: Path, source: Path | None, keys_only: bool = False) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    figures: dict[str, object] = {}
    with jupyter_server("lab", folder, source) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        open_notebook(page, server)
        runs = []
        for _ in range(1 if keys_only else 3):
            run_all(page)
            runs.append(server.widget_models())
        figures["models_after_run_alls"] = runs
        print("models after 3 run-alls:", runs, flush=True)

        if keys_only:
            page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
            page.wait_for_timeout(1000)
            figures["keys_reaching_jupyterlab"] = measure_keys(page)
            browser.close()
            return figures
        down = page.locator(".exk-live button:has-text('Descendre'):not([disabled])").first
        up = page.locator(".exk-live button:has-text('Monter'):not([disabled])").first
        for click in range(50):
            (down if click % 2 == 0 else up).click()
            wait_idle(page)
        figures["models_after_50_clicks"] = server.widget_models()
        print("models after 50 clicks:", figures["models_after_50_clicks"], flush=True)

        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        clean = 0
        for _ in range(10):
            open_notebook(page, server)
            widgets_rendered(page)
            if MODEL_NOT_FOUND not in page.locator(".jp-Notebook").inner_text():
                clean += 1
        figures["reloads_without_model_not_found"] = f"{clean}/10"
        print("reloads without « model not found »:", f"{clean}/10", flush=True)

        figures["keys_reaching_jupyterlab"] = measure_keys(page)
        browser.close()
    return figures


def measure_keys(page) -> str:
    widgets_rendered(page)
    count_keys(page)
    for selector in CONTROLS:
        control = page.locator(selector).first
        control.scroll_into_view_if_needed()
        for key in KEYS:
            control.focus()  # each key from the control (an arrow may move the focus on)
            page.keyboard.press(key)
            page.wait_for_timeout(100)
    sent = page.evaluate("() => window.__exkSent")
    reached = page.evaluate("() => window.__exkReached")
    print("keys reaching JupyterLab:", f"{reached}/{sent}", flush=True)
    return f"{reached}/{sent}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--src", type=Path, help="import exercisekit from this folder (e.g. an older checkout's)"
    )
    parser.add_argument("--keys-only", action="store_true", help="measure the keys only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="exk-measure-") as scratch:
        figures = measure(Path(scratch), args.src, args.keys_only)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
