from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User


class SignUpForm(UserCreationForm[User]):
    """Username and the password twice; the learner Profile is created by the view."""

    # django-stubs doesn't declare UserCreationForm.Meta; Django defines it (model=User).
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined,misc]
        fields = ("username",)


class JoinCohortForm(forms.Form):
    join_code = forms.CharField(
        label="Join code",
        max_length=16,
        help_text="The eight-character code your instructor gave you.",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
