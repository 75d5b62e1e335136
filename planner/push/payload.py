"""What a push notification says: the email's subject and preview, and the email's own links.

The payload is encrypted for the browser (RFC 8291), but a lock screen shows the title and the
body to anyone nearby: with discreet titles on, the subject and preview name no procedure,
product or clinic (reminders.content makes them so), and the payload carries nothing else about
the plan. Actions are the same signed links as the email's, so a tap needs no login.
"""

from __future__ import annotations

import json

from planner.mail.compose import Content

#: Push services accept about 4 KB of encrypted payload; ours stays far below.
MAX_BYTES = 3000


def build(content: Content, urls: dict[str, str | None], *, tag: str) -> bytes:
    """The JSON the service worker (static/sw.js) turns into a notification."""
    actions = [{"action": name, "title": title, "url": urls[key]} for name, title, key in (
        ("done", "All done", "done_url"), ("snooze", "In 1 hour", "snooze_hour_url"))
        if urls.get(key)]
    data = {
        "title": content.subject,
        "body": content.values.get("preview", ""),
        "url": urls["plan_url"],
        "tag": tag,
        "actions": actions,
        "links": {key[:-4]: url for key, url in urls.items() if url and key.endswith("_url")},
    }
    encoded = json.dumps(data, separators=(",", ":")).encode("utf-8")
    if len(encoded) > MAX_BYTES:  # never: subjects and previews are short; keep the essentials if so
        encoded = json.dumps({k: data[k] for k in ("title", "body", "url", "tag")}).encode("utf-8")
    return encoded
