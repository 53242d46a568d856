"""Flag values of `copydesk extract` checked before anything runs (exit 2 with a reason).

A value that would turn every page into an error (`--timeout 0`, `nan`,
`--max-bytes -1`) or write somewhere harmful (`-o` equal to an input, or
inside an input folder, so the next run reads its own shards) is refused
here, instead of producing a run that "succeeds" with nothing but errors.
"""

from __future__ import annotations

import argparse
import math
import os

from copydesk.corpus.files import STDIN, is_many

# Output kinds by extension; `--format` must agree with the one OUT's name gives.
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonl.gz": "jsonl",
               ".ndjson.gz": "jsonl", ".parquet": "parquet", ".pq": "parquet",
               ".txt": "text", ".md": "markdown", ".markdown": "markdown"}


def check_values(args: argparse.Namespace) -> None:
    """ValueError naming the first flag whose value cannot work."""
    if not (math.isfinite(args.timeout) and args.timeout > 0):
        raise ValueError(f"--timeout must be a positive number of seconds, not {args.timeout}")
    for flag, value, low in (("--max-bytes", args.max_bytes, 1), ("--workers", args.workers, 1),
                             ("--worker-memory", args.worker_memory, 0),
                             ("--worker-max-pages", args.worker_max_pages, 1),
                             ("--shard-records", args.shard_records, 1)):
        if value < low:
            raise ValueError(f"{flag} must be at least {low}, not {value}")


def output_format(output: str | None, fmt: str | None, explain: bool) -> str | None:
    """The text format ("text"/"markdown") or None for rows; ValueError when OUT's
    extension is unknown or contradicts --format, or --explain cannot be written."""
    kind = fmt or "jsonl"
    if output is not None:
        by_name = _kind_of_name(output)
        if by_name is None:
            known = ", ".join(sorted(_EXTENSIONS))
            raise ValueError(f"-o {output}: unknown output extension (use one of {known})")
        if fmt is not None and fmt != by_name:
            raise ValueError(f"--format {fmt} contradicts -o {output} (a {by_name} file)")
        kind = by_name
    elif kind == "parquet":
        raise ValueError("--format parquet needs -o OUT.parquet (Parquet is not streamed)")
    if explain and kind != "jsonl":
        raise ValueError(f"--explain is written into JSONL rows only, not {kind} "
                         "(use -o OUT.jsonl, or no -o)")
    return kind if kind in ("text", "markdown") else None


def _kind_of_name(output: str) -> str | None:
    low = output.lower().rstrip("/")
    for suffix in sorted(_EXTENSIONS, key=len, reverse=True):
        if low.endswith(suffix):
            return _EXTENSIONS[suffix]
    return None


def check_output_path(output: str | None, inputs: list[str], shards: bool) -> None:
    """-o must not be an input, lie inside an input folder, or be an existing folder."""
    if output is None:
        return
    out = os.path.realpath(output)
    if os.path.isdir(output) and not shards:
        raise ValueError(f"-o {output} is a folder; name an output file")
    for spec in inputs:
        if spec == STDIN:
            continue
        real = os.path.realpath(spec)
        if out == real or out + ".parts" == real:
            raise ValueError(f"-o {output} is also an input: it would be overwritten")
        if os.path.isdir(spec) and (out + os.sep).startswith(real.rstrip(os.sep) + os.sep):
            raise ValueError(f"-o {output} is inside the input folder {spec}: the next run "
                             "would read its own output")


def check_url(url: str | None, inputs: list[str]) -> None:
    """--url names one page: refused for folders, globs and several inputs."""
    if url is None:
        return
    if len(inputs) != 1 or is_many(inputs[0]):
        raise ValueError("--url names the url of one page: give one page file (it is not "
                         "applied to every file of a folder or glob)")
