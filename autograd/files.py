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
import secrets
import stat
from pathlib import Path


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
    live process's file -- another write running now -- is left alone.
    """
    prefix = f".{path.name}."
    with contextlib.suppress(FileNotFoundError), os.scandir(path.parent) as entries:
        for entry in entries:
            middle = entry.name[len(prefix) : -len(".tmp")].split(".")
            if (
                entry.name.startswith(prefix)
                and entry.name.endswith(".tmp")
                and len(middle) == 2
                and middle[0].isdigit()
                and not _process_alive(int(middle[0]))
            ):
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
