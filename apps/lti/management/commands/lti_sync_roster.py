"""`manage.py lti_sync_roster [CONTEXT_ID ...]`: fill cohorts from their LMS rosters (NRPS)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from lti_tool.models import LtiContext

from apps.lti.services.roster import context_roster_sync


class Command(BaseCommand):
    help = "Fetch each LMS course's roster (Names and Role Provisioning) into its cohort."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("context_ids", nargs="*", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        contexts = LtiContext.objects.exclude(memberships_url="").select_related(
            "deployment__registration"
        )
        if options["context_ids"]:
            contexts = contexts.filter(pk__in=options["context_ids"])
        for context in contexts:
            report = context_roster_sync(context=context)
            self.stdout.write(
                f"{context}: {report.members} members, {report.learners} learners, "
                f"{report.instructors} instructors, {report.removed} removed"
            )
