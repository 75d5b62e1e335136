"""The app's VAPID key pair (RFC 8292), which identifies it to every browser's push service.

A browser subscription is bound to the public key it was made with, so the key must outlive
restarts and be the same in every process: it is read from ``VAPID_PRIVATE_KEY`` (environment,
PEM or base64url) or generated once into ``instance/vapid_private.pem``, readable only by its
owner. Replacing it orphans every subscription (browsers subscribe again from the profile).
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import Flask
from py_vapid import Vapid02

KEY_FILE = "vapid_private.pem"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _generate_once(path: Path) -> bytes:
    """Write a new P-256 key with mode 0600 unless another process already did; return the PEM."""
    if path.exists() and path.stat().st_size:
        return path.read_bytes()
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
    try:
        os.link(temporary, path)  # atomic, and fails if another process won the race
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_bytes()


@lru_cache(maxsize=8)
def _vapid(configured: str, key_path: str) -> Vapid02:
    if configured:
        text = configured.strip()
        return Vapid02.from_pem(text.encode()) if text.startswith("-----") else Vapid02.from_string(text)
    return Vapid02.from_pem(_generate_once(Path(key_path)))


def vapid(app: Flask) -> Vapid02:
    """The app's VAPID signer (loaded once per process)."""
    return _vapid(str(app.config.get("VAPID_PRIVATE_KEY") or ""), str(Path(app.instance_path) / KEY_FILE))


def application_server_key(app: Flask) -> str:
    """The public key as browsers want it for ``pushManager.subscribe`` (uncompressed point, base64url)."""
    public = vapid(app).public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(public)
