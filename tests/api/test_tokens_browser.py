"""A person makes an API token in a real browser, uses it, and revokes it; the reference page reads well."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot, sign_up

pytestmark = pytest.mark.browser


def test_create_use_and_revoke_a_token(page, live_server):
    sign_up(page, live_server)
    page.goto("/settings/tokens/")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    page.get_by_label("Name").fill("Clinic calendar sync")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Create token").click()
    shown = page.get_by_test_id("new-token")
    expect(shown).to_have_text(re.compile(r"^agw_[A-Za-z0-9_-]{43}$"))
    token = shown.inner_text()
    expect(page.get_by_role("cell", name="Clinic calendar sync")).to_be_visible()
    screenshot(page, "api-tokens-created")

    answer = page.request.get(f"{live_server.url}/api/v1/profile", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.json()["timezone"] == "Europe/Berlin"
    created = page.request.post(f"{live_server.url}/api/v1/procedures", headers={"Authorization": f"Bearer {token}"},
                                data={"kind": "microneedling", "performed_on": "2026-03-12"})
    assert created.status == 201, created.text()

    page.goto("/settings/tokens/")
    expect(page.get_by_test_id("new-token")).to_have_count(0)  # shown once, in the answer to the POST only
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token revoked.")).to_be_visible()
    refused = page.request.get(f"{live_server.url}/api/v1/profile", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401 and refused.headers["content-type"] == "application/problem+json"


def test_reference_page_lists_operations_and_schemas(page):
    page.goto("/api/v1/docs")
    expect(page.get_by_role("heading", name="Afterglow API", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/procedures — Record a procedure")).to_be_visible()
    page.get_by_role("link", name="ProcedureIn").first.click()
    expect(page.locator("#schema-ProcedureIn")).to_be_in_viewport()
    screenshot(page, "api-reference")
