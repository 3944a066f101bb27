"""An instructor's deadlines page for one cohort: set, move and remove due dates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.curriculum.selectors import modules_outline
from apps.progress.auth import authenticated_user
from apps.progress.deadlines import deadline_remove, deadline_set, deadlines_for_cohort
from apps.progress.models import Deadline
from frontend.forms import DeadlineForm
from frontend.templatetags.dlmath import when_text
from frontend.views.dashboard import _cohort_or_404


def _targets() -> list[tuple[str, Any]]:
    """The form's choices: each module, then its exercises, grouped by module."""
    choices: list[tuple[str, Any]] = []
    for module in modules_outline():
        options = [(f"module:{module.slug}", _("All of %(module)s") % {"module": module.title})]
        options += [(f"exercise:{e.slug}", e.title) for e in module.exercises.all()]
        choices.append((module.title, options))
    return choices


def _target_kwargs(value: str) -> dict[str, Any]:
    kind, slug = value.split(":", 1)
    for module in modules_outline():
        if kind == "module" and module.slug == slug:
            return {"module": module}
        for exercise in module.exercises.all():
            if kind == "exercise" and exercise.slug == slug:
                return {"exercise": exercise}
    raise Http404(_("No such module or exercise."))


@login_required
@require_http_methods(["GET", "POST"])
def cohort_deadlines(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    form = DeadlineForm(request.POST or None, targets=_targets())
    if request.method == "POST" and form.is_valid():
        deadline = deadline_set(
            cohort=cohort,
            instructor=authenticated_user(request),
            due_at=form.due_at_utc(),
            **_target_kwargs(form.cleaned_data["target"]),
        )
        target = deadline.exercise or deadline.module
        messages.success(
            request,
            _("“%(title)s” is due %(when)s (UTC).")
            % {"title": target.title if target else "", "when": when_text(deadline.due_at)},
        )
        return redirect("dashboard-deadlines", cohort.pk)
    return render(
        request,
        "dashboard/deadlines.html",
        {"cohort": cohort, "form": form, "deadlines": list(deadlines_for_cohort(cohort=cohort))},
    )


@login_required
@require_POST
def cohort_deadline_remove(request: HttpRequest, cohort_id: int, deadline_id: int) -> HttpResponse:
    cohort = _cohort_or_404(request, cohort_id)
    deadline = Deadline.objects.filter(cohort=cohort, pk=deadline_id).first()
    if deadline is None:
        raise Http404(_("No such deadline in this cohort."))
    deadline_remove(deadline=deadline, instructor=authenticated_user(request))
    messages.success(request, _("The deadline is removed."))
    return redirect("dashboard-deadlines", cohort.pk)
