"""Writing a user's file so that nothing is lost: the whole new file or the old one, never half.

``write_atomically(path, data)`` writes ``data`` to ``.<name>.<pid>.<random>.tmp``
beside ``path``, syncs it to disk, gives it the mode of the file it replaces (a
new file gets the usual mode for the umask), moves it into place with
``os.replace`` and syncs the folder, so ``path`` holds the old file or the whole
new one even after a crash or a kill. Temporary files that writes of ``path``
killed midway left behind (their process is gone) are removed first. Every file
chainrule writes for a user -- models, pictures, pages, GIFs -- goes through it.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
from pathlib import Path

# Earlier chainrule versions named their temporary files as tempfile.mkstemp does,
# without a pid: one of those is abandoned once it is older than any write can take.
UNNAMED_TEMPORARY = re.compile(r"[a-z0-9_]{8}")
STALE_AFTER = 3600.0  # seconds


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` with ``data`` atomically (see the module docstring); returns the path."""
    path = Path(path)
    remove_abandoned_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with contextlib.suppress(FileNotFoundError):
            os.fchmod(handle, stat.S_IMODE(os.stat(path).st_mode))
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)
    return path


def remove_abandoned_temporaries(path: Path) -> None:
    """Delete ``.<name>.<pid>.<random>.tmp`` files beside ``path`` whose process is gone.

    Only a write killed midway leaves one (any other failure removes its own); a
    live process's file -- another write running now -- is left alone. A
    ``.<name>.<8 characters>.tmp`` of an earlier version goes once an hour old.
    """
    prefix = f".{path.name}."
    with contextlib.suppress(FileNotFoundError), os.scandir(path.parent) as entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(".tmp")):
                continue
            middle = entry.name[len(prefix) : -len(".tmp")].split(".")
            if len(middle) == 2 and middle[0].isdigit():
                abandoned = not _process_alive(int(middle[0]))
            else:
                abandoned = len(middle) == 1 and UNNAMED_TEMPORARY.fullmatch(middle[0]) is not None
                abandoned = abandoned and time.time() - entry.stat().st_mtime > STALE_AFTER
            if abandoned:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process, or no pid: leave it
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """fsync ``folder``, so that the rename into it survives a power cut."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:  # a folder that cannot be opened (Windows): the rename stays in the cache
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
