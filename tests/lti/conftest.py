"""LTI end-to-end fixtures: dlmath on a live server, a TinyLms platform on another port."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from tests.lti.browser import Browser
from tests.lti.lms import INSTRUCTOR, LEARNER, TinyLms, new_key_pem


@pytest.fixture(scope="session")
def tool_key() -> str:
    return new_key_pem()[0]


@pytest.fixture
def tool(live_server: Any, live_db: None, settings: Any, tool_key: str) -> str:
    """dlmath, reachable over HTTP, signing with a key from the environment's setting."""
    settings.DLMATH_BASE_URL = live_server.url
    settings.LTI_PRIVATE_KEY = tool_key
    return str(live_server.url)


def _lms(tool: str, **kwargs: Any) -> TinyLms:
    lms = TinyLms(tool_url=tool, **kwargs)
    call_command("lti_register_platform", *lms.register_args(), stdout=io.StringIO())
    lms.add_person("teacher-1", "Ada Teacher", INSTRUCTOR, "ada@lms.test")
    lms.add_person("learner-1", "Alice Learner", LEARNER, "alice@lms.test")
    lms.add_person("learner-2", "Bob Learner", LEARNER, "bob@lms.test")
    return lms


@pytest.fixture
def lms(tool: str) -> Iterator[TinyLms]:
    platform = _lms(tool)
    yield platform
    platform.close()


@pytest.fixture
def other_lms(tool: str) -> Iterator[TinyLms]:
    """A second platform (another issuer) whose users have the same subjects."""
    platform = _lms(tool, name="OtherLMS")
    yield platform
    platform.close()


@pytest.fixture
def browser() -> Browser:
    return Browser()


@pytest.fixture
def linked_course(lms: TinyLms, tool: str) -> TinyLms:
    """The instructor has added the softmax exercise and the probability module by deep
    linking (through the protocol, as in the deep-linking test)."""
    teacher = Browser()
    picker = teacher.launch(lms.start_url("teacher-1", deep_link=True))
    from tests.lti.browser import forms_in

    (form,) = forms_in(picker.text)
    response = teacher.submit(
        form, [("items", "exercise:softmax"), ("items", "module:probability")]
    )
    (back,) = forms_in(response.text)
    assert teacher.submit(back).status_code == 200
    return lms
