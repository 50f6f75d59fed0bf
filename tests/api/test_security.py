"""API keys on HTTP, CORS, and the web page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api import create_app
from app.settings import Settings


def test_api_keys_on_http(client: TestClient, override) -> None:
    body = {"text": "Hi.", "format": "pcm"}
    with override(api_keys=["sk-one", "sk-two"]):
        missing = client.post("/v1/tts", json=body)
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
        assert missing.json()["error"] == {
            "message": "invalid or missing API key",
            "type": "authentication_error",
            "param": None,
            "code": "invalid_api_key",
        }
        assert client.post("/v1/tts", json=body, headers={"Authorization": "Bearer sk-wrong"}).status_code == 401
        assert client.post("/v1/tts", json=body, headers={"Authorization": "Bearer sk-two"}).status_code == 200
        assert client.post("/v1/tts", json=body, headers={"X-API-Key": "sk-one"}).status_code == 200
        assert client.get("/v1/models").status_code == 401
        assert client.post("/v1/text/normalize", json={"text": "a"}).status_code == 401
        # probes, scrapers and the page itself need no key
        for path in ("/health", "/ready", "/metrics", "/"):
            assert client.get(path).status_code == 200, path
    assert client.post("/v1/tts", json=body).status_code == 200  # off again when the list is empty


def test_cors_preflight(engine) -> None:
    app = create_app(Settings(cors_origins=["https://app.example"], allowed_hosts=["testserver"]), engine)
    client = TestClient(app)  # a preflight never reaches the engine: no lifespan needed
    preflight = client.options(
        "/v1/tts",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    other = client.options(
        "/v1/tts", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in other.headers


def test_web_page_and_script(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/static/app.js" in page.text
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "/v1/stream" in script.text
