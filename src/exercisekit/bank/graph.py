"""Structural checks of a branching scenario, as pure functions over its nodes.

A scenario is sound when every node can be reached from the start, every choice points
to a node that exists, and from every node some path reaches an ending (so a learner can
never be trapped in a loop with no way out).
"""

from __future__ import annotations

from exercisekit.bank.model import QUALITY_RANK, Scenario


def scenario_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Return (field, message) pairs for every structural defect; empty when sound."""
    problems: list[tuple[str, str]] = []
    nodes = {}
    for node in scenario.nodes:
        if node.id in nodes:
            problems.append((f"nodes.{node.id}", f"le nœud « {node.id} » est défini deux fois"))
        nodes[node.id] = node
    if scenario.start not in nodes:
        problems.append(("start", f"le nœud de départ « {scenario.start} » n'existe pas"))
        return problems

    for node in scenario.nodes:
        for choice in node.choices:
            if choice.next not in nodes:
                problems.append(
                    (
                        f"nodes.{node.id}.choices.{choice.id}.next",
                        f"mène au nœud « {choice.next} », qui n'existe pas",
                    )
                )
    if problems:
        return problems

    reachable = _reachable_from(
        scenario.start, {n.id: [c.next for c in n.choices] for n in nodes.values()}
    )
    for node in scenario.nodes:
        if node.id not in reachable:
            problems.append((f"nodes.{node.id}", "nœud inaccessible depuis le départ"))

    endings = {n.id for n in scenario.nodes if n.ending}
    if not endings:
        problems.append(("nodes", "le scénario n'a aucune fin (ending: good, mixed ou poor)"))
        return problems
    reversed_edges: dict[str, list[str]] = {n: [] for n in nodes}
    for node in scenario.nodes:
        for choice in node.choices:
            reversed_edges[choice.next].append(node.id)
    can_finish = set()
    for ending in endings:
        can_finish |= _reachable_from(ending, reversed_edges)
    for node in scenario.nodes:
        if node.id in reachable and node.id not in can_finish:
            problems.append(
                (f"nodes.{node.id}", "impasse : aucun chemin ne mène de ce nœud à une fin")
            )
    return problems


def _reachable_from(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for target in edges.get(stack.pop(), []):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def ending_paths(scenario: Scenario, limit: int = 500) -> list[tuple[list[str], str]]:
    """Every simple path of choice ids from the start to an ending, with that ending's id.

    Used by tests and the facilitator's key to cover every path; cycles are cut.
    """
    nodes = {n.id: n for n in scenario.nodes}
    paths: list[tuple[list[str], str]] = []

    def walk(node_id: str, choices: list[str], visited: frozenset[str]) -> None:
        if len(paths) >= limit:
            return
        node = nodes[node_id]
        if node.ending:
            paths.append((choices, node_id))
            return
        for choice in node.choices:
            if choice.next not in visited:
                walk(choice.next, [*choices, choice.id], visited | {choice.next})

    walk(scenario.start, [], frozenset({scenario.start}))
    return paths


def missing_quality(scenario: Scenario) -> list[tuple[str, str]]:
    """Choices that do not say their quality (good, mixed or poor)."""
    return [
        (
            f"nodes.{node.id}.choices.{choice.id}.quality",
            "qualité du choix manquante (good, mixed ou poor)",
        )
        for node in scenario.nodes
        for choice in node.choices
        if choice.quality is None
    ]


def path_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Endings that are better than a choice on some path to them, each with one such path.

    An ending can know nothing of the path that led to it, so a « good » ending reached through
    a choice the course calls an error would tell that learner they did well. The rule: every
    path to an ending passes only through choices at least as good as the ending. Searched over
    (node, worst quality so far) states, so cycles are handled and the path shown is a shortest.
    """
    if missing_quality(scenario):
        return []  # reported by missing_quality; nothing to compare yet
    nodes = {n.id: n for n in scenario.nodes}
    start = (scenario.start, "good")
    parent: dict[tuple[str, str], tuple[tuple[str, str], str] | None] = {start: None}
    queue = [start]
    problems: list[tuple[str, str]] = []
    reported: set[str] = set()
    while queue:
        state = queue.pop(0)
        node_id, worst = state
        node = nodes[node_id]
        if node.ending:
            if QUALITY_RANK[node.ending] > QUALITY_RANK[worst] and node_id not in reported:
                reported.add(node_id)
                problems.append(
                    (
                        f"nodes.{node_id}.ending",
                        f"fin « {node.ending} » atteinte par un choix « {worst} » : "
                        f"chemin {_path_text(parent, state)}",
                    )
                )
            continue
        for choice in node.choices:
            quality = choice.quality or "good"
            next_worst = quality if QUALITY_RANK[quality] < QUALITY_RANK[worst] else worst
            following = (choice.next, next_worst)
            if following not in parent:
                parent[following] = (state, f"{node_id}:{choice.id}")
                queue.append(following)
    return problems


def _path_text(parent: dict, state: tuple[str, str]) -> str:
    steps: list[str] = []
    link = parent[state]
    while link is not None:
        state, step = link
        steps.append(step)
        link = parent[state]
    return " → ".join(reversed(steps))
