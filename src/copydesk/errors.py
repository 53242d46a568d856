"""The short error hierarchy. `extract()` never raises these to its caller:
it turns them into `Article(status=error, error=str(exc))`. Readers and
writers raise them for file-level problems the CLI reports."""


class CopydeskError(Exception):
    """Base of every error copydesk raises on purpose."""


class InputError(CopydeskError):
    """The input cannot be read as a page: binary, not HTML, undecodable."""


class TooLargeError(InputError):
    """The input exceeds a size cap (bytes, nodes, decompressed size)."""


class ExtractionTimeout(CopydeskError):
    """A page took longer than its deadline."""


class OutputError(CopydeskError):
    """An output file could not be written (disk full, permissions)."""
