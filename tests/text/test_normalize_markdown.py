"""Markdown in LLM replies: links, images, footnotes, citations, tables, lists, fences (markdown pre-pass)."""

from __future__ import annotations

import pytest

from app.text.normalize import normalize, normalize_tokens

MARKDOWN = [
    ("Read [the migration guide](https://docs.example.org/migrate) first.", "read the migration guide first."),
    ("See [MDN](https://developer.mozilla.org/en-US/docs/Web) for more.", "see M D N for more."),
    ("The [docs](https://x.io/a/b?c=d&e=f) explain it.", "the docs explain it."),
    ('Open [the dashboard](https://app.example.com "Dashboard") now.', "open the dashboard now."),
    ("[Click here](https://example.com) to sign up.", "click here to sign up."),
    ("Both [one](https://a.com) and [two](https://b.com) work.", "both one and two work."),
    ("![Bar chart of monthly sales](charts/sales.png)", "bar chart of monthly sales"),
    ("Here is a photo: ![A red fox in snow](fox.jpg)", "here is a photo: a red fox in snow"),
    ("See the [style guide][1] for naming.\n\n[1]: https://example.com/style", "see the style guide for naming."),
    ("This is well documented.[^2]", "this is well documented."),
    ("Sleep matters[^note] for memory.", "sleep matters for memory."),
    ("[^2]: Smith et al. reported this.", "footnote two: smith et al. reported this."),
    ("Studies show[3] that walking helps.", "studies show that walking helps."),
    ("This was confirmed[1][4].", "this was confirmed."),
    ("| Name | Age |\n|------|-----|\n| Ana | 34 |", "name, age. ana, thirty four"),
    (
        "| Feature | Free | Pro |\n|:--|:-:|--:|\n| Storage | 5 GB | 1 TB |",
        "feature, free, pro. storage, five gigabytes, one terabyte",
    ),
    # a cell's pause sits on its last word as in prose, so a weekday that is also a word reads before a time
    (
        "| Day | Open |\n|---|---|\n| Fri | 9-5 |\n| Sat | 10-2 |",
        "day, open. friday, nine to five. saturday, ten to two",
    ),
    ("| a |  | b |", "a, b"),
    ("- Eggs\n- Milk\n- Bread", "eggs. milk. bread"),
    ("* First point\n* Second point", "first point. second point"),
    ("+ Apples\n+ Pears", "apples. pears"),
    ("- [x] Write tests\n- [ ] Ship it", "write tests. ship it"),
    ("> Simplicity is the soul of efficiency.", "simplicity is the soul of efficiency."),
    ("```bash\nls -la\n```", "ls dash la."),
    ("## Getting started\nInstall the app.", "getting started. install the app."),
    ("Use **bold** and _italic_ sparingly.", "use bold and italic sparingly."),
    ("Run `make test` before pushing.", "run make test before pushing."),
    ("The value of `x` is 5.", "the value of x is five."),
]


@pytest.mark.parametrize(("text", "expected"), MARKDOWN, ids=[repr(c[0])[:60] for c in MARKDOWN])
def test_markdown_exact(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_link_text_keeps_its_source_span() -> None:
    text = "Read [the guide](https://x.org/a) now."
    toks = normalize_tokens(text)
    guide = next(t for t in toks if t.text == "guide")
    assert text[guide.start : guide.start + 5] == "guide"
    assert not any("x" in t.text or "org" in t.text for t in toks)


def test_brackets_that_are_not_links_are_read() -> None:
    assert normalize("Pick [C] or [D].") == "pick, C, or, D."
