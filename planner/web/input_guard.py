"""Input no form of Afterglow takes, refused with a reason before any view sees it.

* Files: no form has a file field, yet Flask-WTF hands an uploaded file to a text field as a
  FileStorage object, which the form code would treat as text.
* NUL characters in form fields and query parameters: PostgreSQL text cannot hold them (the
  insert fails), and no person types one. (A path with one simply matches nothing, or carries a
  token that fails its signature check: the usual 404, which must not differ for a feed token.)

Both answer 400 with a sentence saying what to change.
"""

from __future__ import annotations

from flask import Flask, abort, request


def init_app(app: Flask) -> None:
    app.before_request(refuse_unusable_input)


def refuse_unusable_input() -> None:
    if request.method in ("POST", "PUT", "PATCH") and request.files:
        abort(400, "This form takes text only, not files. Paste the text into the field instead.")
    if _has_nul(request.args) or (request.method != "GET" and _has_nul(request.form)):
        abort(400, "The text you sent contains a NUL character, which no field accepts. Remove it and try again.")


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values)
