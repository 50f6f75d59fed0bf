"""The batch scheduler: grouping by key, failures delivered to waiters, concurrent workers."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from typing import Any

import pytest

from app.engine.scheduler import BatchScheduler


async def _submit_all(sched: BatchScheduler, jobs: list[tuple[str, int]], run: Any) -> list[Any]:
    return await asyncio.gather(*(sched.submit(key, payload, run) for key, payload in jobs), return_exceptions=True)


def test_jobs_with_one_key_share_a_batch_and_keys_never_mix() -> None:
    sched = BatchScheduler(max_batch=8, wait_ms=300.0, workers=1)
    sched.active_streams = 6
    batches: list[list[tuple[str, int]]] = []

    def run_for(key: str) -> Any:
        def run(payloads: Sequence[int]) -> list[int]:
            batches.append([(key, p) for p in payloads])
            return [p * 10 for p in payloads]

        return run

    async def go() -> list[Any]:
        return await asyncio.gather(*(sched.submit(k, i, run_for(k)) for i, k in enumerate("aaabbb")))

    try:
        results = asyncio.run(go())
    finally:
        sched.close()
    assert results == [0, 10, 20, 30, 40, 50]
    assert all(len({k for k, _ in b}) == 1 for b in batches)  # one key per batch
    assert len(batches) < 6  # some were batched together
    assert sched.jobs_run == 6 and sched.batches_run == len(batches)


def test_a_failing_batch_reaches_its_waiters_and_the_scheduler_goes_on() -> None:
    sched = BatchScheduler(max_batch=4, wait_ms=0.0, workers=1)

    def boom(payloads: Sequence[int]) -> list[int]:
        raise ValueError("bad window")

    def ok(payloads: Sequence[int]) -> list[int]:
        return list(payloads)

    async def go() -> tuple[list[Any], int]:
        failed = await _submit_all(sched, [("x", 1)], boom)
        return failed, await sched.submit("x", 7, ok)

    try:
        failed, after = asyncio.run(go())
    finally:
        sched.close()
    assert isinstance(failed[0], ValueError) and after == 7


@pytest.mark.parametrize(("workers", "streams"), [(1, 2), (2, 2), (2, 1)])
def test_two_workers_run_two_batches_at_once_while_several_streams_run(workers: int, streams: int) -> None:
    """Each job waits for a second job to be running at the same time: only two workers can satisfy that,
    and the second serves only while several streams run (a lone stream's jobs run in turn)."""
    sched = BatchScheduler(max_batch=1, wait_ms=0.0, workers=workers)
    sched.active_streams = streams
    barrier = threading.Barrier(2, timeout=1.0)

    def meet(payloads: Sequence[int]) -> list[int]:
        barrier.wait()
        return list(payloads)

    try:
        results = asyncio.run(_submit_all(sched, [("k", 1), ("k", 2)], meet))
    finally:
        sched.close()
    if workers == 2 and streams > 1:
        assert results == [1, 2]
    else:
        assert all(isinstance(r, threading.BrokenBarrierError) for r in results)


def test_a_requester_whose_event_loop_closed_mid_job_does_not_stop_the_worker() -> None:
    """A caller's asyncio.run may end while its job runs; the worker must live on for everyone else."""
    sched = BatchScheduler(max_batch=1, wait_ms=0.0, workers=1)
    running = threading.Event()
    release = threading.Event()

    def slow(payloads: Sequence[int]) -> list[int]:
        running.set()
        release.wait(5.0)
        return list(payloads)

    async def abandon() -> asyncio.Future[Any]:
        job = asyncio.ensure_future(sched.submit("k", 1, slow))
        await asyncio.to_thread(running.wait, 5.0)
        return job  # the loop closes with the job in flight

    async def next_caller() -> Any:
        return await asyncio.wait_for(sched.submit("k", 2, lambda p: list(p)), 10.0)

    try:
        asyncio.run(abandon())
        release.set()
        assert asyncio.run(next_caller()) == 2
        assert all(t.is_alive() for t in sched._threads)
    finally:
        sched.close()


def test_a_batch_with_the_wrong_number_of_results_fails_its_waiters() -> None:
    sched = BatchScheduler(max_batch=4, wait_ms=0.0, workers=1)
    try:
        failed = asyncio.run(asyncio.wait_for(_submit_all(sched, [("k", 1)], lambda p: []), 10.0))
        assert isinstance(failed[0], RuntimeError) and "returned 0 results" in str(failed[0])
        assert asyncio.run(asyncio.wait_for(sched.submit("k", 3, lambda p: list(p)), 10.0)) == 3
    finally:
        sched.close()


@pytest.mark.parametrize("horizon_s", [0.1, float("inf")])  # a CPU's horizon, a GPU's
def test_the_most_urgent_job_runs_first_and_batches_with_what_is_due_soon(horizon_s: float) -> None:
    """Earliest deadline first: a job due now overtakes jobs due later, whatever the submission order;
    its batch takes jobs of its key due within the horizon."""
    sched = BatchScheduler(max_batch=8, wait_ms=0.0, workers=1, horizon_s=horizon_s)
    blocker_running, release = threading.Event(), threading.Event()
    order: list[list[str]] = []

    def blocker(payloads: Sequence[str]) -> list[str]:
        blocker_running.set()
        release.wait(5.0)
        return list(payloads)

    def record(payloads: Sequence[str]) -> list[str]:
        order.append(list(payloads))
        return list(payloads)

    async def go() -> list[Any]:
        first = asyncio.ensure_future(sched.submit("block", "b", blocker))
        await asyncio.to_thread(blocker_running.wait, 5.0)  # the worker is busy: the rest queue up
        now = time.monotonic()
        later = [asyncio.ensure_future(sched.submit("win", f"late{i}", record, now + 5.0 + i)) for i in range(2)]
        other = asyncio.ensure_future(sched.submit("other", "o", record, now + 1.0))
        urgent = [asyncio.ensure_future(sched.submit("win", f"urgent{i}", record, now + 0.01 * i)) for i in range(2)]
        await asyncio.sleep(0.05)
        release.set()
        return await asyncio.gather(first, *later, other, *urgent)

    try:
        results = asyncio.run(asyncio.wait_for(go(), 10.0))
    finally:
        sched.close()
    assert results == ["b", "late0", "late1", "o", "urgent0", "urgent1"]
    if horizon_s == float("inf"):  # the urgent jobs took every job of their key along
        assert order == [["urgent0", "urgent1", "late0", "late1"], ["o"]]
    else:  # jobs seconds away run later, one at a time, most urgent first
        assert order == [["urgent0", "urgent1"], ["o"], ["late0"], ["late1"]]
