"""Worker pools for the fetches that send many requests (bulk.py, events.py): a schedule decides what goes next,
the workers send it, and the results come back to one consumer as they complete, with backpressure.

A schedule is a policy object (not thread-safe: the runners call it under their lock):
  - `take()` hands out the next task, `WAIT` (nothing can go now: wait for a finish), or None (nothing is left);
  - `finish(task, result)` accounts for a task's result, and may add tasks (`total` grows before the result
    reaches the consumer, so the consumer knows when it has seen the last one);
  - `total`: how many results the run yields, counted so far.
A task has a `client` (the AuthenticatedClient it is sent with)."""

import asyncio
import queue
import threading
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import Final, Protocol, TypeVar

from attrs import frozen

from .client import AuthenticatedClient

WAIT: Final = "wait"
"""What `take()` answers when every task that could go has to wait for one in flight to finish."""

PUT_POLL_SECONDS = 0.1  # how often a worker whose result waits for the consumer looks whether the run stopped

MAX_WORKERS: Final = 256
"""At most this many threads or tasks send for one run, whatever `concurrency` asks: more would only wait on the
rate budget and the connection pool, and each thread holds a stack."""


class Task(Protocol):
    @property
    def client(self) -> AuthenticatedClient: ...


TaskT = TypeVar("TaskT", bound=Task)
ResultT = TypeVar("ResultT")
ResultT_contra = TypeVar("ResultT_contra", contravariant=True)


class Schedule(Protocol[TaskT, ResultT_contra]):
    @property
    def total(self) -> int: ...

    def take(self) -> TaskT | str | None: ...

    def finish(self, task: TaskT, result: ResultT_contra) -> None: ...


@frozen
class _Died:
    """What a worker hands the consumer when something that is not an Exception ended it (KeyboardInterrupt,
    SystemExit): the consumer raises it, rather than wait forever for the result that will not come."""

    error: BaseException


async def run_async(
    schedule: "Schedule[TaskT, ResultT]",
    send: Callable[[TaskT], Awaitable[ResultT]],
    workers: int,
) -> AsyncGenerator[ResultT, None]:
    """`workers` tasks take from `schedule` and `send`; yields every result as it completes (at most `workers`
    results wait for the consumer: a slow consumer slows the sending). Closing the iteration cancels them."""
    changed = asyncio.Condition()
    results: asyncio.Queue[ResultT | _Died] = asyncio.Queue(maxsize=workers)

    async def worker() -> None:
        try:
            while True:
                async with changed:
                    while (task := schedule.take()) == WAIT:
                        await changed.wait()
                if task is None or isinstance(task, str):
                    return
                result = await send(task)
                async with changed:
                    schedule.finish(task, result)
                    changed.notify_all()
                await results.put(result)
        except asyncio.CancelledError as error:
            current = asyncio.current_task()
            if current is None or current.cancelling():
                raise  # the run is closing
            await results.put(_Died(error))  # raised by a send, not a cancellation of this worker: end the run
            raise
        except BaseException as error:  # handed to the consumer, which raises it
            await results.put(_Died(error))

    running = [asyncio.create_task(worker()) for _ in range(min(workers, MAX_WORKERS))]
    try:
        consumed = 0
        while consumed < schedule.total:
            item = await results.get()
            if isinstance(item, _Died):
                raise item.error
            consumed += 1
            yield item
    finally:
        for running_task in running:
            running_task.cancel()
        await asyncio.gather(*running, return_exceptions=True)


def run_threads(
    schedule: "Schedule[TaskT, ResultT]",
    send: Callable[[TaskT, AuthenticatedClient], ResultT],
    workers: int,
    name: str,
) -> Generator[ResultT, None, None]:
    """`workers` threads take from `schedule` and `send` (with the task's client, made to give up once the run
    stops); yields every result as it completes (at most `workers` results wait for the consumer). Stopping the
    iteration early stops the threads after the request each is sending: one waiting for its rate-limit slot
    gives up without sending."""
    changed = threading.Condition()
    stop = threading.Event()
    results: queue.Queue[ResultT | _Died] = queue.Queue(maxsize=workers)
    stoppable: dict[int, AuthenticatedClient] = {}  # each task client's copy that gives up once `stop` is set

    def hand_over(item: ResultT | _Died) -> None:
        while not stop.is_set():
            try:
                results.put(item, timeout=PUT_POLL_SECONDS)
                return
            except queue.Full:
                continue

    def worker() -> None:
        try:
            while True:
                with changed:
                    while not stop.is_set() and (task := schedule.take()) == WAIT:
                        changed.wait()
                    if stop.is_set() or task is None or isinstance(task, str):
                        return
                    client = stoppable.get(id(task.client))
                    if client is None:
                        client = stoppable[id(task.client)] = task.client.until_stopped(stop)
                result = send(task, client)
                with changed:
                    schedule.finish(task, result)
                    changed.notify_all()
                hand_over(result)
        except BaseException as error:  # handed to the consumer, which raises it
            hand_over(_Died(error))

    threads: list[threading.Thread] = []
    try:
        for number in range(min(workers, MAX_WORKERS)):
            thread = threading.Thread(target=worker, name=f"{name}-{number}", daemon=True)
            thread.start()  # may raise (no thread left): the ones started are stopped below
            threads.append(thread)
        consumed = 0
        while True:
            with changed:
                if consumed >= schedule.total:
                    break
            item = results.get()
            if isinstance(item, _Died):
                raise item.error
            consumed += 1
            yield item
    finally:
        with changed:
            stop.set()
            changed.notify_all()
        for thread in threads:
            thread.join()


__all__ = ["MAX_WORKERS", "PUT_POLL_SECONDS", "WAIT", "Schedule", "Task", "run_async", "run_threads"]
