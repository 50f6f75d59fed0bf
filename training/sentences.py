"""Stage 1: build the training sentence list from offline text.

Sources: Debian's `fortunes` (quotations, minus the files that are offensive or mostly not prose) and
voice-assistant replies generated from templates, with numbers already in words so that the teacher
and our G2P read exactly the same thing. Output: one sentence per line.

    python -m training.sentences --out /work/state/corpus/sentences.txt --count 4000
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import inflect

FORTUNE_DIR = Path("/usr/share/games/fortunes")
SKIP_FILES = {"art", "ascii-art", "ethnic", "men-women", "drugs", "perl", "translate-me", "zippy", "debian", "linux"}
ALLOWED = re.compile(r"^[A-Za-z][A-Za-z ,.;:?!'\-]*[.?!]$")
SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z])")


def fortune_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted(FORTUNE_DIR.iterdir()):
        if path.suffix or path.is_dir() or path.name in SKIP_FILES:
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        for entry in text.split("\n%\n"):
            if "--" in entry or "\t" in entry or "  " in entry.strip():
                continue  # attributions, verse layout, tables
            flat = " ".join(entry.split())
            for sent in SENTENCE_END.split(flat):
                words = sent.split()
                if not 4 <= len(words) <= 24 or not ALLOWED.match(sent):
                    continue
                if any(w.isupper() and len(w) > 1 for w in words) or "''" in sent or " -" in sent or "- " in sent:
                    continue  # initialisms and dashes: keep the teacher and our front end in agreement
                out.append(sent.replace("-", " "))
    return sorted(set(out))


_p = inflect.engine()


def _num(n: int) -> str:
    return str(_p.number_to_words(str(n), andword="")).replace("-", " ").replace(",", "")


NAMES = [
    "Alice",
    "Ben",
    "Carlos",
    "Diana",
    "Emma",
    "Farid",
    "Grace",
    "Hiro",
    "Isabel",
    "James",
    "Kofi",
    "Lena",
    "Mona",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tara",
    "Victor",
    "Wendy",
    "Yusuf",
    "Zoe",
]
CITIES = [
    "Paris",
    "Boston",
    "Tokyo",
    "Denver",
    "Chicago",
    "London",
    "Seattle",
    "Madrid",
    "Toronto",
    "Austin",
    "Berlin",
    "Dublin",
    "Phoenix",
    "Atlanta",
    "Nairobi",
    "Sydney",
    "Lisbon",
    "Miami",
]
THINGS = [
    "milk",
    "eggs",
    "bread",
    "coffee",
    "batteries",
    "apples",
    "rice",
    "a birthday card",
    "dog food",
    "paper towels",
    "tomatoes",
    "olive oil",
    "shampoo",
    "a new charger",
]
WEATHER = ["sunny", "cloudy", "rainy", "windy", "foggy", "snowy", "clear", "humid", "stormy", "mild"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
SONGS = ["some jazz", "your morning playlist", "relaxing piano music", "the latest news", "rock classics",
         "a podcast about history", "rain sounds", "country music"]  # fmt: skip


def _time(r: random.Random) -> str:
    hour, minute = r.randint(1, 12), r.choice([0, 5, 10, 15, 20, 30, 40, 45, 50])
    words = _num(hour) + (" o'clock" if minute == 0 else " oh " + _num(minute) if minute < 10 else " " + _num(minute))
    return words + r.choice(["", " in the morning", " in the evening", " P M", " A M"])


def _date(r: random.Random) -> str:
    return f"{r.choice(MONTHS)} {_p.ordinal(_num(r.randint(1, 28)))}"


def assistant_sentences(count: int, seed: int = 7) -> list[str]:
    r = random.Random(seed)
    templates = [
        lambda: f"It is currently {_num(r.randint(-5, 99))} degrees and {r.choice(WEATHER)} in {r.choice(CITIES)}.",
        lambda: f"Your alarm is set for {_time(r)}.",
        lambda: f"I added {r.choice(THINGS)} to your shopping list.",
        lambda: f"Should I add {r.choice(THINGS)} to your shopping list?",
        lambda: f"You have a meeting with {r.choice(NAMES)} on {r.choice(DAYS)} at {_time(r)}.",
        lambda: f"Calling {r.choice(NAMES)} now.",
        lambda: f"Do you want me to call {r.choice(NAMES)} or send a message?",
        lambda: f"The flight to {r.choice(CITIES)} leaves on {_date(r)} at {_time(r)}.",
        lambda: f"Playing {r.choice(SONGS)}.",
        lambda: f"Tomorrow will be {r.choice(WEATHER)}, with a high of {_num(r.randint(30, 99))} degrees.",
        lambda: f"Your package from {r.choice(CITIES)} will arrive on {r.choice(DAYS)}.",
        lambda: f"The total comes to {_num(r.randint(2, 300))} dollars and {_num(r.randint(1, 99))} cents.",
        lambda: f"I set a timer for {_num(r.randint(2, 90))} minutes.",
        lambda: f"There are {_num(r.randint(2, 40))} minutes left on your timer.",
        lambda: (
            f"Traffic is {r.choice(['light', 'heavy', 'moderate'])}, so you will get to {r.choice(CITIES)} in about {_num(r.randint(10, 80))} minutes."
        ),
        lambda: f"Sorry, I could not find {r.choice(THINGS)} in your list.",
        lambda: (
            f"{r.choice(NAMES)} sent you a message: {r.choice(['are you coming tonight?', 'call me back when you can.', 'running late, see you soon!', 'thanks for dinner!'])}"
        ),
        lambda: f"Would you like to hear {r.choice(SONGS)}, or should I stop?",
        lambda: f"The population of {r.choice(CITIES)} is about {_num(r.randint(1, 30))} million people.",
        lambda: f"Your next appointment is on {r.choice(DAYS)}, {_date(r)}, at {_time(r)}.",
        lambda: (
            f"Okay, I turned {r.choice(['on', 'off'])} the {r.choice(['kitchen', 'bedroom', 'hallway', 'porch', 'living room'])} lights."
        ),
        lambda: f"The thermostat is now set to {_num(r.randint(60, 78))} degrees.",
        lambda: (
            f"Step {_num(r.randint(1, 9))}: {r.choice(['preheat the oven', 'chop the onions', 'stir in the flour', 'let it rest for ten minutes', 'add a pinch of salt'])}."
        ),
        lambda: f"Hi {r.choice(NAMES)}! How can I help you today?",
        lambda: f"Is there anything else you need, {r.choice(NAMES)}?",
        lambda: f"Your balance is {_num(r.randint(10, 9999))} dollars.",
        lambda: f"Rated {_num(r.randint(1, 5))} stars, it is open until {_time(r)}.",
        lambda: (
            f"The score is {_num(r.randint(0, 9))} to {_num(r.randint(0, 9))} with {_num(r.randint(1, 20))} minutes to go."
        ),
        lambda: f"In {_p.ordinal(_num(r.randint(1, 20)))} place is {r.choice(NAMES)}, from {r.choice(CITIES)}.",
        lambda: f"Wow, that is {r.choice(['great', 'amazing', 'wonderful', 'surprising', 'terrible'])} news!",
    ]
    return [r.choice(templates)() for _ in range(count)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--count", type=int, default=4000, help="total sentences")
    ap.add_argument("--assistant-share", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    n_assist = int(args.count * args.assistant_share)
    fortunes = fortune_sentences()
    r.shuffle(fortunes)
    picked = fortunes[: args.count - n_assist] + sorted(set(assistant_sentences(n_assist * 2)))[:n_assist]
    r.shuffle(picked)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(picked) + "\n", encoding="utf-8")
    print(f"{len(fortunes)} fortune sentences available; wrote {len(picked)} to {args.out}")


if __name__ == "__main__":
    main()
