"""dlplot, the plotting module learner code can import in the sandbox (issue 17).

It adds one thing to the runner: a run may send its plot records in its result frame, under
an optional "plots" key. These tests hold it to the sandbox's rules: records are plain data
within the frame's caps, whatever learner code does to dlplot; a patched or flooded dlplot
loses its plots, never the run's result; nothing carries over to the next run; a forged
"plots" entry is refused by the decoder like any other malformed frame; and no string of a
run ever reaches a figure (the trusted side draws from checked arrays with fixed labels).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from apps.sandbox.grading.sketch import figures_from_plots
from apps.sandbox.runner import Limits, ZygotePool
from apps.sandbox.runner.limits import PLOT_MAX_FIGURES, PLOT_MAX_VALUES
from tests.sandbox.conftest import FAST
from tests.sandbox.test_attacks_trust import FORGE, assert_refused, forged

pytestmark = pytest.mark.usefixtures("unaffected")

MARKER = "<img src=x onerror=alert(1)>"


def run(pool: ZygotePool, code: str, calls: list | None = None, limits: Limits = FAST):
    return pool.run(code, calls or [], limits)


def test_plots_come_back_as_plain_arrays(sandbox_pool: ZygotePool) -> None:
    result = run(
        sandbox_pool,
        "import numpy as np\nfrom dlplot import line, scatter, heatmap, histogram, vector_field\n"
        "line(np.arange(5) ** 2)\nscatter([1, 2], [3, 4], c=[0, 1])\nheatmap(np.eye(3))\n"
        "histogram(np.random.default_rng(0).normal(size=500), bins=12)\n"
        "vector_field([0, 1], [0, 1], [1, 0], [0, 1])\n",
    )
    assert result.status == "ok"
    assert [p["kind"] for p in result.plots] == [
        "line",
        "scatter",
        "heatmap",
        "histogram",
        "vector_field",
    ]
    assert all(
        type(v) is np.ndarray
        for p in result.plots
        for k, v in p.items()
        if k not in ("kind", "bins", "logy")
    )
    assert len(figures_from_plots(result.plots).figures) == 5


def test_plots_made_before_an_error_still_come_back(sandbox_pool: ZygotePool) -> None:
    result = run(
        sandbox_pool, "from dlplot import line\nline([1, 2, 3])\nraise ValueError('late')\n"
    )
    assert result.status == "error"
    assert result.module_error.line == 3
    assert [p["kind"] for p in result.plots] == ["line"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (f"line(np.zeros({PLOT_MAX_VALUES + 1}))", "at most"),
        ("heatmap(np.zeros(3))", "must be 2-D"),
        ("line(['a', 'b'])", "must be numbers"),
        ("histogram([1.0], bins=10**9)", "bins must be"),
        ("line([1, 2], [1, 2, 3])", "lengths differ"),
        ("line(np.zeros((5, 50)))", "at most 8 lines"),
    ],
)
def test_dlplot_refuses_what_it_cannot_draw_at_the_learners_line(
    sandbox_pool, call, message
) -> None:
    result = run(sandbox_pool, f"import numpy as np\nfrom dlplot import *\n{call}\n")
    assert result.status == "error"
    assert message in result.module_error.message
    assert result.module_error.line == 3
    assert result.plots == []


def test_a_run_draws_at_most_eight_plots(sandbox_pool: ZygotePool) -> None:
    result = run(sandbox_pool, "import dlplot\nfor i in range(100):\n    dlplot.line([1, i])\n")
    assert result.status == "error"
    assert f"at most {PLOT_MAX_FIGURES} plots" in result.module_error.message
    assert len(result.plots) == PLOT_MAX_FIGURES


def test_forged_records_are_plain_data_and_never_become_figures(sandbox_pool: ZygotePool) -> None:
    code = f"""
import dlplot, numpy as np
class Evil:
    def __eq__(self, other):
        return True
dlplot._records += [
    {{"kind": "line", "x": Evil(), "y": np.arange(3)}},
    {{"kind": "{MARKER}", "z": np.eye(2)}},
    {{"kind": "heatmap", "z": np.eye(2), "title": "{MARKER}", "colorscale": "{MARKER}"}},
    {{"kind": "line", "x": np.arange(3.0), "y": np.array(["{MARKER}"] * 3)}},
    {{"kind": "histogram", "samples": np.arange(10.0), "bins": "{MARKER}"}},
    "{MARKER}",
]
"""
    result = run(sandbox_pool, code)
    assert result.status == "ok"
    assert len(result.plots) == 6
    sketches = figures_from_plots(result.plots)
    assert len(sketches.figures) == 1  # the heatmap, without its extra keys
    assert MARKER not in json.dumps(sketches.figures)
    assert MARKER not in " ".join(sketches.notes)
    assert len(sketches.notes) == 5


def test_a_patched_dlplot_loses_the_plots_not_the_result(sandbox_pool: ZygotePool) -> None:
    code = "import dlplot\ndlplot.line([1, 2])\ndef take():\n    raise SystemExit(3)\ndlplot.take = take\ndef f():\n    return 42\n"
    result = run(sandbox_pool, code, [{"key": "k", "func": "f"}])
    assert result.status == "ok"
    assert result.outcomes["k"].value == 42
    assert result.plots == []


def test_plots_over_the_frames_caps_are_dropped_and_the_outcomes_kept(
    sandbox_pool: ZygotePool,
) -> None:
    # 40 MiB of forged records: over the result frame's cap, so they cannot be sent at all.
    code = (
        "import dlplot, numpy as np\n"
        "dlplot._records.extend({'kind': 'line', 'x': np.zeros(1 << 20), 'y': np.zeros(1 << 20)} for _ in range(5))\n"
        "def f():\n    return np.ones(3)\n"
    )
    result = run(
        sandbox_pool,
        code,
        [{"key": "k", "func": "f"}],
        Limits(cpu_seconds=5, wall_seconds=10, memory_mb=512),
    )
    assert result.status == "ok"
    assert result.outcomes["k"].value.tolist() == [1.0, 1.0, 1.0]
    assert result.plots == []


def test_nothing_a_run_does_to_dlplot_reaches_the_next_run(sandbox_pool: ZygotePool) -> None:
    first = run(
        sandbox_pool,
        "import dlplot, sys\ndlplot.line([9, 9])\ndlplot._records.append({'kind': 'line'})\n"
        "dlplot.line = None\nsys.modules['dlplot'] = None\n",
    )
    assert first.status == "ok"
    second = run(sandbox_pool, "from dlplot import line\nline([1, 2, 3])\n")
    assert second.status == "ok"
    assert len(second.plots) == 1
    assert second.plots[0]["y"].tolist() == [1.0, 2.0, 3.0]


def test_dlplot_is_imported_from_the_zygote_not_the_filesystem(sandbox_pool: ZygotePool) -> None:
    code = "import dlplot, os\ndef where():\n    return dlplot.__name__, os.path.exists(dlplot.__file__)\n"
    result = run(sandbox_pool, code, [{"key": "k", "func": "where"}])
    assert result.outcomes["k"].value == ("apps.sandbox.runner.dlplot", False)


def test_a_plots_entry_that_is_not_a_list_is_refused(sandbox_pool: ZygotePool) -> None:
    body = (
        'h = result(1)\nh["value"]["__dict__"].append(["plots", {"__dict__": []}])\nsend(frame(h))'
    )
    assert_refused(forged(sandbox_pool, body)[0], "plots are not a list")


def test_an_unknown_result_key_beside_plots_is_still_refused(sandbox_pool: ZygotePool) -> None:
    body = (
        'h = result(1)\nh["value"]["__dict__"] += [["plots", []], ["figures", []]]\nsend(frame(h))'
    )
    assert_refused(forged(sandbox_pool, body)[0], "unknown or missing keys")


def test_a_forged_plots_entry_obeys_the_frames_caps(sandbox_pool: ZygotePool) -> None:
    # One blob referenced by every record: refused by the decoder, as anywhere in a frame.
    body = (
        'h = result(1)\nrec = {"__dict__": [["kind", "line"], ["y", {"__nd__": 0}]]}\n'
        'h["value"]["__dict__"].append(["plots", [rec] * 1000])\n'
        "send(frame(h, [npy(1 << 16)]))"
    )
    assert_refused(forged(sandbox_pool, body)[0], "referenced more than once")
    assert "send(" in FORGE
