"""Options are shown in one seeded order everywhere (site, live widgets, handouts, key, Moodle,
GIFT), independent of the order authors wrote them in; dilemmas give no verdict anywhere."""

from __future__ import annotations

import functools
import re

import yaml
from bank_refs import BANK, CLASSIFY, MULTIPLE, ROOT, SINGLE

from exercisekit.bank.model import Dilemma, Module
from exercisekit.bank.presentation import present, shuffled
from exercisekit.export.gift import gift
from exercisekit.export.moodle import moodle_xml
from exercisekit.grading import grade
from exercisekit.render.feedback import feedback_html
from exercisekit.render.richtext import to_plain
from exercisekit.render.static import render_html
from exercisekit.render.widgets import build_widget
from exercisekit.workshop.handouts import render_document, render_key_fragment
from exercisekit.workshop.materials import Workshop, read_page


def shown_ids(ref: str) -> list[str]:
    exercise = BANK.get(ref)
    return [o.id for o in (exercise.items if exercise.type == "classify" else exercise.options)]


@functools.cache
def authored(module: str) -> dict:
    """A module's exercise file as its author wrote it (parsed once: PyYAML is slow)."""
    return yaml.safe_load((ROOT / "exercises" / f"{module}.yaml").read_text(encoding="utf-8"))


def authored_ids(ref: str) -> list[str]:
    module, exercise_id = ref.split("/")
    raw = authored(module)
    item = next(e for e in raw["exercises"] if e["id"] == exercise_id)
    return [o["id"] for o in item.get("options") or item["items"]]


def test_the_shown_order_does_not_follow_the_written_order():
    choice_refs = [
        f"{m}/{e.id}"
        for m, module in BANK.modules.items()
        for e in module.exercises
        if e.type in ("single", "multiple")
    ]
    moved = [ref for ref in choice_refs if shown_ids(ref) != authored_ids(ref)]
    assert len(moved) >= len(choice_refs) // 2, moved
    for ref in choice_refs:
        assert sorted(shown_ids(ref)) == sorted(authored_ids(ref))


def test_the_shuffle_is_seeded_and_keeps_fixed_options_in_place():
    class Item:
        def __init__(self, ident, fixed=False):
            self.id, self.fixed = ident, fixed

    items = [Item("a"), Item("b"), Item("c"), Item("d"), Item("aucune", fixed=True)]
    first = [i.id for i in shuffled(items, "m/q1")]
    assert first == [i.id for i in shuffled(items, "m/q1")]
    assert first[-1] == "aucune"
    seeds = {tuple(i.id for i in shuffled(items, f"m/q{n}")) for n in range(12)}
    assert len(seeds) > 3  # the order depends on the exercise


def test_site_widgets_handout_key_and_exports_show_the_same_order():
    for ref in (SINGLE, MULTIPLE):
        module_id = ref.split("/")[0]
        exercise = BANK.get(ref)
        ids = shown_ids(ref)
        texts = [to_plain(o.text) for o in exercise.options]
        html = render_html(ref, exercise)
        assert (
            re.findall(
                r'<input type="(?:radio|checkbox)" name="[^"]+" id="[^"]+" value="([^"]+)"', html
            )
            == ids
        )
        widget = build_widget(ref, exercise)
        if exercise.type == "single":
            assert [value for _, value in widget.inputs.options] == ids
        else:
            assert list(widget.inputs) == ids
        workshop = Workshop(BANK.modules[module_id], read_page(ROOT, BANK.modules[module_id]))
        sheets = {"q": render_document(workshop, "fiche"), "k": render_key_fragment(workshop)}
        for prefix, document in sheets.items():
            section = document[document.index(f'id="{prefix}-{exercise.id}"') :]
            section = section[: section.index("</section>")]
            # Letter A, B, C… is followed by the option shown in that place, on both sheets.
            parts = re.split(r"<strong>[A-Z]\.</strong> ", section)[1:]
            assert len(parts) == len(exercise.options)
            for part, option in zip(parts, exercise.options, strict=True):
                assert to_plain(option.text)[:30] in to_plain(part), (ref, prefix, option.id)
        xml = moodle_xml(BANK).text
        block = xml[xml.index(f"<idnumber>{exercise.id}</idnumber>") :]
        block = block[: block.index("</question>")]
        found = [block.index(t[:30]) for t in texts]
        assert found == sorted(found) and "<shuffleanswers>false</shuffleanswers>" in xml
        text = gift(BANK).text
        block = text[text.index(f"::{exercise.id}::") :]
        found = [block.index(t[:20].replace(":", "\\:")) for t in texts]
        assert found == sorted(found)
    assert shown_ids(CLASSIFY) == [
        re.search(r'data-item="([^"]+)"', row).group(1)
        for row in render_html(CLASSIFY, BANK.get(CLASSIFY)).split(
            '<li class="exk-classify-item">'
        )[1:]
    ]


DILEMMA = {
    "id": "q9-dilemme",
    "type": "dilemma",
    "prompt": "Que faites-vous de l'information confidentielle ?",
    "options": [
        {
            "id": "garder",
            "text": "La garder pour vous.",
            "benefit": "La confiance.",
            "cost": "Le bailleur l'ignore.",
        },
        {
            "id": "transmettre",
            "text": "La transmettre.",
            "benefit": "La transparence.",
            "cost": "La confiance.",
        },
    ],
}


def dilemma_module() -> Module:
    return present(
        Module.model_validate({"module": "essai", "title": "Essai", "exercises": [DILEMMA]})
    )


def test_a_dilemma_is_recorded_never_judged_in_python_and_widgets(tmp_path):
    module = dilemma_module()
    exercise = module.exercises[0]
    assert isinstance(exercise, Dilemma)
    verdict = grade(exercise, "garder")
    assert verdict == {"status": "done", "score": 0, "total": 0, "marks": []}
    assert grade(exercise, None)["status"] == "incomplete"
    html = feedback_html(exercise, "garder", verdict)
    assert "Votre choix" in html and "La confiance." in html and "Le bailleur l'ignore." in html
    for verdict_word in ("Bonne réponse", "À revoir", "Juste", "partie juste", "✘", "✔"):
        assert verdict_word not in html
    from exercisekit.selfpaced import progress
    from exercisekit.selfpaced.state import State

    learner = State(tmp_path / "etat.json")
    box = build_widget("essai/q9-dilemme", exercise, learner)
    assert box.check.description == "Comparer les options"
    box.inputs.value = "transmettre"
    box.check.click()
    assert box.verdict["status"] == "done" and "Bonne réponse" not in box.feedback.value
    assert progress.is_done(learner, "essai/q9-dilemme", "dilemma")
    static = render_html("essai/q9-dilemme", exercise)
    assert "Dilemme" in static and "Comparer les options" in static


def test_a_dilemma_is_a_discussion_item_in_handouts_and_ungraded_in_exports():
    from exercisekit.bank.loader import Bank
    from exercisekit.workshop.materials import ModulePage

    module = dilemma_module()
    workshop = Workshop(module, ModulePage(None, 9, "Essai", None))
    fiche = render_document(workshop, "fiche")
    assert "Dilemmes à discuter" in fiche and "La garder pour vous." in fiche
    assert "La confiance." not in fiche  # the costs are for the debrief, not the sheet
    key = render_key_fragment(workshop)
    assert "Aucune réponse unique" in key and "Le bailleur l'ignore." in key and "✔" not in key
    bank = Bank({"essai": module})
    xml = moodle_xml(bank)
    assert '<question type="description">' in xml.text and "essai/q9-dilemme" in xml.ungraded
    text = gift(bank).text
    assert "::q9-dilemme::" in text and "{" not in text.split("::q9-dilemme::", 1)[1]
