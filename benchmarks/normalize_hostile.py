"""Time the text normalizer on hostile and realistic input and print a table.

    .venv/bin/python benchmarks/normalize_hostile.py [--repeat N]

Each hostile case is 100 000 characters; the realistic case is a ~2000-character paragraph, reported
in microseconds per input word as well.  Figures are the best of N runs (the machine may be shared).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.text.normalize import normalize

SIZE = 100_000

PARAGRAPH = (
    "On Jan. 5, 2024, Dr. Maria Lopez of the U.S. Dept. of Energy told reporters in Washington that the "
    "agency's $1.5 billion program had cut emissions by 12.5% since 2019. \"We're ahead of schedule,\" she "
    "said at 3:30 pm, noting that 3,497 homes in 22 states had been retrofitted, e.g. with heat pumps rated "
    "at 2.4 kW and insulation 6 in. thick. The FBI and NASA were not involved; NATO observers attended. "
    "Prices ranged from $5.99 to $1,200, i.e. roughly 1/2 of last year's cost. Contact press@energy.gov or "
    "call (555) 123-4567 for details, or visit https://www.energy.gov/news. Temperatures hit 98\u00b0F on "
    "the 21st, and winds reached 45 mph. Henry VIII would not have approved, but World War II veterans "
    "did. The 1990s saw similar plans; in 1998, 2,000 people signed a petition. Scores were 3-2 and 10-20 "
    "points on a 3:1 ratio, with 50\u00a2 fees and \u20ac20 surcharges. Chapter IV of the report covers "
    "12/25/2020 through 2024-03-15. Mr. Smith Jr. of Main St. said the results were \u201cgood, not "
    "great\u201d \u2014 approx. 75 kg of CO2 per home per month... Really?! Yes!!! The CEO of Acme Inc. "
    "agreed. Meanwhile, St. Louis reported 1,024 MB of data at 10:05 on the 3rd of March, and the "
    "company's 2nd quarter revenue rose to $3.2 million, up 4.5% from $3.06 million. Call +1 555 123 4567 "
    "or email john.doe@example.com; the meeting is at 12:00 in Room 101, Bldg. 7, 1600 Pennsylvania Ave. "
    "Over 60% of the 1,500 respondents rated the program 4 out of 5, vs. 3.2 in 2022. Critics, including "
    "Sen. Ward and Gov. Patel, argued that the 2.5% fee on loans under $10,000 hurt families earning less "
    "than £40,000 a year, and that the 8:00 a.m. deadline on Sept. 30 was unrealistic for rural "
    "offices with 56 kbps connections. The agency replied that 9 out of 10 applications were processed "
    "within 48 hrs, that its call center at 1-800-555-0199 was open 24/7, and that version 2.1.3 of the "
    "online portal fixed the login bug reported on the 14th. Final figures are due by Dec. 1."
)


def _cases() -> dict[str, str]:
    rnd = random.Random(1234)
    noise_alphabet = [
        *"!?.,;:-/()[]{}<>@#$%^&*_+=~`|\\\"' \n\t0123456789abcXYZ",
        *("\u200b", "\u200d", "\ufe0f", "\U0001f600", "\U0001f389", "\u4e2d", "\u0416", "\u00e9", "\u2026"),
        *("\u2014", "\u00b0", "\u00a3", "\u20ac", "\ud800", "\x00", "\x07", "\u0301"),
    ]
    return {
        "digits and commas (1,1,1,...)": ("1," * SIZE)[:SIZE],
        "digits and dots (1.1.1...)": ("1." * SIZE)[:SIZE],
        "thousands groups (111,111,...)": ("111," * SIZE)[:SIZE],
        "one digit run (999...)": "9" * SIZE,
        "repeated !": "!" * SIZE,
        "repeated .": "." * SIZE,
        "letters and dots (a.a.a...)": ("a." * SIZE)[:SIZE],
        "mixed noise": "".join(rnd.choice(noise_alphabet) for _ in range(SIZE)),
        "realistic paragraph x50": (PARAGRAPH + " ") * (SIZE // (len(PARAGRAPH) + 1)),
    }


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per case; the best is reported")
    args = parser.parse_args()

    normalize("warm up 1,000 $5.99 Dr. Smith")
    rows = []
    for name, text in _cases().items():
        seconds = _best(lambda text=text: normalize(text), args.repeat)  # type: ignore[misc]
        rows.append((name, len(text), seconds * 1e3, len(text) / seconds / 1e6))

    words = len(PARAGRAPH.split())
    para_s = _best(lambda: normalize(PARAGRAPH), max(args.repeat, 20))

    print(f"{'case':34} {'chars':>8} {'ms':>9} {'Mchar/s':>8}")
    print("-" * 62)
    for name, chars, ms, rate in rows:
        print(f"{name:34} {chars:>8} {ms:>9.1f} {rate:>8.2f}")
    print("-" * 62)
    print(
        f"{'realistic paragraph':34} {len(PARAGRAPH):>8} {para_s * 1e3:>9.2f}   "
        f"{para_s * 1e6 / words:.1f} us/word ({words} words)"
    )


if __name__ == "__main__":
    main()
