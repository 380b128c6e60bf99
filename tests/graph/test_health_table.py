"""The dependency health table of services/DOMAIN.md ("Dependency health"), row by row, plus
the rules graph/health.py documents on top of it. Exact health and exact reason."""

from __future__ import annotations

import pytest

from graph.health import (
    DependencyHealth,
    FeatureHealth,
    assess,
    dependency_health,
    feature_health,
)
from graph.model import (
    Dependency,
    Health,
    Item,
    ItemKind,
    Iteration,
    Plan,
    Slot,
    worst,
)

ITERATIONS = (
    Iteration((1, 1), "Iteration 1"),
    Iteration((1, 2), "Iteration 2"),
    Iteration((1, 3), "Iteration 3"),
    Iteration((1, 4), "Iteration 4"),
    Iteration((1, 5), "IP", ip=True),
    Iteration((2, 1), "Iteration 1 (PI 2)"),
    Iteration((2, 2), "Iteration 2 (PI 2)"),
)


def story(
    number: int,
    team: str,
    slot: Slot | None,
    *,
    done: bool = False,
    parent: str | None = None,
) -> Item:
    return Item(
        f"S{number}",
        f"PAY-{number}",
        ItemKind.STORY,
        team,
        slot=slot,
        done=done,
        parent=parent,
        estimate=3,
    )


def feature(number: int, team: str, slot: Slot | None) -> Item:
    return Item(f"F{number}", f"PAY-{number}", ItemKind.FEATURE, team, slot=slot)


def pair(
    a_slot: Slot | None,
    b_slot: Slot | None,
    *,
    b_done: bool = False,
    needed_by: Slot | None = None,
    blocks: bool = True,
) -> tuple[Plan, Dependency]:
    """PAY-12 (Team Atlas) depends on PAY-31 (Team Nova)."""
    a = story(12, "Team Atlas", a_slot)
    b = story(31, "Team Nova", b_slot, done=b_done)
    dep = Dependency("D1", a.id, b.id, blocks=blocks, needed_by=needed_by)
    return Plan((a, b), (dep,), iterations=ITERATIONS), dep


def health_of(
    a_slot: Slot | None,
    b_slot: Slot | None,
    *,
    b_done: bool = False,
    needed_by: Slot | None = None,
) -> DependencyHealth:
    plan, dep = pair(a_slot, b_slot, b_done=b_done, needed_by=needed_by)
    result = assess(plan, dep)
    assert (result.dependency, result.dependent, result.prerequisite) == ("D1", "S12", "S31")
    assert dependency_health(plan) == [result]
    return result


# --- DONE: B is done --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a_slot", "b_slot", "b_where", "a_where"),
    [
        ((1, 2), (1, 4), "Team Nova, Iteration 4", "Team Atlas, Iteration 2"),  # would be RED
        ((1, 2), (1, 2), "Team Nova, Iteration 2", "Team Atlas, Iteration 2"),  # would be AMBER
        ((1, 3), (1, 1), "Team Nova, Iteration 1", "Team Atlas, Iteration 3"),  # would be GREEN
        ((1, 2), None, "Team Nova, not planned", "Team Atlas, Iteration 2"),  # would be RED
        ((1, 4), (2, 1), "Team Nova, Iteration 1 (PI 2)", "Team Atlas, Iteration 4"),  # later PI
        (None, (1, 2), "Team Nova, Iteration 2", "Team Atlas, not planned"),
    ],
)
def test_done_prerequisite_is_done_wherever_it_is(
    a_slot: Slot | None, b_slot: Slot | None, b_where: str, a_where: str
) -> None:
    result = health_of(a_slot, b_slot, b_done=True)
    assert result.health is Health.DONE
    assert result.reason == f"PAY-12 ({a_where}) needs PAY-31 ({b_where}): PAY-31 is done."


def test_done_wins_over_needed_by() -> None:
    result = health_of((1, 3), (1, 4), b_done=True, needed_by=(1, 1))
    assert result.health is Health.DONE
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 3) needs PAY-31 (Team Nova, Iteration 4): PAY-31 is done."
    )


# --- RED: B later than A; B not planned while A is; B in a later PI --------------------------


def test_red_when_prerequisite_comes_later() -> None:
    result = health_of((1, 2), (1, 4))
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, Iteration 4): PAY-31 comes later than it is needed."
    )


def test_red_when_prerequisite_is_one_iteration_later() -> None:
    result = health_of((1, 1), (1, 2))
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 1) needs PAY-31 (Team Nova, Iteration 2): PAY-31 comes later than it is needed."
    )


def test_red_when_prerequisite_is_not_planned_but_dependent_is() -> None:
    result = health_of((1, 3), None)
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 3) needs PAY-31 (Team Nova, not planned): PAY-31 is not planned."
    )


@pytest.mark.parametrize(
    ("a_slot", "b_slot", "a_label", "b_label"),
    [
        ((1, 4), (2, 1), "Iteration 4", "Iteration 1 (PI 2)"),  # lower index, later PI
        ((1, 2), (2, 2), "Iteration 2", "Iteration 2 (PI 2)"),  # same index, later PI
        ((1, 1), (2, 2), "Iteration 1", "Iteration 2 (PI 2)"),  # higher index, later PI
    ],
)
def test_red_when_prerequisite_is_in_a_later_planning_interval(
    a_slot: Slot, b_slot: Slot, a_label: str, b_label: str
) -> None:
    result = health_of(a_slot, b_slot)
    assert result.health is Health.RED
    assert (
        result.reason
        == f"PAY-12 (Team Atlas, {a_label}) needs PAY-31 (Team Nova, {b_label}): PAY-31 is planned in a later planning interval."
    )


# --- AMBER: both in the same iteration --------------------------------------------------------


@pytest.mark.parametrize(
    ("slot", "label"), [((1, 2), "Iteration 2"), ((2, 1), "Iteration 1 (PI 2)")]
)
def test_amber_when_both_land_in_the_same_iteration(slot: Slot, label: str) -> None:
    result = health_of(slot, slot)
    assert result.health is Health.AMBER
    assert (
        result.reason
        == f"PAY-12 (Team Atlas, {label}) needs PAY-31 (Team Nova, {label}): both land in the same iteration."
    )


def test_same_iteration_index_in_different_planning_intervals_is_not_the_same_iteration() -> None:
    assert health_of((2, 2), (1, 2)).health is Health.GREEN
    assert health_of((1, 2), (2, 2)).health is Health.RED


# --- GREEN: B earlier than A -----------------------------------------------------------------


def test_green_when_prerequisite_comes_first() -> None:
    result = health_of((1, 4), (1, 2))
    assert result.health is Health.GREEN
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 4) needs PAY-31 (Team Nova, Iteration 2): PAY-31 comes first."
    )


def test_green_when_prerequisite_is_in_an_earlier_planning_interval() -> None:
    # A higher iteration index, but in the PI before: still earlier.
    result = health_of((2, 1), (1, 4))
    assert result.health is Health.GREEN
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 1 (PI 2)) needs PAY-31 (Team Nova, Iteration 4): PAY-31 comes first."
    )


# --- Extra: the dependent is not planned -> AMBER --------------------------------------------


def test_amber_when_dependent_is_not_planned() -> None:
    result = health_of(None, (1, 2))
    assert result.health is Health.AMBER
    assert (
        result.reason
        == "PAY-12 (Team Atlas, not planned) needs PAY-31 (Team Nova, Iteration 2): PAY-12 is not planned yet."
    )


def test_amber_when_neither_is_planned() -> None:
    result = health_of(None, None)
    assert result.health is Health.AMBER
    assert (
        result.reason
        == "PAY-12 (Team Atlas, not planned) needs PAY-31 (Team Nova, not planned): neither is planned yet."
    )


def test_unplanned_dependent_with_prerequisite_in_a_later_pi_is_amber() -> None:
    result = health_of(None, (2, 2))
    assert result.health is Health.AMBER
    assert (
        result.reason
        == "PAY-12 (Team Atlas, not planned) needs PAY-31 (Team Nova, Iteration 2 (PI 2)): PAY-12 is not planned yet."
    )


# --- Extra: needed_by replaces the dependent's slot ------------------------------------------


def test_needed_by_earlier_than_dependent_turns_red() -> None:
    # Compared with A's slot (4) B (3) would be GREEN; it is needed by iteration 2.
    result = health_of((1, 4), (1, 3), needed_by=(1, 2))
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 4) needs PAY-31 (Team Nova, Iteration 3): PAY-31 comes later than it is needed by Iteration 2."
    )


def test_needed_by_later_than_dependent_turns_green() -> None:
    # Compared with A's slot (2) B (3) would be RED; it is only needed by iteration 4.
    result = health_of((1, 2), (1, 3), needed_by=(1, 4))
    assert result.health is Health.GREEN
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, Iteration 3): PAY-31 comes first by Iteration 4."
    )


def test_needed_by_same_iteration_is_amber() -> None:
    result = health_of((1, 4), (1, 3), needed_by=(1, 3))
    assert result.health is Health.AMBER
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 4) needs PAY-31 (Team Nova, Iteration 3): both land in the same iteration by Iteration 3."
    )


def test_needed_by_with_unplanned_prerequisite_is_red() -> None:
    result = health_of((1, 4), None, needed_by=(1, 2))
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 4) needs PAY-31 (Team Nova, not planned): PAY-31 is not planned but is needed by Iteration 2."
    )


def test_needed_by_holds_an_unplanned_dependent_to_a_date() -> None:
    result = health_of(None, (1, 2), needed_by=(1, 3))
    assert result.health is Health.GREEN
    assert (
        result.reason
        == "PAY-12 (Team Atlas, not planned) needs PAY-31 (Team Nova, Iteration 2): PAY-31 comes first by Iteration 3."
    )
    late = health_of(None, None, needed_by=(1, 3))
    assert late.health is Health.RED
    assert (
        late.reason
        == "PAY-12 (Team Atlas, not planned) needs PAY-31 (Team Nova, not planned): PAY-31 is not planned but is needed by Iteration 3."
    )


def test_needed_by_in_an_earlier_planning_interval() -> None:
    result = health_of((2, 2), (2, 1), needed_by=(1, 4))
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, Iteration 2 (PI 2)) needs PAY-31 (Team Nova, Iteration 1 (PI 2)): PAY-31 is planned in a later planning interval."
    )


def test_needed_by_without_a_label_names_the_iteration_index() -> None:
    a = story(12, "Team Atlas", (3, 2))
    b = story(31, "Team Nova", (3, 3))
    dep = Dependency("D1", a.id, b.id, needed_by=(3, 2))
    result = assess(Plan((a, b), (dep,)), dep)
    assert result.health is Health.RED
    assert (
        result.reason
        == "PAY-12 (Team Atlas, iteration 2) needs PAY-31 (Team Nova, iteration 3): PAY-31 comes later than it is needed by iteration 2."
    )


# --- dependency_health: which dependencies it reports ----------------------------------------


def test_dependency_health_skips_dependencies_with_an_end_outside_the_plan() -> None:
    plan, dep = pair((1, 2), (1, 1))
    outside = Dependency("D2", "S12", "S99")
    also_outside = Dependency("D3", "S98", "S31")
    plan = Plan(plan.items, (dep, outside, also_outside), iterations=ITERATIONS)
    assert [h.dependency for h in dependency_health(plan)] == ["D1"]


def test_dependency_health_reports_relates_dependencies_too() -> None:
    plan, _ = pair((1, 2), (1, 4), blocks=False)
    [result] = dependency_health(plan)
    assert result.health is Health.RED


def test_dependency_health_of_a_chosen_subset() -> None:
    a = story(12, "Team Atlas", (1, 2))
    b = story(31, "Team Nova", (1, 4))
    c = story(40, "Team Nova", (1, 1))
    d1 = Dependency("D1", a.id, b.id)
    d2 = Dependency("D2", a.id, c.id)
    plan = Plan((a, b, c), (d1, d2), iterations=ITERATIONS)
    assert [(h.dependency, h.health) for h in dependency_health(plan, [d2])] == [
        ("D2", Health.GREEN)
    ]
    assert [(h.dependency, h.health) for h in dependency_health(plan)] == [
        ("D1", Health.RED),
        ("D2", Health.GREEN),
    ]


# --- Feature health ---------------------------------------------------------------------------


def board_plan() -> Plan:
    """F1 (Team Atlas) with stories S12, S13; other teams' work it waits for."""
    f1 = feature(1, "Team Atlas", (1, 4))
    s12 = story(12, "Team Atlas", (1, 2), parent="F1")
    s13 = story(13, "Team Atlas", (1, 3), parent="F1")
    f2 = feature(2, "Team Nova", (1, 4))
    s31 = story(31, "Team Nova", (1, 4), parent="F2")
    s32 = story(32, "Team Nova", (1, 3), parent="F2")
    s33 = story(33, "Team Nova", (1, 1), parent="F2")
    s34 = story(34, "Team Nova", None, parent="F2")
    return Plan(
        (f1, s12, s13, f2, s31, s32, s33, s34),
        (),
        iterations=ITERATIONS,
    )


def with_dependencies(plan: Plan, *dependencies: Dependency) -> Plan:
    return Plan(plan.items, dependencies, iterations=plan.iterations)


def features_of(plan: Plan) -> list[FeatureHealth]:
    return feature_health(plan, dependency_health(plan))


def test_feature_health_is_the_worst_of_its_own_and_its_stories_dependencies() -> None:
    plan = with_dependencies(
        board_plan(),
        Dependency("D1", "F1", "S33"),  # the feature's own: GREEN
        Dependency("D2", "S12", "S31"),  # a story's: RED (4 after 2)
        Dependency("D3", "S13", "S32"),  # a story's: AMBER (both 3)
    )
    [f1] = features_of(plan)
    assert f1 == FeatureHealth(
        "F1",
        Health.RED,
        "PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, Iteration 4): PAY-31 comes later than it is needed.",
        ("D2",),
    )


def test_feature_health_counts_the_features_own_dependency() -> None:
    plan = with_dependencies(
        board_plan(),
        Dependency("D1", "F1", "S31"),  # the feature's own: AMBER (both 4)
        Dependency("D2", "S13", "S33"),  # a story's: GREEN
    )
    [f1] = features_of(plan)
    assert f1 == FeatureHealth(
        "F1",
        Health.AMBER,
        "PAY-1 (Team Atlas, Iteration 4) needs PAY-31 (Team Nova, Iteration 4): both land in the same iteration.",
        ("D1",),
    )


def test_feature_health_with_several_worst_dependencies() -> None:
    plan = with_dependencies(
        board_plan(),
        Dependency("D1", "S12", "S31"),  # RED
        Dependency("D2", "S13", "S34"),  # RED: not planned
        Dependency("D3", "S13", "S33"),  # GREEN
    )
    [f1] = features_of(plan)
    assert f1.health is Health.RED
    assert f1.dependencies == ("D1", "D2")
    assert (
        f1.reason
        == "2 dependencies are RED, e.g. PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, Iteration 4): PAY-31 comes later than it is needed."
    )


def test_feature_health_is_done_when_everything_it_waits_for_is_done() -> None:
    items = tuple(
        story(31, "Team Nova", (1, 4), done=True, parent="F2") if i.id == "S31" else i
        for i in board_plan().items
    )
    plan = Plan(items, (Dependency("D1", "S12", "S31"),), iterations=ITERATIONS)
    [f1] = features_of(plan)
    assert f1 == FeatureHealth(
        "F1",
        Health.DONE,
        "PAY-12 (Team Atlas, Iteration 2) needs PAY-31 (Team Nova, Iteration 4): PAY-31 is done.",
        ("D1",),
    )


def test_feature_health_ignores_relates_dependencies() -> None:
    plan = with_dependencies(
        board_plan(),
        Dependency("D1", "S12", "S31", blocks=False),  # RED, but only informational
        Dependency("D2", "S13", "S33"),  # GREEN
    )
    healths = dependency_health(plan)
    assert [h.health for h in healths] == [Health.RED, Health.GREEN]
    [f1] = feature_health(plan, healths)
    assert (f1.feature, f1.health, f1.dependencies) == ("F1", Health.GREEN, ("D2",))


def test_feature_with_only_relates_dependencies_has_no_health() -> None:
    plan = with_dependencies(board_plan(), Dependency("D1", "S12", "S31", blocks=False))
    assert features_of(plan) == []


def test_feature_health_is_about_what_it_waits_for_not_who_waits_for_it() -> None:
    # F2's story S31 is the prerequisite of a RED dependency: that is F1's problem, not F2's.
    plan = with_dependencies(board_plan(), Dependency("D1", "S12", "S31"))
    assert [(f.feature, f.health) for f in features_of(plan)] == [("F1", Health.RED)]


def test_feature_health_for_every_feature_sorted_by_id() -> None:
    plan = with_dependencies(
        board_plan(),
        Dependency("D1", "S32", "S13"),  # F2 waits for F1's S13: AMBER (both 3)
        Dependency("D2", "S12", "S33"),  # F1 waits for S33: GREEN
    )
    assert [(f.feature, f.health, f.dependencies) for f in features_of(plan)] == [
        ("F1", Health.GREEN, ("D2",)),
        ("F2", Health.AMBER, ("D1",)),
    ]


def test_feature_health_uses_needed_by() -> None:
    plan = with_dependencies(board_plan(), Dependency("D1", "S13", "S33", needed_by=(1, 1)))
    [f1] = features_of(plan)
    assert f1 == FeatureHealth(
        "F1",
        Health.AMBER,
        "PAY-13 (Team Atlas, Iteration 3) needs PAY-33 (Team Nova, Iteration 1): both land in the same iteration by Iteration 1.",
        ("D1",),
    )


def test_worst_orders_red_amber_green_done() -> None:
    assert [h.severity for h in Health] == [3, 2, 1, 0]
    assert worst([Health.GREEN, Health.DONE]) is Health.GREEN
    assert worst([Health.DONE, Health.AMBER, Health.GREEN]) is Health.AMBER
    assert worst([Health.AMBER, Health.RED, Health.DONE]) is Health.RED
    assert worst([]) is None
