"""Extractors side by side: copydesk and its peers behind one small interface.

Each adapter turns a `Page` into the body text (`text`) and, where the tool
offers it, metadata (`metadata`: a dict with the keys of `META_FIELDS`).
Tools that take bytes get the raw bytes (they decode as they see fit; so does
copydesk); tools that need `str` get it from `decode_for_peer` inside the
timed call, so every extractor pays for its own decoding. A peer that is not
installed is skipped with a note; a peer that raises on one page gives an
empty prediction for that page, counted as a failure by the runner.
"""

from __future__ import annotations

import importlib
import logging
import re
import warnings
from collections.abc import Callable
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

from copydesk_lab.bench.datasets import Page
from copydesk_lab.bench.htmltext import html_to_text

META_FIELDS: tuple[str, ...] = ("title", "authors", "site_name", "date", "language")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""",
                           re.IGNORECASE)
_HTML_LANG = re.compile(rb"""<html[^>]{0,500}?\blang\s*=\s*["']?\s*([A-Za-z]{2,3})""",
                        re.IGNORECASE)


def decode_for_peer(data: bytes) -> str:
    """bytes -> str for tools that want str: BOM, then <meta charset>, then UTF-8, then cp1252.

    A deliberately plain decoder (no detector) so peers are not handed
    copydesk's own decoding work.
    """
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def page_language(data: bytes) -> str | None:
    """Primary subtag of `<html lang>`, lower-cased, or None."""
    match = _HTML_LANG.search(data[:65536])
    return match.group(1).decode("ascii").lower() if match else None


class Extractor:
    """One tool. `setup()` imports it (outside any timing); `text()` / `metadata()` run it."""

    name = ""
    package = ""  # distribution name, for the version column
    meta_fields: tuple[str, ...] = ()  # fields the tool offers; others are "n/a"

    def setup(self) -> None:
        raise NotImplementedError

    def text(self, page: Page) -> str:
        raise NotImplementedError

    def metadata(self, page: Page) -> dict[str, Any]:
        raise NotImplementedError

    def version(self) -> str:
        try:
            return importlib_metadata.version(self.package)
        except importlib_metadata.PackageNotFoundError:
            return "?"


class Copydesk(Extractor):
    name, package = "copydesk", "copydesk"
    meta_fields = META_FIELDS

    def __init__(self, with_metadata: bool = False) -> None:
        self.with_metadata = with_metadata
        # (dataset, page id) -> the page type extract() predicted, for the accuracy row
        self.page_types: dict[tuple[str, str], str | None] = {}

    def setup(self) -> None:
        from copydesk import extract
        from copydesk.metadata.language import preload

        self._extract = extract
        if self.with_metadata:
            preload()  # the language model loads once per process, outside the timed pass

    def text(self, page: Page) -> str:
        article = self._extract(page.html_bytes, url=page.url, markdown=False,
                                metadata=self.with_metadata)
        self.page_types[page.dataset, page.id] = article.page_type
        return article.text or ""

    def metadata(self, page: Page) -> dict[str, Any]:
        article = self._extract(page.html_bytes, url=page.url, markdown=False, metadata=True)
        authors = list(article.authors or [])
        if article.agency:
            authors.append(article.agency)
        # "people": the authors field alone (scored fields credit the agency too),
        # for the check that no agency is ever listed as a person.
        return {"title": article.title, "authors": authors, "site_name": article.site_name,
                "date": article.date_published, "language": article.language,
                "people": list(article.authors or [])}


class CopydeskFolds(Copydesk):
    """copydesk typing and scoring each page with the models of the fold that did not see its site.

    `models_dir` holds `fold-<k>.json` (block model) and `pagetype-fold-<k>.json`
    (the page-type model that fold was trained and scored with), written by
    `python -m copydesk_lab.classify.train --cv-models DIR`; the fold of a page
    is `blockmodel.fold_of(page.site)`, the rule the trainer used. The page
    type decides what is read (hidden tabs on `classify.page.HIDDEN_TYPES`)
    and how the block model decides, so both models come from the fold: this
    is the cross-validated (out-of-fold) row of the benchmark, the trainer's
    out-of-fold figure measured through `extract()`.
    """

    name = "copydesk (cv)"

    def __init__(self, models_dir: Path, with_metadata: bool = False) -> None:
        super().__init__(with_metadata)
        self.models_dir = Path(models_dir)

    def setup(self) -> None:
        from copydesk.classify import blockmodel
        from copydesk.pagetype import model as pagetype_model

        super().setup()
        folds = range(blockmodel.FOLDS)
        missing = [name for k in folds for name in (f"fold-{k}.json", f"pagetype-fold-{k}.json")
                   if not (self.models_dir / name).is_file()]
        if missing:
            raise FileNotFoundError(f"{self.models_dir}: missing fold models {', '.join(missing)} "
                                    "(python -m copydesk_lab.classify.train --cv-models DIR)")
        self._models = [blockmodel.load(self.models_dir / f"fold-{k}.json") for k in folds]
        self._types = [pagetype_model.load(self.models_dir / f"pagetype-fold-{k}.json")
                       for k in folds]
        self._fold_of = blockmodel.fold_of
        self._use = blockmodel.use_model
        self._use_types = pagetype_model.use_model

    def text(self, page: Page) -> str:
        fold = self._fold_of(page.site)
        with self._use(self._models[fold]), self._use_types(self._types[fold]):
            return super().text(page)


class CopydeskRules(Copydesk):
    """copydesk with the rule ladder alone (no block model): what the model adds."""

    name = "copydesk (rules)"

    def setup(self) -> None:
        from copydesk.classify import blockmodel

        super().setup()
        self._use = blockmodel.use_model

    def text(self, page: Page) -> str:
        with self._use(None):
            return super().text(page)


class Trafilatura(Extractor):
    name, package = "trafilatura", "trafilatura"
    meta_fields = ("title", "authors", "site_name", "date")  # no language without a target

    def setup(self) -> None:
        import trafilatura

        self._mod = trafilatura

    def text(self, page: Page) -> str:
        # Comments off, as in the AEB's published trafilatura run (the gold
        # bodies never include comments); every other setting is the default.
        return self._mod.extract(page.html_bytes, url=page.url, include_comments=False) or ""

    def metadata(self, page: Page) -> dict[str, Any]:
        doc = self._mod.extract_metadata(decode_for_peer(page.html_bytes), default_url=page.url)
        if doc is None:
            return {}
        authors = [a.strip() for a in (doc.author or "").split(";") if a.strip()]
        return {"title": doc.title, "authors": authors, "site_name": doc.sitename,
                "date": doc.date}


class ReadabilityLxml(Extractor):
    name, package = "readability-lxml", "readability-lxml"

    def setup(self) -> None:
        from readability import Document

        logging.getLogger("readability.readability").setLevel(logging.ERROR)
        self._doc = Document

    def text(self, page: Page) -> str:
        return html_to_text(self._doc(page.html_bytes, url=page.url).summary())


class Newspaper4k(Extractor):
    name, package = "newspaper4k", "newspaper4k"
    meta_fields = META_FIELDS

    def setup(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import newspaper
        self._mod = newspaper
        self._config = newspaper.Config()
        self._config.fetch_images = False
        self._config.memoize_articles = False

    def _parse(self, page: Page) -> Any:
        article = self._mod.Article(page.url or "", config=self._config)
        article.download(input_html=decode_for_peer(page.html_bytes))
        article.parse()
        return article

    def text(self, page: Page) -> str:
        return self._parse(page).text or ""

    def metadata(self, page: Page) -> dict[str, Any]:
        a = self._parse(page)
        return {"title": a.title, "authors": list(a.authors or []),
                "site_name": a.meta_site_name or None, "date": a.publish_date,
                "language": a.meta_lang or None}


class Goose3(Extractor):
    name, package = "goose3", "goose3"
    meta_fields = META_FIELDS

    def setup(self) -> None:
        from goose3 import Goose

        logging.getLogger("goose3").setLevel(logging.ERROR)
        self._goose = Goose({"enable_image_fetching": False})

    def text(self, page: Page) -> str:
        return self._goose.extract(raw_html=decode_for_peer(page.html_bytes)).cleaned_text or ""

    def metadata(self, page: Page) -> dict[str, Any]:
        a = self._goose.extract(raw_html=decode_for_peer(page.html_bytes))
        og = a.opengraph or {}
        return {"title": a.title, "authors": list(a.authors or []),
                "site_name": og.get("site_name"), "date": a.publish_date,
                "language": a.meta_lang or None}


# ISO 639-1 code -> jusText stoplist name, for the languages jusText ships.
JUSTEXT_LANGUAGES: dict[str, str] = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "ms": "Malay",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian",
    "ur": "Urdu", "vi": "Vietnamese",
}


class Justext(Extractor):
    name, package = "justext", "jusText"

    def setup(self) -> None:
        import justext

        self._mod = justext
        self._stoplists: dict[str, frozenset[str]] = {}
        self._known = set(justext.get_stoplists())

    def _stoplist(self, data: bytes) -> frozenset[str]:
        name = JUSTEXT_LANGUAGES.get(page_language(data) or "", "English")
        if name not in self._known:
            name = "English"
        if name not in self._stoplists:
            self._stoplists[name] = self._mod.get_stoplist(name)
        return self._stoplists[name]

    def text(self, page: Page) -> str:
        paragraphs = self._mod.justext(page.html_bytes, self._stoplist(page.html_bytes))
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


class Boilerpy3(Extractor):
    name, package = "boilerpy3", "boilerpy3"

    def setup(self) -> None:
        from boilerpy3 import extractors

        logging.getLogger("boilerpy3").setLevel(logging.ERROR)
        self._extractor = extractors.ArticleExtractor(raise_on_failure=False)

    def text(self, page: Page) -> str:
        return self._extractor.get_content(decode_for_peer(page.html_bytes)) or ""


class Resiliparse(Extractor):
    name, package = "resiliparse", "resiliparse"

    def setup(self) -> None:
        from resiliparse.extract.html2text import extract_plain_text
        from resiliparse.parse.encoding import bytes_to_str, detect_encoding

        self._extract = extract_plain_text
        self._to_str, self._detect = bytes_to_str, detect_encoding

    def text(self, page: Page) -> str:
        html = self._to_str(page.html_bytes, self._detect(page.html_bytes) or "utf-8")
        return self._extract(html, main_content=True) or ""


class Htmldate(Extractor):
    """Dates only (metadata benchmark)."""

    name, package = "htmldate", "htmldate"
    meta_fields = ("date",)

    def setup(self) -> None:
        from htmldate import find_date

        self._find = find_date

    def metadata(self, page: Page) -> dict[str, Any]:
        # original_date: the publication date, not the latest date on the page.
        return {"date": self._find(page.html_bytes, url=page.url, original_date=True)}


TEXT_PEERS: tuple[str, ...] = ("trafilatura", "readability-lxml", "newspaper4k", "goose3",
                               "justext", "boilerpy3", "resiliparse")
META_PEERS: tuple[str, ...] = ("trafilatura", "newspaper4k", "goose3", "htmldate")

_CLASSES: dict[str, Callable[[], Extractor]] = {
    cls.name: cls for cls in (Trafilatura, ReadabilityLxml, Newspaper4k, Goose3, Justext,
                              Boilerpy3, Resiliparse, Htmldate)
}
_ALIASES = {"readability": "readability-lxml", "newspaper": "newspaper4k", "goose": "goose3",
            "boilerpipe": "boilerpy3"}


def resolve_names(requested: str | None, default: tuple[str, ...]) -> list[str]:
    """Peer names from a comma-separated option (aliases allowed); `default` when empty."""
    if not requested:
        return list(default)
    names = []
    for raw in requested.split(","):
        name = _ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if not name:
            continue
        if name not in _CLASSES:
            raise ValueError(f"unknown peer {raw.strip()!r}; known: {', '.join(sorted(_CLASSES))}")
        names.append(name)
    return names


def load_peers(names: list[str]) -> tuple[list[Extractor], list[str]]:
    """Set up the named peers; returns (ready peers, notes about skipped ones)."""
    ready, notes = [], []
    for name in names:
        peer = _CLASSES[name]()
        try:
            peer.setup()
        except ImportError as exc:
            notes.append(f"{name}: skipped, not installed ({exc}); `pip install -e ./lab`")
            continue
        ready.append(peer)
    return ready, notes


def installed(module: str) -> bool:
    """True when `module` can be imported (used by tests to skip)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True
