"""Input specs -> a stable list of input files, each readable or with a reason.

Specs are files, folders (walked recursively, sorted, symlinked folders not
followed so a symlink loop cannot trap the walk), globs, or `-` for stdin.
Anything that is not a regular file (FIFO, device such as a link to
`/dev/zero`, dangling link, symlink loop, unreadable file) becomes an
`InputFile` with `error` set: the reader turns it into one error row.
"""

from __future__ import annotations

import glob
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from copydesk.corpus.ids import display_path

STDIN = "-"
# Suffixes picked up when walking a folder (explicit files are always read).
FOLDER_SUFFIXES = (
    ".html", ".htm", ".xhtml", ".txt", ".gz", ".warc", ".arc",
    ".jsonl", ".ndjson", ".json",
)
_GLOB_CHARS = frozenset("*?[")


@dataclass(slots=True)
class InputFile:
    """One input: `path` to open (or "-"), `name` as printed, `error` if unusable."""

    path: str
    name: str
    error: str | None = None
    folder: str | None = None  # site-template fallback key of a page file (see `folder_key`)


def expand_inputs(specs: list[str]) -> Iterator[InputFile]:
    """Every input file, in the order given; folders and globs sorted."""
    for spec in specs:
        if spec == STDIN:
            yield InputFile(STDIN, "<stdin>")
        elif _is_glob(spec) and not os.path.lexists(spec):
            yield from _expand_glob(spec)
        elif os.path.isdir(spec) and not os.path.islink(spec.rstrip("/") or "/"):
            yield from _walk_folder(spec)
        else:
            yield check_file(spec)


def _is_glob(spec: str) -> bool:
    return any(ch in _GLOB_CHARS for ch in spec)


def _expand_glob(pattern: str) -> Iterator[InputFile]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield InputFile(pattern, display_path(pattern), "no file matches the pattern")
    for path in matches:
        if os.path.isdir(path) and not os.path.islink(path):
            yield from _walk_folder(path)
        else:
            yield check_file(path)


def _walk_folder(root: str) -> Iterator[InputFile]:
    """Files under `root`, depth first, names sorted; hidden entries skipped."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(FOLDER_SUFFIXES):
                continue
            yield check_file(os.path.join(folder, name), folder_key(root, folder))


def folder_key(root: str | None, folder: str) -> str:
    """A page file's folder as a site key: `ROOT/sub/dir` for a file found under the
    input folder ROOT (its name, not its absolute path, so the key survives a move),
    else the name of the file's own folder."""
    if root is None:
        return display_path(os.path.basename(os.path.abspath(folder)) or "/")
    base = os.path.basename(os.path.abspath(root)) or "/"
    rel = os.path.relpath(folder, root)
    return display_path(base if rel == "." else os.path.join(base, rel))


def check_file(path: str, folder: str | None = None) -> InputFile:
    """An InputFile for `path`, with the reason it cannot be read, if any."""
    folder = folder or folder_key(None, os.path.dirname(path) or ".")
    name = display_path(path)
    try:
        info = os.stat(path)
    except OSError as exc:
        return InputFile(path, name, f"cannot read: {_os_reason(exc)}", folder)
    if stat.S_ISFIFO(info.st_mode):
        return InputFile(path, name, "not a regular file: FIFO", folder)
    if not stat.S_ISREG(info.st_mode):
        return InputFile(path, name, "not a regular file: device or socket", folder)
    if not os.access(path, os.R_OK):
        return InputFile(path, name, "cannot read: permission denied", folder)
    return InputFile(path, name, folder=folder)


def _os_reason(exc: OSError) -> str:
    """strerror without the path (the path is already the row's source)."""
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
