"""What a workshop needs from the course, read from the same sources as the site.

- The exercise bank (`exercises/*.yaml`) gives every quiz item, scenario and reflection.
- Each module page (`book/modules/*.md`) gives the objectives (« En bref ») and the key
  points (« À retenir »). The page of a module is found by its `show("module/...")` cells,
  so nothing here is written per module: a new module file gets its materials for free.

Everything is plain data (dataclasses of strings and lists) for the Jinja2 templates of
`handouts.py` and the directives of `sphinx/guide.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exercisekit.bank.graph import ending_paths
from exercisekit.bank.loader import Bank
from exercisekit.bank.model import GRADED_TYPES, Module, Scenario

PAGES_DIR = Path("book") / "modules"
_SHOW = re.compile(r'show\(\s*["\']([a-z0-9][a-z0-9_-]*)/')
_TITLE = re.compile(r"^#\s+(?:(\d+)\.\s*)?(.+?)\s*$", re.M)
_DURATION = re.compile(r"\*\*Durée estimée\s*:\*\*\s*(\d+)\s*minutes", re.I)


@dataclass(frozen=True)
class ModulePage:
    """What the workshop materials take from a module page (empty lists for a stub)."""

    path: Path | None
    number: int | None
    title: str
    minutes: int | None
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)


def _admonition(text: str, title: str) -> str:
    """The body of the `:::{admonition} <title>` block of a MyST page ('' when absent)."""
    match = re.search(
        r"^(:{3,}|`{3,})\{admonition\}\s*" + re.escape(title) + r"\s*\n(.*?)^\1\s*$",
        text,
        re.M | re.S,
    )
    return match.group(2) if match else ""


def _bullets(block: str) -> list[str]:
    """Top-level `- ` bullets of a Markdown block, continuation lines joined."""
    items: list[str] = []
    for line in block.splitlines():
        if line.startswith(("- ", "* ")):
            items.append(line[2:].strip())
        elif items and line.startswith("  ") and line.strip():
            items[-1] += " " + line.strip()
        elif not line.strip() and items:
            continue
        elif items and not line.startswith(" "):
            # A paragraph after the list ends it.
            break
    return items


def page_for(root: Path, module_id: str) -> Path | None:
    """The module page that shows this module's exercises, if one does."""
    folder = root / PAGES_DIR
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if module_id in _SHOW.findall(text):
            return path
    return None


def read_page(root: Path, module: Module) -> ModulePage:
    path = page_for(root, module.module)
    if path is None:
        return ModulePage(None, None, module.title, None)
    text = path.read_text(encoding="utf-8")
    title = _TITLE.search(text)
    number = int(title.group(1)) if title and title.group(1) else None
    brief = _admonition(text, "En bref")
    duration = _DURATION.search(brief)
    # The objectives are data: the module's exercise file, shown on the page by a directive.
    objectives = [o.text for o in module.objectives]
    return ModulePage(
        path=path,
        number=number,
        title=title.group(2) if title else module.title,
        minutes=int(duration.group(1)) if duration else None,
        objectives=objectives,
        key_points=_bullets(_admonition(text, "À retenir")),
    )


# ---------------------------------------------------------------- scenario cards
@dataclass(frozen=True)
class CardLink:
    label: str  # "A", "B", ...
    choice: Any  # model.Choice
    card: int  # the card it leads to


@dataclass(frozen=True)
class Arrival:
    from_card: int
    label: str
    consequence: str


@dataclass(frozen=True)
class Card:
    number: int
    node: Any  # model.ScenarioNode
    links: list[CardLink]
    arrivals: list[Arrival]


def card_numbers(scenario: Scenario, first: int = 1) -> dict[str, int]:
    """Card numbers in the order a group meets the nodes: breadth first from the start.

    Situations come first, endings last, so a card number does not give away an ending.
    """
    nodes = {n.id: n for n in scenario.nodes}
    order: list[str] = []
    queue = [scenario.start]
    while queue:
        node_id = queue.pop(0)
        if node_id in order:
            continue
        order.append(node_id)
        queue += [c.next for c in nodes[node_id].choices]
    order += [n.id for n in scenario.nodes if n.id not in order]
    situations = [i for i in order if not nodes[i].ending]
    endings = [i for i in order if nodes[i].ending]
    return {node_id: index for index, node_id in enumerate(situations + endings, start=first)}


def choice_label(index: int) -> str:
    return chr(ord("A") + index)


def scenario_cards(scenario: Scenario, first: int = 1) -> list[Card]:
    numbers = card_numbers(scenario, first)
    arrivals: dict[str, list[Arrival]] = {n.id: [] for n in scenario.nodes}
    for node in scenario.nodes:
        for index, choice in enumerate(node.choices):
            arrivals[choice.next].append(
                Arrival(numbers[node.id], choice_label(index), choice.consequence)
            )
    cards = [
        Card(
            number=numbers[node.id],
            node=node,
            links=[
                CardLink(choice_label(i), c, numbers[c.next]) for i, c in enumerate(node.choices)
            ],
            arrivals=sorted(arrivals[node.id], key=lambda a: (a.from_card, a.label)),
        )
        for node in scenario.nodes
    ]
    return sorted(cards, key=lambda c: c.number)


@dataclass(frozen=True)
class PathStep:
    card: int
    label: str
    choice: Any


@dataclass(frozen=True)
class ScenarioPath:
    steps: list[PathStep]
    ending: Any  # the ending node
    ending_card: int


def scenario_paths(scenario: Scenario, first: int = 1) -> list[ScenarioPath]:
    """Every path from the start to an ending (cycles cut), as card numbers and choices."""
    nodes = {n.id: n for n in scenario.nodes}
    numbers = card_numbers(scenario, first)
    paths: list[ScenarioPath] = []
    for choice_ids, ending_id in ending_paths(scenario):
        node = nodes[scenario.start]
        steps: list[PathStep] = []
        for choice_id in choice_ids:
            index, choice = next((i, c) for i, c in enumerate(node.choices) if c.id == choice_id)
            steps.append(PathStep(numbers[node.id], choice_label(index), choice))
            node = nodes[choice.next]
        paths.append(ScenarioPath(steps, nodes[ending_id], numbers[ending_id]))
    return paths


# ---------------------------------------------------------------- one module's materials
@dataclass(frozen=True)
class Workshop:
    module: Module
    page: ModulePage

    @property
    def id(self) -> str:
        return self.module.module

    @property
    def heading(self) -> str:
        prefix = f"Module {self.page.number} : " if self.page.number else "Module : "
        return prefix + self.page.title

    def of_types(self, *types: str) -> list[Any]:
        return [e for e in self.module.exercises if e.type in types]

    @property
    def quiz(self) -> list[Any]:
        return self.of_types(*GRADED_TYPES)

    @property
    def dilemmas(self) -> list[Any]:
        return self.of_types("dilemma")

    @property
    def scenarios(self) -> list[Scenario]:
        return self.of_types("scenario")

    @property
    def reflections(self) -> list[Any]:
        return self.of_types("reflection")

    def played(self) -> list[tuple[Scenario, list[Card], list[ScenarioPath]]]:
        """Each scenario with its cards and paths; card numbers run on across scenarios."""
        result = []
        first = 1
        for scenario in self.scenarios:
            cards = scenario_cards(scenario, first)
            result.append((scenario, cards, scenario_paths(scenario, first)))
            first += len(cards)
        return result


def workshops(bank: Bank, root: Path) -> list[Workshop]:
    """Every module of the bank, in the course's order (page number, then module id)."""
    found = [Workshop(m, read_page(root, m)) for m in bank.modules.values()]
    return sorted(found, key=lambda w: (w.page.number is None, w.page.number or 0, w.id))


# The three printables of a module: file name suffix and French label.
KINDS = {
    "fiche": "Fiche de la personne participante",
    "cartes": "Cartes de la mise en situation",
    "corrige": "Corrigé de la personne animatrice",
}


def pdf_name(module_id: str, kind: str) -> str:
    return f"{module_id}-{kind}.pdf"
