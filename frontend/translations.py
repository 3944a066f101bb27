"""The UI's messages and their catalogs: what makemessages would do, without GNU gettext.

GNU gettext is not on these machines (nor in the CI image), so ``manage.py translations``
finds every translatable string itself and keeps locale/<lang>/LC_MESSAGES/{django,djangojs}.po
in step with the code, then compiles the .mo files next to them with polib (pure Python,
a dev dependency). The .mo files are committed, so a fresh deployment needs nothing more;
tests/frontend/test_translations.py proves they match the .po and that the .po holds every
message, translated.

Where messages come from (lesson and exercise content stays English, so it is not scanned):
- templates: ``{% translate %}`` and ``{% blocktranslate %}``, read by Django's own
  ``templatize`` (what makemessages feeds xgettext);
- Python: ``_``/``gettext``/``gettext_lazy``/``ngettext`` calls with literal arguments;
- JavaScript (frontend/src): ``gettext("...")`` and ``ngettext("...", "...", n)``, the
  helpers of frontend/src/i18n.js; these go to the ``djangojs`` domain.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation.template import templatize

DOMAINS = ("django", "djangojs")
GETTEXT_NAMES = frozenset(
    {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}
)
_STRING = r"""(?:[bu]?'(?:[^'\\\n]|\\.)*'|[bu]?"(?:[^"\\\n]|\\.)*")"""
_TEMPLATE_CALL = re.compile(
    rf"\b(gettext|ngettext|_)\(\s*({_STRING})(?:\s*,\s*({_STRING}))?", re.DOTALL
)
_JS_STRING = r'"((?:[^"\\\n]|\\.)*)"'
_JS_GETTEXT = re.compile(rf"\bgettext\(\s*{_JS_STRING}\s*,?\s*\)")
_JS_NGETTEXT = re.compile(rf"\bngettext\(\s*{_JS_STRING}\s*,\s*{_JS_STRING}\s*,")


@dataclass(frozen=True)
class Message:
    msgid: str
    msgid_plural: str = ""
    where: str = ""


def _root() -> Path:
    return Path(settings.BASE_DIR)


def template_files() -> list[Path]:
    root = _root()
    found = [
        *root.glob("frontend/templates/**/*"),
        *root.glob("apps/*/templates/**/*"),
    ]
    return sorted(p for p in found if p.suffix in (".html", ".txt"))


def python_files() -> list[Path]:
    root = _root()
    found = [
        *root.glob("apps/**/*.py"),
        *root.glob("frontend/**/*.py"),
        *root.glob("platform/*.py"),
    ]
    skip = ("/content/", "/migrations/", "/node_modules/", "/runner/", "/grading/")
    return sorted(p for p in found if not any(part in p.as_posix() for part in skip))


def javascript_files() -> list[Path]:
    return sorted((_root() / "frontend" / "src").glob("*.js"))


def _relative(path: Path) -> str:
    return path.relative_to(_root()).as_posix()


def template_messages(paths: Iterable[Path]) -> Iterator[Message]:
    for path in paths:
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for match in _TEMPLATE_CALL.finditer(code):
            name, first, second = match.groups()
            msgid = ast.literal_eval(first)
            plural = ast.literal_eval(second) if name == "ngettext" and second else ""
            yield Message(msgid, plural, _relative(path))


def python_messages(paths: Iterable[Path]) -> Iterator[Message]:
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT_NAMES or not node.args:
                continue
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if not isinstance(args[0], str):
                continue
            plural = args[1] if node.func.id.startswith("ngettext") and len(args) > 1 else ""
            yield Message(args[0], plural if isinstance(plural, str) else "", _relative(path))


def _js_unescape(text: str) -> str:
    return str(ast.literal_eval(f'"{text}"'))


def javascript_messages(paths: Iterable[Path]) -> Iterator[Message]:
    for path in paths:
        source = path.read_text(encoding="utf-8")
        for match in _JS_GETTEXT.finditer(source):
            yield Message(_js_unescape(match.group(1)), "", _relative(path))
        for match in _JS_NGETTEXT.finditer(source):
            singular, plural = (_js_unescape(g) for g in match.groups())
            yield Message(singular, plural, _relative(path))


def messages_for(domain: str) -> list[Message]:
    """Every message of a domain, once each (the first place it is found), in source order."""
    if domain == "djangojs":
        found: Iterable[Message] = javascript_messages(javascript_files())
    else:
        found = [*template_messages(template_files()), *python_messages(python_files())]
    unique: dict[str, Message] = {}
    for message in found:
        unique.setdefault(message.msgid, message)
    return list(unique.values())


def po_path(language: str, domain: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / f"{domain}.po"


def catalog_sync(*, language: str, domain: str) -> tuple[int, int]:
    """Rewrites a .po with exactly the code's messages, keeping their translations.

    Returns (messages, untranslated). A msgid no longer in the code is dropped.
    """
    import polib  # a dev dependency: only maintainers regenerate the catalogs

    path = po_path(language, domain)
    old: dict[str, Any] = {}
    if path.exists():
        old = {entry.msgid: entry for entry in polib.pofile(str(path))}
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": "dlmath",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=1; plural=0;",
    }
    untranslated = 0
    for message in messages_for(domain):
        previous = old.get(message.msgid)
        entry = polib.POEntry(msgid=message.msgid, occurrences=[(message.where, "")])
        if "%(" in message.msgid or "%%" in message.msgid:
            entry.flags = ["python-format"]
        if message.msgid_plural:
            entry.msgid_plural = message.msgid_plural
            text = previous.msgstr_plural.get(0, "") if previous is not None else ""
            entry.msgstr_plural = {0: text}
        else:
            text = previous.msgstr if previous is not None else ""
            entry.msgstr = text
        untranslated += not text
        po.append(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return len(po), untranslated


def catalog_compile(*, language: str, domain: str) -> Path:
    import polib

    path = po_path(language, domain)
    mo = path.with_suffix(".mo")
    polib.pofile(str(path)).save_as_mofile(str(mo))
    return mo


def catalog_problems(*, language: str, domain: str) -> list[str]:
    """What is wrong with a catalog: messages missing, untranslated, fuzzy, or left over."""
    import polib

    path = po_path(language, domain)
    if not path.exists():
        return [f"{path} is missing"]
    po = polib.pofile(str(path))
    entries = {entry.msgid: entry for entry in po if not entry.obsolete}
    problems = []
    wanted = messages_for(domain)
    for message in wanted:
        entry = entries.get(message.msgid)
        if entry is None:
            problems.append(f"{path.name}: missing {message.msgid!r} ({message.where})")
        elif "fuzzy" in entry.flags:
            problems.append(f"{path.name}: fuzzy {message.msgid!r}")
        elif not entry.translated():
            problems.append(f"{path.name}: untranslated {message.msgid!r}")
        elif message.msgid_plural and entry.msgid_plural != message.msgid_plural:
            problems.append(f"{path.name}: plural of {message.msgid!r} differs")
    left_over = set(entries) - {m.msgid for m in wanted}
    problems += [f"{path.name}: no longer in the code {msgid!r}" for msgid in sorted(left_over)]
    return problems
