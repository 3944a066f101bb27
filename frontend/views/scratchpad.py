"""The scratchpad: a try-it cell of one's own, not tied to a lesson (runs, never graded)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

STARTER = """import numpy as np
from dlplot import line, scatter, heatmap, histogram, vector_field

# Anything goes: print, plot, experiment. Nothing here is graded.
x = np.linspace(-3, 3, 200)
line(x, np.stack([np.tanh(x), 1 - np.tanh(x) ** 2], axis=1))
print("tanh(1) =", np.tanh(1.0))
"""


@login_required
def scratchpad(request: HttpRequest) -> HttpResponse:
    config = {"signedIn": True, "runsUrl": reverse("api-runs"), "loginUrl": reverse("login")}
    return render(request, "scratchpad.html", {"starter": STARTER, "scratch_config": config})
