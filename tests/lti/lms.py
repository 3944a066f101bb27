"""A small LMS for the tests, built on lti1p3platform: an independent LTI 1.3 *platform*.

It runs as a real HTTP server on a free port in a thread and does what Canvas or Moodle do,
with lti1p3platform's code for every protocol step: it starts launches (third-party login
initiation), answers the tool's OIDC auth request with an id_token it signs, publishes its
JWKS, issues service tokens only for client assertions it verifies against the tool's JWKS,
verifies the tool's deep-linking response JWT, and serves Assignment and Grade Services and
Names and Role Provisioning. What it received (links, line items, scores) is inspectable.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.exceptions import LineItemNotFoundException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService, NamesRoleProvisioningService

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
COURSE = "course-101"


def new_key_pem() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _LmsRequest(Request):
    def build_metadata(self, request: dict[str, Any]) -> TRequest:
        return request  # type: ignore[return-value]


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        return self._registration  # type: ignore[return-value]


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return launch_data


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> str:
        return url


@dataclass
class Person:
    sub: str
    name: str
    roles: list[str]
    email: str = ""
    status: str = "Active"


@dataclass
class Link:
    id: str
    title: str
    custom: dict[str, str]
    lineitem_id: str | None


@dataclass
class LineItemRecord:
    id: str
    label: str
    score_maximum: float
    resource_id: str = ""
    resource_link_id: str = ""
    tag: str = ""
    scores: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "scoreMaximum": self.score_maximum,
            "resourceId": self.resource_id,
            "resourceLinkId": self.resource_link_id,
            "tag": self.tag,
        }


class TinyLms:
    """One course, its people and links; a client id and deployment registered with a tool."""

    def __init__(self, *, tool_url: str, client_id: str = "dlmath-tool", name: str = "TinyLMS"):
        self.tool_url = tool_url.rstrip("/")
        self.client_id = client_id
        self.deployment_id = "deployment-1"
        self.name = name
        self.private_key, self.public_key = new_key_pem()
        # A key the LMS signs with but does not publish (to forge launches in tests).
        self.signing_key: str | None = None
        self.people: dict[str, Person] = {}
        self.links: dict[str, Link] = {}
        self.lineitems: dict[str, LineItemRecord] = {}
        self.deep_link_items: list[dict[str, Any]] = []
        self.document_target = "window"
        self.fail_scores_with: int | None = None
        self.tokens_issued = 0
        self._lock = threading.Lock()
        self._server = make_server(
            "127.0.0.1", 0, self._app, server_class=_ThreadingServer, handler_class=_Quiet
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- what the tool registers -----------------------------------------------------------
    @property
    def issuer(self) -> str:
        return self.url

    def register_args(self) -> list[str]:
        return [
            "--name", self.name,
            "--issuer", self.issuer,
            "--client-id", self.client_id,
            "--auth-url", f"{self.url}/authorize",
            "--token-url", f"{self.url}/token",
            "--keyset-url", f"{self.url}/jwks",
            "--deployment-id", self.deployment_id,
        ]  # fmt: skip

    def registration(self) -> Registration:
        return (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_launch_url(f"{self.tool_url}/lti/launch/")
            .set_deeplink_launch_url(f"{self.tool_url}/lti/launch/")
            .set_oidc_login_url(f"{self.tool_url}/lti/login/")
            .set_tool_key_set_url(f"{self.tool_url}/lti/jwks.json")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.signing_key or self.private_key)
        )

    def conf(self) -> _Conf:
        # Fresh per request: nothing cached between tests (the tool's keys may change).
        return _Conf(registration=self.registration())

    # -- what a person does in the LMS -----------------------------------------------------
    def add_person(self, sub: str, name: str, role: str, email: str = "") -> Person:
        self.people[sub] = Person(sub=sub, name=name, roles=[role], email=email)
        return self.people[sub]

    def start_url(self, sub: str, *, link: str | None = None, deep_link: bool = False) -> str:
        """The LMS page a person clicks: it redirects their browser to the tool's login."""
        hint = "deep-link" if deep_link else f"link:{link}"
        return f"{self.url}/start?user={sub}&hint={hint}"

    # -- the HTTP server -------------------------------------------------------------------
    def _app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ["PATH_INFO"]
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        content_type = environ.get("CONTENT_TYPE", "")
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        request = _LmsRequest(
            {
                "method": method,
                "form_data": dict(parse_qsl(body.decode())) if "form" in content_type else {},
                "get_data": query,
                "headers": headers,
                "content_type": content_type,
                "path": path,
                "json": json.loads(body) if body and "json" in content_type else None,
            }
        )
        try:
            status, response_headers, payload = self._route(method, path, query, request)
        except Exception as exc:  # the test reads the error from the response
            status, response_headers, payload = "500 Error", [], f"{type(exc).__name__}: {exc}"
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        start_response(status, [*response_headers, ("Content-Length", str(len(data)))])
        return [data]

    def _json(self, data: Any, status: str = "200 OK", media: str = "application/json") -> tuple:
        return status, [("Content-Type", media)], json.dumps(data)

    def _route(self, method: str, path: str, query: dict[str, str], request: _LmsRequest) -> tuple:
        parts = [p for p in path.split("/") if p]
        if path == "/jwks":
            return self._json(self.conf().get_jwks())
        if path == "/start":
            return self._start(query)
        if path == "/authorize":
            return self._authorize(request)
        if path == "/token" and method == "POST":
            conf = self.conf()
            conf.get_registration()
            token = conf.get_access_token(request.form_data)
            self.tokens_issued += 1
            return self._json(token)
        if path == "/deep-link-return" and method == "POST":
            conf = self.conf()
            conf.get_registration()
            items = conf.validate_deeplinking_resp(request.form_data)
            self._add_links(items)
            return "200 OK", [("Content-Type", "text/html")], f"<p>Added {len(items)} items</p>"
        if parts[:2] == ["ags", COURSE]:
            return self._ags(method, parts[2:], request)
        if parts[:2] == ["nrps", COURSE]:
            return self._wrap(_Members(self, request).handle_get_members())
        return "404 Not Found", [], "no such page"

    def _start(self, query: dict[str, str]) -> tuple:
        conf = self.conf()
        login = _Login(None, conf)
        login.set_lti_message_hint(hint=query["hint"])
        if query["hint"] == "deep-link":
            login.set_deeplinking_launch_url()
        return "302 Found", [("Location", login.initiate_login(query["user"]))], ""

    def _authorize(self, request: _LmsRequest) -> tuple:
        params = request.get_data
        if params.get("redirect_uri") != f"{self.tool_url}/lti/launch/":
            return "400 Bad Request", [], "redirect_uri is not registered"
        person = self.people[params["login_hint"]]
        launch = _Launch(request, self.conf())
        launch.set_user_data(person.sub, person.roles, person.name, person.email)
        launch.set_launch_context_claim(
            COURSE,
            ["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"],
            "Deep Learning 101",
            "DL101",
        )
        launch.set_nrps(f"{self.url}/nrps/{COURSE}/memberships")
        hint = params.get("lti_message_hint", "")
        if hint == "deep-link":
            launch.set_dl(
                f"{self.url}/deep-link-return",
                title="Add content",
                accept_types={"ltiResourceLink"},
                extra_data={"opaque": "kept by the tool"},
            )
        else:
            link = self.links[hint.removeprefix("link:")]
            launch.set_resource_link_claim(link.id, title=link.title)
            launch.set_custom_parameters_claim(link.custom)
            launch.set_launch_presentation_claim(document_target=self.document_target)
            launch.set_ags(
                f"{self.url}/ags/{COURSE}/lineitems",
                f"{self.url}/ags/{COURSE}/lineitems/{link.lineitem_id}"
                if link.lineitem_id
                else None,
                allow_creating_lineitems=True,
            )
        form = launch.lti_launch()
        html = (
            f'<form method="post" action="{form["launch_url"]}">'
            f'<input type="hidden" name="id_token" value="{form["id_token"]}">'
            f'<input type="hidden" name="state" value="{form["state"]}"></form>'
        )
        return "200 OK", [("Content-Type", "text/html")], html

    def _add_links(self, items: list[dict[str, Any]]) -> None:
        with self._lock:
            self.deep_link_items.extend(items)
            for item in items:
                link_id = f"rl-{uuid.uuid4().hex[:8]}"
                lineitem_id = None
                if "lineItem" in item:
                    lineitem_id = uuid.uuid4().hex[:8]
                    self.lineitems[lineitem_id] = LineItemRecord(
                        id=f"{self.url}/ags/{COURSE}/lineitems/{lineitem_id}",
                        label=item["lineItem"].get("label", item["title"]),
                        score_maximum=item["lineItem"]["scoreMaximum"],
                        resource_id=item["lineItem"].get("resourceId", ""),
                        resource_link_id=link_id,
                        tag=item["lineItem"].get("tag", ""),
                    )
                self.links[link_id] = Link(
                    link_id, item["title"], item.get("custom", {}), lineitem_id
                )

    def link_to(self, kind: str, slug: str) -> Link:
        """The deep-linked link that opens dlmath's ``exercise`` or ``module`` ``slug``."""
        return next(
            link for link in self.links.values() if link.custom.get(f"dlmath_{kind}") == slug
        )

    def _ags(self, method: str, rest: list[str], request: _LmsRequest) -> tuple:
        grades = _Grades(self, request)
        if rest == ["lineitems"]:
            if method == "POST":
                return self._wrap(grades.handle_create_lineitem())
            return self._wrap(grades.handle_get_lineitems())
        if len(rest) == 3 and rest[2] == "scores":
            if self.fail_scores_with:
                return self._json(
                    {"error": "gradebook is down"}, f"{self.fail_scores_with} Unavailable"
                )
            return self._wrap(grades.handle_update_score(rest[1]))
        if len(rest) == 2:
            return self._wrap(grades.handle_get_lineitem(rest[1]))
        return "404 Not Found", [], ""

    def _wrap(self, response: Any) -> tuple:
        data = (
            response.result.get("content", response.result)
            if isinstance(response.result, dict)
            else response.result
        )
        if 200 <= response.code < 300:
            return self._json(
                data, f"{response.code} OK", response.media_type or "application/json"
            )
        return self._json({"error": response.message}, f"{response.code} Error")

    def scores_for(self, link: Link) -> dict[str, dict[str, Any]]:
        return self.lineitems[link.lineitem_id].scores if link.lineitem_id else {}


def _page_of(items: list[Any], page: Any, limit: Any) -> dict[str, Any]:
    """One page of a service's list, as lti1p3platform's handlers expect (they add "next")."""
    if not limit:
        return {"content": items, "has_next": False, "next": None}
    size, number = int(limit), max(int(page or 1), 1)
    start = (number - 1) * size
    return {"content": items[start : start + size], "has_next": start + size < len(items)}


class _Grades(AssignmentsGradesService):
    def __init__(self, lms: TinyLms, request: _LmsRequest) -> None:
        conf = lms.conf()
        conf.get_registration()
        super().__init__(request, conf, f"{lms.url}/ags/{COURSE}/lineitems")
        self.lms = lms

    def find_lineitems(self, page: int = 1, limit: int | None = None, **filters: Any) -> Any:
        items = [li.as_json() for li in self.lms.lineitems.values()]
        for key, prop in (
            ("line_item_id", "id"),
            ("resource_link_id", "resourceLinkId"),
            ("resource_id", "resourceId"),
            ("tag", "tag"),
        ):
            if filters.get(key):
                items = [i for i in items if i[prop] == filters[key]]
        return _page_of(items, page, limit)

    def find_lineitem(self, line_item_id: str) -> Any:
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException()
        return self.lms.lineitems[line_item_id].as_json()

    def create_lineitem(self, creation_data: Any) -> Any:
        key = uuid.uuid4().hex[:8]
        record = LineItemRecord(
            id=f"{self.lms.url}/ags/{COURSE}/lineitems/{key}",
            label=creation_data.get("label", ""),
            score_maximum=creation_data.get("scoreMaximum", 1),
            resource_id=creation_data.get("resourceId", ""),
            resource_link_id=creation_data.get("resourceLinkId", ""),
            tag=creation_data.get("tag", ""),
        )
        self.lms.lineitems[key] = record
        return record.as_json()

    def update_lineitem(self, update_data: Any) -> Any:
        raise NotImplementedError

    def delete_lineitem(self, line_item_id: str) -> None:
        raise NotImplementedError

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException()
        self.lms.lineitems[line_item_id].scores[score["userId"]] = score
        return UpdateScoreStatus.SUCCESS

    def get_results(
        self, line_item_id: str, page: int = 1, limit: Any = None, user_id: Any = None
    ) -> Any:
        if line_item_id not in self.lms.lineitems:
            raise LineItemNotFoundException()
        record = self.lms.lineitems[line_item_id]
        results = [
            {
                "userId": sub,
                "resultScore": score.get("scoreGiven"),
                "resultMaximum": score.get("scoreMaximum"),
            }
            for sub, score in record.scores.items()
            if user_id in (None, "", sub)
        ]
        return _page_of(results, page, limit)


class _Members(NamesRoleProvisioningService):
    def __init__(self, lms: TinyLms, request: _LmsRequest) -> None:
        conf = lms.conf()
        conf.get_registration()
        super().__init__(request, conf, f"{lms.url}/nrps/{COURSE}/memberships")
        self.lms = lms

    def get_context_by_id(self) -> Context:
        return Context(id=COURSE, label="DL101", title="Deep Learning 101")

    def get_member_data_page(
        self, page: int = 1, limit: Any = None, role: Any = None, since: Any = None, **_: Any
    ) -> Any:
        if since:  # membership differences: dlmath never asks, and this LMS keeps no history
            raise NotImplementedError("TinyLms does not track membership changes")
        members = [
            {
                "user_id": p.sub,
                "name": p.name,
                "email": p.email,
                "roles": p.roles,
                "status": p.status,
            }
            for p in self.lms.people.values()
            if not role or role in p.roles or any(r.endswith(f"#{role}") for r in p.roles)
        ]
        return _page_of(members, page, limit)
