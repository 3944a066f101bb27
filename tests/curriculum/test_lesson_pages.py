"""Every lesson page, as a signed-in learner gets it, stays under 2 MB (figures, explorables'
frames and concept checks included), and check_content's estimate of it is an upper bound."""

from __future__ import annotations

import pytest

from apps.curriculum.companions import lesson_figures
from apps.curriculum.loader import load_curriculum
from apps.curriculum.validation import MAX_LESSON_PAGE_BYTES, lesson_page_bytes

CURRICULUM = load_curriculum()
LESSONS = [lesson for module in CURRICULUM.modules for lesson in module.lessons]

pytestmark = pytest.mark.django_db


def test_every_lesson_page_is_under_two_megabytes(client, alice) -> None:
    client.force_login(alice)
    sizes = {}
    for lesson in LESSONS:
        response = client.get(f"/learn/{lesson.module_slug}/{lesson.slug}/")
        assert response.status_code == 200, lesson.slug
        size = len(response.content)
        assert size < MAX_LESSON_PAGE_BYTES, (lesson.slug, size)
        assert size <= lesson_page_bytes(lesson, lesson_figures(lesson)), lesson.slug
        sizes[lesson.slug] = size
    assert len(sizes) == len(LESSONS) >= 30
    largest = max(sizes, key=sizes.get)
    print(f"\nlargest lesson page: {largest}, {sizes[largest]:,} bytes")


def test_a_lesson_page_carries_its_explorables_try_cells_and_questions(client, alice) -> None:
    client.force_login(alice)
    page = client.get("/learn/optimization/gradient-descent-and-momentum/").content.decode()
    assert '"frames"' in page
    assert '<div class="try-cell" data-cell="1">' in page
    assert page.count('class="concept-check"') == 2
    assert 'id="lesson-config"' in page


def test_the_page_carries_the_lessons_figures_exactly_and_escaped(client) -> None:
    import json
    import re

    from apps.curriculum.models import Lesson

    for slug in ("gradient-descent-and-momentum", "probability-spaces"):
        lesson = Lesson.objects.get(slug=slug)
        page = client.get(f"/learn/{lesson.module.slug}/{slug}/").content.decode()
        (data,) = re.findall(
            r'<script id="lesson-figures" type="application/json">(.*?)</script>', page, re.S
        )
        assert "<" not in data
        assert json.loads(data) == lesson.figures
