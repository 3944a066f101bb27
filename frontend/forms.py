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
