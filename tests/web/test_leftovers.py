"""A deleted account leaves nothing behind in the outbox: its emails hold links that still work."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from pathlib import Path

from flask import current_app

from planner.accounts import emails
from planner.storage.models import User
from tests.support.app import PASSWORD


def sign_up(client, email: str) -> User:
    """Sign up and confirm through the link the outbox holds: logged in."""
    response = client.post("/signup", data={"email": email, "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    user = User.query.filter_by(email=email).one()
    emails.flush(current_app)
    [file] = (Path(current_app.config["OUTBOX_PATH"]) / f"user-{user.id}").glob("*.eml")
    text = message_from_bytes(file.read_bytes(), policy=policy.default).get_body(("plain",)).get_content()
    path = re.search(r"https?://[^/\s]+(/account/confirm/\S+)", text).group(1)
    assert client.post(path).status_code == 302
    return user


def test_deleting_an_account_deletes_its_outbox_files(app):
    outbox = Path(app.config["OUTBOX_PATH"])
    ada_client, bo_client = app.test_client(), app.test_client()
    ada, bo = sign_up(ada_client, "ada@example.com"), sign_up(bo_client, "bo@example.com")
    ada_id = ada.id
    anonymous = app.test_client()
    assert anonymous.post("/password/forgot", data={"email": "ada@example.com"}).status_code == 302
    emails.flush(current_app)
    ada_files = list((outbox / f"user-{ada_id}").glob("*.eml"))
    assert len(ada_files) == 2  # the confirmation link and the reset link
    assert any(b"/password/reset/" in f.read_bytes() for f in ada_files)
    bo_files = list((outbox / f"user-{bo.id}").glob("*.eml"))
    assert len(bo_files) == 1

    response = ada_client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    assert not (outbox / f"user-{ada_id}").exists()
    assert not any(b"ada@example.com" in f.read_bytes() for f in outbox.rglob("*.eml"))
    assert [f.exists() for f in bo_files] == [True]  # nobody else's mail goes with it
