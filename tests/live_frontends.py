"""Real front ends for the live notebooks: JupyterLab and Voilà started on 127.0.0.1 (free port,
token, a scratch root folder, a scratch state file), a module notebook to open in them, and the
probes that the front-end tests (`test_frontends.py`) and `scripts/measure_live.py` share.

The module notebook is the MyST source (`book/modules/*.md`) paired to `.ipynb` by jupytext, as
a facilitator would open it; the kernel finds the course through EXERCISEKIT_ROOT and saves to
EXERCISEKIT_STATE, never to the user's own file.
"""

from __future__ import annotations

import glob
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parents[1]
MODULE_SOURCE = ROOT / "book" / "modules" / "02-conditions.md"
NOTEBOOK = "02-conditions.ipynb"
TOKEN = "exercisekit-frontends"
MODEL_NOT_FOUND = "model not found"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    kind: str  # "lab" or "voila"
    url: str  # with a trailing slash
    folder: Path  # the scratch root: notebook, state file, runtime files
    process: subprocess.Popen

    @property
    def state_file(self) -> Path:
        return self.folder / "etat.json"

    def notebook_url(self) -> str:
        if self.kind == "lab":
            return f"{self.url}lab/tree/{NOTEBOOK}?token={TOKEN}"
        return f"{self.url}?token={TOKEN}"

    def kernel_count(self, expression: str) -> int:
        """Evaluate `expression` in the (single) kernel the front end started, beside it."""
        from jupyter_client import BlockingKernelClient

        files = sorted(
            glob.glob(str(self.folder / "runtime" / "kernel-*.json")), key=os.path.getmtime
        )
        if not files:
            raise RuntimeError(f"no kernel connection file in {self.folder / 'runtime'}")
        client = BlockingKernelClient(connection_file=files[-1])
        client.load_connection_file()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=30)
            reply = client.execute_interactive(
                "", silent=True, user_expressions={"n": expression}, timeout=60
            )
        finally:
            client.stop_channels()
        result = reply["content"]["user_expressions"]["n"]
        if result.get("status") != "ok":
            raise RuntimeError(f"{expression}: {result}")
        return int(result["data"]["text/plain"])

    def widget_models(self) -> int:
        """Widget models alive in the kernel (ipywidgets keeps every open one in a registry)."""
        return self.kernel_count("len(__import__('ipywidgets').widgets.widget._instances)")


def write_notebook(folder: Path, source: Path = MODULE_SOURCE) -> Path:
    """The module notebook, paired from its MyST source by jupytext, into `folder`."""
    target = folder / NOTEBOOK
    jupytext.write(jupytext.read(source), target, fmt="ipynb")
    return target


@contextmanager
def jupyter_server(kind: str, folder: Path, source: Path | None = None) -> Iterator[Server]:
    """JupyterLab (`lab`) or Voilà (`voila`) serving `folder`, stopped afterwards; the kernel
    imports exercisekit from `source` (default: this checkout's `src/`)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_notebook(folder)
    port = free_port()
    settings = folder / "lab-settings"
    # Every cell rendered, not only those in view, so that a test sees each widget it looks for.
    (settings / "@jupyterlab" / "notebook-extension").mkdir(parents=True, exist_ok=True)
    (settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        json.dumps({"windowingMode": "none"}), encoding="utf-8"
    )
    # No autosave: a reload starts again from the notebook as the test last saved it.
    (settings / "@jupyterlab" / "docmanager-extension").mkdir(parents=True, exist_ok=True)
    (settings / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings").write_text(
        json.dumps({"autosave": False}), encoding="utf-8"
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(source or ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
        ),
        "EXERCISEKIT_ROOT": str(ROOT),
        "EXERCISEKIT_STATE": str(folder / "etat.json"),
        "JUPYTER_CONFIG_DIR": str(folder / "config"),
        "JUPYTER_RUNTIME_DIR": str(folder / "runtime"),
    }
    if kind == "lab":
        command = [
            sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={folder}",
            "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={folder / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        status = f"http://127.0.0.1:{port}/api/status?token={TOKEN}"
    elif kind == "voila":
        command = [
            sys.executable, "-m", "voila", str(folder / NOTEBOOK), "--no-browser",
            "--Voila.ip=127.0.0.1", f"--port={port}", f"--token={TOKEN}",
            f"--Voila.root_dir={folder}",
        ]  # fmt: skip
        status = f"http://127.0.0.1:{port}/?token={TOKEN}"
    else:
        raise ValueError(f"unknown front end: {kind}")
    log = (folder / f"{kind}.log").open("w")
    process = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{kind} stopped: {(folder / f'{kind}.log').read_text()[-3000:]}"
                )
            try:
                with urllib.request.urlopen(status, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not answer on port {port}")
            time.sleep(0.5)
        yield Server(kind, f"http://127.0.0.1:{port}/", folder, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# ---------------------------------------------------------------- JupyterLab, in the page
def open_notebook(page, server: Server) -> None:
    """Open the module notebook in JupyterLab and wait for its kernel to be idle."""
    # Leaving a changed notebook asks « leave the page? »: yes (the file on disk is kept).
    if not getattr(page, "_exk_dialogs", False):
        page.on("dialog", lambda dialog: dialog.accept())
        page._exk_dialogs = True
    if page.url.startswith(server.url):
        page.reload()
    else:
        page.goto(server.notebook_url())
    page.wait_for_function(
        """() => {
            const app = window.jupyterapp;
            const panel = app && app.shell.currentWidget;
            const kernel = panel && panel.sessionContext && panel.sessionContext.session
                && panel.sessionContext.session.kernel;
            return kernel && kernel.status === 'idle' && panel.content.widgets.length > 3;
        }""",
        timeout=120_000,
    )


def run_all(page) -> None:
    """Run every cell and wait until the last one has run."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    wait_idle(page)


def wait_idle(page) -> None:
    page.wait_for_function(
        """() => {
            const panel = window.jupyterapp.shell.currentWidget;
            const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
            const pending = panel.content.widgets.some(
                c => c.model.type === 'code' && c.promptNode
                    && c.promptNode.textContent.includes('*'));
            return kernel && kernel.status === 'idle' && !pending;
        }""",
        timeout=180_000,
    )


def restart_kernel(page) -> None:
    page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()"
    )
    wait_idle(page)


def count_keys_reaching_jupyterlab(page) -> None:
    """From now on, count keydowns from inside an output area that reach the document, where
    JupyterLab's keymap listens (Lumino's `bubblingKeydown`)."""
    page.evaluate(
        """() => {
            window.__exkReached = 0;
            document.addEventListener('keydown', e => {
                if (e.target.closest && e.target.closest('.jp-OutputArea')) window.__exkReached++;
            });
        }"""
    )


def keys_reached(page) -> int:
    return page.evaluate("() => window.__exkReached")


def commands_executed(page) -> list[str]:
    return page.evaluate("() => window.__exkCommands || []")


def record_commands(page) -> None:
    """Note every JupyterLab command run from now on (a shortcut that fired is one)."""
    page.evaluate(
        """() => {
            window.__exkCommands = [];
            window.jupyterapp.commands.commandExecuted.connect(
                (_, args) => window.__exkCommands.push(args.id));
        }"""
    )
