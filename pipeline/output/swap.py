"""Replace a folder by another in one atomic step, so readers never see it missing.

On Linux, renameat2(RENAME_EXCHANGE) swaps two paths atomically: at every moment the
target holds either the old complete folder or the new one. Where that call is not
available, the fallback renames twice and leaves a short gap in which the target
folder is absent (its old version then sits beside it as a staging leftover).

Everything written on the way has ``.staging-<pid>-`` in its name, so what a killed
process left behind can be told from what a live one is still writing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path
from typing import Any

STAGING = ".staging-"  # in the names of what a killed run may leave behind
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_tag() -> str:
    """``<pid>-`` of the writing process: a leftover names the process that left it."""
    return f"{os.getpid()}-"


def _load_renameat2() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


_renameat2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False when the system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                        _RENAME_EXCHANGE)
    return bool(result == 0)


def replace_folder(staging: Path, target: Path) -> None:
    """Put staging at target; the previous target, if any, is removed afterwards."""
    if not target.exists():
        os.replace(staging, target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old version
        return
    retired = target.with_name(f".{target.name}{STAGING}{staging_tag()}old")
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def writer_alive(name: str) -> bool:
    """The process whose pid a staging name holds is still running."""
    pid = name.split(STAGING, 1)[1].split("-", 1)[0]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return not _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A killed worker nobody has reaped yet (a container's init may never reap it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state in ("Z", "X")


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Staging folders and files that killed processes left in out_dir; those removed.

    What a live process is still writing (its pid is in the name) is left alone, so a
    run never deletes another's staging folder.
    """
    removed = []
    for pattern in (f".*{STAGING}*", f"*/.*{STAGING}*", f"*/*/.*{STAGING}*",
                    f"dataset/*/*/.*{STAGING}*", f"dataset/*/*/*/.*{STAGING}*"):
        for leftover in out_dir.glob(pattern):
            if writer_alive(leftover.name):
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed
