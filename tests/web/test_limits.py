"""Request size limits: a huge body is refused with a 413 page before it is parsed, while the
largest real form (a 20,000-character ingredient list) still goes through."""

from __future__ import annotations

import io

from planner.storage.models import Product
from planner.web.products import MAX_INGREDIENTS_CHARS
from tests.web.test_records import product_form


def test_the_limits_are_configured(app):
    assert 100_000 < app.config["MAX_FORM_MEMORY_SIZE"] <= app.config["MAX_CONTENT_LENGTH"] <= 1024 * 1024


def test_an_oversized_anonymous_post_answers_413_with_a_page(client):
    response = client.post("/login", data={"email": "a@example.com", "password": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Too much at once" in response.text and "at most 512 KB" in response.text
    assert "paste only the ingredients" in response.text


def test_an_oversized_multipart_field_answers_413(client, logged_in):
    big = "a" * (300 * 1024)  # under MAX_CONTENT_LENGTH, over MAX_FORM_MEMORY_SIZE
    response = client.post("/products/new", data=product_form(ingredients=big), content_type="multipart/form-data")
    assert response.status_code == 413 and "Too much at once" in response.text


def test_the_longest_ingredient_list_in_four_byte_characters_still_saves(client, logged_in):
    ingredients = "𝒜" * MAX_INGREDIENTS_CHARS  # 80 KB of UTF-8, 240 KB URL-encoded
    response = client.post("/products/new", data=product_form(ingredients=ingredients))
    assert response.status_code == 302, response.text[:500]
    product = Product.query.filter_by(user_id=logged_in.id).one()
    assert len(product.ingredients) == MAX_INGREDIENTS_CHARS


def test_a_file_sent_in_a_text_field_is_refused_with_a_reason(client, logged_in):
    data = product_form()
    data["name"] = (io.BytesIO(b"Retinol serum"), "name.txt")
    response = client.post("/products/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "takes text only, not files" in response.text
    assert Product.query.count() == 0
