"""Explorable figures: one Plotly figure with a frame per grid point, sliders, under caps.

And the course's own: every explorable of every lesson builds (fresh, not from the cache),
valid against Plotly's schema, with its frames under the caps.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import plotly.graph_objects as go
import pytest

from apps.curriculum import companions
from apps.curriculum.loader import load_curriculum
from apps.sandbox.grading.explorables import (
    MAX_EXPLORABLE_BYTES,
    MAX_FRAMES,
    Explorable,
    ExplorableError,
    Param,
    explorable_to_dict,
    frame_name,
)

CURRICULUM = load_curriculum()
LESSONS = [lesson for module in CURRICULUM.modules for lesson in module.lessons]


def line_at(slope: float, offset: float = 0.0) -> dict[str, Any]:
    return {
        "data": [
            {"type": "scatter", "x": [0, 1, 2], "y": [0, 1, 4], "name": "fixed"},
            {"type": "scatter", "x": [0, 1, 2], "y": [offset, slope + offset, 2 * slope + offset]},
        ],
        "layout": {"title": {"text": f"slope {slope}"}, "yaxis": {"range": [-10, 10]}},
    }


def plotly_valid(figure: dict[str, Any]) -> None:
    """Plotly's own schema accepts the figure (the page's extra "explorable" key aside)."""
    go.Figure({key: value for key, value in figure.items() if key != "explorable"})


def test_one_parameter_gives_a_frame_per_value_and_a_slider_that_animates_to_it() -> None:
    figure = explorable_to_dict(
        Explorable(params=[Param("slope", "slope $a$", [1, 2, 3, 4])], build=line_at)
    )
    assert [frame["name"] for frame in figure["frames"]] == ["0", "1", "2", "3"]
    (slider,) = figure["layout"]["sliders"]
    assert slider["active"] == 1  # the middle value by default
    assert [step["args"][0] for step in slider["steps"]] == [["0"], ["1"], ["2"], ["3"]]
    assert {step["method"] for step in slider["steps"]} == {"animate"}
    assert slider["currentvalue"]["prefix"] == "slope a = "
    assert figure["data"][1]["y"] == [0, 2, 4]
    plotly_valid(figure)


def test_frames_carry_only_the_traces_and_layout_that_change() -> None:
    figure = explorable_to_dict(
        Explorable(params=[Param("slope", "slope", [1.0, 2.0])], build=line_at)
    )
    for frame in figure["frames"]:
        assert frame["traces"] == [1]
        assert len(frame["data"]) == 1
        assert list(frame["layout"]) == ["title"]
    assert figure["frames"][1]["layout"]["title"]["text"] == "slope 2.0"


def test_two_parameters_name_frames_by_both_indices_and_leave_the_choice_to_the_page() -> None:
    figure = explorable_to_dict(
        Explorable(
            params=[
                Param("slope", "slope", [1, 2, 3], initial=3),
                Param("offset", "offset", [0.0, 0.5]),
            ],
            build=line_at,
        )
    )
    assert len(figure["frames"]) == 6
    assert frame_name([2, 1]) in {frame["name"] for frame in figure["frames"]}
    assert [s["active"] for s in figure["layout"]["sliders"]] == [2, 0]
    assert {s["method"] for slider in figure["layout"]["sliders"] for s in slider["steps"]} == {
        "skip"
    }
    meta = figure["explorable"]
    assert [p["name"] for p in meta["params"]] == ["slope", "offset"]
    assert meta["params"][0]["values"] == ["1", "2", "3"]
    assert meta["controls_px"] > 0
    plotly_valid(figure)


def test_animate_adds_a_play_button() -> None:
    figure = explorable_to_dict(
        Explorable(params=[Param("slope", "time", list(range(10)))], build=line_at, animate=True)
    )
    (menu,) = figure["layout"]["updatemenus"]
    assert menu["buttons"][0]["method"] == "animate"
    assert figure["explorable"]["animate"] is True
    plotly_valid(figure)


def test_numbers_are_rounded_and_non_finite_ones_become_gaps() -> None:
    def build(a: float) -> dict[str, Any]:
        return {"data": [{"type": "scatter", "y": [1 / 3, float("nan"), a]}], "layout": {}}

    figure = explorable_to_dict(Explorable(params=[Param("a", "a", [1.0, 2.0])], build=build))
    assert figure["data"][0]["y"] == [0.33333, None, 1.0]
    json.loads(json.dumps(figure, allow_nan=False))


@pytest.mark.parametrize(
    ("explorable", "message"),
    [
        (Explorable(params=[], build=line_at), "1 to 2 parameters"),
        (
            Explorable(
                params=[Param("a", "a", [1]), Param("b", "b", [1]), Param("c", "c", [1])],
                build=line_at,
            ),
            "1 to 2 parameters",
        ),
        (
            Explorable(
                params=[Param("a", "a", range(12)), Param("b", "b", range(11))], build=line_at
            ),
            f"over the cap of {MAX_FRAMES} frames",
        ),
        (
            Explorable(params=[Param("bad name", "a", [1])], build=line_at),
            "not a Python identifier",
        ),
        (Explorable(params=[Param("a", "a", [1, float("inf")])], build=line_at), "finite"),
        (Explorable(params=[Param("a", "a", [1], initial=5)], build=line_at), "is not a value"),
        (
            Explorable(
                params=[Param("a", "a", [1]), Param("b", "b", [2])], build=line_at, animate=True
            ),
            "exactly one parameter",
        ),
    ],
)
def test_an_explorable_outside_the_rules_is_refused_with_a_reason(explorable, message) -> None:
    with pytest.raises(ExplorableError, match=message):
        explorable_to_dict(explorable)


def test_grid_points_that_draw_different_traces_are_refused() -> None:
    def build(a: int) -> dict[str, Any]:
        kind = "scatter" if a == 0 else "bar"
        return {"data": [{"type": kind, "y": [1, 2]}], "layout": {}}

    with pytest.raises(ExplorableError, match="same traces in the same order"):
        explorable_to_dict(Explorable(params=[Param("a", "a", [0, 1])], build=build))


def test_an_explorable_over_the_byte_cap_is_refused() -> None:
    def build(a: int) -> dict[str, Any]:
        return {"data": [{"type": "scatter", "y": [a + i / 7 for i in range(6000)]}], "layout": {}}

    with pytest.raises(ExplorableError, match=f"over the {MAX_EXPLORABLE_BYTES:,}-byte cap"):
        explorable_to_dict(Explorable(params=[Param("a", "a", list(range(40)))], build=build))


def test_a_build_that_raises_names_the_grid_point() -> None:
    def build(a: int) -> dict[str, Any]:
        raise ZeroDivisionError("boom")

    with pytest.raises(ExplorableError, match=r"build\(\{'a': 1\}\) raised ZeroDivisionError"):
        explorable_to_dict(Explorable(params=[Param("a", "a", [1])], build=build))


# ----- the course's explorables --------------------------------------------------------------


@cache
def built(lesson_index: int) -> dict[str, Any]:
    return companions.lesson_figures_build(LESSONS[lesson_index])


def test_the_worked_examples_have_explorables_in_three_modules() -> None:
    modules = {
        lesson.module_slug
        for index, lesson in enumerate(LESSONS)
        if any("frames" in figure for figure in built(index).values())
    }
    assert {"optimization", "probability", "rnn"} <= modules


@pytest.mark.parametrize(
    "index", range(len(LESSONS)), ids=[f"{lesson.module_slug}/{lesson.slug}" for lesson in LESSONS]
)
def test_every_lesson_figure_builds_valid_and_every_explorable_under_its_caps(index: int) -> None:
    for name, figure in built(index).items():
        plotly_valid(figure)
        if "frames" not in figure:
            continue
        assert 1 <= len(figure["frames"]) <= MAX_FRAMES, name
        assert len(json.dumps(figure)) <= MAX_EXPLORABLE_BYTES, name
        names = {frame["name"] for frame in figure["frames"]}
        sizes = [len(p["values"]) for p in figure["explorable"]["params"]]
        if len(sizes) == 1:
            assert names == {str(i) for i in range(sizes[0])}
        else:
            assert names == {f"{i}-{j}" for i in range(sizes[0]) for j in range(sizes[1])}


def test_lesson_figures_are_built_once_per_content_hash(monkeypatch, tmp_path, settings) -> None:
    settings.LESSON_FIGURE_CACHE_DIR = tmp_path
    lesson = next(lesson for lesson in LESSONS if lesson.figures_path)
    companions._figures.clear()
    calls = []
    real = companions.lesson_figures_build
    monkeypatch.setattr(
        companions, "lesson_figures_build", lambda spec: calls.append(spec.slug) or real(spec)
    )
    first = companions.lesson_figures(lesson)
    companions._figures.clear()  # a new process: only the disk cache is left
    assert companions.lesson_figures(lesson) == first
    assert calls == [lesson.slug]
    assert list(tmp_path.glob("*.json")) == [tmp_path / f"{lesson.content_hash}.json"]


def test_a_parameter_may_take_named_values() -> None:
    def build(mode: str) -> dict[str, Any]:
        return {
            "data": [{"type": "scatter", "y": [1, 2] if mode == "plain" else [1, 4]}],
            "layout": {},
        }

    figure = explorable_to_dict(
        Explorable(params=[Param("mode", "network", ["plain", "with residuals"])], build=build)
    )
    assert figure["explorable"]["params"][0]["values"] == ["plain", "with residuals"]
    assert figure["frames"][1]["data"][0]["y"] == [1, 4]


@pytest.mark.django_db
def test_a_second_sync_rebuilds_no_unchanged_lesson(monkeypatch) -> None:
    from apps.curriculum.services import curriculum_sync

    def refuse(spec: Any) -> dict[str, Any]:
        raise AssertionError(f"{spec.slug} was rebuilt")

    monkeypatch.setattr(companions, "_figures", {})
    monkeypatch.setattr(companions, "_read_disk", lambda _hash: None)
    monkeypatch.setattr(companions, "lesson_figures_build", refuse)
    report = curriculum_sync(curriculum=load_curriculum())
    assert report.changed == []
    assert report.added == []
