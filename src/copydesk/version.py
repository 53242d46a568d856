"""The version of copydesk: one place, read by the package, the CLI, the fetcher's
User-Agent and WARC headers, and the build (pyproject.toml: dynamic version)."""

__version__ = "0.1.0"
