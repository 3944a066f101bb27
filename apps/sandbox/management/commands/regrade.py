from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from apps.curriculum.selectors import exercise_get
from apps.sandbox import regrading
from apps.sandbox.models import Regrade


class Command(BaseCommand):
    help = (
        "Regrade submissions graded by an older check version (every learner's). Without "
        "options: start a regrade of each exercise that has any; --dry-run only counts them. "
        "A regrade changes nothing until accepted: --show ID, --accept ID, --discard ID."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--exercise", metavar="SLUG", help="only this exercise")
        parser.add_argument("--dry-run", action="store_true", help="count, start nothing")
        parser.add_argument("--show", type=int, metavar="ID", help="a regrade's changes")
        parser.add_argument("--accept", type=int, metavar="ID", help="apply a finished regrade")
        parser.add_argument("--discard", type=int, metavar="ID", help="drop a regrade")
        parser.add_argument(
            "--resume", action="store_true", help="queue the next batch of every running regrade"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["resume"]:
            self.stdout.write(f"{regrading.regrades_resume()} running regrade(s) queued again")
        elif options["show"]:
            self._show(self._regrade(options["show"]))
        elif options["accept"]:
            self._decide(options["accept"], accept=True)
        elif options["discard"]:
            self._decide(options["discard"], accept=False)
        else:
            self._start(options["exercise"], dry_run=options["dry_run"])

    def _regrade(self, regrade_id: int) -> Regrade:
        regrade = Regrade.objects.select_related("exercise", "cohort").filter(pk=regrade_id).first()
        if regrade is None:
            raise CommandError(f"no regrade {regrade_id}")
        return regrade

    def _start(self, slug: str | None, *, dry_run: bool) -> None:
        exercise = None
        if slug:
            exercise = exercise_get(slug=slug)
            if exercise is None:
                raise CommandError(f"no exercise {slug!r} (manage.py grade --list names them)")
        counts = regrading.stale_counts(exercise=exercise)
        if not counts:
            self.stdout.write("no submission was graded by older checks")
            return
        for count in counts:
            line = (
                f"{count.exercise.slug}: {count.stale} submission(s) graded before "
                f"check version {count.exercise.check_version}"
            )
            if dry_run:
                self.stdout.write(line)
                continue
            try:
                regrade = regrading.regrade_start(exercise=count.exercise)
            except regrading.RegradeRefused as exc:
                self.stdout.write(f"{line}: not started ({exc})")
                continue
            self.stdout.write(
                f"{line}: regrade {regrade.pk} started ({regrade.get_status_display()})"
            )

    def _show(self, regrade: Regrade) -> None:
        regrade.refresh_from_db()
        summary = regrading.regrade_summary(regrade=regrade)
        self.stdout.write(
            f"regrade {regrade.pk} of {regrade.exercise.slug} to check version "
            f"{regrade.check_version}: {regrade.status}, {regrade.graded}/{regrade.total} graded, "
            f"{summary.changed} changed ({summary.higher} higher, {summary.lower} lower, "
            f"{summary.newly_passed} newly passed, {summary.no_longer_passed} no longer passed)"
        )
        for row in regrading.regrade_rows(regrade=regrade):
            new = f"{row.new_status} {row.new_score:.4f}" if row.new_score is not None else "-"
            self.stdout.write(
                f"  #{row.submission_id} {row.submission.user.username}: "
                f"{row.old_status} {row.old_score:.4f} -> {new} [{row.state}]"
            )

    def _decide(self, regrade_id: int, *, accept: bool) -> None:
        regrade = self._regrade(regrade_id)
        try:
            if accept:
                decision = regrading.regrade_accept(regrade=regrade, by=None)
                self.stdout.write(
                    f"regrade {regrade_id} accepted: {decision.accepted} submission(s) "
                    f"regraded, {decision.superseded} superseded, progress of "
                    f"{decision.learners} learner(s) recounted"
                )
            else:
                regrading.regrade_discard(regrade=regrade, by=None)
                self.stdout.write(f"regrade {regrade_id} discarded: nothing changed")
        except regrading.RegradeRefused as exc:
            raise CommandError(str(exc)) from exc
