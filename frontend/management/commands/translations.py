"""``manage.py translations``: the .po files in step with the code, and their .mo compiled.

Run it after marking or changing a UI string, translate what it reports as untranslated
(``msgstr ""`` in locale/zh_Hans/LC_MESSAGES/*.po), and run it again: it rewrites the .po
(messages in source order, translations kept) and compiles the .mo. ``--check`` changes
nothing and exits 1 when a message is missing, untranslated or left over, or a .mo is stale.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontend.translations import DOMAINS, catalog_compile, catalog_problems, catalog_sync

LANGUAGES = ("zh_Hans",)


class Command(BaseCommand):
    help = "Extract the UI's messages into the .po files and compile them (no GNU gettext)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="report problems, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        problems: list[str] = []
        for language in LANGUAGES:
            for domain in DOMAINS:
                if options["check"]:
                    problems += catalog_problems(language=language, domain=domain)
                    continue
                count, untranslated = catalog_sync(language=language, domain=domain)
                catalog_compile(language=language, domain=domain)
                self.stdout.write(
                    f"{language}/{domain}: {count} messages, {untranslated} untranslated"
                )
        if problems:
            raise CommandError("\n".join(problems))
