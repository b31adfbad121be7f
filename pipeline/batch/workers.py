"""Each report converted in a process of its own, with a time and a memory limit.

The first reports of a run (``jobs`` of them) take two children in turn: one reads the
file(s) into a Document (``batch/reading.py``, no pandas) while the parent loads the stages'
libraries (pandas, pandera, pyarrow, and what they load on first use; about 0.9 s) and
the readers the other reports need; then one forked with that Document, through a
pipe, runs the stages and writes (``report.py``). So a fresh run's imports and its first
readings overlap. Every later report takes one child, which starts with all of it
loaded. A report's time limit counts from the start of its reading.

The parent watches each child: one that runs past its time limit, or whose resident
memory grows past its memory limit, is killed; one that dies (a crash in a C library)
is noticed by its closed pipe. Each becomes that report's failure, and the batch goes
on. A cap on the child's address space (the limit plus 2 GiB, as libraries reserve far
more than they touch) stops a single runaway allocation before the parent's next look.
Children die with the parent (PR_SET_PDEATHSIG), and on Ctrl-C at once (the parent then
kills the rest and records what completed).
Where ``fork`` is not available the reports are converted one by one in-process,
without limits.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import ctypes.util
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from pipeline.errors import ProfileError
from pipeline.job import InputKey, Outcome, ReportInput, RunSettings

# input index, report, its key (None: not all its files are there, the reading says which)
Task = tuple[int, ReportInput, InputKey | None]
_PR_SET_PDEATHSIG = 1


_POLL = 0.1  # seconds between looks at the children's memory
_RESERVE_MB = 2048  # address space allowed beyond the memory limit (see module doc)


@dataclass
class _Running:
    index: int
    report: ReportInput
    key: InputKey | None
    process: Any  # multiprocessing.Process
    connection: Connection
    started: float  # when its report's reading began: the time limit is for both children
    baseline: int  # resident bytes it started with (the parent's, shared at fork)
    reading: bool  # the reading child (sends a Document), or the stages' (an Outcome)


def convert_all(tasks: list[Task], settings: RunSettings
                ) -> Generator[tuple[int, Outcome], None, None]:
    """(input index, outcome) of each task as it finishes."""
    if not tasks:
        return
    with contextlib.suppress(ProfileError):  # a bad one is each report's failure, as it was
        settings.layout_profile  # loaded here once, for the workers forked below to share
    if "fork" not in multiprocessing.get_all_start_methods():
        from pipeline.batch.report import convert  # pandas and the stages load only when there is work

        for index, report, key in tasks:
            yield index, convert(report, settings, key)
        return
    jobs = min(settings.jobs or os.cpu_count() or 1, len(tasks))
    pending = deque(tasks)
    running: dict[Connection, _Running] = {}
    loaded = False
    try:
        while pending or running:
            while pending and len(running) < jobs:
                task = pending.popleft()
                if loaded:  # one child for the whole report: the parent has everything
                    child = _start(_whole, (task[1], settings, task[2]), settings, task,
                                   time.monotonic())
                else:
                    child = _start(_read, (task[1], settings), settings, task, time.monotonic())
                running[child.connection] = child
            if not loaded:  # the libraries load while the first children read
                from pipeline.read import load_readers
                from pipeline.batch.report import load_stages

                load_stages()
                load_readers([report for _, report, _ in pending])
                loaded = True

            for connection in wait(list(running), timeout=_next_deadline(running, settings)):
                child = running.pop(cast(Connection, connection))
                outcome = _collect(child)
                if isinstance(outcome, Outcome):
                    yield child.index, outcome
                else:  # read: the same report's stages, in a child that has them loaded
                    task = (child.index, child.report, child.key)
                    stages = _start(_stages, (child.report, *outcome, settings, child.key),
                                    settings, task, child.started)
                    running[stages.connection] = stages
            for child in [c for c in running.values() if _overdue(c, settings)]:
                del running[child.connection]
                yield child.index, _stop(child, f"took longer than {settings.timeout:g} s and was "
                                                "stopped (--timeout)")
            for child in [c for c in running.values() if _over_memory(c, settings)]:
                del running[child.connection]
                yield child.index, _stop(child, f"needed more memory than its limit "
                                                f"({settings.memory_mb} MB) and was stopped")
    finally:
        for child in running.values():
            child.process.kill()
        for child in running.values():
            child.process.join()
            child.connection.close()


def _read(report: ReportInput, settings: RunSettings) -> Any:
    """The reading child's message: its Outcome if it cannot be read, else (Document, Outcome)."""
    from pipeline.batch.reading import read_outcome

    document, outcome = read_outcome(report, settings)
    return outcome if document is None else (document, outcome)


def _whole(report: ReportInput, settings: RunSettings, key: InputKey | None) -> Outcome:
    from pipeline.batch.report import convert

    return convert(report, settings, key)


def _stages(report: ReportInput, document: Any, outcome: Outcome, settings: RunSettings,
            key: InputKey | None) -> Outcome:
    from pipeline.batch.report import convert_document

    return convert_document(report, document, outcome, settings, key)


def _start(work: Callable[..., Any], args: tuple[Any, ...], settings: RunSettings,
           task: Task, started: float) -> _Running:
    index, report, key = task
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(sender, work, args, settings, os.getpid()), daemon=True)
    # A Ctrl-C between fork and the child's own handler would raise KeyboardInterrupt
    # in the child (a traceback); held back here, it reaches the child as SIG_DFL.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # The child's collector would walk (and so write to, page by page) every object it
    # shares with the parent, pandas' included; frozen at the fork, they are left alone
    # in the child, and copy-on-write copies far less (a batch's CPU time: -15%).
    # The parent thaws them at once and collects as before.
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    sender.close()  # the child holds the only writer: EOF here means it died
    return _Running(index, report, key, process, receiver, started, _resident(os.getpid()),
                    reading=work is _read)


def _child(sender: Connection, work: Callable[..., Any], args: tuple[Any, ...],
           settings: RunSettings, parent: int) -> None:
    # Ctrl-C stops a child at once; a run started with SIGINT ignored (a background job
    # of a script, nohup) keeps its workers ignoring it too.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent(parent)
    _limit_memory(settings.memory_mb + _RESERVE_MB)
    # Reading makes a page's objects by the thousand, and the collector's youngest
    # generation ran every 700 of them; every 10,000 takes 3–5% off a report's reading
    # and keeps its peak memory where it was (measured on the bench corpus).
    gc.set_threshold(10_000, 10, 10)
    try:
        sender.send(work(*args))
        sender.close()
    except BaseException:  # e.g. a message that cannot be pickled: the parent hears EOF
        os._exit(3)
    os._exit(0)  # no atexit handlers or buffered output of the parent's


def _die_with_parent(parent: int) -> None:
    libc_name = ctypes.util.find_library("c")
    try:
        ctypes.CDLL(libc_name or "libc.so.6").prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the pipe's EOF still tells the child nothing; it finishes its report
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the signal was armed


def _limit_memory(megabytes: int) -> None:
    """Cap the child's address space at what it has now plus ``megabytes``."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = current + megabytes * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass  # no /proc (not Linux): no memory limit


def _collect(child: _Running) -> Any:
    """What the child sent, or the Outcome of its death."""
    try:
        message = child.connection.recv()
    except (EOFError, OSError):
        child.process.join()
        return _died(child, child.process.exitcode)
    child.process.join()
    child.connection.close()
    return message


def _died(child: _Running, exitcode: int | None) -> Outcome:
    child.connection.close()
    how = (f"was killed by {signal.Signals(-exitcode).name}" if exitcode is not None and exitcode < 0
           else f"exited with code {exitcode}")
    return Outcome(path=child.report.given, report_id=child.report.report_id,
                   seconds=time.monotonic() - child.started,
                   error=f"{child.report.given}: the conversion process {how} before it finished "
                         "(a crash in a library, or the system ran out of memory); "
                         "nothing was written for it.")


def _overdue(child: _Running, settings: RunSettings) -> bool:
    return time.monotonic() - child.started > settings.timeout


def _over_memory(child: _Running, settings: RunSettings) -> bool:
    return _resident(child.process.pid) - child.baseline > settings.memory_mb * 1024 * 1024


def _resident(pid: int) -> int:
    """Resident bytes of a process (0 where /proc cannot tell)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _next_deadline(running: dict[Connection, _Running], settings: RunSettings) -> float:
    soonest = min(child.started for child in running.values()) + settings.timeout
    return max(0.0, min(soonest - time.monotonic(), _POLL))


def _stop(child: _Running, why: str) -> Outcome:
    child.process.kill()
    child.process.join()
    child.connection.close()
    return Outcome(path=child.report.given, report_id=child.report.report_id,
                   seconds=time.monotonic() - child.started,
                   error=f"{child.report.given}: the conversion {why}; nothing was written for it.")
