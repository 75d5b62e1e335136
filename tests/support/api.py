"""Helpers for the API tests: a client that sends a bearer token, and a check of problem answers."""

from __future__ import annotations


class ApiClient:
    """The test client with a bearer token on every request."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.token = token

    def _headers(self, headers: dict | None) -> dict:
        found = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**found, **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def put(self, url, json=None, headers=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(headers), **kw)

    def delete(self, url, headers=None, **kw):
        return self.client.delete(url, headers=self._headers(headers), **kw)


def assert_problem(response, status: int) -> dict:
    """The answer is an RFC 9457 problem with this status, and a detail a person can act on."""
    assert response.status_code == status, response.text
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status and body["title"] and body["detail"]
    return body
