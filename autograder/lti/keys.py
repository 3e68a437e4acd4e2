"""``autograder lti key``: the tool's public key, as a platform's tool registration asks for it
(Canvas: a public JWK; Moodle: a public key in PEM), from the private key the platform file
names, with the kid a push signs with."""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from autograder.config import DEFAULT_COURSE_FILE
from autograder.lti.platform import key_id, public_jwk
from autograder.lti.settings import DEFAULT_FILE, load_settings


def main(platform_file: Path | None = None, course_file: Path = DEFAULT_COURSE_FILE) -> str:
    """The public JWK (one line of JSON) and the public key (PEM) of the platform file's
    ``private_key_file``; user errors raise GraderError."""
    settings = load_settings(platform_file or course_file.parent / DEFAULT_FILE)
    text, key = settings.private_key()
    kid = settings.key_id or key_id(key)
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return (
        f"# public JWK (Canvas: Developer Key > Public JWK), kid {kid}\n"
        f"{json.dumps(public_jwk(text, kid))}\n"
        f"# public key (Moodle: External tool > Public key type 'RSA key')\n"
        f"{pem.decode().strip()}"
    )
