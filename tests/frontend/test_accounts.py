"""Accounts: an e-mail and an optional join code at sign-up, password reset through Django's
own views, the cohorts one is in on the join page, and where e-mail goes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from apps.progress.models import Enrollment
from apps.progress.services import cohort_archive

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-pass-42x"


def sign_up(client: Any, username: str = "newbie", **extra: str) -> Any:
    data = {
        "username": username,
        "email": f"{username}@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/accounts/signup/", data)


def test_sign_up_asks_for_an_email_and_an_optional_join_code(client: Any) -> None:
    html = client.get("/accounts/signup/").content.decode()
    assert 'name="email"' in html
    assert 'type="email"' in html
    assert 'name="join_code"' in html
    assert "Join code (optional)" in html


def test_sign_up_keeps_the_email(client: Any) -> None:
    assert sign_up(client)["Location"] == "/learn/"
    assert get_user_model().objects.get(username="newbie").email == "newbie@example.org"


@pytest.mark.parametrize("taken", ["Twin", "twin"])
def test_a_name_taken_since_the_form_checked_it_answers_with_the_forms_error(
    client: Any, monkeypatch: pytest.MonkeyPatch, taken: str
) -> None:
    """A sign-up posted twice at once: both pass the form's check before either is stored.

    The form's checks (any case, then the exact name) are skipped here, as they are passed
    by the second of two such requests: the database refuses the name in any case, and the
    answer is the form's own message, not a 500."""
    from frontend.forms import SignUpForm

    get_user_model().objects.create_user(username=taken, password=PASSWORD)
    monkeypatch.setattr(SignUpForm, "clean_username", lambda form: form.cleaned_data["username"])
    monkeypatch.setattr(SignUpForm, "validate_unique", lambda _form: None)
    response = sign_up(client, username="twin")
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert list(
        get_user_model().objects.filter(username__iexact="twin").values_list("username", flat=True)
    ) == [taken]
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("email", ["", "not-an-address"])
def test_sign_up_without_a_valid_email_is_refused(client: Any, email: str) -> None:
    response = sign_up(client, email=email)
    assert response.status_code == 200
    assert 'id="id_email_error"' in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_a_join_code_at_sign_up_joins_the_cohort(
    client: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    cohort = cohort_factory(instructor_factory(), (), name="Autumn")
    response = sign_up(client, join_code=f" {cohort.join_code.lower()} ")
    assert response["Location"] == "/learn/"
    user = get_user_model().objects.get(username="newbie")
    assert Enrollment.objects.filter(cohort=cohort, user=user).exists()
    assert "You joined the cohort “Autumn”" in client.get("/learn/").content.decode()


@pytest.mark.parametrize("archived", [False, True])
def test_a_wrong_or_closed_join_code_creates_no_account(
    client: Any, instructor_factory: Any, cohort_factory: Any, archived: bool
) -> None:
    teacher = instructor_factory()
    cohort = cohort_factory(teacher, (), name="Autumn")
    code = cohort.join_code if archived else "WRONG123"
    if archived:
        cohort_archive(cohort=cohort, instructor=teacher)
    response = sign_up(client, join_code=code)
    assert response.status_code == 200
    assert 'id="id_join_code_error"' in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_the_login_page_offers_a_password_reset(client: Any) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in html


def test_a_forgotten_password_is_reset_by_email(client: Any, learner_factory: Any) -> None:
    user = learner_factory("forgetful")
    user.email = "forgetful@example.org"
    user.save()
    form = client.get("/accounts/password-reset/")
    assert form.status_code == 200
    assert "Reset your password" in form.content.decode()
    sent = client.post("/accounts/password-reset/", {"email": "Forgetful@example.org"})
    assert sent["Location"] == "/accounts/password-reset/sent/"
    assert "Check your e-mail" in client.get(sent["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.org"]
    assert message.subject == "Reset your dlmath password"
    assert "forgetful" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body)
    assert link, message.body

    # Django's confirm view swaps the token for a session marker, then shows the form.
    confirm = client.get(link.group(1), follow=True)
    assert "Choose a new password" in confirm.content.decode()
    done = client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"},
    )
    assert done["Location"] == "/accounts/reset/done/"
    assert "Password changed" in client.get(done["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password("brand-new-pass-77")
    # The link works once.
    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_looks_the_same_and_sends_nothing(client: Any) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_reset_requests_are_limited_per_address(client: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "login": "2/min",
        },
    }
    for _ in range(2):
        assert (
            client.post("/accounts/password-reset/", {"email": "a@example.org"}).status_code == 302
        )
    refused = client.post("/accounts/password-reset/", {"email": "a@example.org"})
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.content.decode()


def test_the_join_page_lists_the_cohorts_one_is_in(
    client: Any, learner_factory: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    teacher = instructor_factory("prof-x")
    learner = learner_factory()
    cohort_factory(teacher, (learner,), name="Spring")
    archived = cohort_factory(teacher, (learner,), name="Last year")
    cohort_archive(cohort=archived, instructor=teacher)
    cohort_factory(teacher, (), name="Not mine")
    client.force_login(learner)
    html = client.get("/cohorts/join/").content.decode()
    mine = html[html.index("Your cohorts") :]
    assert "Spring" in mine
    assert "Last year" in mine
    assert "Archived" in mine
    assert "taught by prof-x" in mine
    assert "Not mine" not in html


def test_joining_an_archived_cohort_on_the_page_says_why(
    client: Any, learner_factory: Any, instructor_factory: Any, cohort_factory: Any
) -> None:
    teacher = instructor_factory()
    cohort = cohort_factory(teacher, (), name="Closed")
    cohort_archive(cohort=cohort, instructor=teacher)
    learner = learner_factory()
    client.force_login(learner)
    response = client.post("/cohorts/join/", {"join_code": cohort.join_code})
    assert response.status_code == 200
    assert "archived" in response.content.decode()
    assert not Enrollment.objects.filter(user=learner).exists()


def _email_settings(**env: str) -> list[str]:
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, "
        "s.DEFAULT_FROM_EMAIL)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_EMAIL")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dlmath.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_email_goes_to_the_console_unless_smtp_is_configured() -> None:
    assert _email_settings()[0] == "django.core.mail.backends.console.EmailBackend"
    smtp = _email_settings(
        DJANGO_EMAIL_HOST="smtp.example.edu",
        DJANGO_EMAIL_PORT="465",
        DJANGO_EMAIL_USE_SSL="1",
        DJANGO_DEFAULT_FROM_EMAIL="courses@example.edu",
    )
    assert smtp == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.edu",
        "465",
        "False",
        "True",
        "courses@example.edu",
    ]
