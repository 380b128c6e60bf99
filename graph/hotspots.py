"""Architecture hotspots: components several teams change in the same iteration, how
central each component is among the teams, and features missing their owner's enabler."""

from __future__ import annotations

from dataclasses import dataclass

from graph.model import Plan, Slot


@dataclass(frozen=True, slots=True)
class Hotspot:
    component: str
    slot: Slot
    teams: tuple[str, ...]
    items: tuple[str, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class Centrality:
    component: str
    teams: tuple[str, ...]  # teams that change it
    degree: float  # share of all teams that change it (degree centrality, team-component graph)
    items: int  # blast radius: plan items that change it


@dataclass(frozen=True, slots=True)
class MissingEnabler:
    feature: str
    component: str
    owner: str
    reason: str


@dataclass(frozen=True, slots=True)
class Hotspots:
    hotspots: tuple[Hotspot, ...]  # most teams first
    centrality: tuple[Centrality, ...]  # most central first
    missing_enablers: tuple[MissingEnabler, ...]


def hotspots(plan: Plan) -> Hotspots:
    by_id = plan.by_id
    components = {c.id: c for c in plan.components}
    touched_by: dict[str, set[str]] = {}
    touches: dict[str, set[str]] = {}  # item -> the components it changes
    for item_id, component in plan.touches:
        if item_id in by_id and component in components:
            touched_by.setdefault(component, set()).add(item_id)
            touches.setdefault(item_id, set()).add(component)

    per_slot: dict[tuple[str, Slot], set[str]] = {}
    for component, items in touched_by.items():
        for item_id in items:
            item = by_id[item_id]
            if item.slot is not None and item.team:
                per_slot.setdefault((component, item.slot), set()).add(item_id)
    labels = plan.slot_labels
    spots = []
    for (component, slot), items in per_slot.items():
        teams = sorted({t for i in items if (t := by_id[i].team)})
        if len(teams) < 2:
            continue
        keys = ", ".join(sorted(by_id[i].key for i in items))
        spots.append(
            Hotspot(
                component,
                slot,
                tuple(teams),
                tuple(sorted(items)),
                f"{len(teams)} teams ({', '.join(teams)}) change {components[component].name} in "
                f"{labels.get(slot) or f'iteration {slot[1]}'}: {keys}.",
            )
        )
    spots.sort(key=lambda h: (-len(h.teams), -len(h.items), h.slot, components[h.component].name))

    all_teams = {t for i in plan.items if (t := i.team)}
    central = []
    for component, items in touched_by.items():
        changers = tuple(sorted({t for i in items if (t := by_id[i].team)}))
        degree = len(changers) / len(all_teams) if all_teams else 0.0
        central.append(Centrality(component, changers, round(degree, 4), len(items)))
    central.sort(key=lambda c: (-c.degree, -c.items, components[c.component].name))

    missing = []
    for feature in (i for i in plan.items if i.parent is None):
        stories = plan.stories_of.get(feature.id, ())
        changed = set(touches.get(feature.id, ()))
        for story in stories:
            changed |= touches.get(story.id, set())
        for component_id in sorted(changed):
            owner = components[component_id].owner
            if owner and all(s.team != owner for s in stories):
                name = components[component_id].name
                missing.append(
                    MissingEnabler(
                        feature.id,
                        component_id,
                        owner,
                        f"{feature.key} changes {name}, owned by {owner}, but {owner} has no "
                        f"story in {feature.key}.",
                    )
                )
    return Hotspots(tuple(spots), tuple(central), tuple(missing))
