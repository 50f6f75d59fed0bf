"""/health, /ready and /metrics."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.api import create_app
from app.settings import Settings


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_loaded_and_warm(client: TestClient, engine) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready" and response.json()["voices"] == sorted(engine.voices)


def test_not_ready_before_startup_and_requests_get_503(settings: Settings, engine) -> None:
    app = create_app(settings, engine)
    bare = TestClient(app)  # no `with`: the lifespan (engine warm-up) has not run
    assert bare.get("/health").status_code == 200
    response = bare.get("/ready")
    assert response.status_code == 503 and response.json()["status"] == "loading"
    busy = bare.post("/v1/tts", json={"text": "Hi"})
    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert busy.json()["error"]["code"] == "not_ready"


def test_failed_loading_is_reported_and_the_server_stays_up(tmp_path: Path) -> None:
    settings = Settings(voices_dir=tmp_path / "no-voices", allowed_hosts=["testserver"])
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 60
        while (body := client.get("/ready").json())["status"] == "loading":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert body["status"] == "failed" and "no-voices" in body["detail"]
        assert client.get("/ready").status_code == 503
        assert client.get("/health").status_code == 200


def metric_values(client: TestClient) -> dict[str, float]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    values: dict[str, float] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()) if k != "le")
            if "le" not in sample.labels:
                values[f"{sample.name}{{{labels}}}"] = sample.value
    return values


def test_metrics(client: TestClient) -> None:
    before = metric_values(client)
    assert client.post("/v1/tts", json={"text": "Counting metrics."}).status_code == 200
    assert client.post("/v1/tts", json={"text": "Hi", "speed": 99}).status_code == 422
    after = metric_values(client)
    first_chunks = "tts_time_to_first_chunk_seconds_count{endpoint=tts}"
    assert after[first_chunks] == before.get(first_chunks, 0) + 1
    assert after["tts_real_time_factor_count{endpoint=tts}"] >= 1
    errors = "tts_errors_total{kind=validation_error}"
    assert after[errors] == before.get(errors, 0) + 1
    for gauge in ("tts_engine_queue_depth{}", "tts_engine_active_streams{}", "tts_websocket_connections{}"):
        assert gauge in after, sorted(after)  # exported, so a dashboard finds them
