"""Dynamic batching: a few inference threads serve every stream, grouping compatible jobs into batches.

Earliest deadline first: each job says by when its result is needed (a stream's first audio: now; a
later window: when the audio already sent to its listener runs out), and the worker takes the most
urgent job, then fills the batch with jobs of the same key (same network, and for the vocoder the same
window length) due within horizon_s from now, up to max_batch. So a new stream's first audio overtakes
windows that streams with seconds of audio in hand can wait for, and the stream closest to running dry
is served next. On a CPU a batch costs the sum of its jobs, so there the horizon is short: batching the
windows of streams that are seconds ahead would only hold up a new stream's first audio (measured: 8
streams 12-23 s ahead kept short requests waiting 100-270 ms per job behind their batches); a GPU runs
a batch for about the price of one job and batches everything. A worker waits up to wait_ms for company
only while other streams are active and nothing else is queued, so a lone request never waits.
Cancelled jobs are dropped before they run.

With more than one worker, a second batch starts while the first runs (onnxruntime sessions take
concurrent runs), while several streams run: on a CPU the two runs then share the cores (CpuLanes in
backends), on a GPU the second fills what one batch leaves idle. A lone stream's jobs run in turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

BatchFn = Callable[[Sequence[Any]], Sequence[Any]]


@dataclass
class _Job:
    deadline: float  # time.monotonic() by which the result is needed
    order: int  # submission order: ties go first come, first served
    key: Hashable
    payload: Any
    run: BatchFn
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


class BatchScheduler:
    def __init__(
        self, max_batch: int = 8, wait_ms: float = 2.0, workers: int = 1, horizon_s: float = float("inf")
    ) -> None:
        self.max_batch = max_batch
        self.wait_s = wait_ms / 1000.0
        self.horizon_s = horizon_s
        self.active_streams = 0  # maintained by the engine; decides whether waiting for company can pay
        self._queue: list[_Job] = []  # a few dozen jobs at most (one per stream): scanned, not heaped
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._closed = False
        self.batches_run = 0
        self.jobs_run = 0
        self._threads = [
            threading.Thread(target=self._loop, args=(i,), name=f"tts-inference-{i}", daemon=True)
            for i in range(max(1, workers))
        ]
        for thread in self._threads:
            thread.start()

    def depth(self) -> int:
        return len(self._queue)

    async def submit(self, key: Hashable, payload: Any, run: BatchFn, deadline: float | None = None) -> Any:
        """Run payload in a batch of its key; deadline (time.monotonic()) orders the queue, default now."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[Any] = loop.create_future()
        due = time.monotonic() if deadline is None else deadline
        with self._cond:
            if self._closed:
                raise RuntimeError("scheduler closed")
            self._queue.append(_Job(due, next(self._order), key, payload, run, fut, loop))
            self._cond.notify_all()  # a worker other than the first may be the one free
        return await fut

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=5)

    def _take_batch(self, worker: int) -> list[_Job] | None:
        with self._cond:
            # workers beyond the first serve only while several streams run: a lone stream's overlapping jobs
            # (the next phrase's acoustic pass beside a vocoder window) ran slower side by side than in turn
            while not self._closed and not (self._queue and (worker == 0 or self.active_streams > 1)):
                self._cond.wait()
            if self._closed:
                return None
            first = min(self._queue, key=_urgency)
            self._queue.remove(first)
            batch = [first]
            due_soon = time.monotonic() + self.horizon_s
            if first.deadline > due_soon:  # nothing urgent: one job at a time, the worker soon free again
                return batch
            wait_until = time.monotonic() + (self.wait_s if self.active_streams > 1 else 0.0)
            while len(batch) < self.max_batch:
                for job in sorted(
                    (j for j in self._queue if j.key == first.key and j.deadline <= due_soon), key=_urgency
                ):
                    if len(batch) < self.max_batch:
                        self._queue.remove(job)
                        batch.append(job)
                remaining = wait_until - time.monotonic()
                # waiting for company pays only while the machine would otherwise idle: not with other work queued
                if len(batch) >= min(self.max_batch, self.active_streams) or remaining <= 0 or self._queue:
                    break
                self._cond.wait(remaining)
            return batch

    def _loop(self, worker: int) -> None:
        # Nothing may end this thread but close(): a dead worker would leave every later submit waiting forever.
        while True:
            batch = self._take_batch(worker)
            if batch is None:
                return
            live = [j for j in batch if not j.future.cancelled()]
            if not live:
                continue
            try:
                results = list(live[0].run([j.payload for j in live]))
                if len(results) != len(live):
                    raise RuntimeError(f"batch of {len(live)} jobs returned {len(results)} results")
            except Exception as e:  # deliver the failure to every waiter instead of killing the thread
                for j in live:
                    _deliver(j, _set_exception, e)
                continue
            with self._cond:
                self.batches_run += 1
                self.jobs_run += len(live)
            for j, r in zip(live, results, strict=True):
                _deliver(j, _set_result, r)


def _urgency(job: _Job) -> tuple[float, int]:
    return job.deadline, job.order


def _deliver(job: _Job, setter: Callable[[asyncio.Future[Any], Any], None], value: Any) -> None:
    # RuntimeError: the requester's event loop has closed, so nobody is waiting for this result
    with contextlib.suppress(RuntimeError):
        job.loop.call_soon_threadsafe(setter, job.future, value)


def _set_result(fut: asyncio.Future[Any], value: Any) -> None:
    if not fut.done():
        fut.set_result(value)


def _set_exception(fut: asyncio.Future[Any], exc: Exception) -> None:
    if not fut.done():
        fut.set_exception(exc)
