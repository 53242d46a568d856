"""Input specs -> a stable list of input files, each readable or with a reason.

Specs are files, folders (walked recursively, sorted, symlinked folders not
followed so a symlink loop cannot trap the walk), globs, or `-` for stdin.
Anything that is not a regular file (FIFO, device such as a link to
`/dev/zero`, dangling link, symlink loop, unreadable file) becomes an
`InputFile` with `error` set: the reader turns it into one error row.

A file is listed once per run, however many specs reach it (`dir/**/*`
matches the folder and its files; a file named twice): later sightings are
counted in the summary (`input named twice`), by real path.

The folder walk takes page files by suffix (`.html`, `.shtml`, `.php`,
`.aspx`, ... and wget's `page.php?id=3` names), containers (`.gz`, `.warc`,
`.wet`, `.jsonl`, ...), and files without an extension whose first bytes look
like markup, a WARC or gzip (a wget mirror's `news/story`). Every other file
is counted by its extension in the summary; `--include GLOB` takes files
that match GLOB (name or path relative to the folder) whatever their name.
"""

from __future__ import annotations

import fnmatch
import glob
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass

from copydesk.corpus.ids import display_path
from copydesk.corpus.items import ReadStats

STDIN = "-"
PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".php", ".php3",
                 ".asp", ".aspx", ".jsp", ".jspx", ".cfm", ".txt", ".text")
CONTAINER_SUFFIXES = (".gz", ".warc", ".wet", ".arc", ".jsonl", ".ndjson", ".json")
# Suffixes picked up when walking a folder (explicit files are always read).
FOLDER_SUFFIXES = PAGE_SUFFIXES + CONTAINER_SUFFIXES
_GLOB_CHARS = frozenset("*?[")
_MARKUP_STARTS = (b"<", b"WARC/", b"\x1f\x8b", b"{")


@dataclass(slots=True)
class InputFile:
    """One input: `path` to open (or "-"), `name` as printed, `error` if unusable."""

    path: str
    name: str
    error: str | None = None
    folder: str | None = None  # site-template fallback key of a page file (see `folder_key`)


class _Walk:
    """One expansion of the specs: remembers real paths so nothing is listed twice."""

    def __init__(self, stats: ReadStats, include: tuple[str, ...]) -> None:
        self.stats, self.include = stats, include
        self.seen: set[str] = set()

    def once(self, entry: InputFile) -> bool:
        if entry.path == STDIN or entry.error is not None:
            return True
        real = os.path.realpath(entry.path)
        if real in self.seen:
            self.stats.skips["input named twice (read once)"] += 1
            return False
        self.seen.add(real)
        return True


def expand_inputs(specs: list[str], stats: ReadStats | None = None,
                  include: tuple[str, ...] = ()) -> Iterator[InputFile]:
    """Every input file, in the order given; folders and globs sorted."""
    walk = _Walk(stats or ReadStats(), include)
    for spec in specs:
        for entry in _expand_spec(spec, walk):
            if walk.once(entry):
                yield entry


def _expand_spec(spec: str, walk: _Walk) -> Iterator[InputFile]:
    if spec == STDIN:
        yield InputFile(STDIN, "<stdin>")
    elif _is_glob(spec) and not os.path.lexists(spec):
        yield from _expand_glob(spec, walk)
    elif os.path.isdir(spec) and not os.path.islink(spec.rstrip("/") or "/"):
        yield from _walk_folder(spec, walk)
    else:
        yield check_file(spec)


def is_many(spec: str) -> bool:
    """Does this spec name more than one file (folder, glob)?"""
    return spec != STDIN and ((_is_glob(spec) and not os.path.lexists(spec))
                              or os.path.isdir(spec))


def _is_glob(spec: str) -> bool:
    return any(ch in _GLOB_CHARS for ch in spec)


def _expand_glob(pattern: str, walk: _Walk) -> Iterator[InputFile]:
    matches = sorted(glob.glob(pattern, recursive=True))
    if not matches:
        yield InputFile(pattern, display_path(pattern), "no file matches the pattern")
    for path in matches:
        if os.path.isdir(path) and not os.path.islink(path):
            yield from _walk_folder(path, walk)
        else:
            yield check_file(path)


def _walk_folder(root: str, walk: _Walk) -> Iterator[InputFile]:
    """Files under `root`, depth first, names sorted; hidden entries skipped."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.startswith("."):
                walk.stats.skips["folder walk: hidden file"] += 1
                continue
            why = _why_skip(path, name, os.path.relpath(path, root), walk.include)
            if why:
                walk.stats.skips[f"folder walk: {why}"] += 1
                continue
            yield check_file(path, folder_key(root, folder))


def _why_skip(path: str, name: str, rel: str, include: tuple[str, ...]) -> str | None:
    """None when the walk takes the file, else the reason it is passed over."""
    if any(fnmatch.fnmatch(name, g) or fnmatch.fnmatch(rel, g) for g in include):
        return None
    base = name.split("?", 1)[0].lower()  # wget keeps the query: page.php?id=3
    if base.endswith(FOLDER_SUFFIXES):
        return None
    suffix = os.path.splitext(base)[1]
    if not suffix or len(suffix) > 6 or not suffix[1:].isalnum():
        return None if _looks_like_input(path) else "no extension, not markup"
    return f"{suffix} file"


def _looks_like_input(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return True  # let the reader give the row with the reason
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(_MARKUP_STARTS)


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
