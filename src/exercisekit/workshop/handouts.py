"""Printable workshop materials, generated from the exercise bank: HTML -> PDF with Chromium.

Per module, three PDFs (see `workshop.KINDS`): the participant handout (key points, the quiz
without answers, space to write), the scenario cards for group play, and the facilitator's
answer key. Jinja2 renders the HTML; Debian's Chromium prints it through Playwright, which
gives tagged PDFs (structure tree, document language, outline) with real, searchable text.

Printing is the slow part (about a second per file), so each PDF is cached by a hash of its
HTML: an unchanged module is copied from the cache, never printed again.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from exercisekit.bank.loader import Bank, find_root, load_bank
from exercisekit.chromium import CHROMIUM_ARGS, find_chromium
from exercisekit.grading import shuffled_steps
from exercisekit.render.richtext import to_html
from exercisekit.render.typography import french, french_text
from exercisekit.workshop.materials import KINDS, Workshop, choice_label, pdf_name, workshops

TEMPLATES = Path(__file__).parent / "templates"
COURSE = "Accompagner un collectif de partenaires"
# Bump when the printing itself changes (options, footer) so cached PDFs are remade.
PRINT_VERSION = "1"
FOOTER = (
    '<div style="font-family: DejaVu Sans, sans-serif; font-size: 7.5pt; width: 100%;'
    ' margin: 0 20mm; display: flex; justify-content: space-between; color: #444;">'
    '<span>{label}</span><span>Page <span class="pageNumber"></span> sur '
    '<span class="totalPages"></span></span></div>'
)


class PrintError(RuntimeError):
    """Chromium is missing or failed to print."""


# Texts get their French no-break spaces from `to_html`, and every whole document (with the
# templates' own words) once more from `french` (render/typography.py).
def _md(text: str) -> Markup:
    return Markup(to_html(text))


def _t(text: str) -> Markup:
    return Markup(french(str(escape(text))))


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _md
    env.filters["t"] = _t
    # Letters follow the order learners see (bank/presentation.py), so « B » on a participant's
    # sheet is « B » in the key and on the site.
    env.globals["letter"] = choice_label
    env.globals["shuffled"] = lambda e: [
        next(s for s in e.steps if s.id == i) for i in shuffled_steps(e)
    ]
    return env


def render_document(workshop: Workshop, kind: str, env: Environment | None = None) -> str:
    env = env or environment()
    css = (TEMPLATES / "print.css").read_text(encoding="utf-8")
    return french(
        env.get_template(f"{kind}.html.j2").render(
            w=workshop, doc_title=KINDS[kind], course=COURSE, css=Markup(css)
        )
    )


def render_key_fragment(workshop: Workshop, heading_level: int = 2) -> str:
    """The answer key as an HTML fragment, for the guide pages (same macro as the PDF)."""
    env = environment()
    template = env.from_string('{% import "macros.html.j2" as m %}{{ m.key(w, h) }}')
    return french(template.render(w=workshop, h=heading_level))


# ---------------------------------------------------------------- printing
@dataclass(frozen=True)
class Job:
    name: str  # file name of the PDF
    html: str
    label: str  # footer text

    @property
    def digest(self) -> str:
        data = f"{PRINT_VERSION}\n{self.label}\n{self.html}".encode()
        return hashlib.sha256(data).hexdigest()[:32]


def jobs_for(bank: Bank, root: Path) -> list[Job]:
    env = environment()
    jobs: list[Job] = []
    for workshop in workshops(bank, root):
        for kind, label in KINDS.items():
            if kind == "cartes" and not workshop.scenarios:
                continue
            jobs.append(
                Job(
                    pdf_name(workshop.id, kind),
                    render_document(workshop, kind, env),
                    french_text(f"{label} · {workshop.heading}"),
                )
            )
    return jobs


def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        raise PrintError(
            "chromium introuvable : il imprime les documents PDF du guide d'animation. "
            "Lancez ./dev build (ou ./dev serve), qui l'installe au besoin "
            "(paquet Debian « chromium »)."
        )
    return path


async def _print_all(jobs: list[Job], targets: list[Path], concurrency: int) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        gate = asyncio.Semaphore(concurrency)

        async def one(job: Job, target: Path) -> None:
            async with gate:
                page = await browser.new_page()
                try:
                    await page.set_content(job.html, wait_until="load")
                    await page.emulate_media(media="print")
                    await page.pdf(
                        path=str(target),
                        prefer_css_page_size=True,
                        print_background=True,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=FOOTER.format(label=escape(job.label)),
                        tagged=True,
                        outline=True,
                    )
                finally:
                    await page.close()

        try:
            await asyncio.gather(*(one(j, t) for j, t in zip(jobs, targets, strict=True)))
        finally:
            await browser.close()


def print_pdfs(jobs: list[Job], targets: list[Path], concurrency: int = 4) -> None:
    """Print each job's HTML to its target; runs in its own thread and event loop, so it
    works from a Sphinx hook or a notebook whatever loop they may be running."""
    if not jobs:
        return
    chromium_path()
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _print_all(jobs, targets, concurrency)).result()


@dataclass
class Report:
    printed: list[str]
    cached: list[str]
    seconds: float

    def __str__(self) -> str:
        return (
            f"{len(self.printed) + len(self.cached)} documents PDF "
            f"({len(self.printed)} imprimés, {len(self.cached)} repris du cache) "
            f"en {self.seconds:.1f} s"
        )


def build_handouts(
    outdir: Path,
    root: Path | None = None,
    bank: Bank | None = None,
    cache: Path | None = None,
    jobs: Iterable[Job] | None = None,
) -> Report:
    """Write every module's PDFs into `outdir`, printing only what changed since last time.

    `cache` keeps one PDF per content hash (default: `outdir/.cache`); stale entries are
    removed so the cache never grows beyond one build's worth of files.
    """
    start = time.monotonic()
    root = root or find_root()
    bank = bank or load_bank(root)
    jobs = list(jobs) if jobs is not None else jobs_for(bank, root)
    outdir.mkdir(parents=True, exist_ok=True)
    cache = cache or outdir / ".cache"
    cache.mkdir(parents=True, exist_ok=True)

    todo: list[Job] = []
    for job in jobs:
        if not (cache / f"{job.digest}.pdf").is_file():
            todo.append(job)
    print_pdfs(todo, [cache / f"{j.digest}.pdf" for j in todo])

    printed = {j.name for j in todo}
    for job in jobs:
        source, target = cache / f"{job.digest}.pdf", outdir / job.name
        if not (
            target.is_file()
            and target.stat().st_size == source.stat().st_size
            and target.read_bytes() == source.read_bytes()
        ):
            shutil.copyfile(source, target)
    keep = {f"{j.digest}.pdf" for j in jobs}
    for stale in cache.glob("*.pdf"):
        if stale.name not in keep:
            stale.unlink()
    return Report(
        printed=[j.name for j in jobs if j.name in printed],
        cached=[j.name for j in jobs if j.name not in printed],
        seconds=time.monotonic() - start,
    )
