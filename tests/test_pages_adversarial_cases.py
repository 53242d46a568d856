"""The "Pages" inputs of ADVERSARIAL.md, built in one place, and the script
that measures time and memory of `extract()` on each.

Tests (`test_pages_adversarial.py`) use the small and medium sizes; the full
sizes are measured, one case per fresh subprocess, by running this file:

    python tests/test_pages_adversarial_cases.py          # all cases
    python tests/test_pages_adversarial_cases.py nest     # cases whose name contains "nest"

It prints one line per case: wall time of `extract()`, peak RSS of the
process, status and reason. The bounds in docs/robustness.md come from it.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable

MB = 1024 * 1024
PARAGRAPH = ("The council approved the budget on Tuesday after a long debate about schools, "
             "roads and the new library, which opens next spring. ")


def article_page(paragraphs: int = 6, title: str = "A council story") -> str:
    body = "".join(f"<p>{PARAGRAPH * 2}({i})</p>" for i in range(paragraphs))
    return (f"<!doctype html><html><head><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1>{body}</article></body></html>")


def deep_nesting(n: int) -> str:
    return "<div>" * n + "x"


def deep_mixed_nesting(n: int) -> str:
    return "<div><section><span><ul><li>" * (n // 5) + PARAGRAPH


def nested_related_boxes(n: int) -> str:
    """A story, then `n` "Related" boxes each nested in the previous one."""
    box = "<div><h3>Related</h3><p>An older story about another town, told at length.</p>"
    return (article_page(4).replace("</article>", box * n + "</div>" * n + "</article>"))


def formatting_bomb(n: int) -> str:
    return "<html><body><p>" + "<b>" * n + "<i>" * n + "x" + "</b>" * n


def formatting_bomb_distinct(n: int) -> str:
    """Distinct attributes defeat the "Noah's Ark" clause (3 of a kind)."""
    return ("<html><body>" + "".join(f'<b class="c{i}">' for i in range(n))
            + "<p>x</p>" * 200)


def wide_dom(n: int, tag: str = "p") -> str:
    return "<html><body>" + f"<{tag}>y" * n


def huge_text(size: int) -> str:
    return "<html><body><p>" + "word " * (size // 5)


def huge_attribute(size: int) -> str:
    return article_page().replace("<h1>", f'<img alt="{"a" * size}"><h1>', 1)


def huge_colspan() -> str:
    row = "<tr><td colspan=9007199254740991 rowspan=9007199254740991>cell</td><td>b</td></tr>"
    return article_page().replace("</article>", f"<table>{row * 3}</table></article>")


def unclosed_attribute(size: int) -> str:
    return '<html><body><p>start</p><img src="' + "a" * size


def entity_flood(size: int) -> str:
    return "<html><body><p>" + "&amp;" * (size // 5) + "</p>"


def whitespace_run(size: int) -> str:
    return "<html><body><p>a" + " \t\n" * (size // 3) + "b</p>" + "\n" * size


def long_class(size: int) -> str:
    return f'<html><body><div class="{"aB-" * (size // 3)}"><p>{PARAGRAPH}</p></div>'


def repeated_roots(n: int) -> str:
    one = article_page(3)
    return one * n


def repeated_article_tags(n: int) -> str:
    return "<html><body>" + ("<article><p>" + PARAGRAPH + "</p>") * n


SCRIPT_TRICKS = {
    "unterminated script": article_page(2) + "<script>var secret = 'SCRIPTTEXT';",
    "script in body": article_page(2).replace("<h1>", "<script>document.write('SCRIPTTEXT')"
                                              "</script><h1>"),
    "plaintext": article_page(2).replace("</article>", "</article><plaintext>"
                                         "<script>SCRIPTTEXT</script>"),
    "noscript": article_page(2).replace("<h1>", "<noscript>SCRIPTTEXT enable JS</noscript><h1>"),
    "cdata": article_page(2).replace("<h1>", "<![CDATA[ SCRIPTTEXT ]]><h1>"),
    "style": article_page(2).replace("<h1>", "<style>.SCRIPTTEXT{color:red}</style><h1>"),
    "script in svg": article_page(2).replace("<h1>", "<svg><script>SCRIPTTEXT</script>"
                                             "</svg><h1>"),
    "comment": article_page(2).replace("<h1>", "<!-- SCRIPTTEXT --><h1>"),
    "unterminated comment": article_page(2) + "<!-- SCRIPTTEXT",
    "template": article_page(2).replace("<h1>", "<template><p>SCRIPTTEXT</p></template><h1>"),
    "textarea": article_page(2).replace("<h1>", "<textarea>SCRIPTTEXT</textarea><h1>"),
    "xmp": article_page(2).replace("</article>", "</article><xmp><script>SCRIPTTEXT</script>"
                                   "</xmp>"),
}

BINARY = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16,
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" * 20,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 16,
    "zeros": bytes(10_000),
    "random": bytes((i * 7919 + 13) % 251 for i in range(20_000)),
}

# name -> builder of the full-size input (measured by `main`, not by tests).
FULL_CASES: dict[str, Callable[[], str | bytes]] = {
    "deep nesting 300": lambda: deep_nesting(300),
    "deep nesting 10k": lambda: deep_nesting(10_000),
    "deep nesting 100k": lambda: deep_nesting(100_000),
    "deep nesting 1M": lambda: deep_nesting(1_000_000),
    "deep nesting 99k (under node cap)": lambda: deep_nesting(99_000),
    "deep mixed nesting 95k": lambda: deep_mixed_nesting(95_000),
    "nested related boxes 400": lambda: nested_related_boxes(400),
    "formatting bomb 2k": lambda: formatting_bomb(2_000),
    "formatting bomb 10k": lambda: formatting_bomb(10_000),
    "formatting bomb 30k": lambda: formatting_bomb(30_000),
    "formatting bomb distinct 10k": lambda: formatting_bomb_distinct(10_000),
    "formatting bomb distinct 99k": lambda: formatting_bomb_distinct(99_000),
    "wide dom 1M <p>": lambda: wide_dom(1_000_000),
    "wide dom 1M <option>": lambda: wide_dom(1_000_000, "option"),
    "wide dom 99k <p> (under node cap)": lambda: wide_dom(99_000),
    "wide dom 99k <option> (under node cap)": lambda: wide_dom(99_000, "option"),
    "huge text 100 MB": lambda: huge_text(100 * MB),
    "huge text 15 MB (under byte cap)": lambda: huge_text(15 * MB),
    "huge attribute 50 MB": lambda: huge_attribute(50 * MB),
    "huge attribute 15 MB (under byte cap)": lambda: huge_attribute(15 * MB),
    "colspan 2^53": huge_colspan,
    "unclosed attribute 1M": lambda: unclosed_attribute(1_000_000),
    "unclosed attribute 10M": lambda: unclosed_attribute(10_000_000),
    "entity flood 1 MB": lambda: entity_flood(MB),
    "entity flood 10 MB": lambda: entity_flood(10 * MB),
    "whitespace run 1 MB": lambda: whitespace_run(MB),
    "whitespace run 5 MB": lambda: whitespace_run(5 * MB),
    "long class 1 MB": lambda: long_class(MB),
    "long class 10 MB": lambda: long_class(10 * MB),
    "repeated roots 1000": lambda: repeated_roots(1000),
    "repeated <article> 1000": lambda: repeated_article_tags(1000),
    "empty": lambda: b"",
    "one byte": lambda: b"<",
    **{f"binary {k}": (lambda v=v: v) for k, v in BINARY.items()},
    **{f"script trick: {k}": (lambda v=v: v) for k, v in SCRIPT_TRICKS.items()},
}


def measure_one(name: str) -> dict[str, object]:
    """Build the case, time `extract()` on it; runs inside a fresh subprocess."""
    from copydesk import extract

    extract(article_page())  # imports and first-call costs out of the timing
    content = FULL_CASES[name]()
    start = time.perf_counter()
    article = extract(content)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": name, "seconds": round(seconds, 3), "peak_rss_mb": round(peak_mb),
            "input_mb": round(len(content) / MB, 1), "status": str(article.status),
            "error": article.error, "text_chars": len(article.text)}


def main(argv: list[str]) -> None:
    if len(argv) == 2 and argv[0] == "--one":
        print(json.dumps(measure_one(argv[1])))
        return
    wanted = [n for n in FULL_CASES if not argv or any(a in n for a in argv)]
    print(f"{'case':42s} {'seconds':>8s} {'peak MB':>8s} {'input MB':>8s}  status / reason")
    for name in wanted:
        proc = subprocess.run([sys.executable, __file__, "--one", name], capture_output=True,
                              text=True, timeout=600, check=False)
        if proc.returncode:
            print(f"{name:42s} CRASHED rc={proc.returncode}: {proc.stderr.strip()[-200:]}")
            continue
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        reason = f"{row['status']} {row['error'] or ''} ({row['text_chars']} chars)"
        figures = f"{row['seconds']:8.3f} {row['peak_rss_mb']:8d} {row['input_mb']:8.1f}"
        print(f"{name:42s} {figures}  {reason}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
