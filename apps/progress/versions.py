"""Cache versions of a learner's progress: what to bump after a write to it.

Two readers cache what a learner's progress rows say: each cohort dashboard showing them
(``selectors.cohort_dashboard_cache_key``) and the learner's own course map
(``selectors._learner_rows``). Both are keyed by a version number in the cache; a write
bumps it, and the old entries are never read again.
"""

from __future__ import annotations

import functools
from typing import Any

from apps.progress.deadlines import deadlines_epoch_bump, deadlines_version_key
from apps.progress.models import Deadline, Enrollment, RemembersOwner
from apps.progress.selectors import COHORTS_EPOCH_KEY, cohort_version_key, learner_version_key
from apps.progress.versioned import on_commit_once, version_bump


def progress_versions_bump(*, user_id: int) -> None:
    """A learner's progress changed: their course map and every dashboard showing them are
    out of date. Bumped once the change commits (at once outside a transaction): bumped
    before, a reader could cache the old rows under the new version. Once per learner and
    transaction, however many rows the transaction wrote (and whoever heard them)."""
    on_commit_once(f"progress-versions:{user_id}", lambda: _bump(user_id))


def _bump(user_id: int) -> None:
    keys = [learner_version_key(user_id)]
    keys += [
        cohort_version_key(cohort_id)
        for cohort_id in Enrollment.objects.filter(user_id=user_id).values_list(
            "cohort_id", flat=True
        )
    ]
    _keys_bump(keys)


def cohort_version_bump(*, cohort_id: int) -> None:
    """A cohort's membership changed: its dashboards are out of date (on commit)."""
    key = cohort_version_key(cohort_id)
    on_commit_once(key, lambda: version_bump(key))


def cohorts_epoch_bump() -> None:
    """Every instructor's cached list of cohorts is out of date (on commit)."""
    on_commit_once(COHORTS_EPOCH_KEY, lambda: version_bump(COHORTS_EPOCH_KEY))


def _owners(row: RemembersOwner) -> list[Any]:
    """The row's owner, and the one it was read with if a save moved it (the admin can);
    from now on the row remembers its new owner."""
    owner = getattr(row, row.owner_field)
    owners = [owner]
    if row.owner_as_read is not None and row.owner_as_read != owner:
        owners.append(row.owner_as_read)
    row.owner_as_read = owner
    return owners


def forget_enrollment(instance: Enrollment, **kwargs: Any) -> None:
    """An enrollment saved or deleted anywhere (the admin, a user's account deleted with
    all it holds): the cohort's member list changed, and the learner's deadlines."""
    for cohort_id in _owners(instance):
        cohort_version_bump(cohort_id=cohort_id)
    deadlines_epoch_bump()


def forget_cohort(**kwargs: Any) -> None:
    """A cohort saved or deleted anywhere (renamed in the admin): learners' deadlines name
    it, and instructors' lists of cohorts show it."""
    deadlines_epoch_bump()
    cohorts_epoch_bump()


def forget_cohort_instructors(action: str, **kwargs: Any) -> None:
    """Instructors added to or taken off a cohort, from either side (``add``, ``remove``,
    ``set``, ``clear``; the admin). Django sends no signal for rows written directly to the
    table behind ``instructors`` (``Cohort.instructors.through.objects``): code that does
    calls ``cohorts_epoch_bump`` itself."""
    if action in ("post_add", "post_remove", "post_clear"):
        cohorts_epoch_bump()


def forget_deadline(instance: Deadline, **kwargs: Any) -> None:
    """A deadline saved or deleted anywhere (by the services, the admin, or with its
    exercise, module or cohort): learners' cached deadlines, and the cohort's panel of
    marks on its dashboard (on commit)."""
    deadlines_epoch_bump()
    for cohort_id in _owners(instance):
        key = deadlines_version_key(cohort_id)
        on_commit_once(key, functools.partial(version_bump, key))


def forget_progress_row(instance: RemembersOwner, **kwargs: Any) -> None:
    """A learner's progress row (an exercise's, a lesson read, a module's points, a concept
    check, a review card) saved or deleted anywhere: by the services, which also say so
    themselves (once per commit between them), or by the admin. The learner's course map
    and every dashboard showing them."""
    for user_id in _owners(instance):
        progress_versions_bump(user_id=user_id)


def forget_member(instance: Any, **kwargs: Any) -> None:
    """A user saved with a new username (dashboards list members by name), not a login."""
    fields = kwargs.get("update_fields")
    if fields is None or "username" in fields:
        progress_versions_bump(user_id=instance.pk)


def _keys_bump(keys: list[str]) -> None:
    for key in keys:
        version_bump(key)
