"""The platform file (``lti.yaml`` beside course.yaml, or ``--platform FILE``): where the LMS's
LTI 1.3 services are and the tool's credentials for them, read through one typed schema."""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from autograder.config import read_yaml
from autograder.errors import GraderError

DEFAULT_FILE = "lti.yaml"
README_SECTION = "README, 'Scores into the LMS (LTI 1.3)'"

# What each setting is, for the one line that names a missing or wrong one.
HINTS = {
    "issuer": "the platform's issuer (iss), e.g. https://canvas.instructure.com",
    "client_id": "the Client ID the platform gave the tool (Canvas: the developer key's id)",
    "token_url": "the platform's OAuth2 access token URL",
    "private_key_file": "the tool's private RSA key (PEM), whose public key the platform has",
    "key_id": "the kid of the tool's public key as registered on the platform",
    "lineitems_url": "the course's AGS line items URL (the lineitems of a launch's AGS claim)",
    "memberships_url": "the course's NRPS context_memberships_url (or set roster_file instead)",
    "roster_file": "a CSV with columns student_id,user_id (or set memberships_url instead)",
    "roster_field": "the NRPS member field that equals a student's folder name",
}


class LineItemSettings(BaseModel):
    """How the assignment's line item is found (by tag) and, when missing, created."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str = ""  # its column title; default: the assignment's title in course.yaml
    tag: str = ""  # its tag, by which a push finds it; default: the assignment id
    resource_id: str = ""  # its resourceId; default: the assignment id


class PlatformSettings(BaseModel):
    """One LMS course as the tool sees it: the services' URLs and the tool's credentials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    issuer: str
    client_id: str
    deployment_id: str = ""  # for the record: the services a push uses do not ask for it
    token_url: str
    token_audience: str = ""  # the client assertion's aud; default: token_url
    private_key_file: Path
    key_id: str = ""  # the kid of the tool's public key; default: its RFC 7638 thumbprint
    lineitems_url: str
    memberships_url: str = ""
    roster_file: Path | None = None
    roster_field: str = "email"
    line_item: LineItemSettings = LineItemSettings()
    timeout: float = Field(20.0, gt=0)  # seconds to wait for each answer of the platform

    @model_validator(mode="after")
    def _one_roster(self) -> PlatformSettings:
        if not self.memberships_url and self.roster_file is None:
            raise ValueError("memberships_url or roster_file: set one")
        return self

    def private_key(self) -> tuple[str, RSAPrivateKey]:
        """The tool's private key as PEM text and loaded (checked once: loading a key is slow);
        a GraderError naming the setting if it is unusable."""
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        path = self.private_key_file
        try:
            text = path.read_text()
        except OSError as exc:
            raise GraderError(
                f"private_key_file {path}: {exc.strerror or 'unreadable'} "
                f"({HINTS['private_key_file']})"
            ) from None
        try:
            key = load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError):
            raise GraderError(
                f"private_key_file {path} is not an unencrypted PEM private key: write it with "
                "`openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out FILE`"
            ) from None
        if not isinstance(key, RSAPrivateKey):
            raise GraderError(
                f"private_key_file {path} is not an RSA key: LTI 1.3 signs with RS256"
            )
        return text, key


def _describe(error: ValidationError, path: Path) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(top level)"
    if first["type"] == "missing":
        hint = HINTS.get(key, "")
        return (
            f"{path}: {key} is missing: set it to {hint}" if hint else f"{path}: {key} is missing"
        )
    if first["type"] == "extra_forbidden":
        return f"{path}: {key}: unknown setting (see the {README_SECTION})"
    if first["type"] == "value_error":
        return f"{path}: {first['ctx']['error']}"
    return f"{path}: {key}: {first['msg']}"


def load_settings(path: Path) -> PlatformSettings:
    """Read and validate the platform file; any problem is one GraderError line naming the
    setting. Relative file paths in it are relative to the file's folder."""
    try:
        raw = read_yaml(path)
    except FileNotFoundError:
        raise GraderError(
            f"no LTI platform file {path}: write one as the {README_SECTION} shows, "
            "or pass --platform FILE"
        ) from None
    if not isinstance(raw, dict):
        raise GraderError(f"{path}: expected settings (key: value), see the {README_SECTION}")
    try:
        settings = PlatformSettings.model_validate(raw)
    except ValidationError as exc:
        raise GraderError(_describe(exc, path)) from None
    here = path.parent
    roster = settings.roster_file
    return settings.model_copy(
        update={
            "private_key_file": here / settings.private_key_file,
            "roster_file": here / roster if roster is not None else None,
        }
    )
