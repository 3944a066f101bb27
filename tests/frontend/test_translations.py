"""The UI in Simplified Chinese: every message in the catalogs, translated, and on the pages.

GNU gettext is not installed, so makemessages can't run: frontend/translations.py extracts
the messages itself, and these tests hold the catalogs to it, check its extraction against a
plain regex scan of the templates, and render every page type in Chinese looking for English
UI text left over. Lesson and exercise content stays English by design.
"""

from __future__ import annotations

import gettext
import html
import json
import re
from pathlib import Path
from typing import Any

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.curriculum.models import Exercise, Lesson
from apps.progress.models import Role
from frontend.translations import (
    DOMAINS,
    catalog_problems,
    messages_for,
    po_path,
    template_files,
)

pytestmark = pytest.mark.django_db

ZH = "zh_Hans"
ROOT = Path(settings.BASE_DIR)


def po(domain: str) -> polib.POFile:
    return polib.pofile(str(po_path(ZH, domain)))


# --- the catalogs ---------------------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_ui_message_is_in_the_chinese_catalog_and_translated(domain: str) -> None:
    assert messages_for(domain), "the extractor found nothing: it is broken, not done"
    assert catalog_problems(language=ZH, domain=domain) == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_translation_is_fuzzy_empty_or_loses_a_placeholder(domain: str) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]|%%")
    for entry in po(domain):
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        assert "fuzzy" not in entry.flags, entry.msgid
        for text in texts:
            assert text.strip(), f"empty translation of {entry.msgid!r}"
            assert sorted(placeholder.findall(text)) == sorted(placeholder.findall(entry.msgid)), (
                entry.msgid
            )


def test_the_chinese_catalogs_have_one_plural_form() -> None:
    for domain in DOMAINS:
        assert po(domain).metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogs_match_their_po_files(domain: str, tmp_path: Path) -> None:
    """The committed .mo is what the .po compiles to (run `manage.py translations`)."""
    fresh = tmp_path / f"{domain}.mo"
    po(domain).save_as_mofile(str(fresh))
    committed = po_path(ZH, domain).with_suffix(".mo")
    with committed.open("rb") as a, fresh.open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]


def test_translate_tags_found_by_a_plain_regex_scan_are_all_in_the_catalog() -> None:
    """A second, independent reading of the templates: every {% translate "..." %} literal."""
    tag = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1(?:\s+[^%]*)?\s*%\}""")
    # Django looks a literal up with its % doubled, as in a blocktranslate.
    found = {
        m.group(2).replace("%", "%%")
        for path in template_files()
        for m in tag.finditer(path.read_text())
    }
    assert len(found) > 200
    msgids = {entry.msgid for entry in po("django")}
    assert sorted(found - msgids) == []


def test_blocktranslate_blocks_found_by_a_plain_regex_scan_are_all_in_the_catalog() -> None:
    block = re.compile(
        r"\{%\s*blocktranslate\b([^%]*)%\}(.*?)(?:\{%\s*plural\s*%\}.*?)?\{%\s*endblocktranslate\s*%\}",
        re.DOTALL,
    )
    msgids = {entry.msgid for entry in po("django")}
    count = 0
    for path in template_files():
        for match in block.finditer(path.read_text()):
            text = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", match.group(2).replace("%", "%%"))
            if "trimmed" in match.group(1):
                text = " ".join(line.strip() for line in text.splitlines() if line.strip())
            assert text in msgids, f"{path.name}: {text!r}"
            count += 1
    assert count > 40


def test_no_template_text_is_left_unmarked() -> None:
    """Outside tags, comments, code and variables, a template has no words left to translate."""
    allowed = {"dlmath", "dlmath dlmath", "container wide"}  # the brand; a block's CSS classes
    left = []
    for path in template_files():
        source = path.read_text()
        source = re.sub(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", "", source, flags=re.S)
        for pattern in (
            r"\{#.*?#\}",
            r"\{%.*?%\}",
            r"\{\{.*?\}\}",
            r"<(script|code|kbd|svg)\b.*?</\1>",
        ):
            source = re.sub(pattern, " ", source, flags=re.S)
        if path.suffix == ".txt":
            words = [source]
        else:
            words = [m.group(1) for m in re.finditer(r">([^<]+)<", source)]
            words += [
                m.group(2)
                for m in re.finditer(r'(aria-label|title|placeholder|alt)="([^"]*)"', source)
            ]
        for text in words:
            text = " ".join(text.replace("·", " ").split())
            if re.search(r"[A-Za-z]{2,}", text) and text not in allowed:
                left.append(f"{path.relative_to(ROOT)}: {text!r}")
    assert left == []


# --- pages in Chinese -----------------------------------------------------------------------

ENGLISH_UI = [
    entry.msgid
    for entry in polib.pofile(str(po_path(ZH, "django")))
    if len(entry.msgid.split()) >= 3 and "%" not in entry.msgid and "<" not in entry.msgid
]


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + labels
    return " ".join(html.unescape(text).split())


def assert_chinese(response: Any) -> str:
    assert response.status_code in (200, 403, 404), response.status_code
    page = response.content.decode()
    assert '<html lang="zh-hans">' in page
    text = visible_text(page)
    left = [msgid for msgid in ENGLISH_UI if msgid in text]
    assert left == [], response.request["PATH_INFO"]
    assert re.search(r"[\u4e00-\u9fff]", text)
    return page


@pytest.fixture
def chinese() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_every_anonymous_page_type_is_in_chinese(chinese: Client) -> None:
    lesson = Lesson.objects.filter(retired=False, module__slug="probability").order_by("order")[0]
    for url in [
        "/learn/",
        "/learn/probability/",
        f"/learn/probability/{lesson.slug}/",
        "/accounts/login/",
        "/accounts/signup/",
        reverse("password_reset"),
        "/learn/no-such-module/",
    ]:
        page = assert_chinese(chinese.get(url))
        assert "登录" in page


def test_every_learner_page_type_is_in_chinese(chinese: Client, alice: Any) -> None:
    chinese.force_login(alice)
    for url in [
        "/learn/",
        "/learn/linear-algebra/",
        "/exercises/softmax/",
        "/progress/",
        "/scratchpad/",
        "/review/",
        "/review/softmax/",
        "/cohorts/join/",
        "/dashboard/",
    ]:
        page = assert_chinese(chinese.get(url))
        assert "退出登录" in page


def test_every_instructor_page_type_is_in_chinese(
    chinese: Client, teacher: Any, alice: Any, make_cohort: Any
) -> None:
    cohort = make_cohort(teacher, [alice])
    chinese.force_login(teacher)
    for url in [
        "/dashboard/",
        f"/dashboard/{cohort.pk}/",
        reverse("dashboard-learner", args=[cohort.pk, alice.pk]),
        reverse("dashboard-deadlines", args=[cohort.pk]),
        reverse("dashboard-regrades", args=[cohort.pk]),
    ]:
        assert_chinese(chinese.get(url))


def test_the_exercise_page_embeds_the_script_catalog_of_its_language(
    chinese: Client, client: Client, alice: Any
) -> None:
    chinese.force_login(alice)
    client.force_login(alice)

    def catalog(response: Any) -> dict[str, Any]:
        found = re.search(
            r'<script id="js-catalog" type="application/json">(.*?)</script>',
            response.content.decode(),
            re.S,
        )
        assert found, "no catalog in the page"
        assert "<" not in found.group(1)  # escaped as json_script does: it can't close itself
        return dict(json.loads(found.group(1)))

    zh = catalog(chinese.get("/exercises/softmax/"))
    assert zh["nplurals"] == 1
    assert zh["messages"]["Some checks failed"] == "部分检查未通过"
    assert zh["messages"]["Waiting for a grader…"] == "正在等待评分程序…"
    assert "部分检查未通过" in chinese.get("/exercises/softmax/").content.decode()  # UTF-8, not \\u
    assert catalog(client.get("/exercises/softmax/"))["messages"] == {}


def test_dates_are_written_the_chinese_way() -> None:
    from datetime import UTC, datetime

    from django.utils import translation

    from frontend.templatetags.dlmath import when_text

    moment = datetime(2026, 12, 6, 14, 5, tzinfo=UTC)
    with translation.override("zh-hans"):
        assert when_text(moment) == "2026年12月6日 14:05"
    with translation.override("en"):
        assert when_text(moment) == "6 Dec 2026, 14:05"


def test_model_choices_shown_on_pages_are_translated() -> None:
    from django.utils import translation

    from apps.sandbox.models import SubmissionStatus

    with translation.override("zh-hans"):
        assert str(SubmissionStatus.PASSED.label) == "已通过"
        assert str(SubmissionStatus.TIMEOUT.label) == "超时"


# --- the switcher ---------------------------------------------------------------------------


def test_it_switches_language_with_the_header_form_and_back_without_javascript(alice: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    page = browser.get("/exercises/softmax/").content.decode()
    assert '<html lang="en">' in page
    form = re.search(
        r'<form class="language-switcher[^"]*" method="post" action="([^"]+)">(.*?)</form>',
        page,
        re.S,
    )
    assert form, "no language switcher in the header"
    assert form.group(1) == reverse("set_language")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)  # type: ignore[union-attr]
    assert 'name="next" value="/exercises/softmax/"' in form.group(2)
    assert '<label for="language-select"' in form.group(2)
    assert '<option value="zh-hans" lang="zh-hans">简体中文</option>' in form.group(2)

    switched = browser.post(
        form.group(1),
        {"csrfmiddlewaretoken": token, "language": "zh-hans", "next": "/exercises/softmax/"},
    )
    assert switched.status_code == 302
    assert switched["Location"] == "/exercises/softmax/"
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    page = browser.get("/exercises/softmax/").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "提交评分" in page
    assert '<option value="zh-hans" lang="zh-hans" selected>简体中文</option>' in page

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    browser.post(
        reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "en", "next": "/learn/"}
    )
    page = browser.get("/learn/").content.decode()
    assert '<html lang="en">' in page
    assert "Course map" in page


def test_the_chosen_language_wins_over_the_browsers(client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/learn/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="en">' in page


# --- messages from Python -------------------------------------------------------------------


def test_form_labels_and_errors_are_translated(chinese: Client) -> None:
    page = chinese.post("/accounts/signup/", {"username": "", "password1": "x"}).content.decode()
    assert "电子邮箱" in page  # our label
    assert "该字段是必填项。" in page  # Django's own catalog, under our language


def test_the_password_reset_email_is_in_the_readers_language(chinese: Client, alice: Any) -> None:
    alice.email = "alice@example.com"
    alice.save()
    chinese.post(reverse("password_reset"), {"email": "alice@example.com"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "重置你的 dlmath 密码"
    assert "有人（希望是你本人）请求重置" in mail.outbox[0].body


# --- the API: Accept-Language is respected, the data does not change -------------------------


def test_api_data_is_the_same_in_every_language(api_client: Any, alice: Any) -> None:
    api_client.force_authenticate(alice)
    english = api_client.get("/api/v1/modules/", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = api_client.get("/api/v1/modules/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert english == chinese
    exercise = Exercise.objects.get(slug="softmax")
    assert (
        api_client.get(
            f"/api/v1/exercises/{exercise.slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).status_code
        == 200
    )


def test_api_error_details_follow_accept_language(api_client: Any, alice: Any) -> None:
    api_client.force_authenticate(alice)
    url = "/api/v1/exercises/softmax/submissions/?status=bogus"
    english = api_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = api_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 400
    assert english.json()["status"][0].startswith("must be one of")
    assert chinese.json()["status"][0].startswith("必须是以下之一")


def test_api_errors_of_drf_itself_follow_accept_language(api_client: Any, make_user: Any) -> None:
    make_user("carol", role=Role.LEARNER)
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "carol", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", json.dumps(response.json(), ensure_ascii=False))
