"""Red team 17: interactive lessons (concept checks, try-it cells, run on my input, figures).

Written against the public interface only (the API, the lesson pages). A test marked
``xfail(strict=True)`` is a finding that fails today; unmarked tests pin what held.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

GD = "/api/v1/modules/optimization/lessons/gradient-descent-and-momentum/questions/"
RNN = "/api/v1/modules/rnn/lessons/lyapunov-spectrum-and-the-edge-of-chaos/questions/"
SOFTMAX = "/api/v1/modules/probability/lessons/softmax-and-cross-entropy/questions/"


def _api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _answer(client: APIClient, base: str, name: str, answer: Any) -> Any:
    return client.post(f"{base}{name}/answers/", {"answer": answer}, format="json")


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _curvatures(prompt: str) -> tuple[float, float]:
    found = re.search(r"\(([\d.]+)\\,x_1\^2 \+ ([\d.]+)\\,x_2\^2\)", prompt)
    assert found, prompt
    return float(found.group(1)), float(found.group(2))


def _matrix(prompt: str) -> list[list[float]]:
    found = re.search(r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", prompt)
    assert found, prompt
    rows = found.group(1).split("\\\\")
    return [[float(x) for x in row.replace("&amp;", "&").split("&")] for row in rows]


def _run(client: APIClient, path: str, body: dict[str, Any], capture: Any) -> dict[str, Any]:
    with capture(execute=True):
        response = client.post(path, body, format="json")
    assert response.status_code == 202, response.content[:300]
    run_id = response.json()["id"]
    for _ in range(60):
        run = client.get(f"/api/v1/runs/{run_id}/").json()
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.5)
    return run


# ------------------------------------------------------------------------------------------
# Concept checks: what held
# ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_learner_gets_their_own_variant_stable_across_reloads(
    make_user: Callable[..., Any],
) -> None:
    prompts = []
    for i in range(4):
        client = _api(make_user(f"variant{i}"))
        first = client.get(GD).json()
        again = client.get(GD).json()
        assert [q["prompt_html"] for q in first] == [q["prompt_html"] for q in again]
        prompts.append(first[0]["prompt_html"])
    assert len(set(prompts)) > 1, "every learner got the same numbers"


@pytest.mark.django_db
def test_the_lesson_page_and_api_do_not_carry_the_answer(
    make_user: Callable[..., Any],
) -> None:
    user = make_user("peek")
    web = Client()
    web.force_login(user)
    page = web.get("/learn/optimization/gradient-descent-and-momentum/").content.decode()
    listing = _api(user).get(GD).content.decode()
    prompt = _api(user).get(f"{GD}largest-step/").json()["prompt_html"]
    _, steep = _curvatures(prompt)
    for text in (page, listing):
        assert "question-largest-step" in page
        assert "eigen-direction" not in text  # the explanation shown only after answering
        assert "The answer was" not in text
        assert "data-correct" not in text
        assert '"correct"' not in text
        assert f"2/{steep:g}" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "junk",
    [
        "nan",
        "inf",
        "-inf",
        "1e999",
        "__import__('os').system('id')",
        "9" * 5000,
        "",
        "1/0",
        "2**2**2**2**2",
        ["1", "2"],
        {"a": 1},
        True,
    ],
)
def test_unreadable_answers_are_refused_without_costing_a_try(
    make_user: Callable[..., Any], junk: Any
) -> None:
    client = _api(make_user("junk"))
    response = _answer(client, GD, "largest-step", junk)
    assert response.status_code == 400, response.content[:300]
    question = client.get(f"{GD}largest-step/").json()
    assert question["attempts"] == 0
    assert question["tries_left"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["{v}", "2/{s}", "1/{h}", " {v} ", "2 / ({s})", "{v}000"])
def test_a_correct_number_written_another_way_passes(
    make_user: Callable[..., Any], form: str
) -> None:
    client = _api(make_user("forms"))
    _, steep = _curvatures(client.get(f"{GD}largest-step/").json()["prompt_html"])
    value = 2 / steep
    text = form.format(
        v=repr(value) if form == "{v}000" else f"{value:g}", s=f"{steep:g}", h=f"{steep / 2:g}"
    )
    if form == "{v}000" and "e" in text:
        text = f"{value:.6f}"
    response = _answer(client, GD, "largest-step", text)
    assert response.status_code == 200, (text, response.content[:300])
    assert response.json()["correct"], text


@pytest.mark.django_db
def test_vectors_and_matrices_pass_with_spaces_brackets_or_any_order(
    make_user: Callable[..., Any],
) -> None:
    client = _api(make_user("vectors"))
    questions = {q["name"]: q for q in client.get(RNN).json()}
    (a, b), (c, d) = _matrix(questions["eigenvalues-of-w"]["prompt_html"])
    tr, det = a + d, a * d - b * c
    root = math.sqrt(tr * tr - 4 * det)
    l1, l2 = (tr + root) / 2, (tr - root) / 2
    for text in (
        f"{l1:g}, {l2:g}",
        f"{l2:g}, {l1:g}",
        f"{l1:g} {l2:g}",
        f"[{l1:g}, {l2:g}]",
        [l1, l2],
    ):
        response = _answer(client, RNN, "eigenvalues-of-w", text)
        assert response.status_code == 200, text
        assert response.json()["correct"], text
    prompt = questions["jacobian-at-rest"]["prompt_html"]
    g = float(re.search(r"g = ([\d.]+)", prompt).group(1))
    jac = [[g * x for x in row] for row in _matrix(prompt)]
    flat = "; ".join(", ".join(f"{x:g}" for x in row) for row in jac)
    for text in (flat, flat.replace(",", " "), jac):
        response = _answer(client, RNN, "jacobian-at-rest", text)
        assert response.status_code == 200, text
        assert response.json()["correct"], text


@pytest.mark.django_db
def test_known_wrong_answers_get_a_message_naming_the_mistake(
    make_user: Callable[..., Any],
) -> None:
    """Wrong answers written from the question text alone."""
    client = _api(make_user("mistakes"))
    flat, steep = _curvatures(client.get(f"{GD}largest-step/").json()["prompt_html"])
    once = _answer(client, GD, "largest-step", f"1/{steep:g}").json()
    assert not once["correct"]
    assert "single step" in once["message"]
    flat_limit = _answer(client, GD, "largest-step", f"2/{flat:g}").json()
    assert not flat_limit["correct"]
    assert "flat direction" in flat_limit["message"]


def _softmax_z(client: APIClient) -> list[float]:
    prompt = client.get(f"{SOFTMAX}softmax-by-hand/").json()["prompt_html"]
    found = re.search(r"\\mathbf\{z\} = \(([^)]*)\)", prompt)
    assert found, prompt
    return [float(x) for x in found.group(1).split(",")]


@pytest.mark.django_db
def test_cross_entropy_in_bits_or_with_the_wrong_sign_is_named(
    make_user: Callable[..., Any],
) -> None:
    client = _api(make_user("entropy"))
    prompt = client.get(f"{SOFTMAX}cross-entropy-by-hand/").json()["prompt_html"]
    z = [float(x) for x in re.search(r"\\mathbf\{z\} = \(([^)]*)\)", prompt).group(1).split(",")]
    label = int(re.search(r"class (\d)", prompt).group(1)) - 1
    loss = math.log(sum(math.exp(v) for v in z)) - z[label]
    bits = _answer(client, SOFTMAX, "cross-entropy-by-hand", f"{loss / math.log(2):.4f}").json()
    assert not bits["correct"]
    assert "bits" in bits["message"]
    sign = _answer(client, SOFTMAX, "cross-entropy-by-hand", f"{-loss:.4f}").json()
    assert not sign["correct"]
    assert "sign" in sign["message"]


@pytest.mark.django_db
def test_softmax_without_normalising_is_named(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("unnormalised"))
    z = _softmax_z(client)
    top = max(z)
    text = ", ".join(f"{math.exp(v - top):.3f}" for v in z)
    body = _answer(client, SOFTMAX, "softmax-by-hand", text).json()
    assert not body["correct"]
    assert re.search(r"sum|normali|divide|add up|1", body["message"], re.I), body["message"]


@pytest.mark.django_db
def test_softmax_in_the_wrong_order_is_named(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("sorted"))
    z = _softmax_z(client)
    total = sum(math.exp(v) for v in z)
    probs = [math.exp(v) / total for v in z]
    # Sorted largest first; a learner whose numbers already come in that order (one in six:
    # the variant follows the user's id) gets them smallest first instead.
    shuffled = sorted(probs, reverse=True)
    if shuffled == probs:
        shuffled = sorted(probs)
    assert shuffled != probs
    text = ", ".join(f"{p:.3f}" for p in shuffled)
    body = _answer(client, SOFTMAX, "softmax-by-hand", text).json()
    assert not body["correct"]
    assert "order" in body["message"].lower(), body["message"]


@pytest.mark.django_db
def test_replaying_a_correct_answer_does_not_farm_mastery(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("farmer"))
    _, steep = _curvatures(client.get(f"{GD}largest-step/").json()["prompt_html"])

    def mastery() -> float:
        modules = client.get("/api/v1/progress/me/").json()["modules"]
        return next(m["mastery"] for m in modules if m["slug"] == "optimization")

    assert _answer(client, GD, "largest-step", f"2/{steep:g}").json()["correct"]
    once = mastery()
    assert once > 0
    for _ in range(5):
        assert _answer(client, GD, "largest-step", f"2/{steep:g}").json()["correct"]
    assert mastery() == once


@pytest.mark.django_db
def test_another_lessons_question_or_another_learner_cannot_be_answered(
    make_user: Callable[..., Any],
) -> None:
    victim, attacker = make_user("victim"), make_user("attacker")
    client = _api(attacker)
    assert _answer(client, SOFTMAX, "largest-step", "1").status_code == 404
    assert _answer(client, GD, "no-such-question", "1").status_code == 404
    client.post(f"{GD}largest-step/answers/", {"answer": "1", "user": victim.pk}, format="json")
    mine = _api(victim).get(f"{GD}largest-step/").json()
    assert mine["attempts"] == 0
    assert client.get(GD).status_code == 200
    assert APIClient().get(GD).status_code in (401, 403)


# ------------------------------------------------------------------------------------------
# Concept checks: findings
# ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_lesson_has_at_least_two_concept_checks(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("coverage"))
    missing = []
    for module in client.get("/api/v1/modules/").json():
        for lesson in module["lessons"]:
            path = f"/api/v1/modules/{module['slug']}/lessons/{lesson['slug']}/questions/"
            if len(client.get(path).json()) < 2:
                missing.append(f"{module['slug']}/{lesson['slug']}")
    assert missing == []


@pytest.mark.django_db
def test_a_matrix_in_the_wrong_shape_does_not_cost_a_try(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("shape"))
    response = _answer(client, RNN, "jacobian-at-rest", "1, 2, 3, 4")
    question = client.get(f"{RNN}jacobian-at-rest/").json()
    assert response.status_code == 400 or question["tries_left"] == 3


@pytest.mark.django_db
def test_a_too_rounded_answer_is_told_so(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("rounding"))
    prompt = client.get(f"{RNN}largest-exponent/").json()["prompt_html"]
    moduli = [abs(x) for x in _numbers(re.search(r"eigenvalues(.*)", prompt).group(1))[:2]]
    exact = math.log(max(moduli))
    for digits in (2, 1):  # the value cut to 2 (then 1) decimals, as from a calculator
        cut = math.trunc(exact * 10**digits) / 10**digits
        body = _answer(client, RNN, "largest-exponent", f"{cut:.{digits}f}").json()
        if not body["correct"]:
            assert re.search(r"decimal|round|precis|close", body["message"], re.I), body
            break


@pytest.mark.django_db
def test_a_revealed_choice_cannot_be_copied_into_the_next_variant(
    make_user: Callable[..., Any],
) -> None:
    client = _api(make_user("copier"))
    question = client.get(f"{GD}momentum-across/").json()
    wrong = [o for o in question["options"] if "averages out" not in o["html"]]
    body: dict[str, Any] = {}
    for option in wrong[:3]:
        body = _answer(client, GD, "momentum-across", option["index"]).json()
        assert not body["correct"]
    assert body["revealed"]
    fresh = client.get(f"{GD}momentum-across/").json()
    pick = next(o for o in fresh["options"] if o["html"].split(":")[0] in body["revealed"])
    result = _answer(client, GD, "momentum-across", pick["index"]).json()
    assert not result["question"]["solved"]


# ------------------------------------------------------------------------------------------
# Try-it cells and run on my own input
# ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_try_it_run_cannot_read_the_project_other_learners_or_the_network(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = _api(make_user("snoop"))
    code = (
        "import os, socket\n"
        "print(sorted(os.listdir('/work')) if os.path.exists('/work') else [])\n"
        "for p in ['db.sqlite3', '.secret_key', 'manage.py']:\n"
        "    print(p, any(os.path.exists(os.path.join(r, p)) for r, _, _ in os.walk('/work')))\n"
        "try:\n"
        "    socket.create_connection(('1.1.1.1', 80), timeout=2); print('NET-OK')\n"
        "except OSError as e:\n"
        "    print('net', type(e).__name__)\n"
    )
    run = _run(client, "/api/v1/runs/", {"code": code}, django_capture_on_commit_callbacks)
    assert run["status"] == "ok", run
    assert "NET-OK" not in run["stdout"]
    assert "True" not in run["stdout"], run["stdout"]


@pytest.mark.django_db
def test_a_try_it_run_that_loops_or_floods_output_is_cut_off(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = _api(make_user("flood"))
    run = _run(
        client,
        "/api/v1/runs/",
        {"code": "print('x' * 50_000_000)"},
        django_capture_on_commit_callbacks,
    )
    assert len(run["stdout"]) < 200_000
    run = _run(
        client,
        "/api/v1/runs/",
        {"code": "while True:\n    pass\n"},
        django_capture_on_commit_callbacks,
    )
    assert run["status"] == "timeout"


@pytest.mark.django_db
def test_plots_take_only_arrays_cap_their_size_and_turn_nan_into_gaps(
    make_user: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    client = _api(make_user("plotter"))
    cap = _run(
        client,
        "/api/v1/runs/",
        {"code": "import numpy as np, dlplot\ndlplot.heatmap(np.zeros((3000, 3000)))\n"},
        django_capture_on_commit_callbacks,
    )
    assert cap["status"] == "error"
    assert cap["figures"] == []
    nan = _run(
        client,
        "/api/v1/runs/",
        {"code": "import numpy as np, dlplot\ndlplot.line(np.array([np.nan, np.inf, 1.0]))\n"},
        django_capture_on_commit_callbacks,
    )
    assert nan["status"] == "ok"
    assert nan["figures"][0]["data"][0]["y"] == [None, None, 1.0]
    label = _run(
        client,
        "/api/v1/runs/",
        {
            "code": "import numpy as np, dlplot\n"
            "dlplot.line(np.arange(3.0), title='<script>alert(1)</script>')\n"
        },
        django_capture_on_commit_callbacks,
    )
    assert "<script>" not in str(label["figures"])


@pytest.mark.django_db
def test_run_on_my_input_for_an_unknown_exercise_is_404(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("ghost"))
    response = client.post(
        "/api/v1/exercises/no-such-exercise/runs/", {"code": "x = 1", "input": "x"}, format="json"
    )
    assert response.status_code == 404
    assert APIClient().post("/api/v1/runs/", {"code": "1"}, format="json").status_code in (401, 403)


# ------------------------------------------------------------------------------------------
# Explorable figures
# ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lesson_pages_stay_under_2_mb_and_load_nothing_from_other_hosts(
    make_user: Callable[..., Any],
) -> None:
    web = Client()
    web.force_login(make_user("reader"))
    api = _api(make_user("reader2"))
    sliders = 0
    for module in api.get("/api/v1/modules/").json():
        for lesson in module["lessons"]:
            page = web.get(f"/learn/{module['slug']}/{lesson['slug']}/")
            assert page.status_code == 200
            html = page.content.decode()
            assert len(page.content) < 2_000_000, lesson["slug"]
            assert not re.search(r"(src|href)=\"(https?:)?//", html), lesson["slug"]
            sliders += html.count('"explorable"')
    assert sliders >= 1


def _lesson_pages(make_user: Callable[..., Any]) -> dict[tuple[str, str], str]:
    web = Client()
    web.force_login(make_user("counter"))
    api = _api(make_user("counter2"))
    return {
        (module["slug"], lesson["slug"]): web.get(
            f"/learn/{module['slug']}/{lesson['slug']}/"
        ).content.decode()
        for module in api.get("/api/v1/modules/").json()
        for lesson in module["lessons"]
    }


@pytest.mark.django_db
def test_at_least_twenty_explorable_figures_in_every_module(
    make_user: Callable[..., Any],
) -> None:
    pages = _lesson_pages(make_user)
    total = sum(html.count('"explorable"') for html in pages.values())
    modules = {m for (m, _), html in pages.items() if '"explorable"' in html}
    assert total >= 20, f"{total} explorable figures"
    assert modules == {m for m, _ in pages}


@pytest.mark.django_db
def test_every_module_has_a_try_it_cell(make_user: Callable[..., Any]) -> None:
    pages = _lesson_pages(make_user)
    with_cell = {m for (m, _), html in pages.items() if "data-cell" in html}
    assert with_cell == {m for m, _ in pages}, sorted({m for m, _ in pages} - with_cell)


@pytest.mark.django_db
def test_explorable_figures_ship_one_distinct_frame_per_slider_value(
    make_user: Callable[..., Any],
) -> None:
    pages = _lesson_pages(make_user)
    seen = 0
    for html in pages.values():
        found = re.search(
            r'<script id="lesson-figures" type="application/json">(.*?)</script>', html, re.S
        )
        if not found:
            continue
        for figure in json.loads(found.group(1)).values():
            if "explorable" not in figure:
                continue
            seen += 1
            sizes = [len(p["values"]) for p in figure["explorable"]["params"]]
            assert len(figure["frames"]) == math.prod(sizes)
            bodies = {json.dumps(frame["data"], sort_keys=True) for frame in figure["frames"]}
            assert len(bodies) == len(figure["frames"]), "moving the slider changes nothing"
    assert seen >= 1


@pytest.mark.django_db
def test_concept_check_answers_are_throttled(make_user: Callable[..., Any]) -> None:
    client = _api(make_user("hammer"))
    codes = [_answer(client, GD, "largest-step", "x").status_code for _ in range(75)]
    assert 429 in codes, codes[-5:]
    assert set(codes) <= {400, 429}


@pytest.mark.django_db
def test_an_answer_echoed_in_the_feedback_is_escaped(make_user: Callable[..., Any]) -> None:
    web = Client()
    web.force_login(make_user("echo"))
    lesson = "/learn/optimization/gradient-descent-and-momentum/"
    payload = "<script>alert(17)</script>1e999"
    response = web.post(f"{lesson}questions/largest-step/", {"answer": payload}, follow=True)
    assert response.status_code in (200, 400)
    assert "<script>alert(17)</script>" not in response.content.decode()
    api = _api(make_user("echo2")).post(
        f"{GD}largest-step/answers/", {"answer": payload}, format="json"
    )
    assert api.status_code == 400
