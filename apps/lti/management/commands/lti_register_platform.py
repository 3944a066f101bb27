"""`manage.py lti_register_platform`: register an LMS (an LTI 1.3 platform) with dlmath.

    manage.py lti_register_platform --name "Canvas" --canvas --client-id 10000000000042 \\
        --deployment-id 1:abc...
    manage.py lti_register_platform --name "Moodle" --moodle https://moodle.example.edu \\
        --client-id AbC123 --deployment-id 3
    manage.py lti_register_platform --name X --issuer ... --auth-url ... --token-url ... \\
        --keyset-url ... --client-id ... --deployment-id ...

Idempotent (issuer + client id identify a registration). Prints the URLs to enter in the LMS.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from lti_tool.models import LtiDeployment, LtiRegistration

from apps.lti.tool import tool_key_pair

CANVAS = {
    "issuer": "https://canvas.instructure.com",
    "auth_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "token_url": "https://sso.canvaslms.com/login/oauth2/token",
    "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks",
}


def moodle(site: str) -> dict[str, str]:
    site = site.rstrip("/")
    return {
        "issuer": site,
        "auth_url": f"{site}/mod/lti/auth.php",
        "token_url": f"{site}/mod/lti/token.php",
        "keyset_url": f"{site}/mod/lti/certs.php",
    }


class Command(BaseCommand):
    help = "Register an LTI 1.3 platform (LMS) and its deployments with dlmath."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--deployment-id", action="append", default=[], dest="deployments")
        preset = parser.add_mutually_exclusive_group()
        preset.add_argument("--canvas", action="store_true", help="Instructure-hosted Canvas")
        preset.add_argument("--moodle", metavar="SITE_URL", help="a Moodle site (its wwwroot)")
        parser.add_argument("--issuer")
        parser.add_argument("--auth-url")
        parser.add_argument("--token-url")
        parser.add_argument("--keyset-url")
        parser.add_argument("--audience", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        urls = (
            CANVAS if options["canvas"] else moodle(options["moodle"]) if options["moodle"] else {}
        )
        values = {key: options.get(key) or urls.get(key) for key in CANVAS}
        missing = [f"--{key.replace('_', '-')}" for key, value in values.items() if not value]
        if missing:
            raise CommandError(f"missing {', '.join(missing)} (or --canvas / --moodle URL)")
        with transaction.atomic():
            registration, created = LtiRegistration.objects.update_or_create(
                issuer=values["issuer"],
                client_id=options["client_id"],
                defaults={
                    "name": options["name"],
                    "auth_url": values["auth_url"],
                    "token_url": values["token_url"],
                    "keyset_url": values["keyset_url"],
                    "audience": options["audience"],
                    "is_active": True,
                },
            )
            for deployment_id in options["deployments"]:
                LtiDeployment.objects.update_or_create(
                    registration=registration,
                    deployment_id=deployment_id,
                    defaults={"is_active": True},
                )
        base = settings.DLMATH_BASE_URL
        self.stdout.write(
            f"{'Registered' if created else 'Updated'} {registration.name} "
            f"(issuer {registration.issuer}, client id {registration.client_id}, "
            f"{len(options['deployments'])} deployment(s) active)\n"
            f"  Redirect / launch URL:      {base}/lti/launch/\n"
            f"  OIDC login initiation URL:  {base}/lti/login/\n"
            f"     (or, for this platform:  {base}/lti/login/{registration.uuid}/)\n"
            f"  Public keyset (JWKS) URL:   {base}/lti/jwks.json\n"
            f"  Deep linking URL:           {base}/lti/launch/"
        )
        try:
            tool_key_pair()
        except ImproperlyConfigured as exc:
            self.stderr.write(str(exc))
