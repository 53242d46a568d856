"""Language of the body: py3langid on a sample, the page's declaration as fallback.

py3langid (a numpy port of langid.py, Lui & Baldwin 2012) costs about
1-2 us per byte of input (measured on this machine), so a 256-byte sample
taken a little after the body's start is classified: enough for a stable
answer, and it skips datelines and bylines at the start.
"""

from __future__ import annotations

import io
import lzma
import math
from array import array
from typing import TYPE_CHECKING, Any

from copydesk.loading import loading
from copydesk.metadata.model import Metadata
from copydesk.metadata.vocab import FUNCTION_WORD_SHARE, FUNCTION_WORDS, SCRIPTS

if TYPE_CHECKING:
    import numpy as np
from copydesk.normalize import collapse_spaces

MIN_BODY_CHARS = 60  # below this the identifier is a guess; the declaration is better
SAMPLE_BYTES = 256  # py3langid walks bytes in Python (~1-2 us a byte); 256 suffice for prose
MIN_PROBABILITY = 0.9  # below this (normalised probability) a declared language wins
# Placeholder text ("lorem ipsum") is identified, rightly, as Latin; pages
# really written in Latin are vanishingly rare, so a declaration wins.
PLACEHOLDER_LANGUAGES = frozenset({"la"})


def _classify(sample: str) -> tuple[str, float]:
    """(language, normalised probability) with py3langid's shared model.

    The module-level identifier is used (not a second one with normalised
    probabilities) so the model loads once per process even when other parts
    of copydesk call py3langid too; the probability is the softmax of the raw
    scores that `rank` returns, at the temperature py3langid uses for its own
    normalised mode (sqrt of the byte length).
    """
    ranked = _identifier().rank(sample)
    top_lang, top = ranked[0]
    # py3langid's own calibration for norm_probs: temperature sqrt(bytes)
    temperature = math.sqrt(len(sample.encode("utf-8")) or 1)
    total = sum(math.exp((score - top) / temperature) for _lang, score in ranked)
    return str(top_lang), 1.0 / total


def _identifier() -> Any:
    """py3langid's shared identifier, its model read in memory the first time."""
    from py3langid import langid

    if langid.IDENTIFIER is None:
        with loading("language"):
            try:
                langid.IDENTIFIER = _load_in_memory(langid)
            except (OSError, KeyError, ValueError, TypeError, lzma.LZMAError):
                langid.IDENTIFIER = langid._get_identifier()  # its own loader: layout moved
    return langid.IDENTIFIER


def _load_in_memory(langid: Any) -> Any:
    """py3langid's shipped model without a temporary file.

    py3langid's own loader (0.4) inflates the 4.5 MB LZMA file to a
    temporary file first: a disk write on every start, and a crash under a
    file-size limit (`ulimit -f`). The 68 MB npz is read in memory instead
    (arrays as py3langid builds them: DFA tables as stdlib arrays).
    """
    import numpy as np  # with the model only: `import copydesk` does not need numpy

    with lzma.open(langid.MODEL_DIR / langid.MODEL_FILE) as src:
        raw = src.read()
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return langid.LanguageIdentifier(
            np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
            _stdlib_array(data["nextmove"]), data["out_feat"].tolist(),
            tk_row=_stdlib_array(data["nextmove_row"]))


def _stdlib_array(values: np.ndarray) -> array[int]:
    """An unsigned numpy array as the stdlib array py3langid's DFA walk indexes fast."""
    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(values.tobytes())  # (tobytes copies in C order, contiguous or not)
    return out


def model_loaded() -> bool:
    """Whether this process holds the identifier's model (a corpus parent asks, so the
    workers it forks later inherit it)."""
    from py3langid import langid

    return langid.IDENTIFIER is not None


def preload() -> None:
    """Load the identifier's model now (about 1.5 s) instead of inside the first page.

    Workers and benchmarks call this before their clocks run: pages whose
    declared language the body confirms never load the model, so without it
    the load lands on whichever page first needs the identifier.
    """
    _classify("a short sample to load the language model")


def identify(body: str, declared: str | None, meta: Metadata) -> str | None:
    """ISO 639-1 code of the body, or the declared language when the body is
    too short, the identifier unsure, or the text a placeholder."""
    text = collapse_spaces(body[:4000])  # only a sample is classified
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
    start = min(300, len(text) // 10, max(0, len(text) - SAMPLE_BYTES))
    if declared and body_confirms(text[start : start + 600], declared):
        meta.add_candidate(
            "language",
            declared,
            "meta:declared",
            chosen=True,
            reason="the body's function words / script confirm the declaration",
        )
        return declared
    sample = text[start : start + SAMPLE_BYTES].encode("utf-8")[:SAMPLE_BYTES]
    code, probability = _classify(sample.decode("utf-8", "ignore"))
    unsure = probability < MIN_PROBABILITY or code in PLACEHOLDER_LANGUAGES
    if declared and unsure:
        meta.add_candidate(
            "language", code, "body:py3langid", rejected=f"unsure (p={probability:.2f})"
        )
        meta.add_candidate(
            "language", declared, "meta:declared", chosen=True, reason="body identification unsure"
        )
        return declared
    meta.add_candidate(
        "language",
        code,
        "body:py3langid",
        chosen=True,
        reason=f"identified on the body (p={probability:.2f})",
    )
    if declared and declared != code:
        meta.add_candidate("language", declared, "meta:declared", rejected="body says otherwise")
    return code


def _word_languages() -> dict[str, tuple[str, ...]]:
    """Each function word -> the languages whose list (FUNCTION_WORDS) holds it."""
    found: dict[str, tuple[str, ...]] = {}
    for lang, words in FUNCTION_WORDS.items():
        for word in words:
            found[word] = (*found.get(word, ()), lang)
    return found


_LANGUAGES_OF = _word_languages()


def body_confirms(sample: str, declared: str) -> bool:
    """A cheap check (~20 us) that the body is written in the declared language:
    its commonest function words make up a good share of the words, or (for
    languages with their own script) that script dominates. Only then is the
    declaration taken without running the identifier (~0.3 ms)."""
    if declared in FUNCTION_WORDS:
        tokens = [t.strip(".,;:!?\"'()«»“”") for t in sample.casefold().split()]
        if len(tokens) < 20:
            return False
        hits = dict.fromkeys(FUNCTION_WORDS, 0)
        for token in tokens:  # one lookup per token, not one per token and language
            for lang in _LANGUAGES_OF.get(token, ()):
                hits[lang] += 1
        best = max(hits.values())
        return hits[declared] >= FUNCTION_WORD_SHARE * len(tokens) and hits[declared] == best
    script = SCRIPTS.get(declared)
    if script is None:
        return False
    letters = [ch for ch in sample if ch.isalpha()]
    if len(letters) < 20 or sum(1 for ch in letters if script(ch)) < 0.6 * len(letters):
        return False
    if declared in ("ja", "zh"):  # kana tells Japanese from Chinese
        kana = sum(1 for ch in letters if "\u3040" <= ch <= "\u30ff")
        return kana >= 0.1 * len(letters) if declared == "ja" else kana == 0
    return True
