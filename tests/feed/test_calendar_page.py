"""The Calendar page: links shown, regenerated and revoked through the UI, feed settings."""

from __future__ import annotations

import re

from planner.extensions import db
from planner.feed import tokens


def shown_links(page: str) -> list[str]:
    return re.findall(r'value="((?:http|webcal)[^"]+\.ics)"', page)


def test_the_page_needs_a_login(client):
    response = client.get("/calendar/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_create_show_regenerate_and_revoke_through_the_page(client, logged_in):
    page = client.get("/calendar/")
    assert "Create my calendar link" in page.text and shown_links(page.text) == []
    assert "Calendar feed" in page.text and 'aria-current="page"' in page.text

    assert client.post("/calendar/link").status_code == 302
    page = client.get("/calendar/")
    assert page.headers["Cache-Control"] == "no-store"
    https, webcal = shown_links(page.text)
    token = https.rsplit("/", 1)[1].removesuffix(".ics")
    assert https == f"http://afterglow.test/feed/{token}.ics" and webcal == f"webcal://afterglow.test/feed/{token}.ics"
    assert "From URL" in page.text and "up to a day" in page.text and "Subscribe from web" in page.text
    assert "Not fetched yet" in page.text
    assert client.get(f"/feed/{token}.ics").status_code == 200

    response = client.post("/calendar/link", follow_redirects=True)
    assert "The old link no longer works" in response.text
    new_https, _ = shown_links(response.text)
    assert new_https != https
    assert client.get(f"/feed/{token}.ics").status_code == 404
    new_token = new_https.rsplit("/", 1)[1].removesuffix(".ics")
    assert client.get(f"/feed/{new_token}.ics").status_code == 200

    response = client.post("/calendar/revoke", follow_redirects=True)
    assert "Link turned off" in response.text and shown_links(response.text) == []
    assert client.get(f"/feed/{new_token}.ics").status_code == 404


def test_last_fetch_and_client_are_shown(client, logged_in):
    token = tokens.issue(logged_in)
    client.get(f"/feed/{token}.ics", headers={"User-Agent": "Google-Calendar-Importer"})
    page = client.get("/calendar/").text
    assert "Last fetched" in page and "Google-Calendar-Importer" in page


def test_feed_settings_are_saved(client, logged_in):
    assert client.post("/calendar/settings", data={"feed_alarms": "y", "discreet_titles": "y"}).status_code == 302
    db.session.refresh(logged_in)
    assert logged_in.feed_alarms and logged_in.discreet_titles
    client.post("/calendar/settings", data={})
    db.session.refresh(logged_in)
    assert not logged_in.feed_alarms and not logged_in.discreet_titles


def test_a_page_never_shows_another_users_link(client, factory, auth):
    other = factory.user(email="other@example.com")
    theirs = tokens.issue(other)
    me = factory.user(email="me@example.com")
    auth.login(me.email)
    client.post("/calendar/link")
    page = client.get("/calendar/").text
    assert theirs not in page and len(shown_links(page)) == 2


def test_a_link_cut_by_a_new_secret_key_is_explained(app, client, logged_in):
    tokens.issue(logged_in)
    original = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "a rotated key"
    try:
        auth_page = client.get("/calendar/")
        # a new secret key also ends the session: log in again, then the page explains the link
        if auth_page.status_code == 302:
            client.post("/login", data={"email": logged_in.email, "password": "correct horse battery"})
            auth_page = client.get("/calendar/")
        assert "secret key changed" in auth_page.text and shown_links(auth_page.text) == []
    finally:
        app.config["SECRET_KEY"] = original
