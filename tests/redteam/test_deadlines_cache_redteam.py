"""Red-team: a learner's cached deadlines must never be stale nor leak across learners/cohorts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.curriculum.models import Exercise, Module
from apps.progress.deadlines import (
    DeadlineMark,
    deadline_remove,
    deadline_set,
    deadlines_for_learner,
    due_soon_for_learner,
)
from apps.progress.models import Cohort, Enrollment, ExerciseProgress
from apps.progress.services import (
    cohort_archive,
    cohort_join,
    cohort_join_code_rotate,
    cohort_rename,
    cohort_unarchive,
    exercise_progress_record_attempt,
)

pytestmark = pytest.mark.django_db
_sub = iter(range(900000, 999999))


@pytest.fixture(autouse=True)
def _shared_cache(settings):
    settings.SHARED_CACHE = True


@pytest.fixture
def C(django_capture_on_commit_callbacks):
    def run(write, *a, **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*a, **kw)

    return run


@pytest.fixture
def softmax():
    return Exercise.objects.get(slug="softmax")


@pytest.fixture
def sibling(softmax):
    return Exercise.objects.filter(module_id=softmax.module_id).exclude(pk=softmax.pk).first()


def due_in(days):
    return timezone.now() + timedelta(days=days)


def snap(user, now=None):
    return {
        k: (v.exercise.pk, v.due_at, v.cohort.pk, v.cohort.name, v.mark, v.first_passed_at)
        for k, v in deadlines_for_learner(user=user, now=now).items()
    }


def assert_fresh(user):
    warm = snap(user)
    cache.clear()
    cold = snap(user)
    assert warm == cold


def pass_(C, user, exercise, at=None):
    C(
        exercise_progress_record_attempt,
        user=user,
        exercise=exercise,
        submission_id=next(_sub),
        score=1.0,
        passed=True,
        failed_checks=[],
        at=at or timezone.now(),
    )


def cohort(C, make_cohort, teacher, learners=(), name="Cohort"):
    return C(make_cohort, teacher, list(learners), name=name)


# --- interleaving / transactions -------------------------------------------------------


def test_read_inside_rolled_back_transaction_does_not_poison_cache(
    alice, teacher, make_cohort, softmax, C
):
    c = cohort(C, make_cohort, teacher, [alice])
    assert snap(alice) == {}
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 (write, read, roll back)
        deadline_set(cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
        snap(alice)  # read between write and (never) commit
        raise RuntimeError("rollback")
    assert snap(alice) == {}


def test_enrollment_read_inside_rolled_back_transaction(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert snap(alice) == {}
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 (write, read, roll back)
        Enrollment.objects.create(cohort=c, user=alice)
        snap(alice)
        raise RuntimeError("rollback")
    assert snap(alice) == {}


def test_pass_read_inside_rolled_back_transaction(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 (write, read, roll back)
        exercise_progress_record_attempt(
            user=alice,
            exercise=softmax,
            submission_id=next(_sub),
            score=1.0,
            passed=True,
            failed_checks=[],
            at=timezone.now(),
        )
        snap(alice)
        raise RuntimeError("rollback")
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN


def test_reads_between_write_and_commit_then_fresh_after_commit(
    alice, teacher, make_cohort, softmax, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        c = make_cohort(teacher, [alice])
    first, moved = due_in(3), due_in(6)
    with django_capture_on_commit_callbacks(execute=True):
        snap(alice)
        d = deadline_set(cohort=c, instructor=teacher, due_at=first, exercise=softmax)
        snap(alice)
    assert snap(alice)[softmax.pk][1] == first
    with django_capture_on_commit_callbacks(execute=True):
        snap(alice)
        deadline_set(cohort=c, instructor=teacher, due_at=moved, exercise=softmax)
        snap(alice)
    assert snap(alice)[softmax.pk][1] == moved
    with django_capture_on_commit_callbacks(execute=True):
        deadline_remove(deadline=d, instructor=teacher)
        snap(alice)
    assert snap(alice) == {}


# --- deadline semantics ----------------------------------------------------------------


def test_exercise_deadline_overrides_module_and_removal_reverts(
    alice, teacher, make_cohort, softmax, sibling, C
):
    c = cohort(C, make_cohort, teacher, [alice])
    module = Module.objects.get(pk=softmax.module_id)
    mod_due, ex_due = due_in(2), due_in(7)  # exercise's own later: still overrides
    C(deadline_set, cohort=c, instructor=teacher, due_at=mod_due, module=module)
    s = snap(alice)
    assert s[softmax.pk][1] == mod_due
    assert s[sibling.pk][1] == mod_due
    d = C(deadline_set, cohort=c, instructor=teacher, due_at=ex_due, exercise=softmax)
    s = snap(alice)
    assert s[softmax.pk][1] == ex_due
    assert s[sibling.pk][1] == mod_due
    C(deadline_remove, deadline=d, instructor=teacher)
    assert snap(alice)[softmax.pk][1] == mod_due
    moved = due_in(4)
    C(deadline_set, cohort=c, instructor=teacher, due_at=moved, module=module)
    assert snap(alice)[softmax.pk][1] == moved
    assert snap(alice)[sibling.pk][1] == moved


def test_two_cohorts_earliest_wins_and_follows_moves(alice, teacher, make_cohort, softmax, C):
    a = cohort(C, make_cohort, teacher, [alice], name="Alpha")
    b = cohort(C, make_cohort, teacher, [alice], name="Beta")
    C(deadline_set, cohort=a, instructor=teacher, due_at=due_in(5), exercise=softmax)
    C(deadline_set, cohort=b, instructor=teacher, due_at=due_in(2), exercise=softmax)
    assert snap(alice)[softmax.pk][3] == "Beta"
    C(deadline_set, cohort=b, instructor=teacher, due_at=due_in(9), exercise=softmax)
    assert snap(alice)[softmax.pk][3] == "Alpha"
    C(deadline_set, cohort=b, instructor=teacher, due_at=due_in(1), exercise=softmax)
    assert snap(alice)[softmax.pk][3] == "Beta"
    C(deadline_remove, deadline=Cohort.objects.get(pk=b.pk).deadlines.get(), instructor=teacher)
    assert snap(alice)[softmax.pk][3] == "Alpha"
    C(Enrollment.objects.filter(cohort=a, user=alice).delete)
    assert snap(alice) == {}


def test_cross_learner_isolation_same_exercise(alice, bob, teacher, make_cohort, softmax, C):
    a = cohort(C, make_cohort, teacher, [alice], name="AliceCohort")
    b = cohort(C, make_cohort, teacher, [bob], name="BobCohort")
    da, db = due_in(2), due_in(4)
    C(deadline_set, cohort=a, instructor=teacher, due_at=da, exercise=softmax)
    C(deadline_set, cohort=b, instructor=teacher, due_at=db, exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][1:5] == (da, a.pk, "AliceCohort", DeadlineMark.ON_TIME)
    assert snap(bob)[softmax.pk][1:5] == (db, b.pk, "BobCohort", DeadlineMark.OPEN)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME


def test_pass_late_and_move_after_pass(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    due = due_in(1)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due, exercise=softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN
    pass_(C, alice, softmax, at=due + timedelta(hours=2))
    assert snap(alice)[softmax.pk][4] is DeadlineMark.LATE
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME


def test_now_parameter_does_not_leak_through_cache(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    due = due_in(1)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due, exercise=softmax)
    assert snap(alice, now=due + timedelta(days=1))[softmax.pk][4] is DeadlineMark.MISSING
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN
    assert snap(alice, now=due + timedelta(days=1))[softmax.pk][4] is DeadlineMark.MISSING


def test_due_soon_reflects_writes(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice], name="Soon")
    assert due_soon_for_learner(user=alice) == []
    d = C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(1), exercise=softmax)
    soon = due_soon_for_learner(user=alice)
    assert [x.exercise.pk for x in soon] == [softmax.pk]
    C(cohort_rename, cohort=c, instructor=teacher, name="Later")
    assert due_soon_for_learner(user=alice)[0].cohort.name == "Later"
    C(deadline_remove, deadline=d, instructor=teacher)
    assert due_soon_for_learner(user=alice) == []


# --- cohort / enrollment / user lifecycle ----------------------------------------------


def test_cohort_archive_unarchive_rotate_consistent(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    snap(alice)
    C(cohort_archive, cohort=c, instructor=teacher)
    assert_fresh(alice)
    snap(alice)
    C(cohort_unarchive, cohort=c, instructor=teacher)
    assert_fresh(alice)
    snap(alice)
    C(cohort_join_code_rotate, cohort=c, instructor=teacher)
    assert_fresh(alice)


def test_cohort_created_joined_renamed_deleted(alice, teacher, softmax, C):
    from apps.progress.services import cohort_create

    c = C(cohort_create, name="New", instructor=teacher)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert snap(alice) == {}
    C(cohort_join, user=alice, join_code=c.join_code)
    assert snap(alice)[softmax.pk][3] == "New"
    C(cohort_rename, cohort=c, instructor=teacher, name="Renamed")
    assert snap(alice)[softmax.pk][3] == "Renamed"
    C(Cohort.objects.get(pk=c.pk).delete)
    assert snap(alice) == {}


def test_enrollment_reassigned_to_other_user_via_save(alice, bob, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert softmax.pk in snap(alice)
    assert snap(bob) == {}
    e = Enrollment.objects.get(cohort=c, user=alice)
    e.user = bob
    C(e.save)
    assert snap(alice) == {}
    assert softmax.pk in snap(bob)


def test_enrollment_moved_to_other_cohort_via_save(alice, teacher, make_cohort, softmax, C):
    a = cohort(C, make_cohort, teacher, [alice], name="A")
    b = cohort(C, make_cohort, teacher, [], name="B")
    C(deadline_set, cohort=a, instructor=teacher, due_at=due_in(3), exercise=softmax)
    C(deadline_set, cohort=b, instructor=teacher, due_at=due_in(5), exercise=softmax)
    assert snap(alice)[softmax.pk][3] == "A"
    e = Enrollment.objects.get(cohort=a, user=alice)
    e.cohort = b
    C(e.save)
    assert snap(alice)[softmax.pk][3] == "B"


def test_deleted_user_id_reused_sees_nothing(
    alice, teacher, make_cohort, softmax, C, django_user_model
):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    pk = alice.pk
    C(alice.delete)
    # SQLite (the default DB) hands the max rowid out again; force it to be sure.
    newcomer = C(django_user_model.objects.create_user, username="newcomer", id=pk)
    assert snap(newcomer) == {}


def test_deleted_user_id_reused_in_cohort_sees_open_not_old_pass(
    alice, teacher, make_cohort, softmax, C, django_user_model
):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    pk = alice.pk
    C(alice.delete)
    newcomer = C(django_user_model.objects.create_user, username="newcomer", id=pk)
    C(cohort_join, user=newcomer, join_code=c.join_code)
    assert snap(newcomer)[softmax.pk][4] is DeadlineMark.OPEN


def test_progress_edited_directly(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    due = due_in(3)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due, exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    p = ExerciseProgress.objects.get(user=alice, exercise=softmax)
    p.first_passed_at = due + timedelta(days=1)
    C(p.save)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.LATE


def test_progress_deleted_directly(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    C(ExerciseProgress.objects.get(user=alice, exercise=softmax).delete)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN


def test_exercise_retired_via_save(alice, teacher, make_cohort, softmax, sibling, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(2), exercise=softmax)
    C(
        deadline_set,
        cohort=c,
        instructor=teacher,
        due_at=due_in(2),
        module=Module.objects.get(pk=softmax.module_id),
    )
    snap(alice)
    softmax.retired = True
    C(softmax.save)
    assert_fresh(alice)


def test_exercise_moved_to_other_module(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    home = Module.objects.get(pk=softmax.module_id)
    other = Module.objects.exclude(pk=home.pk).first()
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(2), module=home)
    assert softmax.pk in snap(alice)
    softmax.module = other
    C(softmax.save)
    assert_fresh(alice)


def test_exercise_deleted_cascades_its_deadline(alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(2), exercise=softmax)
    assert softmax.pk in snap(alice)
    pk = softmax.pk
    C(softmax.delete)
    assert pk not in snap(alice)


# --- admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, django_user_model):
    su = django_user_model.objects.create_superuser("root", "r@x.io", "pw-root-123")
    client.force_login(su)
    return client


def _cohort_form(c, enrollments, extra_user=None, delete_ids=(), name=None):
    data = {
        "name": name or c.name,
        "join_code": c.join_code,
        "instructors": [u.pk for u in c.instructors.all()],
        "archived_at_0": "",
        "archived_at_1": "",
        "enrollments-TOTAL_FORMS": str(len(enrollments) + (1 if extra_user else 0)),
        "enrollments-INITIAL_FORMS": str(len(enrollments)),
        "enrollments-MIN_NUM_FORMS": "0",
        "enrollments-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    for i, e in enumerate(enrollments):
        data[f"enrollments-{i}-id"] = str(e.pk)
        data[f"enrollments-{i}-cohort"] = str(c.pk)
        data[f"enrollments-{i}-user"] = str(e.user_id)
        if e.pk in delete_ids:
            data[f"enrollments-{i}-DELETE"] = "on"
    if extra_user:
        i = len(enrollments)
        data[f"enrollments-{i}-id"] = ""
        data[f"enrollments-{i}-cohort"] = str(c.pk)
        data[f"enrollments-{i}-user"] = str(extra_user.pk)
    return data


def test_admin_inline_add_remove_enrollment_and_rename(
    admin_client, alice, teacher, make_cohort, softmax, C
):
    c = cohort(C, make_cohort, teacher, [], name="Adm")
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    url = f"/admin/progress/cohort/{c.pk}/change/"
    assert snap(alice) == {}
    r = C(admin_client.post, url, _cohort_form(c, [], extra_user=alice))
    assert r.status_code == 302, r.content.decode()[:3000]
    assert snap(alice)[softmax.pk][3] == "Adm"
    es = list(Enrollment.objects.filter(cohort=c))
    r = C(admin_client.post, url, _cohort_form(c, es, name="AdmRenamed"))
    assert r.status_code == 302
    assert snap(alice)[softmax.pk][3] == "AdmRenamed"
    c.refresh_from_db()
    r = C(admin_client.post, url, _cohort_form(c, es, delete_ids={es[0].pk}))
    assert r.status_code == 302
    assert snap(alice) == {}


def test_admin_delete_selected_cohort(admin_client, alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert softmax.pk in snap(alice)
    r = C(
        admin_client.post,
        "/admin/progress/cohort/",
        {"action": "delete_selected", "_selected_action": [c.pk], "post": "yes"},
    )
    assert r.status_code == 302
    assert not Cohort.objects.filter(pk=c.pk).exists()
    assert snap(alice) == {}


def test_admin_edit_and_delete_exercise_progress(
    admin_client, alice, teacher, make_cohort, softmax, C
):
    c = cohort(C, make_cohort, teacher, [alice])
    due = due_in(3)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due, exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    r = C(
        admin_client.post,
        "/admin/progress/exerciseprogress/",
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": list(
                ExerciseProgress.objects.filter(user=alice).values_list("pk", flat=True)
            ),
        },
    )
    assert r.status_code == 302
    assert not ExerciseProgress.objects.filter(user=alice).exists()
    assert snap(alice)[softmax.pk][4] is DeadlineMark.OPEN


def test_admin_delete_user(admin_client, alice, bob, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice, bob])
    C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(3), exercise=softmax)
    assert softmax.pk in snap(bob)
    r = C(admin_client.post, f"/admin/auth/user/{alice.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302
    assert softmax.pk in snap(bob)
    assert_fresh(bob)


def test_admin_change_form_exercise_progress(admin_client, alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    due = due_in(3)
    C(deadline_set, cohort=c, instructor=teacher, due_at=due, exercise=softmax)
    pass_(C, alice, softmax)
    assert snap(alice)[softmax.pk][4] is DeadlineMark.ON_TIME
    p = ExerciseProgress.objects.get(user=alice, exercise=softmax)
    late = timezone.localtime(due + timedelta(days=1))
    data = {
        "user": alice.pk,
        "exercise": softmax.pk,
        "attempts": p.attempts,
        "best_score": p.best_score,
        "hints_revealed": p.hints_revealed,
        "first_attempt_at_0": "",
        "first_attempt_at_1": "",
        "first_passed_at_0": late.strftime("%Y-%m-%d"),
        "first_passed_at_1": late.strftime("%H:%M:%S"),
        "last_attempt_at_0": "",
        "last_attempt_at_1": "",
        "attempts_to_pass": "",
        "seconds_to_pass": "",
        "last_submission_id": "",
        "_save": "Save",
    }
    r = C(admin_client.post, f"/admin/progress/exerciseprogress/{p.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    p.refresh_from_db()
    assert p.first_passed_at > due
    assert snap(alice)[softmax.pk][4] is DeadlineMark.LATE


# --- pages and APIs ---------------------------------------------------------------------


def _pages(client):
    out = {}
    for path in ("/learn/", "/exercises/softmax/", "/api/v1/deadlines/me/"):
        r = client.get(path)
        assert r.status_code == 200, path
        out[path] = r.content.decode()
    return out


def test_pages_and_api_follow_every_write(client, alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice], name="Zeta-Squad")
    client.force_login(alice)
    p = _pages(client)
    assert "Zeta-Squad" not in p["/learn/"]
    assert "Zeta-Squad" not in p["/exercises/softmax/"]
    assert p["/api/v1/deadlines/me/"].strip() == "[]"
    d = C(deadline_set, cohort=c, instructor=teacher, due_at=due_in(1), exercise=softmax)
    p = _pages(client)
    for path, body in p.items():
        if path != "/api/v1/deadlines/me/":
            assert "Zeta-Squad" in body, path
    assert "softmax" in p["/api/v1/deadlines/me/"]
    C(cohort_rename, cohort=c, instructor=teacher, name="Omega-Crew")
    p = _pages(client)
    for path in ("/learn/", "/exercises/softmax/"):
        assert "Omega-Crew" in p[path], path
        assert "Zeta-Squad" not in p[path], path
    pass_(C, alice, softmax)
    api = client.get("/api/v1/deadlines/me/").json()
    assert api[0]["mark"] in ("on_time", "ON_TIME", DeadlineMark.ON_TIME), api
    C(deadline_remove, deadline=d, instructor=teacher)
    p = _pages(client)
    for path in ("/learn/", "/exercises/softmax/"):
        assert "Omega-Crew" not in p[path], path
    assert p["/api/v1/deadlines/me/"].strip() == "[]"


def test_pages_isolated_between_learners(client, alice, bob, teacher, make_cohort, softmax, C):
    a = cohort(C, make_cohort, teacher, [alice], name="Alpha-Only")
    b = cohort(C, make_cohort, teacher, [bob], name="Bravo-Only")
    C(deadline_set, cohort=a, instructor=teacher, due_at=due_in(1), exercise=softmax)
    C(deadline_set, cohort=b, instructor=teacher, due_at=due_in(2), exercise=softmax)
    client.force_login(alice)
    pa = _pages(client)
    client.force_login(bob)
    pb = _pages(client)
    for path in ("/learn/", "/exercises/softmax/"):
        assert "Alpha-Only" in pa[path], path
        assert "Bravo-Only" not in pa[path], path
        assert "Bravo-Only" in pb[path], path
        assert "Alpha-Only" not in pb[path], path
    client.force_login(alice)
    pa2 = _pages(client)
    for path in ("/learn/", "/exercises/softmax/"):
        assert "Bravo-Only" not in pa2[path]


def test_cohort_api_post_and_delete_show_at_once(client, alice, teacher, make_cohort, softmax, C):
    c = cohort(C, make_cohort, teacher, [alice])
    client.force_login(alice)
    assert client.get("/api/v1/deadlines/me/").json() == []
    client.force_login(teacher)
    due = due_in(2).isoformat()
    r = C(
        client.post,
        f"/api/v1/cohorts/{c.pk}/deadlines/",
        {"exercise": "softmax", "due_at": due},
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    did = r.json()["id"]
    client.force_login(alice)
    assert [
        x["exercise"] if isinstance(x["exercise"], str) else x
        for x in client.get("/api/v1/deadlines/me/").json()
    ]
    assert len(client.get("/api/v1/deadlines/me/").json()) == 1
    client.force_login(teacher)
    r = C(client.delete, f"/api/v1/cohorts/{c.pk}/deadlines/{did}/")
    assert r.status_code == 204
    client.force_login(alice)
    assert client.get("/api/v1/deadlines/me/").json() == []
