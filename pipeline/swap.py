"""Replace a folder by another in one atomic step, so readers never see it missing.

On Linux, renameat2(RENAME_EXCHANGE) swaps two paths atomically: at every moment the
target holds either the old complete folder or the new one. Where that call is not
available, the fallback renames twice and leaves a short gap in which the target
folder is absent (its old version then sits beside it as ``.<name>.old``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _load_renameat2():
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
    return result == 0


def replace_folder(staging: Path, target: Path) -> None:
    """Put staging at target; the previous target, if any, is removed afterwards."""
    if not target.exists():
        os.replace(staging, target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old version
        return
    retired = target.with_name(f".{target.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


STAGING = ".staging-"  # in the names of what a killed run may leave behind


def remove_leftovers(out_dir: Path) -> None:
    """Staging folders and files a killed run left; call only when no run is writing."""
    for leftover in list(out_dir.glob(f".*{STAGING}*")) + list(out_dir.glob(f"dataset/*/*/*/.*{STAGING}*")):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
