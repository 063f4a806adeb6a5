"""The order of the work: relevance conditions and computed fields sorted so that each comes
after what it reads, and every cycle reported with its path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..plan import (
    CALC,
    CALCULATION_MISSING,
    RELEVANCE,
    RELEVANCE_MISSING,
    SECTION,
    TOTAL,
    Plan,
)
from ..structure import NUMERIC_TYPES
from .state import Build


def order(build: Build, sections: list[dict[str, Any]]) -> tuple[Plan, tuple[str, ...]]:
    """Sort relevance conditions and computed fields so that each comes after what it
    reads; report every cycle with its path."""
    deps: dict[str, tuple[str, ...]] = {}
    section_refs: dict[str, tuple[str, ...]] = {}
    for draft in sections:
        refs = tuple(f.ref for f in draft["fields"])
        if draft["table"] is not None:
            refs += tuple(c.ref for c in draft["table"].cells.values())
        section_refs[draft["code"]] = refs
    nodes: set[str] = set()
    conditioned = {d["code"] for d in sections if d["relevance"] is not None}
    for ref, spec in build.fields.items():
        if spec.relevance or spec.calculation or ref in build.totals:
            nodes.add(ref)
        elif spec.section in conditioned:
            nodes.add(ref)  # so that whatever reads it waits for its section's condition
    for code in conditioned:
        nodes.add(f"section:{code}")
    for draft in sections:
        if draft["relevance"] is not None:
            deps[f"section:{draft['code']}"] = tuple(
                r for r in draft["relevance"].current_references if r in nodes
            )
    for ref in build.fields:
        if ref not in nodes:
            continue
        spec = build.fields[ref]
        found: list[str] = []
        if spec.section in conditioned:
            found.append(f"section:{spec.section}")
        if spec.relevance is not None:
            found.extend(spec.relevance.current_references)
        if ref in build.totals:
            found.extend(build.totals[ref][1])
        elif spec.calculation is not None:
            found.extend(spec.calculation.current_references)
        deps[ref] = tuple(dict.fromkeys(r for r in found if r in nodes))
    order, cycles = _topological(deps)
    reported: set[frozenset[Any]] = set()
    for cycle in cycles:
        origins = frozenset(origin(build, node) for node in cycle)
        if origins in reported:
            continue
        reported.add(origins)
        cycle_problem(build, cycle)
    plan: Plan = []
    computed: list[str] = []
    for node in order:
        if node.startswith("section:"):
            code = node.removeprefix("section:")
            relevance = next(d["relevance"] for d in sections if d["code"] == code)
            plan.append((SECTION, code, relevance.runner(RELEVANCE_MISSING), section_refs[code]))
            continue
        spec = build.fields[node]
        if spec.relevance is not None:
            plan.append((RELEVANCE, node, spec.relevance.runner(RELEVANCE_MISSING)))
        if node in build.totals:
            plan.append((TOTAL, node, build.totals[node][1]))
            computed.append(node)
        elif spec.calculation is not None:
            quantum = None
            if spec.type in NUMERIC_TYPES:
                places = spec.precision if spec.precision is not None else 0
                quantum = Decimal(1).scaleb(-places)
            plan.append((CALC, node, spec.calculation.runner(CALCULATION_MISSING), quantum))
            computed.append(node)
    return plan, tuple(computed)


def origin(build: Build, node: str) -> Any:
    if node in build.totals:
        return build.totals[node][0]
    return node


def cycle_problem(build: Build, cycle: list[str]) -> None:
    def name(node: str) -> str:
        if node.startswith("section:"):
            return f"warunek działu {node.removeprefix('section:')}"
        return node

    def name_en(node: str) -> str:
        if node.startswith("section:"):
            return f"the condition of section {node.removeprefix('section:')}"
        return node

    # A section's condition depends only on fields, so every cycle passes through a field:
    # start the path there.
    body = cycle[:-1]
    start = next(i for i, node in enumerate(body) if not node.startswith("section:"))
    cycle = [*body[start:], *body[:start], body[start]]
    first = cycle[0]
    path = build.field_paths[first]
    item = build.items[first]
    if first in build.totals:
        origin = build.totals[first][0]
        path = build.total_paths[origin]
        item = f"{origin[0]} {origin[1]}.{origin[2]}"
    line = build.locations.key_line(path)
    build.problem(
        path,
        "Pola obliczane i warunki tworzą cykl: "
        + " → ".join(name(node) for node in cycle)
        + ". Żadne pole nie może zależeć (wprost ani pośrednio) od samego siebie.",
        "Computed fields and conditions form a cycle: "
        + " → ".join(name_en(node) for node in cycle)
        + ". No field can depend on itself, directly or indirectly.",
        item=item,
        line=line,
    )


def _topological(deps: Mapping[str, Sequence[str]]) -> tuple[list[str], list[list[str]]]:
    """Nodes with their dependencies first, and the cycles met on the way (each as a path
    that ends where it starts). Iterative: a long chain of totals must not hit the recursion
    limit."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    order: list[str] = []
    cycles: list[list[str]] = []
    for start in deps:
        if state.get(start):
            continue
        state[start] = 1
        path = [start]
        stack = [iter(deps[start])]
        while stack:
            for nxt in stack[-1]:
                seen = state.get(nxt, 0)
                if seen == 0:
                    state[nxt] = 1
                    path.append(nxt)
                    stack.append(iter(deps.get(nxt, ())))
                    break
                if seen == 1:
                    cycles.append([*path[path.index(nxt) :], nxt])
            else:
                stack.pop()
                done = path.pop()
                state[done] = 2
                order.append(done)
    return order, cycles
