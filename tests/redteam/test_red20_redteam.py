"""Red team (issue 20): course time (reviews, regrading, deadlines), its permissions, the
language switcher and learner isolation across the API, through the public interface only."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

SLUG = "softmax"
OTHER_SLUG = "entropy"
API = "/api/v1"


def _client(user: Any, *, lang: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=lang) if lang else Client()
    client.force_login(user)
    return client


def _first_module(client: Client) -> str:
    data = client.get(f"{API}/modules/").json()
    items = data["results"] if isinstance(data, dict) and "results" in data else data
    return items[0]["slug"]


@pytest.fixture
def world(make_user: Callable[..., Any], make_cohort: Callable[..., Any]) -> dict[str, Any]:
    """Two instructors, each with a cohort; alice in the first, bob in the second, eve alone."""
    from apps.progress.models import Role

    teacher = make_user("teacher", role=Role.INSTRUCTOR)
    rival = make_user("rival", role=Role.INSTRUCTOR)
    alice = make_user("alice")
    bob = make_user("bob")
    eve = make_user("eve")
    cohort = make_cohort(teacher, [alice], name="Cohort A")
    other = make_cohort(rival, [bob], name="Cohort B")
    return {
        "teacher": teacher,
        "rival": rival,
        "alice": alice,
        "bob": bob,
        "eve": eve,
        "cohort": cohort,
        "other": other,
    }


# ---------------------------------------------------------------- spaced review


def test_review_detail_of_never_passed_exercise_is_404(world: dict[str, Any]) -> None:
    response = _client(world["alice"]).get(f"{API}/reviews/{SLUG}/")
    assert response.status_code == 404


@pytest.mark.parametrize("action", ["start", "forgot"])
def test_review_actions_on_never_passed_exercise_refused(
    world: dict[str, Any], action: str
) -> None:
    client = _client(world["alice"])
    response = client.post(f"{API}/reviews/{SLUG}/{action}/")
    assert response.status_code in (404, 409)
    assert client.get(f"{API}/reviews/").status_code == 200
    assert client.get(f"{API}/reviews/{SLUG}/").status_code == 404


def test_review_submission_for_never_passed_exercise_refused(world: dict[str, Any]) -> None:
    client = _client(world["alice"])
    response = client.post(
        f"{API}/reviews/{SLUG}/submissions/",
        {"code": "import numpy as np\n"},
        content_type="application/json",
    )
    assert response.status_code in (404, 409)
    progress = client.get(f"{API}/progress/me/").json()
    assert SLUG not in str(progress) or '"attempts": 1' not in str(progress)


def test_review_unknown_slug_is_404_not_500(world: dict[str, Any]) -> None:
    client = _client(world["alice"])
    for path in ("", "start/", "forgot/"):
        method = client.get if path == "" else client.post
        assert method(f"{API}/reviews/no-such-exercise-xyz/{path}").status_code == 404


def test_review_queue_ignores_user_parameter(world: dict[str, Any]) -> None:
    """Asking for another learner's queue by query parameter gives one's own (empty) queue."""
    client = _client(world["alice"])
    own = client.get(f"{API}/reviews/").json()
    for param in ("user", "user_id", "learner", "username"):
        value = world["bob"].pk if param != "username" else "bob"
        other = client.get(f"{API}/reviews/", {param: value})
        assert other.status_code == 200
        assert other.json() == own


def test_review_endpoints_require_login(db: Any) -> None:
    client = Client()
    assert client.get(f"{API}/reviews/").status_code in (401, 403)
    response = client.post(
        f"{API}/reviews/{SLUG}/submissions/", {"code": "x=1"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_review_page_requires_login(db: Any) -> None:
    response = Client().get("/review/")
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_exercise_api_does_not_expose_reference(world: dict[str, Any]) -> None:
    client = _client(world["alice"])
    body = client.get(f"{API}/exercises/{SLUG}/").content.decode()
    assert '"solution"' not in body
    assert '"reference"' not in body
    assert "checks.py" not in body


# ---------------------------------------------------------------- regrading


@pytest.mark.parametrize("who", ["alice", "bob", "eve", "rival"])
def test_regrades_hidden_from_everyone_but_the_cohorts_instructor(
    world: dict[str, Any], who: str
) -> None:
    client = _client(world[who])
    cid = world["cohort"].pk
    assert client.get(f"{API}/cohorts/{cid}/regrades/").status_code == 404
    assert client.get(f"{API}/cohorts/{cid}/stale-submissions/").status_code == 404
    started = client.post(
        f"{API}/cohorts/{cid}/regrades/", {"exercise": SLUG}, content_type="application/json"
    )
    assert started.status_code in (403, 404)


def test_regrade_instructor_sees_own_stale_list(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    cid = world["cohort"].pk
    assert client.get(f"{API}/cohorts/{cid}/stale-submissions/").status_code == 200
    assert client.get(f"{API}/cohorts/{cid}/regrades/").status_code == 200


def test_regrade_accept_discard_of_unknown_or_foreign_regrade_404(world: dict[str, Any]) -> None:
    rival = _client(world["rival"])
    cid = world["cohort"].pk
    for rid in (1, 2, 999999):
        for action in ("accept", "discard"):
            response = rival.post(f"{API}/cohorts/{cid}/regrades/{rid}/{action}/")
            assert response.status_code == 404
        assert rival.get(f"{API}/cohorts/{cid}/regrades/{rid}/").status_code == 404


def test_regrade_start_for_nothing_stale_is_not_a_500(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    cid = world["cohort"].pk
    response = client.post(
        f"{API}/cohorts/{cid}/regrades/", {"exercise": SLUG}, content_type="application/json"
    )
    assert response.status_code in (202, 400, 409)
    bad = client.post(
        f"{API}/cohorts/{cid}/regrades/",
        {"exercise": "no-such-exercise"},
        content_type="application/json",
    )
    assert bad.status_code in (400, 404)
    if response.status_code == 202:
        rid = response.json()["id"]
        # the other cohort's instructor can neither read nor decide it, through either cohort
        rival = _client(world["rival"])
        oid = world["other"].pk
        assert rival.get(f"{API}/cohorts/{cid}/regrades/{rid}/").status_code == 404
        assert rival.get(f"{API}/cohorts/{oid}/regrades/{rid}/").status_code == 404
        assert rival.post(f"{API}/cohorts/{oid}/regrades/{rid}/accept/").status_code == 404
        assert rival.post(f"{API}/cohorts/{oid}/regrades/{rid}/discard/").status_code == 404


# ---------------------------------------------------------------- deadlines


def _set_deadline(client: Client, cid: int, **body: str) -> Any:
    return client.post(f"{API}/cohorts/{cid}/deadlines/", body, content_type="application/json")


def test_deadlines_visible_to_members_only(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    made = _set_deadline(
        _client(world["teacher"]), cid, exercise=SLUG, due_at="2031-03-01T12:00:00Z"
    )
    assert made.status_code in (200, 201)
    assert _client(world["alice"]).get(f"{API}/cohorts/{cid}/deadlines/").status_code == 200
    for who in ("bob", "eve", "rival"):
        assert _client(world[who]).get(f"{API}/cohorts/{cid}/deadlines/").status_code == 404
    # and deadlines/me of a non-member shows none of cohort A's
    mine = _client(world["bob"]).get(f"{API}/deadlines/me/")
    assert mine.status_code == 200
    assert "2031-03-01" not in mine.content.decode()
    assert "2031-03-01" in _client(world["alice"]).get(f"{API}/deadlines/me/").content.decode()


def test_deadline_write_refused_to_learners_and_other_instructors(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    assert (
        _set_deadline(_client(world["alice"]), cid, exercise=SLUG, due_at="2031-03-01T12:00:00Z")
    ).status_code == 403
    assert (
        _set_deadline(_client(world["rival"]), cid, exercise=SLUG, due_at="2031-03-01T12:00:00Z")
    ).status_code == 404
    assert _client(world["teacher"]).get(f"{API}/cohorts/{cid}/deadlines/").json() == []


def test_deadline_delete_through_another_cohort_refused(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    made = _set_deadline(
        _client(world["teacher"]), cid, exercise=SLUG, due_at="2031-03-01T12:00:00Z"
    ).json()
    did = made["id"]
    rival = _client(world["rival"])
    assert rival.delete(f"{API}/cohorts/{world['other'].pk}/deadlines/{did}/").status_code == 404
    assert rival.delete(f"{API}/cohorts/{cid}/deadlines/{did}/").status_code == 404
    assert _client(world["alice"]).delete(f"{API}/cohorts/{cid}/deadlines/{did}/").status_code in (
        403,
        404,
    )
    listing = _client(world["teacher"]).get(f"{API}/cohorts/{cid}/deadlines/").content.decode()
    assert "2031-03-01" in listing


@pytest.mark.parametrize(
    "due_at",
    [
        "tomorrow",
        "2031-02-30T12:00:00Z",
        "2031-03-01T25:00:00Z",
        "",
        "99999-01-01T00:00:00Z",
        "2031-03-01T12:00:00+25:00",
    ],
)
def test_deadline_malformed_dates_are_400(world: dict[str, Any], due_at: str) -> None:
    response = _set_deadline(
        _client(world["teacher"]), world["cohort"].pk, exercise=SLUG, due_at=due_at
    )
    assert response.status_code == 400
    assert "detail" in response.json() or "due_at" in response.json()


@pytest.mark.parametrize(
    "body",
    [
        {"due_at": "2031-03-01T12:00:00Z"},
        {"exercise": "no-such-exercise", "due_at": "2031-03-01T12:00:00Z"},
        {"module": "no-such-module", "due_at": "2031-03-01T12:00:00Z"},
    ],
)
def test_deadline_target_validation(world: dict[str, Any], body: dict[str, str]) -> None:
    response = _set_deadline(_client(world["teacher"]), world["cohort"].pk, **body)
    assert response.status_code == 400


def test_deadline_with_both_module_and_exercise_is_refused(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    module = _first_module(client)
    response = _set_deadline(
        client, world["cohort"].pk, module=module, exercise=SLUG, due_at="2031-03-01T12:00:00Z"
    )
    assert response.status_code == 400


def test_deadline_time_zone_is_converted_to_utc(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    made = _set_deadline(
        client, world["cohort"].pk, exercise=SLUG, due_at="2031-01-01T00:00:00+08:00"
    )
    assert made.status_code in (200, 201)
    assert "2030-12-31T16:00:00" in made.content.decode()


def test_past_deadline_marks_unpassed_learner_missing(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    cid = world["cohort"].pk
    made = _set_deadline(client, cid, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    assert made.status_code in (200, 201, 400)
    if made.status_code == 400:
        return  # refusing past dates is a defensible choice
    _set_deadline(client, cid, exercise=OTHER_SLUG, due_at="2039-01-01T00:00:00Z")
    marks = client.get(f"{API}/cohorts/{cid}/deadline-marks/").content.decode()
    assert "missing" in marks
    assert "open" in marks
    csv = client.get(f"{API}/cohorts/{cid}/progress.csv").content.decode()
    rows = [line for line in csv.splitlines() if f",{SLUG}," in line and "alice" in line]
    assert rows
    assert "missing" in rows[0]
    assert "2020-01-01T00:00:00Z" in rows[0]
    rows = [line for line in csv.splitlines() if f",{OTHER_SLUG}," in line and "alice" in line]
    assert rows
    assert ",open" in rows[0]


def test_deadline_marks_hidden_from_learners_and_others(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    for who in ("alice", "bob", "rival"):
        assert _client(world[who]).get(f"{API}/cohorts/{cid}/deadline-marks/").status_code in (
            403,
            404,
        )


def test_deadline_module_applies_to_its_exercises_in_learner_view(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    module = _first_module(client)
    made = _set_deadline(client, world["cohort"].pk, module=module, due_at="2031-05-05T10:00:00Z")
    assert made.status_code in (200, 201)
    mine = _client(world["alice"]).get(f"{API}/deadlines/me/").content.decode()
    assert "2031-05-05T10:00:00" in mine


# ---------------------------------------------------------------- learner isolation


def _submit(client: Client, slug: str = SLUG) -> Any:
    return client.post(
        f"{API}/exercises/{slug}/submissions/",
        {"code": "import numpy as np\n"},
        content_type="application/json",
    )


def test_submission_of_another_learner_is_404(world: dict[str, Any]) -> None:
    alice = _client(world["alice"])
    made = _submit(alice)
    assert made.status_code in (201, 202)
    sid = made.json()["id"]
    assert alice.get(f"{API}/submissions/{sid}/").status_code == 200
    for who in ("bob", "eve", "rival"):
        assert _client(world[who]).get(f"{API}/submissions/{sid}/").status_code == 404
    assert _client(world["teacher"]).get(f"{API}/submissions/{sid}/").status_code == 200


def test_run_of_another_learner_is_404(world: dict[str, Any]) -> None:
    alice = _client(world["alice"])
    made = alice.post(f"{API}/runs/", {"code": "print(1)"}, content_type="application/json")
    assert made.status_code in (201, 202)
    rid = made.json()["id"]
    assert alice.get(f"{API}/runs/{rid}/").status_code == 200
    for who in ("bob", "teacher", "rival"):
        assert _client(world[who]).get(f"{API}/runs/{rid}/").status_code == 404


@pytest.mark.parametrize("who", ["alice", "bob", "rival"])
def test_cohort_endpoints_hidden_from_non_instructors(world: dict[str, Any], who: str) -> None:
    client = _client(world[who])
    cid = world["cohort"].pk
    for path in ("", "progress/", "progress.csv", "exercise-summary.csv"):
        assert client.get(f"{API}/cohorts/{cid}/{path}").status_code == 404
    assert client.post(f"{API}/cohorts/{cid}/join-code/").status_code in (403, 404)
    patched = client.patch(
        f"{API}/cohorts/{cid}/", {"name": "pwned"}, content_type="application/json"
    )
    assert patched.status_code in (403, 404)
    module = _first_module(client)
    unlock = client.post(
        f"{API}/cohorts/{cid}/learners/{world['alice'].pk}/modules/{module}/unlock/"
    )
    assert unlock.status_code in (403, 404)


def test_cohort_list_shows_only_own(world: dict[str, Any]) -> None:
    body = _client(world["rival"]).get(f"{API}/cohorts/").content.decode()
    assert "Cohort B" in body
    assert "Cohort A" not in body


def test_progress_me_ignores_user_parameter(world: dict[str, Any]) -> None:
    _submit(_client(world["alice"]))
    bob = _client(world["bob"])
    own = bob.get(f"{API}/progress/me/").json()
    other = bob.get(f"{API}/progress/me/", {"user": world["alice"].pk}).json()
    assert other == own


@pytest.mark.parametrize("who", ["alice", "teacher"])
def test_lti_and_xapi_admin_endpoints_refused(world: dict[str, Any], who: str) -> None:
    client = _client(world[who])
    assert client.get(f"{API}/xapi/deliveries/").status_code in (403, 404)
    oid = world["other"].pk
    assert client.get(f"{API}/lti/cohorts/{oid}/grade-passbacks/").status_code in (400, 403, 404)
    assert client.post(f"{API}/lti/cohorts/{oid}/roster-sync/").status_code in (403, 404)
    assert client.post(f"{API}/lti/grade-passbacks/1/retry/").status_code in (403, 404)


def test_lti_roster_sync_on_non_lti_cohort_is_not_a_500(world: dict[str, Any]) -> None:
    client = _client(world["teacher"])
    response = client.post(f"{API}/lti/cohorts/{world['cohort'].pk}/roster-sync/")
    assert response.status_code in (400, 404, 409)


def test_lti_launch_without_token_refused(db: Any) -> None:
    client = Client()
    assert client.post("/lti/launch/", {}).status_code in (400, 401, 403)
    assert client.get("/lti/continue/").status_code in (400, 401, 403)
    assert client.get("/lti/jwks.json").status_code == 200


# ---------------------------------------------------------------- language switcher


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "https:evil.example",
        "\\\\evil.example",
        " //evil.example/",
    ],
)
def test_setlang_next_does_not_redirect_off_site(db: Any, target: str) -> None:
    response = Client().post("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert response.status_code in (200, 204, 302)
    location = response.get("Location", "")
    assert "evil.example" not in location


def test_setlang_requires_csrf_token(db: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 403
    assert response.cookies.get("django_language") is None


def test_setlang_rejects_unknown_language(db: Any) -> None:
    response = Client().post("/i18n/setlang/", {"language": "xx-evil", "next": "/"})
    cookie = response.cookies.get("django_language")
    assert cookie is None or cookie.value in ("en", "zh-hans")


_ENGLISH_UI = re.compile(
    r">\s*(Review|Reviews|Due|Due soon|Deadlines|Regrading|Regrade|Needs review|"
    r"I don't remember|Start|Late|Missing|On time|Open|Delete|Save|Set)\s*<"
)


def _zh_client(user: Any) -> Client:
    client = _client(user, lang="zh-hans")
    client.cookies["django_language"] = "zh-hans"
    return client


@pytest.mark.parametrize("path", ["/review/", "/"])
def test_chinese_learner_pages_show_no_english_ui(world: dict[str, Any], path: str) -> None:
    cid = world["cohort"].pk
    _set_deadline(_client(world["teacher"]), cid, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    response = _zh_client(world["alice"]).get(path, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh' in html
    assert not _ENGLISH_UI.findall(html)


def test_chinese_instructor_dashboard_shows_no_english_ui(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    teacher = _client(world["teacher"])
    _set_deadline(teacher, cid, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    zh = _zh_client(world["teacher"])
    response = zh.get("/dashboard/")
    html = response.content.decode()
    assert f'href="/dashboard/{cid}/"' in html
    page = zh.get(f"/dashboard/{cid}/")
    assert page.status_code == 200
    found = _ENGLISH_UI.findall(page.content.decode())
    assert not found, found


def test_chinese_api_errors_translated(world: dict[str, Any]) -> None:
    zh = _zh_client(world["teacher"])
    response = _set_deadline(zh, world["cohort"].pk, exercise=SLUG, due_at="not a date")
    assert response.status_code == 400
    text = response.content.decode("utf-8")
    assert re.search(r"[\u4e00-\u9fff]", text), text
    # keys never change with the language
    assert "due_at" in response.json() or "detail" in response.json()


def test_cohort_name_rendered_escaped_on_learner_pages(
    make_user: Callable[..., Any], make_cohort: Callable[..., Any]
) -> None:
    from apps.progress.models import Role

    teacher = make_user("t2", role=Role.INSTRUCTOR)
    learner = make_user("l2")
    cohort = make_cohort(teacher, [learner], name='<img src=x onerror="alert(1)">')
    _set_deadline(_client(teacher), cohort.pk, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    client = _client(learner)
    for path in ("/", "/review/", "/cohorts/join/", "/progress/"):
        response = client.get(path, follow=True)
        if response.status_code != 200:
            continue
        assert '<img src=x onerror="alert(1)">' not in response.content.decode()
    teacher_page = _client(teacher).get("/", follow=True).content.decode()
    assert '<img src=x onerror="alert(1)">' not in teacher_page


def test_deadline_without_time_zone_is_refused(world: dict[str, Any]) -> None:
    response = _set_deadline(
        _client(world["teacher"]), world["cohort"].pk, exercise=SLUG, due_at="2031-03-01T12:00:00"
    )
    assert response.status_code == 400


def test_deadline_bare_date_is_refused(world: dict[str, Any]) -> None:
    response = _set_deadline(
        _client(world["teacher"]), world["cohort"].pk, exercise=SLUG, due_at="2031-03-01"
    )
    assert response.status_code == 400


# ---------------------------------------------------------------- with real grading

SOFTMAX = (
    "import numpy as np\n\n"
    "def softmax(z):\n"
    "    z = np.asarray(z, dtype=float)\n"
    "    e = np.exp(z - z.max(axis=-1, keepdims=True))\n"
    "    return e / e.sum(axis=-1, keepdims=True)\n"
)


def _pass_softmax(client: Client) -> dict[str, Any]:
    made = client.post(
        f"{API}/exercises/{SLUG}/submissions/", {"code": SOFTMAX}, content_type="application/json"
    )
    assert made.status_code in (201, 202)
    sid = made.json()["id"]
    body = made.json()
    for _ in range(60):
        body = client.get(f"{API}/submissions/{sid}/").json()
        if body["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    assert body["status"] == "passed", body.get("status")
    return body


def test_review_not_due_cannot_be_answered_started_or_forgotten(
    live_db: Any, world: dict[str, Any]
) -> None:
    alice = _client(world["alice"])
    _pass_softmax(alice)
    before = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert before["reviews"] == 0
    assert before["is_due"] is False
    for path, body in (("submissions/", {"code": SOFTMAX}), ("start/", None), ("forgot/", None)):
        response = alice.post(
            f"{API}/reviews/{SLUG}/{path}", body or {}, content_type="application/json"
        )
        assert response.status_code == 409, path
    after = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert after["due_at"] == before["due_at"]
    assert after["reviews"] == 0
    assert after["lapses"] == 0
    assert after["last_rating"] == before["last_rating"]
    # the review's page and API never carry the reference solution
    page = alice.get(f"/review/{SLUG}/").content.decode()
    assert "e / e.sum" not in page.replace(SOFTMAX, "")
    assert '"solution"' not in alice.get(f"{API}/reviews/{SLUG}/").content.decode()
    # another learner can neither read nor act on alice's card
    bob = _client(world["bob"])
    assert bob.get(f"{API}/reviews/{SLUG}/").status_code == 404
    assert bob.post(f"{API}/reviews/{SLUG}/forgot/").status_code in (404, 409)
    assert SLUG not in bob.get(f"{API}/reviews/").content.decode()


def test_pass_after_past_deadline_is_late_in_marks_and_csv(
    live_db: Any, world: dict[str, Any]
) -> None:
    teacher = _client(world["teacher"])
    cid = world["cohort"].pk
    assert _set_deadline(
        teacher, cid, exercise=SLUG, due_at="2020-01-01T00:00:00Z"
    ).status_code in (
        200,
        201,
    )
    _pass_softmax(_client(world["alice"]))
    marks = teacher.get(f"{API}/cohorts/{cid}/deadline-marks/").content.decode()
    assert "late" in marks
    assert "on_time" not in marks.replace('"on_time":0', "")
    csv = teacher.get(f"{API}/cohorts/{cid}/progress.csv").content.decode()
    rows = [line for line in csv.splitlines() if f",{SLUG}," in line and "alice" in line]
    assert rows
    assert ",late" in rows[0]
    # bob, in another cohort, sees nothing of cohort A's deadline
    assert "2020-01-01" not in _client(world["bob"]).get(f"{API}/deadlines/me/").content.decode()


def test_chinese_dashboard_last_attempt_date_in_chinese_format(
    live_db: Any, world: dict[str, Any]
) -> None:
    _pass_softmax(_client(world["alice"]))
    html = _zh_client(world["teacher"]).get(f"/dashboard/{world['cohort'].pk}/").content.decode()
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", html)
    assert not re.search(r"\d{1,2} [一二三四五六七八九十]+月 \d{4}", html)


def test_chinese_review_conflict_detail_translated(live_db: Any, world: dict[str, Any]) -> None:
    _pass_softmax(_client(world["alice"]))
    response = _zh_client(world["alice"]).post(f"{API}/reviews/{SLUG}/start/")
    assert response.status_code == 409
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])


def _make_due(user: Any) -> None:
    """Stand-in for the days passing until the card is due (no clock to move otherwise)."""
    from datetime import timedelta

    from django.apps import apps
    from django.utils import timezone

    card = apps.get_model("progress", "ReviewCard")
    assert card.objects.filter(user=user).update(due=timezone.now() - timedelta(days=1)) == 1


def _wait(client: Client, sid: int) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for _ in range(60):
        body = client.get(f"{API}/submissions/{sid}/").json()
        if body["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    return body


def _review_submit(client: Client, code: str, **extra: Any) -> Any:
    return client.post(
        f"{API}/reviews/{SLUG}/submissions/",
        {"code": code, **extra},
        content_type="application/json",
    )


def test_due_review_answered_once_then_replay_refused(live_db: Any, world: dict[str, Any]) -> None:
    alice = _client(world["alice"])
    bob = _client(world["bob"])
    _pass_softmax(alice)
    _make_due(world["alice"])
    assert alice.get(f"{API}/reviews/{SLUG}/").json()["is_due"] is True
    # bob cannot answer alice's due review (he has no card of his own)
    assert _review_submit(bob, SOFTMAX).status_code in (404, 409)
    assert alice.post(f"{API}/reviews/{SLUG}/start/").status_code == 200
    made = _review_submit(alice, SOFTMAX)
    assert made.status_code == 202
    sid = made.json()["id"]
    assert _wait(alice, sid)["status"] == "passed"
    assert bob.get(f"{API}/submissions/{sid}/").status_code == 404
    card = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert card["reviews"] == 1
    assert card["is_due"] is False
    assert card["last_rating"] == "easy"
    # replaying the same answer, or "forgot", on the concluded review is refused
    assert _review_submit(alice, SOFTMAX).status_code == 409
    assert alice.post(f"{API}/reviews/{SLUG}/forgot/").status_code == 409
    again = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert again["reviews"] == 1
    assert again["due_at"] == card["due_at"]
    # a review is never a new attempt at the exercise
    progress = alice.get(f"{API}/progress/me/").content.decode()
    assert '"attempts":2' not in progress.replace(" ", "")


def test_review_verdict_cannot_be_forged_by_request_fields(
    live_db: Any, world: dict[str, Any]
) -> None:
    alice = _client(world["alice"])
    _pass_softmax(alice)
    _make_due(world["alice"])
    starter = alice.get(f"{API}/exercises/{SLUG}/").json()["starter_code"]
    made = _review_submit(
        alice, starter, status="passed", score=1.0, passed=True, purpose="exercise", user=1
    )
    assert made.status_code == 202
    body = _wait(alice, made.json()["id"])
    assert body["status"] != "passed"
    assert body["score"] < 1.0
    card = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert card["reviews"] == 0
    assert card["failed_attempts"] == 1


def test_review_forgot_rates_again_once(live_db: Any, world: dict[str, Any]) -> None:
    alice = _client(world["alice"])
    _pass_softmax(alice)
    _make_due(world["alice"])
    assert alice.post(f"{API}/reviews/{SLUG}/forgot/").status_code == 200
    card = alice.get(f"{API}/reviews/{SLUG}/").json()
    assert card["last_rating"] == "again"
    assert card["lapses"] == 1
    assert card["is_due"] is False
    assert alice.post(f"{API}/reviews/{SLUG}/forgot/").status_code == 409
    assert alice.get(f"{API}/reviews/{SLUG}/").json()["lapses"] == 1


# ---------------------------------------------------------------- deadline pages and rules


@pytest.mark.parametrize("tz_offset", ["abc", "99999999999", "1e308", "nan"])
def test_deadline_form_rejects_bad_time_zone_offset(world: dict[str, Any], tz_offset: str) -> None:
    cid = world["cohort"].pk
    teacher = _client(world["teacher"])
    response = teacher.post(
        f"/dashboard/{cid}/deadlines/",
        {"target": f"exercise:{SLUG}", "due_at": "2031-03-01T12:00", "tz_offset": tz_offset},
    )
    assert response.status_code in (200, 400)
    assert teacher.get(f"{API}/cohorts/{cid}/deadlines/").json() == []


def test_deadline_form_local_time_converted_with_browser_offset(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    teacher = _client(world["teacher"])
    response = teacher.post(
        f"/dashboard/{cid}/deadlines/",
        {"target": f"exercise:{SLUG}", "due_at": "2031-03-01T12:00", "tz_offset": "-480"},
    )
    assert response.status_code == 302
    assert "2031-03-01T04:00:00Z" in teacher.get(f"{API}/cohorts/{cid}/deadlines/").content.decode()


def test_deadline_pages_refused_to_other_instructor_and_learners(world: dict[str, Any]) -> None:
    cid = world["cohort"].pk
    for who in ("rival", "alice", "bob"):
        client = _client(world[who])
        for page in ("deadlines/", "regrades/", f"learners/{world['alice'].pk}/", ""):
            assert client.get(f"/dashboard/{cid}/{page}").status_code in (403, 404)
        posted = client.post(
            f"/dashboard/{cid}/deadlines/",
            {"target": f"exercise:{SLUG}", "due_at": "2031-03-01T12:00", "tz_offset": "0"},
        )
        assert posted.status_code in (403, 404)
    assert _client(world["teacher"]).get(f"{API}/cohorts/{cid}/deadlines/").json() == []


def test_exercise_deadline_wins_over_module_and_earliest_cohort_wins(
    world: dict[str, Any], make_cohort: Callable[..., Any]
) -> None:
    teacher = _client(world["teacher"])
    cid = world["cohort"].pk
    module = teacher.get(f"{API}/exercises/{SLUG}/").json()["module"]
    _set_deadline(teacher, cid, module=module, due_at="2031-05-05T10:00:00Z")
    _set_deadline(teacher, cid, exercise=SLUG, due_at="2031-06-06T10:00:00Z")
    mine = _client(world["alice"]).get(f"{API}/deadlines/me/").json()
    softmax = [d for d in mine if d.get("exercise") == SLUG]
    assert softmax
    assert softmax[0]["due_at"].startswith("2031-06-06")
    # a second cohort with an earlier deadline for the same exercise: the earlier one counts
    second = make_cohort(world["rival"], [world["alice"]], name="Cohort C")
    _set_deadline(_client(world["rival"]), second.pk, exercise=SLUG, due_at="2031-04-04T10:00:00Z")
    mine = _client(world["alice"]).get(f"{API}/deadlines/me/").json()
    softmax = [d for d in mine if d.get("exercise") == SLUG]
    assert len(softmax) == 1
    assert softmax[0]["due_at"].startswith("2031-04-04")


def test_deadline_set_twice_moves_it(world: dict[str, Any]) -> None:
    teacher = _client(world["teacher"])
    cid = world["cohort"].pk
    _set_deadline(teacher, cid, exercise=SLUG, due_at="2031-05-05T10:00:00Z")
    _set_deadline(teacher, cid, exercise=SLUG, due_at="2031-07-07T10:00:00Z")
    listing = teacher.get(f"{API}/cohorts/{cid}/deadlines/").json()
    assert len(listing) == 1
    assert listing[0]["due_at"].startswith("2031-07-07")


def test_progress_csv_neutralises_formula_in_cohort_name(
    make_user: Callable[..., Any], make_cohort: Callable[..., Any]
) -> None:
    from apps.progress.models import Role

    teacher = make_user("t3", role=Role.INSTRUCTOR)
    learner = make_user("l3")
    cohort = make_cohort(teacher, [learner], name='=HYPERLINK("http://evil.example","x")')
    client = _client(teacher)
    _set_deadline(client, cohort.pk, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    for path in ("progress.csv", "exercise-summary.csv"):
        csv = client.get(f"{API}/cohorts/{cohort.pk}/{path}").content.decode()
        assert re.search(r'(^|,)"?=HYPERLINK', csv, re.M) is None, csv[:300]


# ---------------------------------------------------------------- more language and escaping


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_setlang_get_does_not_redirect_off_site(db: Any, target: str) -> None:
    response = Client().get("/i18n/setlang/", {"language": "zh-hans", "next": target})
    assert "evil.example" not in response.get("Location", "")


def test_setlang_next_with_referer_off_site_not_followed(db: Any) -> None:
    response = Client().post(
        "/i18n/setlang/", {"language": "zh-hans"}, HTTP_REFERER="https://evil.example/phish"
    )
    assert "evil.example" not in response.get("Location", "")


def test_chinese_learner_page_dates_in_chinese_format(live_db: Any, world: dict[str, Any]) -> None:
    _pass_softmax(_client(world["alice"]))
    page = _zh_client(world["teacher"]).get(
        f"/dashboard/{world['cohort'].pk}/learners/{world['alice'].pk}/"
    )
    assert page.status_code == 200
    assert not re.search(r"\d{1,2} [一二三四五六七八九十]+月 \d{4}", page.content.decode())


def test_learner_code_escaped_on_instructor_pages(live_db: Any, world: dict[str, Any]) -> None:
    payload = '# </script><img src=x onerror="alert(1)">\n'
    alice = _client(world["alice"])
    made = alice.post(
        f"{API}/exercises/{SLUG}/submissions/",
        {"code": payload + SOFTMAX},
        content_type="application/json",
    )
    assert made.status_code in (201, 202)
    _wait(alice, made.json()["id"])
    teacher = _client(world["teacher"])
    cid = world["cohort"].pk
    for path in (f"/dashboard/{cid}/", f"/dashboard/{cid}/learners/{world['alice'].pk}/"):
        html = teacher.get(path).content.decode()
        assert '<img src=x onerror="alert(1)">' not in html
    assert '<img src=x onerror="alert(1)">' not in alice.get(f"/exercises/{SLUG}/").content.decode()


_ALLOWED_LATIN = {"dlmath", "English", "REST API", "Ctrl", "Enter", "Tab", "CSV", "UTC"}


def _visible_text(html: str) -> list[str]:
    import html as html_lib

    body = html[html.find("<body") :]
    body = re.sub(r"<(script|style|pre|code|textarea|option)\b.*?</\1>", "", body, flags=re.S)
    attrs = re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', body)
    parts = re.sub(r"<[^>]+>", "\n", body).split("\n")
    return [html_lib.unescape(p).strip() for p in parts + attrs if p.strip()]


def test_chinese_course_time_pages_have_no_english_ui(live_db: Any, world: dict[str, Any]) -> None:
    """Only course content (titles, prompts), names and a few tokens may stay Latin."""
    alice = _client(world["alice"])
    cid = world["cohort"].pk
    _set_deadline(_client(world["teacher"]), cid, exercise=SLUG, due_at="2020-01-01T00:00:00Z")
    _pass_softmax(alice)
    _make_due(world["alice"])
    exercise = alice.get(f"{API}/exercises/{SLUG}/").json()
    content = set(_visible_text("<body>" + exercise["prompt_html"]))
    docs = [f["doc"] for f in exercise["functions"]]
    names = {"alice", "teacher", "Cohort A", exercise["title"]}
    student, teacher = _zh_client(world["alice"]), _zh_client(world["teacher"])
    pages = [
        (student, "/review/"),
        (student, f"/review/{SLUG}/"),
        (teacher, f"/dashboard/{cid}/"),
        (teacher, f"/dashboard/{cid}/deadlines/"),
        (teacher, f"/dashboard/{cid}/regrades/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        english = []
        for text in _visible_text(response.content.decode()):
            rest = text
            for name in sorted(names | _ALLOWED_LATIN, key=len, reverse=True):
                rest = rest.replace(name, "")
            if (
                re.search(r"[A-Za-z]{3,}", rest)
                and not re.search(r"[\u4e00-\u9fff]", rest)
                and text not in content
                and not any(doc in text for doc in docs)
                and "Probability" not in text
            ):
                english.append(text)
        assert not english, (path, english[:10])
