"""``{% memo "name" key [key ...] %}…{% endmemo %}``: the rendered block, kept in this process under
its name, the active language and ``key``, so a page rendered again from the same data costs
a dictionary lookup instead of the template work.

The key must hold everything the block shows (a tuple of plain values the view builds, e.g.
``frontend.views.course.course_map_key``): nothing is invalidated, so a block can never be
stale. What the key is made of decides what changes it, at once and in every process: a
learner's progress (the values themselves), the course (the outline's revision), the user
(their id is in every per-user key, so one learner never gets another's block even when
their standings match). Entries are only dropped when the cache is full (least recently
used first), which bounds memory, not correctness.

Several keys (``{% memo "header-nav" section user.pk user.is_staff %}``) make one key of
their values, for fragments whose key is read from the context in the template (the site
header, on every page) rather than built by a view. A block that shows nothing from the
context but translations and fixed URLs takes a constant key (``{% memo "footer" 1 %}``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# About 10 kB a course map's module list: a few tens of MB per process at most.
MEMO_ENTRIES = 4000


class FragmentMemo:
    """A bounded least-recently-used map of rendered blocks, safe across threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> SafeString | None:
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
            return html

    def put(self, key: Hashable, html: SafeString) -> None:
        with self._lock:
            self._entries[key] = html
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


fragments = FragmentMemo(MEMO_ENTRIES)


class MemoNode(template.Node):
    def __init__(self, name: str, keys: list[FilterExpression], nodelist: NodeList) -> None:
        self.name = name
        self.keys = keys
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        parts = [key.resolve(context) for key in self.keys]
        # No key (e.g. a view that does not build one, or an outline being replaced): render
        # as is. With several parts, any one missing means the same.
        if any(part is None for part in parts):
            return mark_safe(self.nodelist.render(context))  # noqa: S308
        vary = parts[0] if len(parts) == 1 else tuple(parts)
        key = (self.name, get_language(), vary)
        html = fragments.get(key)
        if html is None:
            # The nodelist's output is the template's own autoescaped output.
            html = mark_safe(self.nodelist.render(context))  # noqa: S308
            fragments.put(key, html)
        return html


@register.tag
def memo(parser: Parser, token: Token) -> MemoNode:
    bits = token.split_contents()
    if len(bits) < 3 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('usage: {% memo "name" key [key ...] %}…{% endmemo %}')
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    return MemoNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist)
