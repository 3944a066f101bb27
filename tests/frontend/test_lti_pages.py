"""The pages an LTI launch hands over to: they trust only the launch's signed token, and an
LMS may frame them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing

from apps.curriculum.models import Exercise
from apps.lti import tokens

pytestmark = pytest.mark.django_db


def assert_framable_by_an_lms(response: Any) -> None:
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https:" in policy
    assert "script-src 'self';" in policy
    html = response.content.decode()
    for chunk in html.split("<script")[1:]:
        head = chunk.split(">", 1)[0]
        # A script file, or a json_script data island (the page's translations): no code.
        data = 'type="application/json"' in head
        assert 'type="module" src=' in head or ' src="/static/' in head or data, head


def test_it_shows_the_instructor_every_module_and_exercise_to_pick(client: Any) -> None:
    token = tokens.deep_link_token_issue(launch_id="launch-1")
    response = client.get("/lti/pick/", {"token": token})
    assert response.status_code == 200
    assert_framable_by_an_lms(response)
    html = response.content.decode()
    assert 'action="/lti/deep-link/"' in html
    assert f'value="{token}"' in html
    assert 'value="module:probability"' in html
    for exercise in Exercise.objects.filter(module__slug="probability", retired=False):
        assert f'value="exercise:{exercise.slug}"' in html


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        signing.dumps("launch-1", salt="another-salt"),
        signing.dumps("launch-1", key="not-our-secret", salt=tokens.DEEP_LINK_SALT),
    ],
)
def test_it_refuses_the_picker_without_a_token_from_a_launch(client: Any, token: str) -> None:
    response = client.get("/lti/pick/", {"token": token})
    assert response.status_code == 403
    assert_framable_by_an_lms(response)
    assert "open the picker again" in response.content.decode()
    assert 'name="items"' not in response.content.decode()


def test_it_refuses_a_picker_token_older_than_the_launch_it_stands_for(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    issued_at = time.time() - tokens.LAUNCH_DATA_LIFETIME - 5
    monkeypatch.setattr(signing.time, "time", lambda: issued_at)
    token = tokens.deep_link_token_issue(launch_id="launch-1")
    monkeypatch.undo()
    assert client.get("/lti/pick/", {"token": token}).status_code == 403


def test_a_hand_off_token_does_not_open_the_picker(client: Any, make_user: Any) -> None:
    handoff = tokens.handoff_token_issue(
        user=make_user("ada"), next_url="/", title="Softmax", launch_id="launch-2"
    )
    assert client.get("/lti/pick/", {"token": handoff}).status_code == 403


def test_it_hands_a_framed_launch_over_to_a_new_tab(client: Any, make_user: Any) -> None:
    token = tokens.handoff_token_issue(
        user=make_user("alice"),
        next_url="/exercises/softmax/",
        title="Softmax <b>",
        launch_id="launch-3",
    )
    response = client.get("/lti/open/", {"token": token})
    assert response.status_code == 200
    assert_framable_by_an_lms(response)
    html = response.content.decode()
    assert "Softmax &lt;b&gt;" in html
    assert 'href="/lti/continue/?token=' in html
    assert 'target="_blank" rel="noopener"' in html
    # Showing the page spends nothing: the link still signs in once.
    opened = client.get("/lti/continue/", {"token": token})
    assert opened.status_code == 302
    assert opened["Location"] == "/exercises/softmax/"
    assert client.get("/lti/continue/", {"token": token}).status_code == 403


def test_it_refuses_the_hand_off_page_for_a_forged_token(client: Any) -> None:
    forged = signing.dumps({"user": 1, "jti": "x"}, key="not-our-secret", salt=tokens.HANDOFF_SALT)
    response = client.get("/lti/open/", {"token": forged})
    assert response.status_code == 403
    assert_framable_by_an_lms(response)
    assert "/lti/continue/" not in response.content.decode()
