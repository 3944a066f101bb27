"""The active language's JavaScript translations, embedded in the page as JSON.

``{% load js_catalog %}{% js_catalog %}`` writes ``<script type="application/json"
id="js-catalog">``, which frontend/src/i18n.js reads: data, not a script, so the site's CSP
(scripts only from our static files) stands, and nothing loads from another host. The
catalog is Django's own (locale/*/LC_MESSAGES/djangojs.mo, as JavaScriptCatalog reads it),
built once per language and process.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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


# What json_script escapes, so the data can't close its element; the rest stays UTF-8
# (Chinese as \uXXXX escapes would double the catalog's size).
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@cache
def _catalog_script(language: str) -> SafeString:
    data = json.dumps(catalog_for(language), ensure_ascii=False).translate(_ESCAPES)
    return format_html(
        '<script id="js-catalog" type="application/json">{}</script>',
        mark_safe(data),  # noqa: S308 (escaped above, as json_script does)
    )


@register.simple_tag
def js_catalog() -> SafeString:
    # Serialised once per language and process: every page carries it.
    return _catalog_script(get_language() or "en")
