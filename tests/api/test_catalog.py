"""GET /api/gates, /api/examples, /api/health, the OpenAPI document and the static front end."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import MakeClient

CONTRACT_GATES = {
    "input", "const", "add", "sub", "mul", "div", "neg", "max", "min", "pow", "exp", "log",
    "inv", "add_const", "mul_const", "sigmoid", "tanh", "relu", "matmul", "sum",
}  # fmt: skip


def test_list_gates_covers_every_contract_gate(client: TestClient) -> None:
    gates = client.get("/api/gates").json()["gates"]
    assert {gate["op"] for gate in gates} >= CONTRACT_GATES


def test_list_gates_describes_each_gate(client: TestClient) -> None:
    for gate in client.get("/api/gates").json()["gates"]:
        assert {"op", "arity", "params", "forward", "local_gradient", "pattern"} <= gate.keys()


def test_list_examples_includes_the_notes_circuits(client: TestClient) -> None:
    examples = client.get("/api/examples").json()["examples"]
    titles = " ".join(example["title"].lower() for example in examples)
    assert len(examples) >= 7
    assert "neuron" in titles and "max" in titles


def test_every_example_evaluates(client: TestClient) -> None:
    for example in client.get("/api/examples").json()["examples"]:
        response = client.post("/api/evaluate", json=example["circuit"])
        assert response.status_code == 200, (example["id"], response.text)


def test_read_health_says_ok(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert isinstance(body["version"], str)


def test_openapi_documents_request_bodies_with_examples(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    body = document["paths"]["/api/evaluate"]["post"]["requestBody"]["content"]
    examples = body["application/json"]["examples"].keys()
    assert {"notes", "matmul", "bias", "expression", "seeded"} <= examples
    assert {"Circuit", "Node", "ExpressionRequest"} <= document["components"]["schemas"].keys()


@pytest.mark.parametrize(
    "path", ["/api/evaluate", "/api/codegen", "/api/parse", "/api/gradcheck", "/api/sweep"]
)
def test_openapi_examples_are_accepted(client: TestClient, path: str) -> None:
    document = client.get("/openapi.json").json()
    content = document["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    for name, example in content["examples"].items():
        response = client.post(path, json=example["value"])
        assert response.status_code == 200, (name, response.text)


def test_schema_refuses_empty_nodes_and_expression_as_the_server_does(
    client: TestClient,
) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["Circuit"]["properties"]["nodes"]["minItems"] == 1
    assert schemas["ExpressionRequest"]["properties"]["expression"]["minLength"] == 1
    for path in ("/api/evaluate", "/api/codegen", "/api/parse", "/api/gradcheck", "/api/sweep"):
        for body in ({"nodes": []}, {"expression": ""}):
            assert client.post(path, json=body).status_code == 422, (path, body)


@pytest.mark.parametrize(
    "path", ["/api/evaluate", "/api/codegen", "/api/parse", "/api/gradcheck", "/api/sweep"]
)
def test_openapi_lists_each_refusal_with_an_example(client: TestClient, path: str) -> None:
    responses = client.get("/openapi.json").json()["paths"][path]["post"]["responses"]
    assert {"200", "408", "413", "415", "422"} <= responses.keys()
    for status in ("408", "413", "415", "422"):
        content = responses[status]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
        assert content["example"]["detail"][0]["msg"]


def test_openapi_gives_every_answer_a_schema(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            success = next(code for code in operation["responses"] if code.startswith("2"))
            content = operation["responses"][success]["content"]["application/json"]
            ref = content["schema"]["$ref"]
            model = schemas[ref.rsplit("/", 1)[1]]
            assert model["properties"], (method, path)


def test_docs_page_is_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200


def test_responses_carry_security_headers(client: TestClient) -> None:
    headers = client.get("/api/health").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_static_dir_is_served_at_root(make_client: MakeClient, tmp_path: Path) -> None:
    static = tmp_path
    (static / "index.html").write_text("<!doctype html><title>circuits</title>")
    client = make_client(static_dir=static)
    response = client.get("/")
    assert response.status_code == 200
    assert "<title>circuits</title>" in response.text
    assert client.get("/api/health").status_code == 200


def test_unknown_api_path_is_404(client: TestClient) -> None:
    assert client.get("/api/nothing-here").status_code == 404


def test_list_gates_gives_the_front_end_every_fact_it_needs(client: TestClient) -> None:
    gates = {gate["op"]: gate for gate in client.get("/api/gates").json()["gates"]}
    assert {"leaf", "defaults", "function", "display"} <= gates["add"].keys()
    assert (gates["pow"]["display"], gates["pow"]["defaults"]) == ("^{p}", {"p": 2})
    assert (gates["const"]["leaf"], gates["sum"]["function"]) == (True, "sum")


def test_openapi_lists_every_function_the_gate_table_has(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    described = schemas["ExpressionRequest"]["properties"]["expression"]["description"]
    functions = [g["function"] for g in client.get("/api/gates").json()["gates"] if g["function"]]
    assert len(functions) >= 8
    for name in functions:
        assert f"{name}(" in described
    assert "sum(x, ...)" in described and "max(x, y)" in described
