"""Language of the body: py3langid on a sample, the page's declaration as fallback.

py3langid (a numpy port of langid.py, Lui & Baldwin 2012) costs about
0.4 ms on 600 characters and 3 ms on 2,000 (measured on this machine),
so a 600-character sample from the body's middle is classified: enough
for a stable answer, and it skips datelines and bylines at the start.
"""

from __future__ import annotations

from copydesk.metadata.model import Metadata

MIN_BODY_CHARS = 60  # below this the identifier is a guess; the declaration is better
SAMPLE_CHARS = 600


def identify(body: str, declared: str | None, meta: Metadata) -> str | None:
    """ISO 639-1 code of the body, or the declared language when the body is short."""
    text = " ".join(body.split())
    if len(text) < MIN_BODY_CHARS:
        if declared:
            meta.add_candidate(
                "language",
                declared,
                "meta:declared",
                chosen=True,
                reason="body too short to identify",
            )
        return declared
    start = max(0, min(len(text) // 3, len(text) - SAMPLE_CHARS))
    import py3langid  # imported here: loading the model costs ~15 ms, only when needed

    code = str(py3langid.classify(text[start : start + SAMPLE_CHARS])[0])
    meta.add_candidate(
        "language",
        code,
        "body:py3langid",
        chosen=True,
        reason=f"identified on {min(len(text), SAMPLE_CHARS)} body characters",
    )
    if declared and declared != code:
        meta.add_candidate("language", declared, "meta:declared", rejected="body says otherwise")
    return code
