"""/api/v1/feed-link: the private calendar link, read, regenerated and turned off (planner.feed.tokens)."""

from __future__ import annotations

from spectree import Response

from planner.api import auth
from planner.api.blueprint import bp
from planner.api.http import no_content
from planner.api.problems import ApiProblem
from planner.api.schemas.common import Problem
from planner.api.schemas.feed import FeedLink
from planner.api.spec import spec
from planner.feed import tokens
from planner.storage.models import User

TAGS = ("Calendar feed",)


def feed_link_out(user: User) -> FeedLink | None:
    """The working link, or None (none yet, turned off, or cut by a new secret key)."""
    token = tokens.current_token(user)
    if token is None:
        return None
    row = tokens.token_row(user)
    url, webcal = tokens.feed_links(token)
    return FeedLink(url=url, webcal_url=webcal, created_at=row.created_at, last_fetched_at=row.last_fetched_at,
                    fetch_count=row.fetch_count)


@bp.get("/feed-link")
@spec.validate(resp=Response(HTTP_200=FeedLink, HTTP_404=(Problem, "There is no link.")), tags=TAGS,
               operation_id="getFeedLink")
def get_feed_link():
    """The private calendar feed link

    404 when there is none (never made, or turned off).
    """
    link = feed_link_out(auth.current())
    if link is None:
        raise ApiProblem(404, "You have no calendar link. POST to this address to make one.")
    return link, 200, {"Cache-Control": "no-store"}


@bp.post("/feed-link")
@spec.validate(resp=Response(HTTP_201=FeedLink), tags=TAGS, operation_id="createFeedLink")
def create_feed_link():
    """Make (or replace) the calendar feed link

    The old link stops working at once: calendar apps subscribed to it must be given the new one.
    """
    user = auth.current()
    tokens.issue(user)
    return feed_link_out(user), 201, {"Cache-Control": "no-store"}


@bp.delete("/feed-link")
@spec.validate(resp=Response("HTTP_204"), tags=TAGS, operation_id="deleteFeedLink")
def delete_feed_link():
    """Turn the calendar feed link off"""
    tokens.revoke(auth.current())
    return no_content()
