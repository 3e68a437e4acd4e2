"""A real LTI 1.3 platform on loopback for the push tests: lti1p3platform's platform
configuration (its key set, its client-credentials token grant and its access-token checks)
behind a FastAPI app served by uvicorn in a thread, with a course's line items, the scores
they receive and its Names and Role Provisioning Services membership kept in memory.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from jwcrypto.jwk import JWK
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.registration import Registration

ISSUER = "https://lms.example.edu"
CLIENT_ID = "10000000000042"
DEPLOYMENT_ID = "7:course-42"
COURSE = "/api/lti/courses/42"
SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_MEMBERSHIP = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
PAGE = 2  # members per NRPS page: a roster of more than two comes in pages, as on Canvas


def new_private_key() -> str:
    """A fresh RSA private key as unencrypted PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class PlatformConf(LTI1P3PlatformConfAbstract):
    """The platform's registration of the tool: its client id, its own key pair, and the
    tool's public key set (as an instructor pastes the tool's public JWK into Canvas)."""

    def init_platform_config(self, **kwargs: Any) -> None:
        private_key = kwargs["platform_private_key"]
        public_pem = JWK.from_pem(private_key.encode()).public().export_to_pem().decode()
        # Loaded once: PyJWT signs with a key object as with PEM text, without parsing (and
        # checking) the key again for every token it issues.
        loaded = serialization.load_pem_private_key(private_key.encode(), password=None)
        self._registration = (
            Registration()
            .set_iss(ISSUER)
            .set_client_id(CLIENT_ID)
            .set_deployment_id(DEPLOYMENT_ID)
            .set_platform_private_key(loaded)  # type: ignore[arg-type]
            .set_platform_public_key(public_pem)
            .set_tool_key_set({"keys": [kwargs["tool_jwk"]]})
        )

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration


@dataclass
class Course:
    """What the platform holds for one course, inspected by the tests."""

    members: list[dict[str, Any]]
    lineitems: dict[str, dict[str, Any]] = field(default_factory=dict)
    scores: list[dict[str, Any]] = field(default_factory=list)  # every score received, in order
    tokens_issued: int = 0
    tokens_refused: int = 0
    on_score: Callable[[dict[str, Any]], None] | None = None  # a test's look as a score comes

    def reset(self, members: list[dict[str, Any]]) -> None:
        """Back to a course with these members and nothing else, for the next test."""
        self.members = members
        self.lineitems.clear()
        self.scores.clear()
        self.tokens_issued = self.tokens_refused = 0
        self.on_score = None


def make_app(conf: PlatformConf, course: Course) -> FastAPI:
    """The platform's endpoints: JWKS, token, line items, scores, memberships."""
    app = FastAPI()

    def authorized(request: Request, scope: str) -> Response | None:
        header = request.headers.get("authorization", "")
        if not header.startswith("Bearer "):
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        try:
            allowed = conf.validate_token(header[len("Bearer ") :], allowed_scopes=[scope])
        except Exception as exc:  # an invalid or expired token, whatever PyJWT calls it
            return JSONResponse({"error": "invalid_token", "error_description": str(exc)}, 401)
        if not allowed:
            return JSONResponse({"error": "insufficient_scope"}, status_code=403)
        return None

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        return dict(conf.get_jwks())

    @app.post("/login/oauth2/token")
    async def token(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        try:
            granted = conf.get_access_token(form)
        except (LtiException, Exception) as exc:  # a bad signature is PyJWT's, not LtiException
            course.tokens_refused += 1
            return JSONResponse(
                {"error": "invalid_client", "error_description": str(exc) or type(exc).__name__},
                status_code=400,
            )
        course.tokens_issued += 1
        return JSONResponse(dict(granted))

    @app.get(COURSE + "/line_items")
    def lineitems(request: Request) -> Response:
        refused = authorized(request, SCOPE_LINEITEM)
        return refused or JSONResponse(
            list(course.lineitems.values()),
            media_type="application/vnd.ims.lis.v2.lineitemcontainer+json",
        )

    @app.post(COURSE + "/line_items")
    async def create_lineitem(request: Request) -> Response:
        refused = authorized(request, SCOPE_LINEITEM)
        if refused:
            return refused
        item = await request.json()
        if not isinstance(item.get("scoreMaximum"), int | float) or not item.get("label"):
            return JSONResponse({"error": "label and scoreMaximum are required"}, 400)
        number = len(course.lineitems) + 1
        # A line item's URL keeps the query of the container's, as Moodle's (?typeid=N) do.
        query = f"?{request.url.query}" if request.url.query else ""
        item["id"] = f"{str(request.base_url).rstrip('/')}{COURSE}/line_items/{number}{query}"
        course.lineitems[str(number)] = item
        return JSONResponse(
            item, status_code=201, media_type="application/vnd.ims.lis.v2.lineitem+json"
        )

    @app.post(COURSE + "/line_items/{number}/scores")
    async def score(number: int, request: Request) -> Response:
        refused = authorized(request, SCOPE_SCORE)
        if refused:
            return refused
        if str(number) not in course.lineitems:
            return JSONResponse({"error": "no such line item"}, status_code=404)
        lineitem = course.lineitems[str(number)]["id"]
        posted = await request.json()
        if posted.get("userId") not in {m["user_id"] for m in course.members}:
            return JSONResponse(
                {
                    "errors": {
                        "type": "unprocessable_entity",
                        "message": "User not found in course or is not a student",
                    }
                },
                status_code=422,
            )
        if course.on_score is not None:
            course.on_score(posted)
        course.scores.append({"lineitem": lineitem, "query": request.url.query, **posted})
        return JSONResponse({"resultUrl": f"{lineitem}/results/{posted['userId']}"})

    @app.get(COURSE + "/names_and_roles")
    def memberships(request: Request, page: int = 0) -> Response:
        refused = authorized(request, SCOPE_MEMBERSHIP)
        if refused:
            return refused
        chosen = course.members[page * PAGE : (page + 1) * PAGE]
        headers = {}
        if (page + 1) * PAGE < len(course.members):
            headers["Link"] = f'<{request.url.replace_query_params(page=page + 1)}>; rel="next"'
        body = {
            "id": str(request.url),
            "context": {"id": "42", "title": "Course 1"},
            "members": chosen,
        }
        return JSONResponse(
            body,
            headers=headers,
            media_type="application/vnd.ims.lti-nrps.v2.membershipcontainer+json",
        )

    return app


@dataclass
class Served:
    """A platform serving on loopback: its URL, its course, and the registered tool's kid."""

    url: str
    course: Course
    conf: PlatformConf

    @property
    def token_url(self) -> str:
        return f"{self.url}/login/oauth2/token"

    @property
    def lineitems_url(self) -> str:
        return f"{self.url}{COURSE}/line_items"

    @property
    def memberships_url(self) -> str:
        return f"{self.url}{COURSE}/names_and_roles"


@contextmanager
def serve(
    platform_key: str, tool_jwk: dict[str, Any], members: list[dict[str, Any]]
) -> Iterator[Served]:
    """Run the platform (signing its tokens with ``platform_key``) on 127.0.0.1, on a free
    port, in a thread for the block."""
    conf = PlatformConf(platform_private_key=platform_key, tool_jwk=tool_jwk)
    course = Course(members=members)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(make_app(conf, course), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the loopback LTI platform did not start")
        time.sleep(0.01)
    try:
        yield Served(f"http://127.0.0.1:{port}", course, conf)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
