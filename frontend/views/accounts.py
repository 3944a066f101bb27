"""Sign-up and a login form that limits failed attempts per client address."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import SimpleRateThrottle

from apps.progress.services import profile_ensure
from frontend.forms import SignUpForm


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("curriculum:course-map")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        profile_ensure(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome, {user.get_username()}! Start with any foundation.")
        return redirect("curriculum:course-map")
    return render(request, "registration/signup.html", {"form": form})


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


def _key(request: HttpRequest) -> str:
    return f"login-failures:{request.META.get('REMOTE_ADDR', 'unknown')}"


class ThrottledLoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        limit, _ = _rate()
        if cache.get(_key(request), 0) >= limit:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "Too many failed logins from here. Wait a minute and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        _, seconds = _rate()
        key = _key(self.request)
        # add() starts the window on the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=seconds)
        return super().form_invalid(form)
