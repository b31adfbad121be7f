"""One run at a time per output folder: an exclusive lock on DIR for the length of a run.

A second run on the same DIR waits for the first to finish (and says so through
``on_wait``), then goes on: it sees the first run's outputs and skips what is
unchanged. The lock is ``flock`` on ``DIR/.pipeline.batch.lock``, released by the kernel when
the process ends, however it ends, so a killed run never leaves DIR locked; a run that
ends normally removes the file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from pipeline.errors import OutputError

LOCK = ".pipeline.batch.lock"


class OutputLock:
    """``with OutputLock(out_dir, on_wait):`` holds DIR for one run."""

    def __init__(self, out_dir: Path, on_wait: Callable[[str], None] | None = None):
        self.out_dir = out_dir
        self.on_wait = on_wait
        self.descriptor: int | None = None

    def __enter__(self) -> OutputLock:
        path = self.out_dir / LOCK
        told = False
        while True:
            descriptor = self._open(path)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told and self.on_wait is not None:
                    holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
                    self.on_wait(f"{self.out_dir} is being written by another run"
                                 f"{f' (pid {holder})' if holder else ''}; waiting for it to finish…")
                    told = True
                fcntl.flock(descriptor, fcntl.LOCK_EX)
            if _same_file(descriptor, path):
                break
            os.close(descriptor)  # the holder removed the file as it finished: lock the new one
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        self.descriptor = descriptor
        return self

    def _open(self, path: Path) -> int:
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as error:
            raise OutputError(f"{self.out_dir}: cannot write the output folder "
                              f"({error.strerror or error}).") from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.descriptor is not None:
            (self.out_dir / LOCK).unlink(missing_ok=True)  # still held: no one else has it
            os.close(self.descriptor)
            self.descriptor = None


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False
