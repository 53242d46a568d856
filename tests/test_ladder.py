"""The ladder both inputs climb (`copydesk.ladder`): rungs return decisions, the
ladder chooses one attempt and applies it once, `explain` lists the attempts."""

from __future__ import annotations

import numpy as np

import copydesk
from copydesk.blocks import Block, Decision, RungResult
from copydesk.classify.ladder import choose_by_rules, decide_by_rules
from copydesk.html import parse_and_segment
from copydesk.ladder import Rung, apply, climb, rule
from copydesk.options import Options


def _result(name: str, kept: int, enough: bool, precise: bool = False) -> RungResult:
    return RungResult(name, (Decision(True, name),), kept, enough, "" if enough else "short",
                      precise)


def _rung(result: RungResult | None, ran: list[str], fallback: bool = False) -> Rung:
    def run() -> RungResult | None:
        ran.append(result.rung if result else "none")
        return result
    return Rung(run, fallback)


def test_the_first_enough_rung_is_chosen_and_later_ones_never_run() -> None:
    ran: list[str] = []
    got = climb([_rung(_result("a", 100, False, True), ran), _rung(_result("b", 900, True), ran),
                 _rung(_result("c", 999, True), ran)])
    assert got is not None and got.chosen.rung == "b"
    assert [a.rung for a in got.attempts] == ["a", "b"] and ran == ["a", "b"]


def test_a_precise_attempt_keeping_enough_characters_settles_before_a_fallback() -> None:
    ran: list[str] = []
    rungs = [_rung(None, ran), _rung(_result("a", 100, False, True), ran),
             _rung(_result("b", 300, False, True), ran), _rung(_result("c", 400, False, True), ran),
             _rung(_result("fallback", 900, True), ran, fallback=True)]
    got = climb(rungs, settle_chars=250)
    assert got is not None and got.chosen.rung == "b"  # the first, not the longest
    assert "fallback" not in ran and [a.rung for a in got.attempts] == ["a", "b", "c"]


def test_fallbacks_run_when_no_precise_attempt_settles() -> None:
    ran: list[str] = []
    rungs = [_rung(_result("a", 100, False, True), ran),
             _rung(_result("f1", 400, False), ran, fallback=True),
             _rung(_result("f2", 50, True), ran, fallback=True)]
    got = climb(rungs, settle_chars=250)
    assert got is not None and got.chosen.rung == "f2" and ran == ["a", "f1", "f2"]
    assert climb([_rung(None, [])]) is None


def test_apply_writes_decisions_once_and_rule_decisions_are_shared() -> None:
    blocks = [Block("one", score=0.3), Block("two", score=0.4)]
    apply(blocks, RungResult("r", (rule(True, "kept"), Decision(False, "model", 0.9)), 3, True))
    assert [(b.kept, b.reason, b.score) for b in blocks] == [(True, "kept", 0.3),
                                                             (False, "model", 0.9)]
    assert rule(True, "kept") is rule(True, "kept")


STORY = ("The council voted on Tuesday to rebuild the old bridge over the river, "
         "and the work will start in the spring once the money arrives. ") * 2
PAGE = (f"<html><body><div class='menu'><a href='/'>Home</a> <a href='/n'>News</a></div>"
        f"<article><h1>Bridge</h1><p>{STORY}</p><p>{STORY}</p></article>"
        f"<div class='comments'><p>{STORY}</p></div></body></html>")


def test_html_rungs_decide_nothing_on_the_blocks_until_applied() -> None:
    _, blocks, nodes = parse_and_segment(PAGE, Options())
    before = [(b.kept, b.reason, b.score) for b in blocks]
    outcome = choose_by_rules(blocks, nodes)
    assert [(b.kept, b.reason, b.score) for b in blocks] == before  # pure
    assert outcome.result is not None and outcome.rung == outcome.result.rung
    assert outcome.attempts[-1] is outcome.result
    decided = decide_by_rules(blocks, nodes)
    assert [(b.kept, b.reason) for b in blocks] == [
        (d.kept, d.reason) for d in decided.result.decisions]  # type: ignore[union-attr]


def test_explain_lists_the_attempts_and_why_rejected_ones_fell_short() -> None:
    short = f"<html><body><article><p>{STORY}</p></article></body></html>"
    article = copydesk.extract(short, explain=True)
    assert article.explanation is not None
    attempts = article.explanation.attempts
    assert [a.chosen for a in attempts].count(True) == 1
    chosen = next(a for a in attempts if a.chosen)
    assert chosen.rung == article.rung
    rejected = [a for a in attempts if not a.enough]
    assert rejected and all("under" in a.why for a in rejected)
    assert article.explanation.to_dict()["attempts"][0]["rung"] == attempts[0].rung


def test_text_prose_rung_when_the_scorer_keeps_nothing() -> None:
    from copydesk.text.decide import decide
    from copydesk.text.features import LINE_FEATURES
    from copydesk.text.lines import split_lines

    lines = split_lines("Menu\n" + "\n".join(
        f"Line {i} is a long sentence of prose with more than fifteen words in it, "
        f"as a story has." for i in range(3)))
    x = np.zeros((len(lines), len(LINE_FEATURES)))
    x[1:, LINE_FEATURES.index("long_prose")] = 1.0
    x[1:, LINE_FEATURES.index("terminal")] = 1.0
    blocks, rung, attempts = decide(lines, x, np.full(len(lines), -5.0), 0.5)
    assert rung == "text:prose" and [a.rung for a in attempts] == ["text:scorer", "text:prose"]
    assert attempts[0].why.startswith("no line reached")
    assert [b.kept for b in blocks] == [False, True, True, True]
    assert blocks[1].reason.startswith("prose line") and blocks[0].reason.startswith(
        "line scorer p=0.00 <")
    assert list(attempts[1].decisions)[1].kept and attempts[1].decisions[0].score is not None
