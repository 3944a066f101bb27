"""`manage.py seed_demo`: an instructor, five students and a cohort joining them.

Passwords are drawn fresh and printed once. Re-running keeps existing accounts (and their
passwords) and prints no password for them.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from apps.progress.models import Cohort, Enrollment, Role
from apps.progress.services import profile_ensure

DEMO_COHORT = "Demo cohort"


class Command(BaseCommand):
    help = (
        "Create demo accounts (instructor, student1..student5) and a cohort; print passwords once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--students", type=int, default=5)

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        created: list[tuple[str, str, str]] = []

        def ensure(username: str, role: str) -> Any:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(9)
                user = user_model.objects.create_user(username=username, password=password)
                created.append((username, password, role))
            profile = profile_ensure(user=user, role=role)
            if profile.role != role:
                profile.role = role
                profile.save(update_fields=["role"])
            return user

        instructor = ensure("instructor", Role.INSTRUCTOR)
        cohort = Cohort.objects.filter(name=DEMO_COHORT, instructors=instructor).first()
        if cohort is None:
            cohort = Cohort.objects.create(name=DEMO_COHORT)
            cohort.instructors.add(instructor)
        for index in range(1, options["students"] + 1):
            student = ensure(f"student{index}", Role.LEARNER)
            Enrollment.objects.get_or_create(cohort=cohort, user=student)

        self.stdout.write(f"demo cohort '{cohort.name}', join code {cohort.join_code}")
        if created:
            self.stdout.write("demo logins (shown once):")
            for username, password, role in created:
                self.stdout.write(f"  {username:<12} {password:<16} {role}")
        else:
            self.stdout.write(
                "demo accounts already exist; their passwords were printed when created"
            )
