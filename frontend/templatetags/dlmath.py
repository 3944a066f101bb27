"""Template helpers every page shares: a step's address and the one way dates are written.

``{% load dlmath %}`` then ``{{ step|step_url }}`` and ``{% when value %}``. Dates are
"6 Dec 2026, 14:05": the same text the JavaScript helper (frontend/src/dates.js) writes,
which also turns every ``time[data-when]`` into the reader's own time zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.translation import get_language

from apps.curriculum.selectors import Step

register = template.Library()

DATE_FORMAT = "j M Y, H:i"
# Chinese writes the year first and no month names: 2026年12月6日 14:05.
DATE_FORMAT_ZH = "Y年n月j日 H:i"


@register.filter
def step_url(step: Step) -> str:
    """Where a lesson or an exercise of the course lives."""
    if step.kind == "lesson":
        return reverse("curriculum:lesson", args=[step.module.slug, step.item.slug])
    return reverse("exercise", args=[step.item.slug])


@register.filter
def when_text(value: datetime | None) -> str:
    if value is None:
        return ""
    chinese = (get_language() or "").startswith("zh")
    return date_format(timezone.localtime(value), DATE_FORMAT_ZH if chinese else DATE_FORMAT)


@register.simple_tag
def when(value: datetime | None) -> str:
    """A <time> the page's script shows in the reader's time zone, in the same format."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}" data-when>{}</time>', value.isoformat(), when_text(value)
    )


@register.filter
def get_item(mapping: dict[Any, Any] | None, key: Any) -> Any:
    """``mapping|get_item:key``: a dict's value for a key (None if absent)."""
    return (mapping or {}).get(key)
