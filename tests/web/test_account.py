"""Forgotten passwords by email, and deleting an account with everything in it, for good."""

from __future__ import annotations

import sqlalchemy as sa

from planner.extensions import db
from planner.links import Links
from planner.storage.models import AdherenceMark, FeedToken, Procedure, Product, User
from tests.support.app import PASSWORD
from tests.support.accounts import delivered, html_of, link_path, sign_up, smtp_config, text_of


def test_password_reset_by_email_works_once(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    response = client.post("/password/forgot", data={"email": "ADA@example.com"})
    assert response.status_code == 302
    [received] = delivered(app, smtp_server)
    path = link_path(received, "/password/reset/")
    assert f'href="http://afterglow.test{path}"' in html_of(received) and "60 minutes" in html_of(received)
    assert received.rcpt_tos == ["ada@example.com"]

    assert "Choose a new password" in client.get(path).text
    response = client.post(path, data={"password": "short", "confirm": "short"})
    assert "Use 10 to 200 characters" in response.text
    response = client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password("a brand new password")
    # The link dies with the password it was made for.
    assert client.get(path).status_code == 404


def test_a_reset_link_confirms_an_unconfirmed_address(app, client, smtp_server):
    app.config.update(smtp_config(smtp_server))
    sign_up(client, email="lost@example.com")
    delivered(app, smtp_server)
    smtp_server.clear()
    client.post("/password/forgot", data={"email": "lost@example.com"})
    path = link_path(delivered(app, smtp_server)[0], "/password/reset/")
    assert client.post(path, data={"password": "a brand new password", "confirm": "a brand new password"}).status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "lost@example.com"))
    db.session.refresh(user)
    assert user.email_verified_at is not None and client.get("/plan/").status_code == 200


def test_reset_request_reveals_nothing_about_unknown_addresses(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    known = client.post("/password/forgot", data={"email": user.email}, follow_redirects=True).text
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True).text
    assert "If an account uses that address" in known and "If an account uses that address" in unknown
    assert [m.rcpt_tos for m in delivered(app, smtp_server)] == [["ada@example.com"]]


def test_at_most_three_account_emails_per_address_and_hour(app, client, user, smtp_server):
    app.config.update(smtp_config(smtp_server))
    for _ in range(3):
        assert client.post("/password/forgot", data={"email": user.email}).status_code == 302
    response = client.post("/password/forgot", data={"email": user.email})
    assert response.status_code == 429 and "Too many requests for this address" in response.text
    assert int(response.headers["Retry-After"]) > 60
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"})
    assert unknown.status_code == 302  # counted per address: the other address is untouched
    sign_up(client, email=user.email)  # a sign-up attempt would email the owner too: not now
    assert len(delivered(app, smtp_server)) == 3


def test_tampered_reset_link_is_refused(client, user):
    assert client.get("/password/reset/not-a-token").status_code == 404
    assert client.post("/password/reset/not-a-token", data={"password": "x" * 12, "confirm": "x" * 12}).status_code == 404
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_delete_account_removes_everything_and_only_that(client, logged_in, factory):
    other = factory.user(email="bob@example.com")
    factory.product(other)
    factory.procedure(logged_in)
    factory.product(logged_in)
    client.post("/plan/day/2026-03-12/mark", data={"step": "serum", "status": "done"})
    client.post("/calendar/link")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AdherenceMark)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1
    response = client.post("/account/delete", data={"password": "wrong", "understood": "y"})
    assert "not your password" in response.text
    response = client.post("/account/delete", data={"password": PASSWORD})
    assert "Tick the box" in response.text
    assert db.session.get(User, logged_in.id) is not None

    response = client.post("/account/delete", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(User.email)) == "bob@example.com"
    for model in (Procedure, AdherenceMark, FeedToken):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0, model
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Product)) == 1
    assert client.get("/plan/").status_code == 302  # logged out


def test_ids_of_deleted_rows_are_never_handed_out_again(app, factory):
    """SQLite reuses the highest INTEGER PRIMARY KEY after a delete, unless the table is AUTOINCREMENT."""
    for model, make in ((User, lambda: factory.user()),
                        (Procedure, lambda: factory.procedure(keeper)),
                        (Product, lambda: factory.product(keeper))):
        keeper = factory.user() if model is not User else None
        first = make()
        first_id = first.id
        db.session.delete(first)
        db.session.commit()
        assert make().id != first_id, model.__tablename__


def test_a_deleted_accounts_cookie_and_links_never_open_the_next_account(app, client, logged_in, factory):
    """The deleted user's cookie and signed links stay dead, whatever id the next account gets."""
    links = Links.for_app(app)
    old_cookie = client.get_cookie("session").value
    old_unsubscribe = links.unsubscribe_token(logged_in.id, logged_in.account_key)
    old_id, old_key = logged_in.id, logged_in.account_key
    assert client.post("/account/delete", data={"password": PASSWORD, "understood": "y"}).status_code == 302

    successor = factory.user(email="successor@example.com")
    if successor.id != old_id:  # ids are never reused (see above); make the worst case happen anyway
        db.session.execute(sa.update(User).where(User.id == successor.id).values(id=old_id))
        db.session.commit()
        db.session.expire_all()
        successor = db.session.get(User, old_id)
    assert successor.account_key != old_key

    stranger = app.test_client()
    stranger.set_cookie("session", old_cookie)
    response = stranger.get("/products/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = stranger.post(f"/email/unsubscribe/{old_unsubscribe}")
    assert response.status_code == 404 and "no longer exists" in response.text
    db.session.expire_all()
    assert db.session.get(User, old_id).email_unsubscribed_at is None


def test_deleting_a_product_deletes_its_marks(client, logged_in, factory):
    product = factory.product(logged_in, name="Night cream")
    db.session.add_all([
        AdherenceMark(user_id=logged_in.id, local_day=product.cadence_anchor, step_key=f"product:{product.id}", status="done"),
        AdherenceMark(user_id=logged_in.id, local_day=product.cadence_anchor, step_key="serum", status="done"),
    ])
    db.session.commit()
    assert client.post(f"/products/{product.id}/delete").status_code == 302
    keys = db.session.scalars(sa.select(AdherenceMark.step_key)).all()
    assert keys == ["serum"]


def test_account_emails_go_out_off_the_request_path(app, client, user):
    """The answer comes while the mail server still holds the message: sending is not part of the request."""
    import threading

    from tests.support.services import free_port
    from tests.support.smtp import GatedSink

    with GatedSink(free_port(), hold_at=0) as sink:
        app.config.update(smtp_config(sink))
        answered, email = [], user.email
        request = threading.Thread(target=lambda: answered.append(client.post("/password/forgot", data={"email": email})))
        request.start()
        assert sink.handler.holding.wait(30)  # the server has the message and does not answer yet
        request.join(30)
        assert answered and answered[0].status_code == 302  # … and the person already has the page
        assert sink.messages == []
        sink.handler.release.set()
        [received] = delivered(app, sink)
        assert received.rcpt_tos == [email] and "/password/reset/" in text_of(received)
