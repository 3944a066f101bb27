"""The instructor's pages: landing on the dashboard, managing cohorts from it, the heatmap,
the learner drill-down; and who may open or post to each."""

from __future__ import annotations

import re
from typing import Any

import pytest

from apps.curriculum.models import Exercise, Lesson
from apps.progress.models import Cohort, Enrollment
from apps.progress.services import hint_reveal, lesson_mark_read

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-pages-1"


@pytest.fixture
def teacher(instructor_factory: Any) -> Any:
    return instructor_factory("ms-teach")


def log_in(client: Any, username: str, **extra: str) -> Any:
    return client.post(
        "/accounts/login/" + (f"?next={extra['next']}" if "next" in extra else ""),
        {"username": username, "password": PASSWORD, **extra},
    )


# --- landing ----------------------------------------------------------------------------------


def test_an_instructor_lands_on_the_dashboard_after_logging_in(client: Any, teacher: Any) -> None:
    response = log_in(client, teacher.username)
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


def test_a_learner_still_lands_on_the_course(client: Any, learner_factory: Any) -> None:
    learner = learner_factory("lea")
    assert log_in(client, learner.username)["Location"] == "/learn/"


def test_next_wins_over_the_dashboard(client: Any, teacher: Any) -> None:
    response = log_in(client, teacher.username, next="/learn/probability/")
    assert response["Location"] == "/learn/probability/"


def test_a_signed_in_instructor_opening_login_goes_to_the_dashboard(
    client: Any, teacher: Any
) -> None:
    client.force_login(teacher)
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"


# --- managing cohorts -----------------------------------------------------------------------


def test_an_instructor_creates_a_cohort_from_the_dashboard(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    page = client.get("/dashboard/").content.decode()
    assert 'name="new-name"' in page
    response = client.post("/dashboard/", {"new-name": "  Autumn 2027 "}, follow=True)
    cohort = Cohort.objects.get(name="Autumn 2027")
    assert response.redirect_chain[-1][0] == f"/dashboard/{cohort.pk}/"
    html = response.content.decode()
    assert cohort.join_code in html
    assert "created" in html
    assert list(cohort.instructors.all()) == [teacher]


def test_a_blank_cohort_name_is_refused_on_the_page(client: Any, teacher: Any) -> None:
    client.force_login(teacher)
    response = client.post("/dashboard/", {"new-name": "   "})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_learner_cannot_create_a_cohort_from_the_page(client: Any, learner_factory: Any) -> None:
    client.force_login(learner_factory())
    assert client.post("/dashboard/", {"new-name": "Mine"}).status_code == 403
    assert not Cohort.objects.exists()


def test_rename_new_code_archive_and_reopen_from_the_cohort_page(
    client: Any, teacher: Any, cohort_factory: Any, learner_factory: Any
) -> None:
    cohort = cohort_factory(teacher, (learner_factory(),), name="Spring")
    client.force_login(teacher)
    page = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    for action in ("rename", "join-code", "archive"):
        assert f'action="/dashboard/{cohort.pk}/{action}/"' in page

    renamed = client.post(f"/dashboard/{cohort.pk}/rename/", {"name": "Spring B"}, follow=True)
    assert "Renamed to “Spring B”" in renamed.content.decode()
    assert Cohort.objects.get(pk=cohort.pk).name == "Spring B"

    old = cohort.join_code
    rotated = client.post(f"/dashboard/{cohort.pk}/join-code/", follow=True)
    new = Cohort.objects.get(pk=cohort.pk).join_code
    assert new != old
    html = rotated.content.decode()
    assert f'id="join-code">{new}<' in html
    assert f"The old code {old} no longer works" in html

    archived = client.post(f"/dashboard/{cohort.pk}/archive/", {"archived": "1"}, follow=True)
    assert Cohort.objects.get(pk=cohort.pk).archived
    html = archived.content.decode()
    assert "Reopen cohort" in html
    assert 'id="join-code"' not in html  # an archived cohort's code admits nobody
    home = client.get("/dashboard/").content.decode()
    assert home.index("Archived cohorts") < home.index("Spring B")

    client.post(f"/dashboard/{cohort.pk}/archive/", {"archived": "0"})
    assert not Cohort.objects.get(pk=cohort.pk).archived


def test_a_bad_new_name_keeps_the_page_with_the_error(
    client: Any, teacher: Any, cohort_factory: Any
) -> None:
    cohort = cohort_factory(teacher, (), name="Spring")
    client.force_login(teacher)
    response = client.post(f"/dashboard/{cohort.pk}/rename/", {"name": "x" * 200})
    assert response.status_code == 400
    assert 'class="errors"' in response.content.decode()
    assert Cohort.objects.get(pk=cohort.pk).name == "Spring"


@pytest.mark.parametrize("action", ["rename", "join-code", "archive"])
def test_nobody_else_can_change_a_cohort_from_the_pages(
    client: Any,
    teacher: Any,
    instructor_factory: Any,
    learner_factory: Any,
    cohort_factory: Any,
    action: str,
) -> None:
    learner = learner_factory()
    cohort = cohort_factory(teacher, (learner,), name="Spring")
    before = (cohort.name, cohort.join_code, cohort.archived_at)
    data = {"name": "Pwned", "archived": "1"}
    client.force_login(instructor_factory())
    assert client.post(f"/dashboard/{cohort.pk}/{action}/", data).status_code == 404
    client.force_login(learner)
    assert client.post(f"/dashboard/{cohort.pk}/{action}/", data).status_code == 403
    client.logout()
    assert client.post(f"/dashboard/{cohort.pk}/{action}/", data).status_code == 302  # login
    after = Cohort.objects.get(pk=cohort.pk)
    assert (after.name, after.join_code, after.archived_at) == before
    client.force_login(teacher)
    assert client.get(f"/dashboard/{cohort.pk}/{action}/").status_code == 405


def test_the_cached_body_never_holds_a_stale_join_code(
    client: Any, teacher: Any, cohort_factory: Any, settings: Any, committed: Any
) -> None:
    settings.SHARED_CACHE = True
    cohort = cohort_factory(teacher, (), name="Spring")
    client.force_login(teacher)
    assert cohort.join_code in client.get(f"/dashboard/{cohort.pk}/").content.decode()
    # (The message names both codes; the cached cohorts move on when the change commits.)
    committed(client.post, path=f"/dashboard/{cohort.pk}/join-code/", follow=True)
    new = Cohort.objects.get(pk=cohort.pk).join_code
    html = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    assert new in html
    assert cohort.join_code not in html


# --- the heatmap ----------------------------------------------------------------------------


def test_the_heatmap_shows_titles_grouped_by_module_with_a_legend(
    client: Any,
    teacher: Any,
    learner_factory: Any,
    cohort_factory: Any,
    submission_factory: Any,
) -> None:
    ada, zed, idle = learner_factory("ada"), learner_factory("zed"), learner_factory("idle")
    cohort = cohort_factory(teacher, (ada, zed, idle))
    submission_factory(ada, "softmax", score=0.0)
    submission_factory(zed, "softmax", score=1.0, status="passed")
    submission_factory(zed, "power-iteration", score=0.4)
    hint_reveal(user=idle, exercise=Exercise.objects.get(slug="entropy"))
    client.force_login(teacher)
    html = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    table = html[html.index('<table class="heatmap-table">') : html.index("</table>")]

    softmax = Exercise.objects.get(slug="softmax")
    power = Exercise.objects.get(slug="power-iteration")
    # Titles, not slugs, under their modules in course order.
    assert f"<span>{softmax.title}</span>" in table
    assert ">softmax<" not in table
    modules = re.findall(r'scope="colgroup" colspan="(\d+)"[^>]*><span>([^<]+)</span>', table)
    assert modules == [("1", power.module.title), ("1", softmax.module.title)]
    assert "entropy" not in table  # a hint is not an attempt: no column

    rows = dict(re.findall(r'<tr><th scope="row"><a [^>]+>(\w+)</a></th>(.*?)</tr>', table))
    # Attempted at 0% is a coloured cell that says 0%; never attempted is an empty cell.
    assert rows["ada"] == '<td></td><td class="s0">0%</td>'
    assert rows["zed"] == '<td class="s1">40%</td><td class="s3">100%</td>'
    assert rows["idle"] == "<td></td><td></td>"

    legend = html[
        html.index('class="heatmap-legend"') : html.index("</ul>", html.index("heatmap-legend"))
    ]
    for label in ("Not attempted", "Attempted, 0%", "100%: passed"):
        assert label in legend
    assert (
        'role="region"' in html[html.index('id="heatmap"') - 200 : html.index('id="heatmap"') + 200]
    )


def test_each_learner_has_their_last_attempt_on_the_cohort_page(
    client: Any, teacher: Any, learner_factory: Any, cohort_factory: Any, submission_factory: Any
) -> None:
    ada, idle = learner_factory("ada"), learner_factory("idle")
    cohort = cohort_factory(teacher, (ada, idle))
    submission = submission_factory(ada)
    client.force_login(teacher)
    html = client.get(f"/dashboard/{cohort.pk}/").content.decode()
    learners = html[html.index('id="learners-heading"') :]
    assert f'<time datetime="{submission.created_at.isoformat()[:19]}' in learners
    assert "never" in learners


# --- the learner drill-down -----------------------------------------------------------------


def test_the_drill_down_has_a_summary_per_module_and_the_last_activity(
    client: Any, teacher: Any, learner_factory: Any, cohort_factory: Any, submission_factory: Any
) -> None:
    ada = learner_factory("ada")
    cohort = cohort_factory(teacher, (ada,))
    submission_factory(ada, "softmax", score=1.0, status="passed")
    submission_factory(ada, "entropy", score=0.5)
    lesson = Lesson.objects.filter(module__slug="probability", retired=False).first()
    lesson_mark_read(user=ada, lesson=lesson)
    client.force_login(teacher)
    response = client.get(f"/dashboard/{cohort.pk}/learners/{ada.pk}/")
    html = response.content.decode()
    assert 'id="last-active"' in html
    assert "not yet" not in html[html.index('id="last-active"') :][:300]

    probability = next(
        m for m in response.context["progress"].modules if m.module.slug == "probability"
    )
    row = html[html.index(probability.module.title, html.index("modules-heading")) :]
    row = row[: row.index("</tr>")]
    cells = re.findall(r'<td class="num">([^<]+)</td>', row)
    lessons, exercises = len(probability.lessons), len(probability.exercises)
    softmax_points = Exercise.objects.get(slug="softmax").points
    entropy_points = Exercise.objects.get(slug="entropy").points
    points = softmax_points + 0.5 * entropy_points
    assert cells[:3] == [f"1/{lessons}", f"1/{exercises}", f"2/{exercises}"]
    assert cells[3] == f"{points:g}/{probability.points_total}"


def test_a_learner_with_no_activity_shows_not_yet(
    client: Any, teacher: Any, learner_factory: Any, cohort_factory: Any
) -> None:
    ada = learner_factory("ada")
    cohort = cohort_factory(teacher, (ada,))
    client.force_login(teacher)
    html = client.get(f"/dashboard/{cohort.pk}/learners/{ada.pk}/").content.decode()
    assert "not yet" in html
    assert "No attempts yet." in html


def test_attempts_carry_their_exercise_and_can_be_narrowed_to_one(
    client: Any, teacher: Any, learner_factory: Any, cohort_factory: Any, submission_factory: Any
) -> None:
    ada = learner_factory("ada")
    cohort = cohort_factory(teacher, (ada,))
    first = submission_factory(ada, "softmax", score=0.2)
    second = submission_factory(ada, "softmax", score=0.6)
    other = submission_factory(ada, "entropy", score=0.5)
    client.force_login(teacher)
    url = f"/dashboard/{cohort.pk}/learners/{ada.pk}/"
    html = client.get(url).content.decode()
    for submission, slug in ((first, "softmax"), (second, "softmax"), (other, "entropy")):
        assert f'data-attempt="{submission.pk}" data-exercise="{slug}"' in html
    assert 'id="compare-with"' in html
    assert "dist/dashboard.js" in html
    narrowed = client.get(url, {"exercise": "softmax"}).content.decode()
    assert f'data-attempt="{other.pk}"' not in narrowed
    assert f'data-attempt="{first.pk}"' in narrowed
    assert '<option value="softmax" selected>' in narrowed
    # An exercise they never tried (or no such one) shows every attempt.
    everything = client.get(url, {"exercise": "no-such-thing"}).content.decode()
    assert f'data-attempt="{other.pk}"' in everything


def test_the_drill_down_is_only_for_the_cohorts_instructors(
    client: Any,
    teacher: Any,
    instructor_factory: Any,
    learner_factory: Any,
    cohort_factory: Any,
) -> None:
    ada, stranger = learner_factory("ada"), learner_factory("stranger")
    cohort = cohort_factory(teacher, (ada,))
    other_cohort = cohort_factory(instructor_factory(), (stranger,))
    Enrollment.objects.create(cohort=other_cohort, user=ada)
    client.force_login(teacher)
    assert client.get(f"/dashboard/{cohort.pk}/learners/{ada.pk}/").status_code == 200
    assert client.get(f"/dashboard/{cohort.pk}/learners/{stranger.pk}/").status_code == 404
    assert client.get(f"/dashboard/{other_cohort.pk}/learners/{ada.pk}/").status_code == 404
