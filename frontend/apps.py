"""The web layer: every HTML page (views, urls, templates) and the bundled JavaScript.

It calls the domain apps' selectors and services and holds no business rules; no app
imports it (import-linter's layers contract).
"""

from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    label = "frontend"
