"""The active language's JavaScript translations, embedded in the page as JSON.

``{% load js_catalog %}{% js_catalog %}`` writes ``<script type="application/json"
id="js-catalog">``, which frontend/src/i18n.js reads: data, not a script, so the site's CSP
(scripts only from our static files) stands, and nothing loads from another host. The
catalog is Django's own (locale/*/LC_MESSAGES/djangojs.mo, as JavaScriptCatalog reads it),
built once per language and process.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation.trans_real import DjangoTranslation
from django.views.i18n import JavaScriptCatalog

register = template.Library()


@cache
def catalog_for(language: str) -> dict[str, Any]:
    """{"messages": {msgid: text or [plural forms]}, "nplurals": n} for one language."""
    view = JavaScriptCatalog(domain="djangojs", packages=[])
    view.translation = DjangoTranslation(language, domain="djangojs")
    nplurals = view._num_plurals  # type: ignore[attr-defined]
    return {"messages": view.get_catalog(), "nplurals": nplurals}


@cache
def _catalog_script(language: str) -> SafeString:
    return json_script(catalog_for(language), "js-catalog")


@register.simple_tag
def js_catalog() -> SafeString:
    # Serialised once per language and process: every page carries it.
    return _catalog_script(get_language() or "en")
