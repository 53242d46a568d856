"""Vocabulary of the metadata reader: month names, labels, roles, separators.

All word lists the metadata modules use live here, compiled once at import.
Month names and labels cover English, German, French, Spanish, Portuguese,
Italian, Korean, Japanese and Chinese (from each language's standard
calendar vocabulary); the byline roles and labels come from inspecting
credit lines on news sites in those languages (general conventions, not
one site's wording).
"""

from __future__ import annotations

import re
from collections.abc import Callable


def _words(text: str) -> list[str]:
    return text.split()


# Month name (lower case, accents kept) -> month number.
_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "january",
        "jan",
        "januar",
        "jänner",
        "janvier",
        "janv",
        "enero",
        "ene",
        "janeiro",
        "gennaio",
        "gen",
    ),
    2: (
        "february",
        "feb",
        "februar",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "febrero",
        "fevereiro",
        "fev",
        "febbraio",
    ),
    3: ("march", "mar", "märz", "maerz", "mär", "mars", "marzo", "março", "marco"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno", "giu"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug"),
    8: ("august", "aug", "août", "aout", "agosto", "ago"),
    9: (
        "september",
        "sep",
        "sept",
        "septembre",
        "septiembre",
        "setiembre",
        "setembro",
        "settembre",
        "set",
    ),
    10: (
        "october",
        "oct",
        "oktober",
        "okt",
        "octobre",
        "octubre",
        "outubro",
        "out",
        "ottobre",
        "ott",
    ),
    11: ("november", "nov", "novembre", "noviembre", "novembro"),
    12: (
        "december",
        "dec",
        "dezember",
        "dez",
        "décembre",
        "déc",
        "decembre",
        "diciembre",
        "dic",
        "dezembro",
        "dicembre",
    ),
}
# More languages for the date parser only (Dutch, Scandinavian, Polish, Czech,
# Russian in the genitive and nominative, Turkish, Arabic, Indonesian):
# the byline and text filters keep the table above.
_MORE_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: ("januari", "jan.", "stycznia", "styczeń", "ledna", "января", "январь", "янв", "ocak",
        "يناير", "كانون الثاني"),
    2: ("februari", "lutego", "luty", "února", "февраля", "февраль", "фев", "şubat", "subat",
        "فبراير", "شباط"),
    3: ("maart", "marts", "marca", "marzec", "března", "марта", "март", "mart", "مارس", "آذار"),
    4: ("kwietnia", "kwiecień", "dubna", "апреля", "апрель", "апр", "nisan", "أبريل", "إبريل",
        "نيسان"),
    5: ("mei", "maj", "maja", "května", "мая", "май", "mayıs", "mayis", "مايو", "أيار"),
    6: ("czerwca", "czerwiec", "června", "июня", "июнь", "haziran", "يونيو", "حزيران"),
    7: ("lipca", "lipiec", "července", "июля", "июль", "temmuz", "يوليو", "تموز"),
    8: ("augustus", "augusti", "sierpnia", "sierpień", "srpna", "августа", "август", "авг",
        "ağustos", "agustus", "agustos", "أغسطس", "آب"),
    9: ("września", "wrzesień", "září", "сентября", "сентябрь", "сен", "eylül", "eylul",
        "سبتمبر", "أيلول"),
    10: ("oktober", "października", "październik", "října", "октября", "октябрь", "окт", "ekim",
         "أكتوبر", "تشرين الأول"),
    11: ("listopada", "listopad", "ноября", "ноябрь", "ноя", "kasım", "kasim", "نوفمبر",
         "تشرين الثاني"),
    12: ("desember", "grudnia", "grudzień", "prosince", "декабря", "декабрь", "дек", "aralık",
         "aralik", "ديسمبر", "كانون الأول"),
}
MONTHS: dict[str, int] = {w: n for n, words in _MONTH_WORDS.items() for w in words}
MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
DATE_MONTHS: dict[str, int] = {
    **MONTHS,
    **{w.rstrip("."): n for n, words in _MORE_MONTH_WORDS.items() for w in words},
}
DATE_MONTH_ALT = "|".join(re.escape(w) for w in sorted(DATE_MONTHS, key=len, reverse=True))

# Time-zone abbreviations that name one offset (ambiguous ones such as IST,
# CST are left out: we never invent a zone).
ZONE_ABBREVIATIONS: dict[str, str] = {
    "utc": "+00:00",
    "gmt": "+00:00",
    "z": "+00:00",
    "est": "-05:00",
    "edt": "-04:00",
    "pst": "-08:00",
    "pdt": "-07:00",
    "mst": "-07:00",
    "mdt": "-06:00",
    "bst": "+01:00",
    "cet": "+01:00",
    "cest": "+02:00",
    "mez": "+01:00",
    "mesz": "+02:00",
    "kst": "+09:00",
    "jst": "+09:00",
    "hkt": "+08:00",
    "sgt": "+08:00",
    "aest": "+10:00",
    "aedt": "+11:00",
}

# Labels that introduce a publication or an update time, in text dumps and
# visible datelines. Order matters only for readability.
PUBLISHED_LABELS = (
    r"published(?:\s+on)?",
    r"posted(?:\s+on)?",
    r"first\s+published",
    r"date",
    r"released",
    r"asked",  # a question's own date (Q&A sites: "asked Feb 11, 2011 at 23:49")
    r"veröffentlicht(?:\s+am)?",
    r"publiziert(?:\s+am)?",
    r"publicado(?:\s+em)?",
    r"erschienen(?:\s+am)?",
    r"publié(?:\s+le)?",
    r"publicado(?:\s+el)?",
    r"pubblicato(?:\s+il)?",
    r"입력",
    r"등록",
    r"기사입력",
    r"公開日?",
    r"投稿日?",
    r"配信",
    r"掲載",
    r"发布(?:时间)?",
    r"發布(?:時間)?",
    r"发表(?:时间)?",
    r"时间",
    r"時間",
    r"日期",
    r"gepubliceerd(?:\s+op)?",
    r"geplaatst(?:\s+op)?",
    r"publicerad",
    r"publiceret",
    r"publisert",
    r"opublikowano",
    r"publikováno",
    r"опубликовано",
    r"дата\s+публикации",
    r"yayınlanma(?:\s+tarihi)?",
    r"diterbitkan",
    r"تاريخ\s+النشر",
    r"نشر\s+في",
    r"게시",
    r"작성일?",
    r"发布于",
    r"投稿日時",
)
MODIFIED_LABELS = (
    r"(?:last\s+)?updated(?:\s+on)?",
    r"(?:last\s+)?modified(?:\s+on)?",
    r"revised",
    r"edited",
    r"aktualisiert(?:\s+am)?",
    r"zuletzt\s+aktualisiert",
    r"mis\s+à\s+jour(?:\s+le)?",
    r"actualizado(?:\s+el)?",
    r"atualizado(?:\s+em)?",
    r"aggiornato(?:\s+il)?",
    r"수정",
    r"최종\s*수정",
    r"업데이트",
    r"更新日?(?:時)?",
    r"最終更新",
    r"更新时间",
    r"修改时间",
    r"更新于",
    r"(?:laatst\s+)?bijgewerkt(?:\s+op)?",
    r"uppdaterad",
    r"opdateret",
    r"oppdatert",
    r"zaktualizowano",
    r"aktualizováno",
    r"обновлено",
    r"изменено",
    r"güncellenme(?:\s+tarihi)?",
    r"diperbarui",
    r"آخر\s+تحديث",
    r"تم\s+التحديث",
    r"(?:medically\s+|fact[\s-]checked\s+|last\s+)?reviewed(?:\s+on)?",
    r"refreshed",
)
_LABEL_TAIL = r"\s*(?:at|am|on|le|el|:|：|-|–)?\s*[:：]?\s*"
PUBLISHED_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(PUBLISHED_LABELS) + r")(?![^\W\d_])" + _LABEL_TAIL, re.IGNORECASE
)
MODIFIED_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(MODIFIED_LABELS) + r")(?![^\W\d_])" + _LABEL_TAIL, re.IGNORECASE
)

# Words that introduce a byline ("By Jane Doe", "Par ...", "Von ...").
BYLINE_PREFIX_RE = re.compile(
    r"^\s*(?:(?:written|reported|words|text|story|posted|photos?|edited)\s+)?"
    r"(?:by|par|von|por|di|door|av|af|de|texto|text|autor(?:in)?|author|auteur|作者|文|글)"
    r"\s*[:：]?\s+",
    re.IGNORECASE,
)
# A byline line: "By ...", "Par ...", or a CJK name followed by its title
# ("홍길동 기자", "山田太郎 記者").
BYLINE_LINE_RE = re.compile(
    r"^\s*(?:by|par|von|por|door)\s+\S|^\s*\S{2,5}(?:\s\S{2,5})?\s*(?:기자|특파원|記者|记者|特派員)"
    r"(?:\s|$|[(=,])",
    re.IGNORECASE,
)

# Job titles and credit words stripped from names (lower case).
ROLE_WORDS = frozenset(
    _words("""
staff writer writers reporter reporters correspondent correspondents editor editors
contributor contributors contributing senior chief special columnist columnists
associate assistant managing deputy political business md phd ma mba msc mph rn dr prof
ms rdn rd cscs msw lcsw jd esq cfa cpa mfa bsc
sports science technology health foreign national international digital online
producer analyst intern freelance freelancer photographer photographers photo photos
video author authors journalist journalists redakteur redaktion redakteurin
rédaction rédacteur journaliste correspondant envoyé spécial redacción redactor
periodista corresponsal 기자 특파원 논설위원 記者 编辑 記者団 责任编辑 記
expert experts reviewer reviewers reviewed executive director directors manager marketing
founder co-founder cofounder ceo cto coo president vice head lead specialist strategist
consultant coach researcher research admin administrator moderator guest
""")
)

# Lower-case particles inside personal names ("Michiel de Jong", "Ludwig van
# Beethoven", "Osama bin Laden", "Lauren del Valle").
NAME_PARTICLES = frozenset(
    _words("""
de da das do dos du del della dei der den des di la le lo van von vom zu zur ter ten
bin ibn al el y e 't d' mc ap ó
""")
)

# Words that mark an organisation rather than a person (lower case).
ORG_WORDS = frozenset(
    _words("""
staff desk team news newsroom media sport sports inc inc. llc ltd ltd. corp corp. corporation
company group agency agencies press wire services service network networks magazine
newspaper times post herald journal daily tribune gazette editorial editors board
foundation institute university association organization organisation society council
department ministry ministries
office community contributors wikipedia wikimedia projects www http https com
clinic hospital blog labs studio studios academy school club shop store solutions
""")
)

# Separators between a headline and a site name in <title> and og:title.
TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-–—·•:/»>]{1,2}\s+|\s*(?:::|\|\||｜|：|_)\s*")

# Copyright lines ("© 2020 The Site. All rights reserved.").
COPYRIGHT_RE = re.compile(
    r"(?:©|ⓒ|\(c\)|&copy;|copyright\b)\s*(?:©|ⓒ|\(c\)|notice\b|copyright\b)?\s*"
    r"(?:(?:\d{4}|(?-i:[MDCLXVI]{2,}))(?:\s*[-–]\s*(?:\d{4}|(?-i:[MDCLXVI]{2,})))?)?\s*[,.:-]?\s*"
    r"(?:by\s+)?(?P<holder>(?:www\.)?[\w-]+\.(?:com|net|org|co\.uk|co|info|biz|[a-z]{2})\b"
    r"|[^.|©ⓒ]{2,80}?)\s*(?:[,.|]|\ball rights\b|$)",
    re.IGNORECASE,
)
# What a copyright line says besides the holder: never a site name.
COPYRIGHT_NOT_HOLDER_RE = re.compile(
    r"\b(?:all\s+rights|rights\s+reserved|reserved|owned|licen[cs]ed|notice|this\s+(?:site|website|"
    r"page)|unless\s+otherwise|powered\s+by|terms|privacy|www)\b|^(?:the\s+)?(?:copyright|all)$",
    re.IGNORECASE,
)
# Corporate suffixes that name an owner rather than the publication.
CORPORATE_SUFFIX_RE = re.compile(
    r"[,\s]+(?:corporation|corp\.?|inc\.?|llc|ltd\.?|limited|co\.|company|gmbh|ag|s\.a\.|"
    r"plc|holdings|group)\s*$",
    re.IGNORECASE,
)


# The commonest function words of languages that share the Latin script
# (top of each language's frequency lists), to confirm a declared language
# cheaply. Measured on the dev corpora's bodies (AEB, Readability,
# newspaper4k; language by py3langid on 3,000 chars, share on a 600-char
# sample): the right list covers >= 0.23 of the words on 90% of bodies,
# another language's list at most 0.27 (Romance lists overlap). So the
# declared language must reach FUNCTION_WORD_SHARE *and* beat every other
# list; otherwise the identifier decides.
FUNCTION_WORD_SHARE = 0.2
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        _words("""
the of and to a in is that for it on was with as by at be this are from he i not
or have an his but they has had which you were their
""")
    ),
    "de": frozenset(
        _words("""
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als
auch es an werden aus er hat dass sie nach wird bei
""")
    ),
    "fr": frozenset(
        _words("""
de la le et les des en du un une est que pour qui dans a par sur au pas plus ne
se il son avec ce sont été aux elle mais
""")
    ),
    "es": frozenset(
        _words("""
de la que el en y a los se del las un por con no una su para es al lo como más
pero sus le ha me si sin sobre este
""")
    ),
    "pt": frozenset(
        _words("""
de a o que e do da em um para é com não uma os no se na por mais as dos como mas
foi ao ele das tem à seu sua ou
""")
    ),
    "it": frozenset(
        _words("""
di e il la che è per in un a non una del le si con da i sono al della alla come
più ma lo gli nel ha
""")
    ),
    "nl": frozenset(
        _words("""
de van een het en in is dat op te zijn voor met die niet aan er om ook als bij
door maar uit dan nog wordt naar
""")
    ),
}


def _in_ranges(*ranges: tuple[int, int]) -> Callable[[str], bool]:
    return lambda ch: any(lo <= ord(ch) <= hi for lo, hi in ranges)


# Languages written in a script of their own (Unicode blocks).
SCRIPTS: dict[str, Callable[[str], bool]] = {
    "ko": _in_ranges((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F)),
    "ja": _in_ranges((0x3040, 0x30FF), (0x4E00, 0x9FFF)),
    "zh": _in_ranges((0x4E00, 0x9FFF), (0x3400, 0x4DBF)),
    "th": _in_ranges((0x0E00, 0x0E7F)),
    "el": _in_ranges((0x0370, 0x03FF)),
    "he": _in_ranges((0x0590, 0x05FF)),
    "hy": _in_ranges((0x0530, 0x058F)),
    "ka": _in_ranges((0x10A0, 0x10FF)),
    # Arabic script serves ar, fa, ur: only the declared one is confirmed
    "ar": _in_ranges((0x0600, 0x06FF), (0x0750, 0x077F)),
    "fa": _in_ranges((0x0600, 0x06FF), (0x0750, 0x077F)),
    "ur": _in_ranges((0x0600, 0x06FF), (0x0750, 0x077F)),
}


# Words around a visible date that say it is not the article's (the date
# scanner's labels, `metadata/date_scan.py`): a copyright line, a comment or
# a reply, an event's or an offer's date.
COPYRIGHT_CONTEXT_RE = re.compile(r"©|ⓒ|\(c\)|copyright|\bcopr\.", re.IGNORECASE)
COMMENT_CONTEXT_RE = re.compile(
    r"\b(?:repl(?:y|ies|ied)|says|said|wrote|commented|comments?|answered|responder|répondre|"
    r"rispondi|antworten|reageer|ответить)\b",
    re.IGNORECASE,
)
EVENT_CONTEXT_RE = re.compile(
    r"\b(?:events?|starts?|ends?|begins?|deadline|until|till|expires?|expiry|valid|"
    r"register(?:ation)?|webinar|tickets?|doors|opens?|closes?|due|from|to|through|"
    r"bis|jusqu'au|hasta|fino|tot)\b",
    re.IGNORECASE,
)
