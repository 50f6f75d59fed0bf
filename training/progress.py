"""The one progress line both trainers print every --log-every steps."""

from __future__ import annotations


def progress_line(step: int, sums: dict[str, float], every: int, seconds_per_step: float, extra: str = "") -> str:
    """'step N loss1 x loss2 y [extra] 0.17s/step', with each summed loss averaged over the last `every` steps."""
    losses = " ".join(f"{k} {v / every:.4f}" for k, v in sums.items())
    return f"step {step} {losses}{' ' + extra if extra else ''} {seconds_per_step:.2f}s/step"
