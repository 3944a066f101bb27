from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from apps.progress.services import cohort_by_join_code

JOIN_CODE_ATTRS = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


class SignUpForm(UserCreationForm[User]):
    """Username, e-mail, the password twice and, optionally, a cohort's join code.

    The learner Profile and the enrolment are made by the view; the form only checks that the
    code admits to an open cohort.
    """

    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Only for resetting your password. Your instructor does not see it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    join_code = forms.CharField(
        label=_("Join code (optional)"),
        required=False,
        max_length=16,
        help_text=_("If your instructor gave you one, you join their cohort as you sign up."),
        widget=forms.TextInput(attrs=JOIN_CODE_ATTRS),
    )

    # django-stubs doesn't declare UserCreationForm.Meta; Django defines it (model=User).
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        fields = ("username", "email")

    def clean_join_code(self) -> str:
        code: str = self.cleaned_data.get("join_code", "").strip()
        if code:
            cohort_by_join_code(join_code=code)  # a ValidationError says what is wrong
        return code


class JoinCohortForm(forms.Form):
    join_code = forms.CharField(
        label=_("Join code"),
        max_length=16,
        help_text=_("The eight-character code your instructor gave you."),
        widget=forms.TextInput(attrs=JOIN_CODE_ATTRS),
    )


class CohortNameForm(forms.Form):
    name = forms.CharField(
        label=_("Cohort name"),
        max_length=120,
        help_text=_("Learners see it on their join page; you can rename it later."),
    )


class DeadlineForm(forms.Form):
    """A cohort's deadline for a module or an exercise (``target`` is "module:slug" or
    "exercise:slug"). ``due_at`` is the instructor's local time: the page's script puts
    their UTC offset in ``tz_offset``; without it the time is read as UTC."""

    target = forms.ChoiceField(label=_("For"))
    due_at = forms.DateTimeField(
        label=_("Due"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your own time zone (UTC if your browser runs no scripts)."),
    )
    tz_offset = forms.IntegerField(
        required=False, min_value=-14 * 60, max_value=14 * 60, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, targets: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets  # type: ignore[attr-defined]
        self.fields["tz_offset"].widget.attrs["data-tz-offset"] = ""

    def due_at_utc(self) -> datetime:
        """The deadline as an aware UTC time (getTimezoneOffset: minutes behind UTC)."""
        local: datetime = self.cleaned_data["due_at"].replace(tzinfo=None)
        offset: int = self.cleaned_data.get("tz_offset") or 0
        return (local + timedelta(minutes=offset)).replace(tzinfo=UTC)
