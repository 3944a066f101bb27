"""A scripted browser for LTI flows: follows redirects, keeps cookies, submits forms.

A real browser would run the platform's auto-submitting form; this one reads the form and
posts it, exactly as written (action, hidden fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

import requests


@dataclass
class Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)
    checkboxes: list[tuple[str, str]] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(action=a.get("action", "")))
        elif tag == "input" and self.forms:
            if a.get("type") == "hidden":
                self.forms[-1].fields[a["name"]] = a.get("value", "")
            elif a.get("type") == "checkbox":
                self.forms[-1].checkboxes.append((a["name"], a.get("value", "")))


def forms_in(html: str) -> list[Form]:
    """The page's forms, less the header's language switcher (page chrome, on every page)."""
    parser = _FormParser()
    parser.feed(html)
    return [form for form in parser.forms if not form.action.endswith("/i18n/setlang/")]


class Browser:
    def __init__(self) -> None:
        self.session = requests.Session()
        self.url = ""  # the page shown last: relative form actions resolve against it

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        response = self.session.get(url, timeout=60, **kwargs)
        self.url = response.url
        return response

    def post(self, url: str, data: Any, **kwargs: Any) -> requests.Response:
        response = self.session.post(urljoin(self.url, url), data=data, timeout=60, **kwargs)
        self.url = response.url
        return response

    def open_launch_form(self, start_url: str) -> Form:
        """Click a link in the LMS: through the tool's login to the platform's signed form."""
        response = self.get(start_url)
        assert response.status_code == 200, response.text[:500]
        (form,) = forms_in(response.text)
        assert set(form.fields) == {"id_token", "state"}
        return form

    def submit(self, form: Form, extra: list[tuple[str, str]] | None = None) -> requests.Response:
        data = list(form.fields.items()) + (extra or [])
        return self.post(form.action, data=data)

    def launch(self, start_url: str) -> requests.Response:
        return self.submit(self.open_launch_form(start_url))

    def csrf_token(self, page_html: str) -> str:
        match = re.search(r'name="csrf-token" content="([^"]+)"', page_html)
        assert match, "the page carries a CSRF token"
        return match.group(1)
