"""The OpenAPI document: valid 3.1, made from the schemas the views use, and its reference page."""

from __future__ import annotations

from openapi_spec_validator import validate

from planner.api.schemas.procedures import ProcedureIn

#: Every action of the pages but account management, by operationId.
OPERATIONS = {
    "listProcedures", "createProcedure", "getProcedure", "replaceProcedure", "deleteProcedure", "listCheckIns", "createCheckIn",
    "listProducts", "createProduct", "getProduct", "replaceProduct", "deleteProduct",
    "getProfile", "replaceProfile", "getPlan", "markStep", "clearMark",
    "listProcedureKinds", "getProcedureKind", "getFeedLink", "createFeedLink", "deleteFeedLink", "exportData",
}


def test_document_is_valid_openapi_3_1_and_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["openapi"] == "3.1.0"
    validate(doc)
    found = {op["operationId"] for item in doc["paths"].values() for op in item.values()}
    assert found == OPERATIONS


def test_request_schemas_are_the_validating_models(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = doc["components"]["schemas"]["ProcedureIn"]
    assert set(documented["properties"]) == set(ProcedureIn.model_fields)
    assert documented["additionalProperties"] is False
    post = doc["paths"]["/api/v1/procedures"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ProcedureIn"}
    assert post["responses"]["422"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")


def test_writes_document_if_match_and_412_and_links_follow_created_resources(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    put = doc["paths"]["/api/v1/procedures/{procedure_id}"]["put"]
    assert any(p["name"] == "If-Match" and p["in"] == "header" for p in put["parameters"])
    assert "412" in put["responses"]
    links = doc["paths"]["/api/v1/procedures"]["post"]["responses"]["201"]["links"]
    assert links["GetProcedure"] == {"operationId": "getProcedure", "parameters": {"procedure_id": "$response.body#/id"}}
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_reference_page_is_served_by_the_app_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.text
    assert "POST /api/v1/procedures" in page and "Record a procedure" in page
    assert 'id="schema-ProcedureIn"' in page and "performed_on" in page
    assert "<script src=\"http" not in page and "cdn" not in page.lower()
