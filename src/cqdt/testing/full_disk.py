"""A filesystem store whose disk fills up (``ENOSPC``, or the quota: ``EDQUOT``) for the tests.

Django's ``FileSystemStorage`` creates a file, then writes its content; here, once ``room``
files have been written, the next write puts half its bytes on disk and fails as a full disk
does — so a test sees what a real full disk leaves: an error, and a file begun under its name.
Only the storage module's ``os`` is replaced (through pytest's ``monkeypatch``): the database,
the sessions and the rest of the process write as usual.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from typing import Any


class _Filling:
    """A file being written when the disk fills up: half of the first chunk, then the error."""

    def __init__(self, handle: Any, code: int) -> None:
        self.handle = handle
        self.code = code

    def write(self, data: bytes) -> int:
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        raise OSError(self.code, os.strerror(self.code))

    def close(self) -> None:
        self.handle.close()


@dataclass
class Disk:
    """``os`` as the storage module sees it: ``room`` more files fit, then the disk is full."""

    room: int = 0
    code: int = errno.ENOSPC
    refused: int = 0  # writes refused so far

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = os.fdopen(fd, *args, **kwargs)
        if self.room > 0:
            self.room -= 1
            return handle
        self.refused += 1
        return _Filling(handle, self.code)


def disk_full(monkeypatch: Any, *, room: int = 0, code: int = errno.ENOSPC) -> Disk:
    """From now on (until the test ends), the filesystem store has room for ``room`` files."""
    from django.core.files.storage import filesystem

    disk = Disk(room=room, code=code)
    monkeypatch.setattr(filesystem, "os", disk)
    return disk
