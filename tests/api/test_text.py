"""/v1/text/normalize and /v1/text/phonemes: the engine's front end on its own."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_normalize(client: TestClient) -> None:
    response = client.post("/v1/text/normalize", json={"text": "I paid $5 on 3/4."})
    assert response.status_code == 200
    assert "five dollars" in response.json()["text"]


def test_phonemes_map_every_word_back_to_the_input(client: TestClient) -> None:
    text = "Hello world, I paid $5."
    body = client.post("/v1/text/phonemes", json={"text": text}).json()
    assert body["normalized"].startswith("hello world")
    words = body["words"]
    assert [w["spoken"] for w in words] == ["hello", "world", "i", "paid", "five", "dollars"]
    assert words[0]["phonemes"] == "HH AH0 L OW1"
    for word in words:
        assert text[word["text_start"] : word["text_end"]] == word["word"]
    assert words[-1]["word"] == "$5"  # "five dollars" both point at what was written
    assert "," in body["phonemes"].split() and body["phonemes"].split()[-1] == "."


def test_lexicon_overrides_pronunciation(client: TestClient) -> None:
    body = {"text": "tomato", "lexicon": {"tomato": "T AH0 M AA1 T OW2"}}
    words = client.post("/v1/text/phonemes", json=body).json()["words"]
    assert words[0]["phonemes"] == "T AH0 M AA1 T OW2"


def test_errors(client: TestClient, override) -> None:
    assert client.post("/v1/text/normalize", json={"text": ""}).status_code == 422
    assert client.post("/v1/text/normalize", json={"txt": "a"}).status_code == 422
    bad_lexicon = client.post("/v1/text/phonemes", json={"text": "a", "lexicon": {"a": "QQ"}})
    assert bad_lexicon.status_code == 422 and bad_lexicon.json()["error"]["param"] == "lexicon"
    with override(max_text_chars=10):
        assert client.post("/v1/text/phonemes", json={"text": "x" * 11}).status_code == 413
