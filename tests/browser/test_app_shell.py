"""The installable app in chromium: manifest and icons, the plan offline (marked as such), marks
made offline sent when the network is back, and the push subscribe flow as far as it goes here."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from planner.extensions import db
from planner.storage.models import AdherenceMark, Product, PushSubscription, User
from tests.support.browser import sign_up
from tests.support.push_service import PushService

pytestmark = pytest.mark.browser
SERUM = "Aqua, Glycerin, Rose Callus Culture Exosomes, Sodium Hyaluronate"


def with_serum(live_server, email: str) -> int:
    with live_server.app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.add(Product(user_id=user.id, name="Glow Exosome Serum", ingredients=SERUM, exosome_source="plant"))
        db.session.commit()
        return user.id


def marks_of(live_server, user_id: int) -> list[tuple[str, str]]:
    with live_server.app.app_context():
        return [(m.step_key, m.status) for m in db.session.scalars(sa.select(AdherenceMark).where(AdherenceMark.user_id == user_id))]


def test_manifest_and_icons_make_it_installable(page, live_server):
    page.goto("/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(href)
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["display"] == "standalone" and data["start_url"] == "/plan/"
    sizes = {icon["sizes"] for icon in data["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in data["icons"]:
        response = page.request.get(icon["src"])
        assert response.ok and response.headers["content-type"].split(";")[0] == icon["type"]
        if icon["type"] == "image/png":
            assert response.body()[:8] == b"\x89PNG\r\n\x1a\n"
    worker = page.request.get("/sw.js")
    assert worker.ok and "javascript" in worker.headers["content-type"]
    assert worker.headers["service-worker-allowed"] == "/"


def test_the_plan_offline_and_marks_queued_until_the_network_is_back(page, live_server):
    email = sign_up(page, live_server)
    user_id = with_serum(live_server, email)
    page.goto("/plan/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.reload()  # now through the worker, which keeps a copy
    expect(page.locator("text=Glow Exosome Serum >> visible=true").first).to_be_visible()
    expect(page.locator(".offline-notice")).to_have_count(0)

    page.context.set_offline(True)
    page.reload()
    notice = page.locator(".offline-notice")
    expect(notice).to_contain_text("Offline: your plan as last fetched on")
    expect(page.locator("text=Glow Exosome Serum >> visible=true").first).to_be_visible()

    page.get_by_role("button", name=re.compile(r"^Done: Glow Exosome Serum")).first.click()
    expect(page.locator(".offline-notice")).to_contain_text("1 mark saved on this device, sent when you are back online.")
    assert marks_of(live_server, user_id) == []  # nothing reached the server

    page.context.set_offline(False)
    page.reload()
    expect(page.locator(".offline-notice")).to_have_count(0)
    expect(page.locator(".status-done >> visible=true").first).to_be_visible()
    assert marks_of(live_server, user_id) == [("serum", "done")]
    page.reload()  # sent once: the queue is empty now
    assert marks_of(live_server, user_id) == [("serum", "done")]


def test_logging_out_forgets_the_offline_copy(page, live_server):
    email = sign_up(page, live_server)
    with_serum(live_server, email)
    page.goto("/plan/")
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")
    page.reload()
    assert page.evaluate("caches.open('afterglow-pages-v1').then(c => c.keys()).then(k => k.length)") >= 1
    page.get_by_role("button", name="Log out").click()
    page.wait_for_function("caches.open('afterglow-pages-v1').then(c => c.keys()).then(k => k.length === 0)")


def test_push_subscribe_flow_as_far_as_it_goes_without_a_push_service(page, live_server):
    sign_up(page, live_server)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/push/" in r.url else None)
    page.goto("/settings/profile")
    expect(page.get_by_text("Notifications are off.")).to_be_visible()
    page.get_by_role("button", name="Turn on notifications here").click()
    status = page.locator("#push-status")
    # chromium here has no push service to reach: the flow stops at subscribe(), and says so
    expect(status).to_have_text("Your browser could not reach its push service, so notifications cannot be turned on here.", timeout=20_000)
    assert any(url.endswith("/push/key") for url in asked)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)").endswith("/sw.js")

    # The rest of the flow, with the subscription a browser would have made: the page's own
    # script posts it with the CSRF token to the live server, and push is on.
    with PushService() as service:
        subscription = service.browser("chromium").subscription_json()
        result = page.evaluate("""async (subscription) => {
            const box = document.getElementById('push-settings');
            const response = await fetch(box.dataset.subscribeUrl, {method: 'POST', credentials: 'same-origin',
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': box.dataset.csrf},
                body: JSON.stringify(subscription)});
            return [response.status, await response.json()];
        }""", subscription)
    assert result[0] == 201 and result[1]["message"] == "Notifications are on for this device."
    with live_server.app.app_context():
        stored = db.session.scalar(sa.select(PushSubscription).where(PushSubscription.endpoint == subscription["endpoint"]))
        assert stored is not None and stored.auth == subscription["keys"]["auth"]
