from __future__ import annotations

import pytest

from app.text.g2p import G2P, PosTagger


@pytest.fixture(scope="session")
def g2p() -> G2P:
    return G2P(tagger=PosTagger())
