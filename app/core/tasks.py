"""Work after the response: one queue for everything that runs in the background (huey).

An area declares its tasks with `@task(...)` in its own package (core names no area); the app
binds them to its queue when it is created (`init_tasks`). Where the queue lives:

- `HUEY_URL` (or `REDIS_URL`) `redis://…`: Redis, shared by every process of a deployment;
  run the consumer as its own process (`flask --app app tasks consume`).
- otherwise SQLite in the instance folder (`instance/huey.db`, or `HUEY_URL=sqlite:///path`):
  nothing to install; `python -m app` (`make run`) consumes it with `TASK_WORKERS` workers
  (2 by default) in a child process it starts and stops (under gevent, app/core/serving.py),
  or in threads of its own (SERVER=threading).
- testing: `TASKS_IMMEDIATE` (on when TESTING) runs each task at once, in the enqueuing
  process, in a fresh application context, as a consumer would.

Enqueue after the data a task reads is committed: `some_task.enqueue_after_commit(...)` inside
a service runs when the outermost transaction commits (app/core/storage/events.py), never for a rolled
back one.

A task is taken off the queue when a worker starts it, so a process that dies mid-task loses
it. Every task here is idempotent and records its progress where the app keeps its data (a
reminder's row, a print run's state file): whoever finds work left unfinished by a dead worker
queues it again. The consumer does so when it starts, and then every minute (`@resumer`
functions). A worker is known dead when it was a process of this machine that is gone (or an
earlier life of this very process id); a claim of another machine's worker is taken over when
its lease (`CLAIM_LEASE`) has run out.
"""

from __future__ import annotations

import atexit
import contextvars
import ctypes
import functools
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Generic, ParamSpec

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey, crontab
from huey.api import Task as HueyTask
from huey.api import TaskWrapper
from huey.consumer import Consumer
from huey.storage import RedisStorage, SqliteStorage

from app.core.paths import ROOT
from app.core.storage.db import utcnow
from app.core.storage.events import after_commit

P = ParamSpec("P")
log = logging.getLogger(__name__)

EXTENSION = "gielda_tasks"
DEFAULT_NAME = "gielda"
DEFAULT_WORKERS = 2
RESUME_AGE = 60.0  # seconds: unclaimed work older than this, found by the minutely sweep, was lost
CLAIM_LEASE = timedelta(minutes=15)  # a claim of another machine's worker expires after this
POLL_SECONDS = 1.0  # the longest an idle worker waits before looking at a SQLite queue again (Redis: at once)
BOOT = uuid.uuid4().hex[:12]  # this process's life: a later process with the same id differs


# --- who is working ------------------------------------------------------------------------------

def worker_id() -> str:
    """This process, as written into the claims it takes: host, process id, life."""
    return f"{socket.gethostname()}:{os.getpid()}:{BOOT}"


def worker_gone(owner: str | None) -> bool:
    """True when the worker that took a claim is certainly dead: a process of this machine that
    no longer runs, or an earlier life of this very process id. Another machine's worker is never
    known dead here (see `claim_abandoned`)."""
    if not owner:
        return True
    try:
        host, pid_text, boot = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return True
    if host != socket.gethostname():
        return False
    if pid == os.getpid():
        return boot != BOOT
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process by now: ours is gone
        return True
    return False


def claim_abandoned(claimed_by: str | None, claimed_at: datetime | None, now: datetime | None = None) -> bool:
    """May another worker take over this claim? Yes if nobody holds it, if its worker is dead, or
    if it is older than the lease."""
    if claimed_by is None:
        return True
    if worker_gone(claimed_by):
        return True
    return claimed_at is None or claimed_at < (now or utcnow()) - CLAIM_LEASE


# --- tasks, declared by the areas ----------------------------------------------------------------

class Task(Generic[P]):
    """A function that may run in the background. Call it to run it here and now."""

    def __init__(self, fn: Callable[P, Any], name: str, retries: int = 0, retry_delay: int = 0) -> None:
        self.fn = fn
        self.name = name
        self.retries = retries
        self.retry_delay = retry_delay

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        return self.fn(*args, **kwargs)

    def enqueue(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue it now (its arguments are pickled: plain values only)."""
        queue().enqueue(self, args, kwargs)

    def enqueue_after_commit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        """Queue it when the current (outermost) transaction commits; never if it rolls back."""
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
        after_commit(lambda: queue(app).enqueue(self, args, kwargs))

    def __repr__(self) -> str:
        return f"<Task {self.name}>"


_TASKS: dict[str, Task[Any]] = {}
_RESUMERS: list[Callable[[float], None]] = []


def task(name: str, *, retries: int = 0, retry_delay: int = 0) -> Callable[[Callable[P, Any]], Task[P]]:
    """Declare a background task under a stable name (queued tasks are found by it after a
    restart, so never rename one that may be waiting in a queue)."""

    def decorator(fn: Callable[P, Any]) -> Task[P]:
        if name in _TASKS and _TASKS[name].fn is not fn:
            raise ValueError(f"two tasks named {name!r}")
        declared = Task(fn, name, retries, retry_delay)
        _TASKS[name] = declared
        return declared

    return decorator


_DAILY: dict[str, tuple[Callable[[], Any], int]] = {}


def daily(name: str, *, hour_utc: int) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Declare work the consumer runs once a day at this hour (UTC), e.g. reminders to renew
    standing offers. It must be safe to run again: a day's run may be repeated by hand."""

    def decorator(fn: Callable[[], Any]) -> Callable[[], Any]:
        _DAILY[name] = (fn, hour_utc)
        return fn

    return decorator


def resumer(fn: Callable[[float], None]) -> Callable[[float], None]:
    """Declare a function that queues again the work of its area that a dead worker left
    unfinished. It gets `min_age` (seconds): unclaimed work younger than that may still be
    waiting in the queue and is left alone (0 when a consumer starts: then nothing is running)."""
    _RESUMERS.append(fn)
    return fn


# --- the queue of one app ------------------------------------------------------------------------

class _Huey(Huey):
    """huey, counting the tasks this process has queued and not yet seen finish, so that a test
    or a benchmark can wait until its own work is done (`wait_for_tasks`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._outstanding: Counter[str] = Counter()
        self._idle = threading.Condition()
        super().__init__(*args, **kwargs)

    def enqueue(self, task: Any) -> Any:
        tracked = isinstance(task, HueyTask)
        if tracked:
            with self._idle:
                self._outstanding[task.id] += 1
        try:
            return super().enqueue(task)
        except BaseException:
            if tracked:
                self._finished(task.id)
            raise

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        try:
            return super().execute(task, timestamp)
        finally:
            self._finished(task.id)

    def _finished(self, task_id: str) -> None:
        with self._idle:
            left = self._outstanding.get(task_id, 0) - 1
            if left > 0:
                self._outstanding[task_id] = left
            else:
                self._outstanding.pop(task_id, None)
            if not self._outstanding:
                self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: not self._outstanding, timeout)


class TaskQueue:
    """The app's huey instance with every declared task bound to it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.huey = _make_huey(app)
        self._bound: dict[str, TaskWrapper] = {}
        for declared in _TASKS.values():
            self._bind(declared)
        self.huey.periodic_task(crontab(), name="core.resume_lost_work")(self._resume_periodically)
        for name, (fn, hour) in _DAILY.items():
            self.huey.periodic_task(crontab(minute="0", hour=str(hour)), name=name)(
                functools.partial(run_in_app, app, fn))

    @property
    def immediate(self) -> bool:
        return bool(self.huey.immediate)

    @property
    def where(self) -> str:
        storage = self.huey.storage
        if isinstance(storage, SqliteStorage):
            return f"SQLite {storage.filename}"
        if isinstance(storage, RedisStorage):
            return f"Redis, queue {self.huey.name!r}"
        return "in memory (immediate)"

    def _bind(self, declared: Task[Any]) -> TaskWrapper:
        app = self.app

        def run(*args: Any, **kwargs: Any) -> Any:
            return run_in_app(app, declared.fn, *args, **kwargs)

        wrapper = self.huey.task(name=declared.name, retries=declared.retries,
                                 retry_delay=declared.retry_delay)(run)
        self._bound[declared.name] = wrapper
        return wrapper

    def enqueue(self, declared: Task[Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        wrapper = self._bound.get(declared.name) or self._bind(declared)
        wrapper(*args, **kwargs)

    def _resume_periodically(self) -> None:
        run_in_app(self.app, resume_lost_work, RESUME_AGE)


def run_in_app(app: Flask, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run `fn` as a worker does: in a fresh context (no request, no transaction of the caller's:
    an immediate task runs while its enqueuer commits) with an application context of its own,
    and so a database session of its own."""

    def go() -> Any:
        with app.app_context():
            return fn(*args, **kwargs)

    return contextvars.Context().run(go)


def _make_huey(app: Flask) -> _Huey:
    config = app.config
    name = str(config.get("HUEY_NAME") or DEFAULT_NAME)
    url = str(config.get("HUEY_URL") or config.get("REDIS_URL") or "")
    immediate = bool(config.get("TASKS_IMMEDIATE", app.testing))
    common: dict[str, Any] = {"results": False, "utc": True, "immediate": immediate}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return _Huey(name, storage_class=RedisStorage, url=url, **common)
    if url and not url.startswith("sqlite:///"):
        raise ValueError(f"HUEY_URL must be redis://… or sqlite:///…, not {url!r}")
    path = Path(url.removeprefix("sqlite:///")) if url else Path(app.instance_path) / "huey.db"
    if not immediate:
        path.parent.mkdir(parents=True, exist_ok=True)
    return _Huey(name, storage_class=SqliteStorage, filename=str(path), **common)


def init_tasks(app: Flask) -> TaskQueue:
    tasks = TaskQueue(app)
    app.extensions[EXTENSION] = tasks
    return tasks


def queue(app: Flask | None = None) -> TaskQueue:
    target = app or current_app
    return target.extensions[EXTENSION]


def wait_for_tasks(timeout: float = 60.0, app: Flask | None = None) -> bool:
    """Wait until every task this process queued has finished (run by this process's consumer,
    or at once when immediate). True if none is left; for tests, benchmarks and the CLI."""
    tasks = queue(app)
    return True if tasks.immediate else tasks.huey.wait_idle(timeout)


def resume_lost_work(min_age: float = 0.0) -> None:
    """Queue again whatever dead workers left unfinished (each area's `@resumer`)."""
    for fn in _RESUMERS:
        try:
            fn(min_age)
        except Exception:  # one area's sweep failing must not stop the others
            log.exception("resuming lost work: %s failed", fn.__qualname__)


# --- consumers -----------------------------------------------------------------------------------

class _EmbeddedConsumer(Consumer):
    """huey's consumer in threads of the web server's process; the server keeps its own signal
    handling (Ctrl-C stops it, and the consumer's daemon threads with it)."""

    def _set_signal_handlers(self) -> None:
        pass


def start_consumer(app: Flask, workers: int = DEFAULT_WORKERS) -> Consumer:
    """Consume the app's queue in `workers` threads of this process, after queueing again what an
    earlier life left unfinished. Returns the consumer (`.stop(graceful=True)` to end it)."""
    tasks = queue(app)
    if tasks.immediate:
        raise RuntimeError("the queue runs tasks immediately (TASKS_IMMEDIATE): there is nothing to consume")
    run_in_app(app, resume_lost_work, 0.0)
    consumer = _EmbeddedConsumer(tasks.huey, workers=workers, worker_type="thread", periodic=True,
                                 max_delay=POLL_SECONDS, check_worker_health=False)
    consumer.start()
    return consumer


def _die_with_parent() -> None:  # pragma: no cover  (runs in the child, before exec)
    """Linux: the child is killed when the server that started it dies, however it dies — as its
    threads would have been: what it was doing is queued again when a consumer next starts. (A
    server stopped in order stops it gracefully first: _stop_child.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start_consumer_process(workers: int = DEFAULT_WORKERS) -> subprocess.Popen[bytes]:
    """Consume the queue in a child process (`flask tasks consume`) that ends with this one: for
    a gevent server, whose greenlets one PDF rendering in a worker would hold up."""
    command = [sys.executable, "-m", "flask", "--app", "app", "tasks", "consume", "--workers", str(workers)]
    child = subprocess.Popen(command, cwd=str(ROOT), preexec_fn=_die_with_parent)
    atexit.register(_stop_child, child)
    return child


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


tasks_cli = AppGroup("tasks", help="The background queue (huey): PDFs, print runs, e-mails.")


@tasks_cli.command("consume")
@click.option("--workers", "-w", type=click.IntRange(1, 64), default=DEFAULT_WORKERS, show_default=True,
              help="Worker threads.")
def consume_command(workers: int) -> None:
    """Run the consumer in this process until stopped (SIGINT: finish the running tasks first;
    SIGTERM: at once; what it was doing is queued again when a consumer next starts)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    tasks = queue(app)
    if tasks.immediate:
        raise click.ClickException("TASKS_IMMEDIATE is on: tasks run where they are queued.")
    click.echo(f"Consuming {tasks.where} with {workers} worker thread(s).")
    run_in_app(app, resume_lost_work, 0.0)
    Consumer(tasks.huey, workers=workers, worker_type="thread", periodic=True, max_delay=POLL_SECONDS).run()


@tasks_cli.command("pending")
def pending_command() -> None:
    """How many tasks wait in the queue."""
    tasks = queue()
    click.echo(f"{tasks.huey.pending_count()} task(s) waiting in {tasks.where}.")
