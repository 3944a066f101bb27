"""Red team, round 2 of the shared cache: module outline, cohort progress API, dashboard body,
concept-check variants, and the learner's cached progress rows. SHARED_CACHE is on in every
test. A passing test means the defence held (the four membership tests found a defect, fixed)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

API = "/api/v1"
EX = "dense-layer-on-images"
RNN_LESSON = "/learn/rnn/lyapunov-spectrum-and-the-edge-of-chaos/"
RNN_Q = f"{API}/modules/rnn/lessons/lyapunov-spectrum-and-the-edge-of-chaos/questions/"


@pytest.fixture(autouse=True)
def _shared(settings: Any) -> None:
    settings.SHARED_CACHE = True


def _c(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _html(r: Any) -> str:
    assert r.status_code == 200, r.status_code
    h = r.content.decode()
    h = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", h)
    return re.sub(r"[A-Za-z0-9]{64}", "", h)


def _record(user: Any, slug: str = EX, *, sid: int = 5001, passed: bool = True) -> None:
    from apps.curriculum.models import Exercise
    from apps.progress.services import exercise_progress_record_attempt

    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=slug),
        submission_id=sid,
        score=1.0 if passed else 0.2,
        passed=passed,
        failed_checks=[],
        at=timezone.now(),
    )


def _score(data: dict, username: str, slug: str = EX) -> Any:
    names = [le["username"] for le in data["learners"]]
    cols = [e["slug"] for e in data["exercises"]]
    return data["scores"][names.index(username)][cols.index(slug)]


def _admin() -> Client:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pw-123456")
    c = Client()
    assert c.login(username="root", password="root-pw-123456")
    return c


def _admin_post(admin: Client, url: str, **changes: Any) -> Any:  # noqa: C901 (a form walker)
    """Resubmit an admin change form with its own current values, some changed."""
    r = admin.get(url)
    assert r.status_code == 200, r.status_code
    data: dict[str, Any] = {}
    form = r.context["adminform"].form
    for name, _field in form.fields.items():
        v = form[name].value()
        if v is None:
            continue
        if isinstance(v, bool):
            if v:
                data[name] = "on"
            continue
        if isinstance(v, (list, tuple)):
            data[name] = [str(getattr(x, "pk", x)) for x in v]
        elif isinstance(v, (dict,)) or name in (
            "further_reading",
            "figures",
            "functions",
            "hints",
            "limits",
        ):
            import json

            data[name] = v if isinstance(v, str) else json.dumps(v)
        else:
            data[name] = v
    for fs in r.context.get("inline_admin_formsets", []):
        f = fs.formset
        for k, v in f.management_form.initial.items():
            data[f"{f.prefix}-{k}"] = v
        for sub in f.forms:
            for name in sub.fields:
                v = sub[name].value()
                if v is not None and v is not False:
                    data[sub.add_prefix(name)] = "on" if v is True else v
    data.update(changes)
    with_cb = admin.post(url, data)
    assert with_cb.status_code == 302, (
        with_cb.status_code,
        with_cb.context and with_cb.context["adminform"].form.errors,
    )
    return with_cb


# ===================================================================== 1. module outline


def _mod(slug: str = "linear-algebra") -> dict:
    data = Client().get(f"{API}/modules/").json()
    return next(m for m in data if m["slug"] == slug)


def test_admin_module_title_edit_shows_at_once(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Module

    admin = _admin()
    assert _mod()["title"] == "Linear algebra"
    m = Module.objects.get(slug="linear-algebra")
    with django_capture_on_commit_callbacks(execute=True):
        _admin_post(admin, f"/admin/curriculum/module/{m.pk}/change/", title="LA renamed")
    assert _mod()["title"] == "LA renamed"


def test_admin_lesson_title_edit_shows_at_once(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Lesson

    admin = _admin()
    _mod()
    le = Lesson.objects.get(slug="vectors-matrices-and-maps")
    with django_capture_on_commit_callbacks(execute=True):
        _admin_post(admin, f"/admin/curriculum/lesson/{le.pk}/change/", title="Lesson renamed")
    assert any(x["title"] == "Lesson renamed" for x in _mod()["lessons"])


def test_admin_exercise_points_edit_shows_at_once(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Exercise

    admin = _admin()
    _mod()
    ex = Exercise.objects.get(slug=EX)
    with django_capture_on_commit_callbacks(execute=True):
        _admin_post(
            admin, f"/admin/curriculum/exercise/{ex.pk}/change/", title="Ex renamed", points="37"
        )
    e = next(x for x in _mod()["exercises"] if x["slug"] == EX)
    assert (e["title"], e["points"]) == ("Ex renamed", 37)


def test_admin_prerequisite_change_shows_at_once(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Module

    admin = _admin()
    target = Module.objects.filter(prerequisites__isnull=False).first()
    before = _mod(target.slug)["prerequisites"]
    assert before
    with django_capture_on_commit_callbacks(execute=True):
        _admin_post(admin, f"/admin/curriculum/module/{target.pk}/change/", prerequisites=[])
    assert _mod(target.slug)["prerequisites"] == []


def test_admin_exercise_delete_shows_at_once(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Exercise

    admin = _admin()
    _mod()
    ex = Exercise.objects.get(slug="power-iteration")
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(f"/admin/curriculum/exercise/{ex.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert all(x["slug"] != "power-iteration" for x in _mod()["exercises"])


def test_revision_bump_after_direct_edit_shows(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    from apps.curriculum.models import Module
    from apps.curriculum.selectors import curriculum_revision_bump

    _mod()
    with django_capture_on_commit_callbacks(execute=True):
        Module.objects.filter(slug="linear-algebra").update(title="Synced title")
        curriculum_revision_bump()
    assert _mod()["title"] == "Synced title"


def test_outline_survives_shared_cache_flush_after_bump(
    django_capture_on_commit_callbacks: Any, db: Any
) -> None:
    """Redis flushed/evicted after a course change: the revision must not fall back to a
    number whose process-kept outline is an older course."""
    from apps.curriculum.models import Module
    from apps.curriculum.selectors import curriculum_revision_bump

    _mod()  # process keeps outline for the first revision
    with django_capture_on_commit_callbacks(execute=True):
        Module.objects.filter(slug="linear-algebra").update(title="After sync")
        curriculum_revision_bump()
    assert _mod()["title"] == "After sync"
    cache.clear()  # Redis restarted / key evicted
    assert _mod()["title"] == "After sync"


# ===================================================================== 2. cohort progress API


def _prog(c: Client, cid: int) -> Any:
    return c.get(f"{API}/cohorts/{cid}/progress/")


def test_progress_change_shows_on_next_call(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    assert _score(_prog(t, cohort.pk).json(), "alice") is None
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    assert _score(_prog(t, cohort.pk).json(), "alice") is not None


def test_progress_change_invalidates_every_cohort_of_the_learner(
    alice: Any,
    teacher: Any,
    make_user: Any,
    make_cohort: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from apps.progress.models import Role

    t2 = make_user("teacher2", role=Role.INSTRUCTOR)
    c1 = make_cohort(teacher, [alice], name="A")
    c2 = make_cohort(t2, [alice], name="B")
    _prog(_c(teacher), c1.pk)
    _prog(_c(t2), c2.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    assert _score(_prog(_c(teacher), c1.pk).json(), "alice") is not None
    assert _score(_prog(_c(t2), c2.pk).json(), "alice") is not None


def test_concept_check_answer_shows_in_cohort_progress(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.curriculum.models import Question
    from apps.progress.questions import question_answer

    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    before = _prog(t, cohort.pk).json()["concept_checks"]
    q = Question.objects.get(retired=False, name="eigenvalues-of-w")
    with django_capture_on_commit_callbacks(execute=True):
        question_answer(user=alice, question=q, answer="1234, 5678")
    assert _prog(t, cohort.pk).json()["concept_checks"] != before


def test_a_member_joining_or_leaving_shows_at_once(
    alice: Any, bob: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.progress.models import Enrollment
    from apps.progress.services import cohort_join

    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    assert [x["username"] for x in _prog(t, cohort.pk).json()["learners"]] == ["alice"]
    with django_capture_on_commit_callbacks(execute=True):
        cohort_join(user=bob, join_code=cohort.join_code)
    assert {x["username"] for x in _prog(t, cohort.pk).json()["learners"]} == {"alice", "bob"}
    with django_capture_on_commit_callbacks(execute=True):
        Enrollment.objects.get(cohort=cohort, user=alice).delete()
    assert [x["username"] for x in _prog(t, cohort.pk).json()["learners"]] == ["bob"]


def test_name_and_code_fresh(alice: Any, teacher: Any, make_cohort: Any) -> None:
    from apps.progress.services import cohort_join_code_rotate, cohort_rename

    cohort = make_cohort(teacher, [alice], name="Old")
    t = _c(teacher)
    _prog(t, cohort.pk)
    cohort_rename(cohort=cohort, instructor=teacher, name="New")
    cohort = cohort_join_code_rotate(cohort=cohort, instructor=teacher)
    d = _prog(t, cohort.pk).json()["cohort"]
    assert (d["name"], d["join_code"]) == ("New", cohort.join_code)


def test_course_change_shows_in_cohort_progress(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.curriculum.models import Exercise
    from apps.curriculum.selectors import curriculum_revision_bump

    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    _prog(t, cohort.pk)
    with django_capture_on_commit_callbacks(execute=True):
        Exercise.objects.filter(slug=EX).update(title="Changed title")
        curriculum_revision_bump()
    ex = next(e for e in _prog(t, cohort.pk).json()["exercises"] if e["slug"] == EX)
    assert ex["title"] == "Changed title"


def test_others_never_get_warm_progress(
    alice: Any, bob: Any, teacher: Any, make_user: Any, make_cohort: Any
) -> None:
    from apps.progress.models import Role

    cohort = make_cohort(teacher, [alice])
    assert _prog(_c(teacher), cohort.pk).status_code == 200
    other = make_user("teacher2", role=Role.INSTRUCTOR)
    make_cohort(other, [bob])
    assert _prog(_c(other), cohort.pk).status_code in (403, 404)
    assert _prog(_c(alice), cohort.pk).status_code in (403, 404)
    assert _prog(_c(bob), cohort.pk).status_code in (403, 404)
    assert _prog(Client(), cohort.pk).status_code in (401, 403)


def test_removed_coinstructor_loses_warm_progress(
    alice: Any,
    teacher: Any,
    make_user: Any,
    make_cohort: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from apps.progress.models import Role

    co = make_user("co", role=Role.INSTRUCTOR)
    cohort = make_cohort(teacher, [alice])
    cohort.instructors.add(co)
    c = _c(co)
    assert _prog(c, cohort.pk).status_code == 200
    assert c.get(f"/dashboard/{cohort.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        cohort.instructors.remove(co)
    assert _prog(c, cohort.pk).status_code in (403, 404)
    assert c.get(f"/dashboard/{cohort.pk}/").status_code in (302, 403, 404)


def test_a_members_new_username_shows_at_once(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    _prog(t, cohort.pk)
    with django_capture_on_commit_callbacks(execute=True):
        alice.username = "alice2"
        alice.save()
    assert [x["username"] for x in _prog(t, cohort.pk).json()["learners"]] == ["alice2"]


def test_cohort_progress_after_flush(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    _prog(t, cohort.pk)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    assert _score(_prog(t, cohort.pk).json(), "alice") is not None
    cache.clear()
    assert _score(_prog(t, cohort.pk).json(), "alice") is not None


# ===================================================================== 3. dashboard


def test_dashboard_never_stale(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    before = _html(t.get(f"/dashboard/{cohort.pk}/"))
    assert _html(t.get(f"/dashboard/{cohort.pk}/")) == before
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    assert _html(t.get(f"/dashboard/{cohort.pk}/")) != before


def test_dashboard_after_shared_cache_flush(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    t = _c(teacher)
    before = _html(t.get(f"/dashboard/{cohort.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    after = _html(t.get(f"/dashboard/{cohort.pk}/"))
    assert after != before
    cache.clear()  # Redis restart / eviction of the version key
    assert _html(t.get(f"/dashboard/{cohort.pk}/")) == after


def test_dashboard_other_cohort_and_switcher(
    alice: Any, bob: Any, teacher: Any, make_user: Any, make_cohort: Any
) -> None:
    from apps.progress.models import Role

    c1 = make_cohort(teacher, [alice], name="Alpha-cohort")
    c2 = make_cohort(teacher, [bob], name="Beta-cohort")
    other = make_user("teacher2", role=Role.INSTRUCTOR)
    c3 = make_cohort(other, [make_user("zed-learner")], name="Secret-cohort")
    o = _c(other)
    assert "zed-learner" in _html(o.get(f"/dashboard/{c3.pk}/"))
    t = _c(teacher)
    h1 = _html(t.get(f"/dashboard/{c1.pk}/"))
    h2 = _html(t.get(f"/dashboard/{c2.pk}/"))
    assert "bob" in h2
    assert ">alice<" not in h2
    assert "alice" not in h2
    assert "alice" in h1
    for h in (h1, h2):
        assert "Secret-cohort" not in h
        assert "zed-learner" not in h
    assert "Beta-cohort" not in _html(o.get(f"/dashboard/{c3.pk}/"))
    r = o.get(f"/dashboard/{c1.pk}/")
    assert r.status_code in (302, 403, 404)
    assert b"alice" not in r.content
    for u in (alice, bob):
        r = _c(u).get(f"/dashboard/{c1.pk}/")
        assert r.status_code in (302, 403, 404)
        assert b"Alpha-cohort" not in r.content
    r = Client().get(f"/dashboard/{c1.pk}/")
    assert r.status_code in (302, 403, 404)
    assert b"alice" not in r.content


def test_archived_cohort_still_shows(alice: Any, teacher: Any, make_cohort: Any) -> None:
    from apps.progress.services import cohort_archive

    cohort = make_cohort(teacher, [alice], name="Archived-one")
    t = _c(teacher)
    t.get(f"/dashboard/{cohort.pk}/")
    cohort_archive(cohort=cohort, instructor=teacher)
    h = _html(t.get(f"/dashboard/{cohort.pk}/"))
    assert "alice" in h
    assert _prog(t, cohort.pk).status_code == 200


def test_a_member_leaving_leaves_the_dashboard_heatmap(
    alice: Any, bob: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.progress.models import Enrollment
    from apps.progress.services import cohort_rename

    cohort = make_cohort(teacher, [alice, bob], name="Before-name")
    t = _c(teacher)
    assert "alice" in _html(t.get(f"/dashboard/{cohort.pk}/"))
    with django_capture_on_commit_callbacks(execute=True):
        Enrollment.objects.get(cohort=cohort, user=alice).delete()
        cohort_rename(cohort=cohort, instructor=teacher, name="After-name")
    h = _html(t.get(f"/dashboard/{cohort.pk}/"))
    assert "alice" not in h
    assert "After-name" in h
    assert "Before-name" not in h


# ===================================================================== 4. concept-check variants


def _variant_prompt(user: Any, name: str) -> str:
    from apps.curriculum.models import Question
    from apps.curriculum.selectors import question_variant
    from apps.progress.models import QuestionProgress

    q = Question.objects.select_related("lesson__module").get(
        name=name, retired=False, lesson__slug="lyapunov-spectrum-and-the-edge-of-chaos"
    )
    p = QuestionProgress.objects.filter(user=user, question=q).first()
    return question_variant(question=q, user_id=user.pk, variant=p.variant if p else 0)


def test_each_learner_own_numbers_api_and_page(make_user: Any) -> None:
    users = [make_user(f"l{i}") for i in range(8)]
    prompts = []
    for u in users + users[::-1]:
        c = _c(u)
        api = {q["name"]: q["prompt_html"] for q in c.get(RNN_Q).json()}
        assert api["eigenvalues-of-w"] == _variant_prompt(u, "eigenvalues-of-w").prompt_html
        page = _html(c.get(RNN_LESSON))
        assert api["eigenvalues-of-w"].strip() in page
        prompts.append(api["eigenvalues-of-w"])
    assert len(set(prompts[:8])) > 1
    assert prompts[:8] == prompts[8:][::-1]


def test_used_up_tries_change_numbers_and_never_leak(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.sandbox.grading.questions import TRIES_PER_VARIANT, format_answer

    a, b = _c(alice), _c(bob)
    first = {q["name"]: q for q in a.get(RNN_Q).json()}["eigenvalues-of-w"]["prompt_html"]
    bob_first = {q["name"]: q for q in b.get(RNN_Q).json()}["eigenvalues-of-w"]["prompt_html"]
    a.get(RNN_LESSON)
    for _ in range(TRIES_PER_VARIANT):
        # Each answer commits (its on-commit version bump runs, as a real request's does).
        with django_capture_on_commit_callbacks(execute=True):
            r = a.post(
                f"{RNN_Q}eigenvalues-of-w/answers/",
                {"answer": "1234, 5678"},
                content_type="application/json",
            )
        assert r.status_code == 200, r.content
    now = {q["name"]: q for q in a.get(RNN_Q).json()}["eigenvalues-of-w"]
    assert now["prompt_html"] != first
    v = _variant_prompt(alice, "eigenvalues-of-w")
    assert now["prompt_html"] == v.prompt_html
    page = _html(a.get(RNN_LESSON))
    assert v.prompt_html.strip() in page
    assert first.strip() not in page
    ans = format_answer(v.built)
    assert ans not in page
    assert ans not in str(a.get(RNN_Q).json())
    assert ans not in str(a.get(f"{RNN_Q}eigenvalues-of-w/").json())
    # bob untouched
    assert {q["name"]: q for q in b.get(RNN_Q).json()}["eigenvalues-of-w"][
        "prompt_html"
    ] == bob_first


def test_variant_answer_not_in_page_or_api(make_user: Any) -> None:
    from apps.progress.questions import ANSWER_FORMATS
    from apps.sandbox.grading.questions import format_answer

    def without_format_hints(text: str) -> str:
        # The fixed "what to type" examples ("e.g. 1, 2; 3, 4") are no learner's answer, but
        # a variant's answer can read the same (the variant follows the user id).
        for hint in ANSWER_FORMATS.values():
            text = text.replace(str(hint), "")
        return text

    for i in range(5):
        u = make_user(f"leak{i}")
        c = _c(u)
        page = without_format_hints(_html(c.get(RNN_LESSON)))
        body = without_format_hints(str(c.get(RNN_Q).json()))
        for name in ("eigenvalues-of-w", "jacobian-at-rest"):
            ans = format_answer(_variant_prompt(u, name).built)
            assert ans not in page, (name, ans)
            assert ans not in body, (name, ans)
        assert "explanation" not in body


# ===================================================================== 5. learner rows


def test_course_map_fresh_and_private(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    a, b = _c(alice), _c(bob)
    a0, b0 = _html(a.get("/learn/")), _html(b.get("/learn/"))
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    a1 = _html(a.get("/learn/"))
    assert a1 != a0
    assert (
        _html(b.get("/learn/")).replace("bob", "alice") == a0.replace("bob", "alice")
        or _html(b.get("/learn/")) == b0
    )


def test_lesson_read_mark_fresh_and_private(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.curriculum.models import Lesson
    from apps.progress.services import lesson_mark_read

    url = "/learn/linear-algebra/vectors-matrices-and-maps/"
    a, b = _c(alice), _c(bob)
    a0, b0 = _html(a.get(url)), _html(b.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        lesson_mark_read(user=alice, lesson=Lesson.objects.get(slug="vectors-matrices-and-maps"))
    assert _html(a.get(url)) != a0
    assert _html(b.get(url)) == b0
    m0 = _html(b.get("/learn/"))
    assert m0 == _html(b.get("/learn/"))


def test_exercise_page_lock_notice_follows_unlock(
    alice: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.curriculum.models import Exercise, Module
    from apps.progress.services import module_unlock

    make_cohort(teacher, [alice])
    m = Module.objects.filter(prerequisites__isnull=False).order_by("order").first()
    ex = Exercise.objects.filter(module=m, retired=False).first()
    a = _c(alice)
    url = f"/exercises/{ex.slug}/"
    locked = _html(a.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        module_unlock(instructor=teacher, learner=alice, module=m)
    unlocked = _html(a.get(url))
    assert unlocked != locked
    bob_like = _c(teacher)  # instructor page of same exercise is not alice's
    assert bob_like.get(url).status_code == 200


def test_learner_rows_after_flush(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    a = _c(alice)
    a0 = _html(a.get("/learn/"))
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    a1 = _html(a.get("/learn/"))
    assert a1 != a0
    cache.clear()
    assert _html(a.get("/learn/")) == a1


def test_user_deleted_and_new_user_gets_no_rows(
    alice: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A deleted learner's successor with the same username sees a blank map."""
    fresh_html = _html(_c(make_user("fresh")).get("/learn/")).replace("fresh", "alice")
    a = _c(alice)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice)
    _html(a.get("/learn/"))
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    new = make_user("alice")
    assert _html(_c(new).get("/learn/")) == fresh_html


def test_a_deleted_member_leaves_the_cohort_progress_and_dashboard(
    alice: Any, bob: Any, teacher: Any, make_cohort: Any, django_capture_on_commit_callbacks: Any
) -> None:
    cohort = make_cohort(teacher, [alice, bob])
    t = _c(teacher)
    _prog(t, cohort.pk)
    t.get(f"/dashboard/{cohort.pk}/")
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert [x["username"] for x in _prog(t, cohort.pk).json()["learners"]] == ["bob"]
    assert ">alice<" not in _html(t.get(f"/dashboard/{cohort.pk}/"))
