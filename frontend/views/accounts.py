"""Sign-up (with an e-mail and an optional join code), a login form that limits failed
attempts per client address and sends instructors to their dashboard, and password reset
through Django's own views (its e-mails go where EMAIL_BACKEND says: the console unless SMTP
is configured)."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import SimpleRateThrottle

from apps.progress.auth import BACKEND
from apps.progress.models import Cohort
from apps.progress.selectors import user_is_instructor
from apps.progress.services import cohort_join, profile_ensure
from frontend.forms import SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("curriculum:course-map")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, cohort = _account_create(form)
        except ValidationError as exc:  # the cohort was archived since the form checked it
            form.add_error("join_code", exc.messages)
        except IntegrityError:
            # The same name (in any case) taken since the form checked it: a sign-up posted
            # twice at once. The database's unique index refused the second one.
            if not User.objects.filter(username__iexact=form.cleaned_data["username"]).exists():
                raise
            form.add_error("username", form.instance.unique_error_message(User, ["username"]))
        else:
            login(request, user, backend=BACKEND)
            welcome = _("Welcome, %(name)s! Start with any foundation.") % {
                "name": user.get_username()
            }
            if cohort is not None:
                welcome += " " + _("You joined the cohort “%(cohort)s”.") % {"cohort": cohort.name}
            messages.success(request, welcome)
            return redirect("curriculum:course-map")
    return render(request, "registration/signup.html", {"form": form})


@transaction.atomic
def _account_create(form: SignUpForm) -> tuple[User, Cohort | None]:
    """The account, its learner profile and, with a join code, its cohort: all or nothing."""
    user = form.save()
    profile_ensure(user=user)
    code = form.cleaned_data["join_code"]
    return user, (cohort_join(user=user, join_code=code) if code else None)


def _rate() -> tuple[int, int]:
    """(attempts, seconds) from DLMATH_LOGIN_RATE, the same setting the API throttle reads."""
    # DRF's parser, so "10/min" means the same here as on the token endpoint. (parse_rate
    # uses nothing of the instance; the class can't be built without a scope.)
    count, seconds = SimpleRateThrottle.parse_rate(
        cast(SimpleRateThrottle, None), settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"]
    )
    assert count is not None
    assert seconds is not None
    return count, seconds


def _key(request: HttpRequest, what: str = "login-failures") -> str:
    return f"{what}:{request.META.get('REMOTE_ADDR', 'unknown')}"


def _count(key: str, seconds: int) -> None:
    # add() starts the window on the first event; incr() keeps its expiry.
    if not cache.add(key, 1, timeout=seconds):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=seconds)


class ThrottledLoginView(auth_views.LoginView):
    """Instructors land on their dashboard, learners on the course (unless ``next`` says)."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        if user_is_instructor(user=self.request.user):
            return reverse("dashboard")
        return super().get_default_redirect_url()

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        limit, _window = _rate()
        if cache.get(_key(request), 0) >= limit:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None, _("Too many failed logins from here. Wait a minute and try again.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        _limit, seconds = _rate()
        _count(_key(self.request), seconds)
        return super().form_invalid(form)


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per client address like logins: each request sends
    e-mail, so it must not become a way to flood someone's inbox."""

    template_name = "registration/reset_form.html"
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit, seconds = _rate()
        key = _key(request, "password-resets")
        if cache.get(key, 0) >= limit:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many reset requests from here. Wait a minute."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        _count(key, seconds)
        return super().post(request, *args, **kwargs)
