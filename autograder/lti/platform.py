"""The LMS's LTI 1.3 services as the tool reaches them: pylti1p3's service connector (the
signed-JWT client-credentials grant), its Assignment and Grade Services (line items, scores) and
its Names and Role Provisioning Services (the roster), each failure turned into one line naming
the setting and the fix."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from jwcrypto.jwk import JWK
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.exception import LtiException, LtiServiceException
from pylti1p3.grade import Grade
from pylti1p3.lineitem import LineItem
from pylti1p3.names_roles import NamesRolesProvisioningService, TMember
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector

from autograder.errors import GraderError
from autograder.lti.settings import PlatformSettings

SCOPE_LINEITEM: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_SCORE: Final = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
USER_AGENT = "c1w2-autograder (pylti1p3)"


class ScoreRefused(Exception):
    """The platform answered a score with an error: that student's score was not recorded."""


def key_id(private_key: str | RSAPrivateKey) -> str:
    """The kid a key goes by when the platform file names none: its RFC 7638 thumbprint, as
    the public JWK the tool registers carries it."""
    jwk = (
        JWK.from_pem(private_key.encode())
        if isinstance(private_key, str)
        else JWK.from_pyca(private_key)
    )
    return str(jwk.thumbprint())


def public_jwk(private_key: str, kid: str) -> dict[str, Any]:
    """The public JWK of the tool's key, to paste into the platform's tool registration."""
    jwk = dict(Registration.get_jwk(private_key))
    jwk["kid"] = kid
    return jwk


class _Registration(Registration):
    """A registration whose kid is the platform file's, not one derived from a public key."""

    def __init__(self, kid: str) -> None:
        self._kid = kid

    def get_kid(self) -> str:
        return self._kid


class _TokenRefused(Exception):
    def __init__(self, response: requests.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


class _TokenUnreachable(Exception):
    def __init__(self, error: requests.RequestException) -> None:
        super().__init__(type(error).__name__)
        self.kind = type(error).__name__


class _Connector(ServiceConnector):
    """pylti1p3's connector with the access tokens kept for the run (the library leaves the
    cache to the web framework), and a refused token told apart from a refused request."""

    def __init__(self, registration: Registration, key: RSAPrivateKey, timeout: float) -> None:
        self._key = key
        session = requests.Session()
        session.headers["User-Agent"] = USER_AGENT
        session.request = _with_timeout(session.request, timeout)  # type: ignore[method-assign]
        super().__init__(registration, session)
        self._tokens: dict[str, tuple[str, float]] = {}

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        token, expires = self._tokens.get(scope_key, ("", 0.0))
        return token if token and expires > time.monotonic() else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        self._tokens[scope_key] = (access_token, time.monotonic() + max(expires_in - 30, 0))

    def encode_jwt(
        self, message: dict[str, str | int], private_key: str, headers: dict[str, str]
    ) -> str:
        """The client assertion, signed with the key loaded once (not parsed again per token)."""
        return jwt.encode(message, self._key, algorithm="RS256", headers=headers)

    def get_access_token(self, scopes: Sequence[str]) -> str:
        try:
            return super().get_access_token(scopes)
        except LtiServiceException as exc:
            raise _TokenRefused(exc.response) from None
        except requests.RequestException as exc:
            raise _TokenUnreachable(exc) from None


def _with_timeout(request: Any, timeout: float) -> Any:
    def timed(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout)
        return request(*args, **kwargs)

    return timed


def _said(response: requests.Response) -> str:
    """What an error response says, in a few words: its OAuth2 error or its first line."""
    status = f"HTTP {response.status_code}"
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        errors = body.get("errors")  # Canvas: {"errors": {"message": ...}} or a list of them
        first = errors[0] if isinstance(errors, list) and errors else errors
        words = (
            body.get("error_description")
            or body.get("error")
            or body.get("detail")
            or body.get("message")
            or (first.get("message") if isinstance(first, dict) else None)
        )
        if isinstance(words, str) and words.strip():
            return f"{status}: {words.strip().splitlines()[0][:160]}"
    text = (response.text or "").strip().splitlines()
    return f"{status}: {text[0][:160]}" if text else status


def _unreachable(setting: str, url: str, kind: str) -> str:
    return (
        f"cannot reach the platform at {setting} {url} ({kind}): check {setting} in the "
        "platform file and that this machine reaches it"
    )


@dataclass(frozen=True)
class LineItemFound:
    """The assignment's column in the LMS: its URL, and whether this push created it."""

    url: str
    label: str
    created: bool


class Platform:
    """One LMS course, reached with the tool's service credentials."""

    def __init__(self, settings: PlatformSettings) -> None:
        private_key, loaded = settings.private_key()
        self.kid = settings.key_id or key_id(loaded)
        registration = (
            _Registration(self.kid)
            .set_issuer(settings.issuer)
            .set_client_id(settings.client_id)
            .set_auth_token_url(settings.token_url)
            .set_tool_private_key(private_key)
        )
        if settings.token_audience:
            registration.set_auth_audience(settings.token_audience)
        self.settings = settings
        self._connector = _Connector(registration, loaded, settings.timeout)
        self._ags = AssignmentsGradesService(
            self._connector,
            {"scope": [SCOPE_LINEITEM, SCOPE_SCORE], "lineitems": settings.lineitems_url},
        )

    @contextmanager
    def _talking(self, setting: str, url: str) -> Iterator[None]:
        """Errors of a request to ``url`` (the platform file's ``setting``) as one line each."""
        s = self.settings
        try:
            yield
        except _TokenRefused as exc:
            raise GraderError(
                f"the platform refused the tool's key at token_url {s.token_url} "
                f"({_said(exc.response)}): register the public key of private_key_file "
                f"{s.private_key_file} (kid {self.kid}) for "
                f"client_id {s.client_id}, or fix client_id, key_id or token_audience"
            ) from None
        except _TokenUnreachable as exc:
            raise GraderError(_unreachable("token_url", s.token_url, exc.kind)) from None
        except requests.RequestException as exc:
            raise GraderError(_unreachable(setting, url, type(exc).__name__)) from None
        except LtiServiceException as exc:
            raise GraderError(
                f"the platform refused {setting} {url} ({_said(exc.response)}): check the URL "
                "and that the tool's registration grants the AGS and NRPS scopes"
            ) from None
        except LtiException as exc:
            raise GraderError(f"{setting} {url}: {exc}") from None

    def line_item(
        self, tag: str, label: str, resource_id: str, score_maximum: float
    ) -> LineItemFound:
        """The line item tagged ``tag`` in the course's line items, created when missing."""
        url = self.settings.lineitems_url
        with self._talking("lineitems_url", url):
            found = self._ags.find_lineitem_by_tag(tag)
            created = found is None
            if found is None:
                found = self._ags.create_lineitem(
                    LineItem()
                    .set_tag(tag)
                    .set_label(label)
                    .set_resource_id(resource_id)
                    .set_score_maximum(score_maximum)
                )
        lineitem_url = found.get_id()
        if not lineitem_url:
            raise GraderError(f"lineitems_url {url}: the platform gave a line item without an id")
        return LineItemFound(lineitem_url, found.get_label() or label, created)

    def members(self) -> list[TMember]:
        """Every member of the course as Names and Role Provisioning Services lists them."""
        url = self.settings.memberships_url
        nrps = NamesRolesProvisioningService(self._connector, {"context_memberships_url": url})
        with self._talking("memberships_url", url):
            return nrps.get_members()

    def send(
        self, lineitem_url: str, user_id: str, score: float, score_maximum: float, timestamp: str
    ) -> None:
        """Publish one score; ScoreRefused when the platform answers it with an error."""
        grade = (
            Grade()
            .set_user_id(user_id)
            .set_score_given(score)
            .set_score_maximum(score_maximum)
            .set_activity_progress("Completed")
            .set_grading_progress("FullyGraded")
            .set_timestamp(timestamp)
        )
        with self._talking("lineitems_url", lineitem_url):
            try:
                self._ags.put_grade(grade, LineItem({"id": lineitem_url}))
            except LtiServiceException as exc:
                raise ScoreRefused(_said(exc.response)) from None
