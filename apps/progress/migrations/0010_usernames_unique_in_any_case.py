"""Usernames are unique whatever their case, in the database as in the sign-up form.

The form refuses a name that differs from a taken one only in case, but two sign-ups posted
at once both pass that check before either is stored: the database now refuses the second
(the view answers it with the form's message). The index is on UPPER(username), the
comparison Django's ``iexact`` makes on PostgreSQL; SQLite's upper() folds ASCII letters
only, as its case-insensitive LIKE does.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import Upper

INDEX = "progress_username_any_case_uniq"


def _refuse_existing_twins(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("auth", "User")
    twins = list(
        user_model.objects.annotate(key=Upper("username"))
        .values("key")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("key", flat=True)[:20]
    )
    if twins:
        raise RuntimeError(
            "These usernames are taken more than once, differing only in case: "
            f"{', '.join(twins)}. Rename all but one account of each, then migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("progress", "0009_learning_event_kinds"),
    ]

    operations = [
        migrations.RunPython(_refuse_existing_twins, migrations.RunPython.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {INDEX} ON auth_user (UPPER(username))",
            f"DROP INDEX {INDEX}",
        ),
    ]
