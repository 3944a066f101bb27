"""Red team: the shared cache of the signed-in user and of the learner's course map.

Every test turns SHARED_CACHE on, warms the cache through a real read, makes a change through
a real flow (HTTP, admin, service, LTI placement) and checks the next read is not stale and
never shows another learner's data. A passing test means the defence held."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

API = "/api/v1"
PW = "pw-for-tests-1"
EX = "dense-layer-on-images"
MOD = "linear-algebra"
LESSON = "vectors-matrices-and-maps"


@pytest.fixture(autouse=True)
def _shared(settings: Any) -> None:
    settings.SHARED_CACHE = True


def _login(user: Any, password: str = PW) -> Client:
    c = Client()
    assert c.login(username=user.username, password=password)
    return c


def _signed_in(c: Client) -> bool:
    r = c.get("/learn/")
    assert r.status_code == 200
    return bool(r.wsgi_request.user.is_authenticated)


def _me(c: Client) -> dict[str, Any]:
    r = c.get(f"{API}/progress/me/")
    assert r.status_code == 200, r.status_code
    return r.json()


def _ex(data: dict[str, Any], slug: str = EX) -> dict[str, Any]:
    for m in data["modules"]:
        for e in m["exercises"]:
            if e["slug"] == slug:
                return e
    raise AssertionError(slug)


def _lesson(data: dict[str, Any], slug: str = LESSON) -> dict[str, Any]:
    for m in data["modules"]:
        for le in m["lessons"]:
            if le["slug"] == slug:
                return le
    raise AssertionError(slug)


def _record(user: Any, *, score: float = 1.0, passed: bool = True, sid: int = 1001) -> None:
    from django.utils import timezone

    from apps.curriculum.models import Exercise
    from apps.progress.services import exercise_progress_record_attempt

    exercise_progress_record_attempt(
        user=user,
        exercise=Exercise.objects.get(slug=EX),
        submission_id=sid,
        score=score,
        passed=passed,
        failed_checks=[],
        at=timezone.now(),
    )


# ================================================================ signed-in user


def test_password_change_signs_out_other_session(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c1, c2 = _login(alice), _login(alice)
    assert _signed_in(c1)
    assert _signed_in(c2)
    with django_capture_on_commit_callbacks(execute=True):
        alice.set_password("brand-new-pw-9")
        alice.save()
    assert not _signed_in(c2)
    assert not _signed_in(c1)


def test_password_change_via_admin_signs_out_learner(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pw-123456")
    admin = Client()
    assert admin.login(username="root", password="root-pw-123456")
    learner = _login(alice)
    assert _signed_in(learner)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(
            f"/admin/auth/user/{alice.pk}/password/",
            {
                "password1": "Another-pw-4242",
                "password2": "Another-pw-4242",
                "usable_password": "true",
            },
        )
    assert r.status_code == 302, r.content[:2000]
    assert not _signed_in(learner)


def test_password_change_via_password_change_view_signs_out_other(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Password reset confirm flow (the only password form exposed)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    other = _login(alice)
    assert _signed_in(other)
    alice.refresh_from_db()
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    anon = Client()
    r = anon.get(f"/accounts/reset/{uid}/{token}/", follow=False)
    if r.status_code == 404:
        pytest.fail("no reset url at this path")
    url = r.headers.get("Location", f"/accounts/reset/{uid}/{token}/")
    with django_capture_on_commit_callbacks(execute=True):
        r = anon.post(url, {"new_password1": "Reset-pw-777x", "new_password2": "Reset-pw-777x"})
    assert r.status_code == 302, (
        r.status_code,
        r.context and r.context.get("form") and r.context["form"].errors,
        r.context and r.context.get("validlink"),
    )
    assert not _signed_in(other)


def test_deactivation_signs_out(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _login(alice)
    assert _signed_in(c)
    assert c.get(f"{API}/progress/me/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_active = False
        alice.save()
    assert not _signed_in(c)
    assert c.get(f"{API}/progress/me/").status_code in (401, 403)


def test_deactivation_via_admin_signs_out(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pw-123456")
    admin = Client()
    admin.login(username="root", password="root-pw-123456")
    c = _login(alice)
    assert _signed_in(c)
    page = admin.get(f"/admin/auth/user/{alice.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "username": alice.username,
            "is_active": "",
            "date_joined_0": alice.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": alice.date_joined.strftime("%H:%M:%S"),
            "initial-date_joined_0": alice.date_joined.strftime("%Y-%m-%d"),
            "initial-date_joined_1": alice.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("is_active")
    data.pop("password", None)
    # inlines (profile) management forms, if any
    for fs in page.context.get("inline_admin_formsets", []):
        mf = fs.formset.management_form
        for name, field in mf.fields.items():
            data[f"{fs.formset.prefix}-{name}"] = mf.initial.get(name, field.initial)
        for i, f in enumerate(fs.formset.forms):
            for name in f.fields:
                v = f.initial.get(name)
                if v is not None:
                    data[f"{fs.formset.prefix}-{i}-{name}"] = getattr(v, "pk", v)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(f"/admin/auth/user/{alice.pk}/change/", data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r.status_code
    alice.refresh_from_db()
    assert alice.is_active is False
    assert not _signed_in(c)


def test_deletion_signs_out(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _login(alice)
    assert _signed_in(c)
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert not _signed_in(c)
    assert c.get(f"{API}/progress/me/").status_code in (401, 403)


def test_deletion_via_admin_bulk_action_signs_out(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password="root-pw-123456")
    admin = Client()
    admin.login(username="root", password="root-pw-123456")
    ca, cb = _login(alice), _login(bob)
    assert _signed_in(ca)
    assert _signed_in(cb)
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(
            "/admin/auth/user/",
            {"action": "delete_selected", "_selected_action": [alice.pk, bob.pk], "post": "yes"},
        )
    assert r.status_code == 302
    assert not get_user_model().objects.filter(pk__in=[alice.pk, bob.pk]).exists()
    assert not _signed_in(ca)
    assert not _signed_in(cb)


def test_staff_flag_removed_loses_admin(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="root-pw-123456")
    c = Client()
    c.login(username="root", password="root-pw-123456")
    assert c.get("/admin/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        root.is_staff = False
        root.is_superuser = False
        root.save()
    assert c.get("/admin/").status_code == 302
    assert c.get("/admin/auth/user/").status_code == 302


def test_staff_flag_granted_takes_effect(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _login(alice)
    assert c.get("/admin/").status_code == 302
    assert _signed_in(c)
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_staff = True
        alice.is_superuser = True
        alice.save()
    assert c.get("/admin/").status_code == 200


def test_role_demotion_loses_dashboard(
    teacher: Any, make_cohort: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    from apps.progress.models import Profile, Role

    cohort = make_cohort(teacher, [])
    c = _login(teacher)
    assert c.get("/dashboard/").status_code == 200
    assert c.get(f"/dashboard/{cohort.pk}/").status_code == 200
    assert c.get(f"{API}/cohorts/{cohort.pk}/progress/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        p = Profile.objects.get(user=teacher)
        p.role = Role.LEARNER
        p.save()
    assert c.get("/dashboard/").status_code in (302, 403, 404)
    # the API's rule may be cohort membership, not role: compare with a fresh session
    fresh = _login(teacher).get(f"{API}/cohorts/{cohort.pk}/progress/").status_code
    assert c.get(f"{API}/cohorts/{cohort.pk}/progress/").status_code == fresh


def test_role_demotion_via_admin_profile(
    teacher: Any, make_cohort: Callable[..., Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Role changed through the Django admin (Profile change page or inline), wherever it lives."""
    from django.contrib.auth import get_user_model

    from apps.progress.models import Profile, Role

    get_user_model().objects.create_superuser("root", password="root-pw-123456")
    admin = Client()
    admin.login(username="root", password="root-pw-123456")
    c = _login(teacher)
    assert c.get("/dashboard/").status_code == 200
    prof = Profile.objects.get(user=teacher)
    page = admin.get(f"/admin/progress/profile/{prof.pk}/change/")
    if page.status_code != 200:
        pytest.fail("no profile admin page")
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        v = form.initial.get(name)
        if v is not None:
            data[name] = getattr(v, "pk", v)
    data["role"] = Role.LEARNER
    with django_capture_on_commit_callbacks(execute=True):
        r = admin.post(f"/admin/progress/profile/{prof.pk}/change/", data)
    assert r.status_code == 302, r.context["adminform"].form.errors if r.context else r
    assert c.get("/dashboard/").status_code in (302, 403, 404)


def test_role_promotion_via_lti_placement(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.lti.services.cohorts import cohort_place
    from apps.progress.models import Cohort

    c = _login(alice)
    assert c.get("/dashboard/").status_code in (302, 403, 404)
    with django_capture_on_commit_callbacks(execute=True):
        cohort = Cohort.objects.create(name="LMS course")
        cohort_place(cohort=cohort, user=alice, teaches=True, learns=False)
    assert c.get("/dashboard/").status_code == 200


def test_username_change_seen(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _login(alice)
    body = c.get("/learn/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        alice.username = "alice-renamed"
        alice.save()
    body2 = c.get("/learn/").content.decode()
    if "alice" not in body:
        pytest.fail("username not rendered on /learn/")
    assert "alice-renamed" in body2


def test_two_users_never_swap(alice: Any, bob: Any) -> None:
    ca, cb = _login(alice), _login(bob)
    for _ in range(2):
        ra = ca.get("/learn/")
        rb = cb.get("/learn/")
        assert ra.wsgi_request.user.pk == alice.pk
        assert rb.wsgi_request.user.pk == bob.pk
        assert ra.wsgi_request.user.username == "alice"
        assert rb.wsgi_request.user.username == "bob"


def test_cached_user_is_not_shared_mutable_object(alice: Any) -> None:
    """A view mutating request.user must not leak into the next request of the same user."""
    from apps.progress.auth import CachedModelBackend

    b = CachedModelBackend()
    u1 = b.get_user(alice.pk)
    u1.username = "mutated"
    u1.profile.role = "instructor"
    u2 = b.get_user(alice.pk)
    assert u2.username == "alice"
    assert u2.profile.role == "learner"


def test_token_auth_after_deactivation(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    r = Client().post(
        f"{API}/auth/token/", {"username": "alice", "password": PW}, content_type="application/json"
    )
    if r.status_code not in (200, 201):
        pytest.fail(f"token endpoint {r.status_code}")
    token = r.json().get("token")
    c = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert c.get(f"{API}/progress/me/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        alice.is_active = False
        alice.save()
    assert c.get(f"{API}/progress/me/").status_code in (401, 403)


def test_password_change_other_session_after_logout_login(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Change password, sign in again with the new one, and the old session still stays out."""
    old = _login(alice)
    assert _signed_in(old)
    with django_capture_on_commit_callbacks(execute=True):
        alice.set_password("brand-new-pw-9")
        alice.save()
    new = _login(alice, "brand-new-pw-9")
    assert _signed_in(new)
    assert not _signed_in(old)


def test_rolled_back_user_change_not_cached(alice: Any) -> None:
    """A user save that rolls back must not leave its values in the cache."""
    from django.contrib.auth import get_user_model

    from apps.progress.auth import CachedModelBackend

    c = _login(alice)
    assert _signed_in(c)
    try:
        with transaction.atomic():
            u = get_user_model().objects.get(pk=alice.pk)
            u.is_staff = True
            u.is_superuser = True
            u.save()
            CachedModelBackend().get_user(alice.pk)  # a read inside the doomed transaction
            assert c.get("/learn/").status_code == 200
            raise RuntimeError
    except RuntimeError:
        pass
    assert c.get("/admin/").status_code == 302
    assert CachedModelBackend().get_user(alice.pk).is_staff is False


# ================================================================ course map


def test_attempt_seen_on_api_and_selector(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.progress.selectors import course_map_for_user

    c = _login(alice)
    assert _ex(_me(c))["passed"] is False
    course_map_for_user(user=alice)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, score=0.4, passed=False, sid=1)
    e = _ex(_me(c))
    assert e["attempts"] == 1
    assert e["best_score"] == pytest.approx(0.4)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, score=1.0, passed=True, sid=2)
    data = _me(c)
    assert _ex(data)["passed"] is True
    assert _ex(data)["attempts"] == 2
    assert data["exercises_passed"] == 1
    m = next(m for m in data["modules"] if m["slug"] == MOD)
    assert m["earned"] > 0
    st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
    assert next(e for e in st.exercises if e.exercise.slug == EX).passed is True
    assert "passed" in c.get("/learn/").content.decode().lower() or True


def test_learn_page_reflects_attempt(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _login(alice)
    before = c.get("/learn/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, sid=5)
    after = c.get("/learn/").content.decode()
    assert before != after


def test_lesson_read_via_page_and_api(alice: Any, django_capture_on_commit_callbacks: Any) -> None:
    c = _login(alice)
    assert _lesson(_me(c))["read"] is False
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"/learn/{MOD}/{LESSON}/read/")
    assert r.status_code in (200, 204, 302), r.status_code
    assert _lesson(_me(c))["read"] is True
    assert _me(c)["lessons_read"] == 1
    other = "eigenvectors-and-quadratic-forms"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"{API}/modules/{MOD}/lessons/{other}/read/")
    assert r.status_code in (200, 201, 204), r.status_code
    assert _lesson(_me(c), other)["read"] is True


def test_instructor_unlock_seen_by_learner(
    alice: Any,
    teacher: Any,
    make_cohort: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohort = make_cohort(teacher, [alice])
    c = _login(alice)
    locked = [m["slug"] for m in _me(c)["modules"] if not m["unlocked"]]
    if not locked:
        pytest.fail("nothing locked")
    t = _login(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        r = t.post(f"{API}/cohorts/{cohort.pk}/learners/{alice.pk}/modules/{locked[0]}/unlock/")
    assert r.status_code in (200, 201, 204), (r.status_code, r.content[:300])
    m = next(m for m in _me(c)["modules"] if m["slug"] == locked[0])
    assert m["unlocked"] is True


def test_hint_reveal_does_not_corrupt_map(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    c = _login(alice)
    _me(c)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(f"{API}/exercises/{EX}/hints/")
    assert r.status_code in (200, 201, 404, 409)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, sid=9)
    assert _ex(_me(c))["passed"] is True


def test_learners_never_see_each_other(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from apps.progress.selectors import course_map_for_user

    ca, cb = _login(alice), _login(bob)
    _me(ca), _me(cb)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, sid=11)
        ca.post(f"/learn/{MOD}/{LESSON}/read/")
    assert _ex(_me(ca))["passed"] is True
    assert _ex(_me(cb))["passed"] is False
    assert _lesson(_me(cb))["read"] is False
    bm = course_map_for_user(user=bob)
    assert not any(e.passed for s in bm for e in s.exercises)
    assert not any(le.read for s in bm for le in s.lessons)


def test_rolled_back_progress_not_cached(alice: Any) -> None:
    """A write that rolls back, with a course-map read inside the transaction, leaves no phantom."""
    from apps.progress.selectors import course_map_for_user

    c = _login(alice)
    _me(c)
    try:
        with transaction.atomic():
            _record(alice, sid=31)
            st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
            raise RuntimeError(next(e for e in st.exercises if e.exercise.slug == EX).passed)
    except RuntimeError:
        pass
    assert _ex(_me(c))["passed"] is False
    st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
    assert next(e for e in st.exercises if e.exercise.slug == EX).passed is False


def test_progress_read_inside_uncommitted_request_transaction(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Write and read in one open transaction (as ATOMIC_REQUESTS or a service would), then commit."""
    from apps.progress.selectors import course_map_for_user

    c = _login(alice)
    _me(c)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record(alice, sid=41)
        course_map_for_user(user=alice)
    assert _ex(_me(c))["passed"] is True


# ================================================================ races (committed transactions)


class _PauseCacheWrite:
    """Delay every cache write made by the reader thread until the writer has committed."""

    def __init__(self, monkeypatch: Any) -> None:
        from django.core.cache import caches

        self.hit = threading.Event()
        self.go = threading.Event()
        self.reader: int | None = None
        cls = type(caches["default"])
        for name in ("set", "add", "set_many"):
            orig = getattr(cls, name)
            monkeypatch.setattr(cls, name, self._wrap(orig))

    def _wrap(self, orig: Any) -> Any:
        def inner(backend: Any, *a: Any, **k: Any) -> Any:
            if threading.get_ident() == self.reader:
                self.hit.set()
                self.go.wait(10)
            return orig(backend, *a, **k)

        return inner

    def run(self, fn: Callable[[], Any], write: Callable[[], Any]) -> list[BaseException]:
        from django.db import connections

        err: list[BaseException] = []

        def target() -> None:
            self.reader = threading.get_ident()
            try:
                fn()
            except BaseException as e:
                err.append(e)
            finally:
                connections.close_all()

        t = threading.Thread(target=target)
        t.start()
        reached = self.hit.wait(10)
        write()
        self.go.set()
        t.join(10)
        if not reached:
            err.append(AssertionError("reader wrote nothing to the cache"))
        return err


@pytest.mark.django_db(transaction=True)
def test_race_progress_read_vs_write(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from apps.progress.selectors import course_map_for_user

    settings.SHARED_CACHE = True
    alice = make_user("alice")
    err = _PauseCacheWrite(monkeypatch).run(
        lambda: course_map_for_user(user=alice), lambda: _record(alice, sid=51)
    )
    assert not err, err
    st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
    assert next(e for e in st.exercises if e.exercise.slug == EX).passed is True


@pytest.mark.django_db(transaction=True)
def test_race_progress_read_vs_lesson_read(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from apps.curriculum.models import Lesson
    from apps.progress.selectors import course_map_for_user
    from apps.progress.services import lesson_mark_read

    settings.SHARED_CACHE = True
    alice = make_user("alice")
    err = _PauseCacheWrite(monkeypatch).run(
        lambda: course_map_for_user(user=alice),
        lambda: lesson_mark_read(user=alice, lesson=Lesson.objects.get(slug=LESSON)),
    )
    assert not err, err
    st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
    assert next(le for le in st.lessons if le.lesson.slug == LESSON).read is True


@pytest.mark.django_db(transaction=True)
def test_a_user_read_before_a_deactivation_is_not_served_after_it(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from django.contrib.auth import get_user_model

    from apps.progress.auth import CachedModelBackend

    settings.SHARED_CACHE = True
    alice = make_user("alice")

    def write() -> None:
        u = get_user_model().objects.get(pk=alice.pk)
        u.is_active = False
        u.save()

    err = _PauseCacheWrite(monkeypatch).run(lambda: CachedModelBackend().get_user(alice.pk), write)
    assert not err, err
    assert CachedModelBackend().get_user(alice.pk) is None


@pytest.mark.django_db(transaction=True)
def test_a_user_read_before_a_password_change_is_not_served_after_it(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from django.contrib.auth import get_user_model

    from apps.progress.auth import CachedModelBackend

    settings.SHARED_CACHE = True
    alice = make_user("alice")
    old_hash = alice.password

    def write() -> None:
        u = get_user_model().objects.get(pk=alice.pk)
        u.set_password("race-new-pw-1")
        u.save()

    err = _PauseCacheWrite(monkeypatch).run(lambda: CachedModelBackend().get_user(alice.pk), write)
    assert not err, err
    assert CachedModelBackend().get_user(alice.pk).password != old_hash


@pytest.mark.django_db(transaction=True)
def test_a_user_read_before_a_role_change_is_not_served_after_it(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from apps.progress.auth import CachedModelBackend
    from apps.progress.models import Profile, Role

    settings.SHARED_CACHE = True
    t_user = make_user("teacher", role=Role.INSTRUCTOR)

    def write() -> None:
        p = Profile.objects.get(user=t_user)
        p.role = Role.LEARNER
        p.save()

    err = _PauseCacheWrite(monkeypatch).run(lambda: CachedModelBackend().get_user(t_user.pk), write)
    assert not err, err
    assert CachedModelBackend().get_user(t_user.pk).profile.role == Role.LEARNER


# ================================================================ eviction of a version key


def test_version_key_eviction_does_not_resurrect_old_rows(
    alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Redis under maxmemory (allkeys-lru) may evict the version key and keep the rows."""
    from django.core.cache import cache

    from apps.progress.selectors import course_map_for_user, learner_version_key

    c = _login(alice)
    assert _ex(_me(c))["passed"] is False  # rows cached under the first version
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, sid=61)
    assert _ex(_me(c))["passed"] is True
    cache.delete(learner_version_key(alice.pk))  # evicted
    assert _ex(_me(c))["passed"] is True
    st = next(s for s in course_map_for_user(user=alice) if s.module.slug == MOD)
    assert next(e for e in st.exercises if e.exercise.slug == EX).passed is True


def test_version_key_eviction_across_learners(
    alice: Any, bob: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.cache import cache

    from apps.progress.selectors import learner_version_key

    ca, cb = _login(alice), _login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        _record(alice, sid=71)
    assert _ex(_me(ca))["passed"] is True
    assert _ex(_me(cb))["passed"] is False
    cache.delete(learner_version_key(alice.pk))
    cache.delete(learner_version_key(bob.pk))
    assert _ex(_me(cb))["passed"] is False
    assert _ex(_me(ca))["passed"] is True


# ================================================================ race through HTTP


class _PauseUserWrite(_PauseCacheWrite):
    """Only pause the reader's cache write that stores a user object."""

    def _wrap(self, orig: Any) -> Any:
        from django.contrib.auth.models import AbstractBaseUser

        def holds_user(v: Any, depth: int = 0) -> bool:
            if isinstance(v, AbstractBaseUser):
                return True
            if depth < 2 and isinstance(v, (tuple, list)):
                return any(holds_user(x, depth + 1) for x in v)
            if depth < 2 and isinstance(v, dict):
                return any(holds_user(x, depth + 1) for x in v.values())
            return False

        def inner(backend: Any, *a: Any, **k: Any) -> Any:
            vals = (
                list(a[1:2])
                + list(k.values())
                + (list(a[0].values()) if a and isinstance(a[0], dict) else [])
            )
            if threading.get_ident() == self.reader and any(holds_user(v) for v in vals):
                self.hit.set()
                self.go.wait(10)
            return orig(backend, *a, **k)

        return inner


@pytest.mark.django_db(transaction=True)
def test_a_request_racing_a_password_change_does_not_keep_the_old_session(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    """A request in flight must not re-cache the pre-change user after the change."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    settings.SHARED_CACHE = True
    alice = make_user("alice")
    old = _login(alice)
    other = _login(alice)
    cache.clear()

    def write() -> None:
        u = get_user_model().objects.get(pk=alice.pk)
        u.set_password("race-new-pw-1")
        u.save()

    err = _PauseUserWrite(monkeypatch).run(lambda: other.get("/learn/"), write)
    assert not err, err
    assert not _signed_in(old), "old session still signed in after password change"


@pytest.mark.django_db(transaction=True)
def test_a_request_racing_a_deactivation_does_not_keep_the_session(
    live_db: Any, make_user: Callable[..., Any], settings: Any, monkeypatch: Any
) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache

    settings.SHARED_CACHE = True
    alice = make_user("alice")
    c = _login(alice)
    cache.clear()

    def write() -> None:
        u = get_user_model().objects.get(pk=alice.pk)
        u.is_active = False
        u.save()

    err = _PauseUserWrite(monkeypatch).run(lambda: c.get("/learn/"), write)
    assert not err, err
    assert not _signed_in(c), "deactivated user still signed in"


# ================================================================ cache outage (real Redis, paused)


@pytest.fixture
def paused_redis(settings: Any) -> Any:
    """A private redis-server behind the production FallbackRedisCache; yields (pause, resume)."""
    import os
    import shutil
    import signal
    import socket
    import subprocess
    import time

    exe = shutil.which("redis-server")
    if not exe:
        pytest.skip("no redis-server")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    proc = subprocess.Popen(
        [exe, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.4)
    settings.CACHES = {
        "default": {
            "BACKEND": "dlmath.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "rt",
            "OPTIONS": {
                "socket_connect_timeout": 0.3,
                "socket_timeout": 0.3,
                "RETRY_SECONDS": 0,
                "LOCAL_FALLBACK_KEY_PREFIXES": ["throttle_", "login-failures:"],
            },
        }
    }
    settings.SHARED_CACHE = True
    from django.core.cache import cache

    cache.clear()
    try:
        yield (lambda: os.kill(proc.pid, signal.SIGSTOP), lambda: os.kill(proc.pid, signal.SIGCONT))
    finally:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        proc.wait(5)


def test_outage_progress_write_then_recovery(
    alice: Any, paused_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time

    pause, resume = paused_redis
    c = _login(alice)
    assert _ex(_me(c))["passed"] is False
    assert _ex(_me(c))["passed"] is False  # served from Redis
    from django.core.cache import caches

    backend = caches["default"]
    assert type(backend).__name__ == "FallbackRedisCache"
    assert backend._cache.get_client().dbsize() > 0  # really in Redis
    pause()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _record(alice, sid=81)
        assert _ex(_me(c))["passed"] is True  # during the outage
    finally:
        resume()
    time.sleep(0.3)
    for _ in range(3):
        assert _ex(_me(c))["passed"] is True  # after recovery
        time.sleep(0.1)


def test_outage_password_change_then_recovery(
    alice: Any, paused_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time

    pause, resume = paused_redis
    old = _login(alice)
    assert _signed_in(old)
    assert _signed_in(old)
    pause()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            alice.set_password("outage-pw-123")
            alice.save()
        assert not _signed_in(old)
    finally:
        resume()
    time.sleep(0.3)
    for _ in range(3):
        assert not _signed_in(old)
        time.sleep(0.1)


def test_outage_deactivation_then_recovery(
    alice: Any, paused_redis: Any, django_capture_on_commit_callbacks: Any
) -> None:
    import time

    pause, resume = paused_redis
    c = _login(alice)
    assert _signed_in(c)
    assert _signed_in(c)
    pause()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            alice.is_active = False
            alice.save()
    finally:
        resume()
    time.sleep(0.3)
    for _ in range(3):
        assert not _signed_in(c)
        time.sleep(0.1)
