"""Lower-case initialisms: a word of three to six letters without a vowel letter is spelled ("npm", "ssh"),
unless it is an interjection or unit; a known initialism opening a code span is spelled ("`aws ...`"); chat
shorthand reads what it stands for."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize

LOWER_INITIALISMS = [
    ("Run `pnpm dev` to start.", "run P N P M dev to start."),
    ("Try `npx prisma migrate`.", "try N P X prisma migrate."),
    ("Connect with ssh first.", "connect with S S H first."),
    ("Compile it with gcc.", "compile it with G C C."),
    ("Open the html and css files.", "open the H T M L and C S S files."),
    ("Install nvm, then node.", "install N V M, then node."),
    ("Call `aws s3 cp` for that.", "call A W S S three cp for that."),
    ("Set `api` to true.", "set A P I to true."),
    ("Use the api wisely.", "use the api wisely."),
    ("Hmm, that is odd.", "hmm, that is odd."),
    ("Shh, the baby is asleep.", "shh, the baby is asleep."),
    ("For the nth time, no.", "for the nth time, no."),
    ("Use `ls` to list files.", "use ls to list files."),
    ("thx, see you there", "thanks, see you there"),
    ("pls send the doc", "please send the doc"),
    ("Check the src folder.", "check the source folder."),
]


@pytest.mark.parametrize(("text", "expected"), LOWER_INITIALISMS, ids=[repr(c[0])[:60] for c in LOWER_INITIALISMS])
def test_lower_initialism_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected
