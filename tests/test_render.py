"""Rendering kept Blocks: each paragraph once, Markdown structure."""

from __future__ import annotations

from copydesk.blocks import Block
from copydesk.render import to_markdown, unique_blocks

_A = "The council approved the budget on Tuesday after a long debate."
_B = "Schools get a larger share than last year, the mayor said."
_C = "The new library opens next spring on the old market square."


def _kept(text: str, group: int, kind: str = "p") -> Block:
    block = Block(text=text, kind=kind, group=group)
    block.decide(True, "test")
    return block


def test_a_repeated_run_is_dropped_after_its_first_copy() -> None:
    # a page that prints the story twice (desktop and mobile copies)
    blocks = [_kept(_A, 1), _kept(_B, 1), _kept(_C, 1), _kept(_A, 2), _kept(_B, 2),
              _kept(_C, 2)]
    assert [b.text for b in unique_blocks(blocks)] == [_A, _B, _C]
    assert blocks[3].reason == "duplicate of an earlier paragraph"


def test_a_lone_repeat_between_new_paragraphs_is_the_authors() -> None:
    other = "Parking on the square will be free for the first month."
    blocks = [_kept(_A, 1), _kept(_B, 1), _kept(_C, 2), _kept(_B, 2), _kept(other, 2)]
    assert [b.text for b in unique_blocks(blocks)] == [_A, _B, _C, _B, other]


def test_text_dump_lines_always_repeat_once() -> None:
    blocks = [_kept(_A, -1), _kept(_B, -1), _kept(_A, -1), _kept(_C, -1)]
    assert [b.text for b in unique_blocks(blocks)] == [_A, _B, _C]


def test_short_repeats_and_repeats_in_one_element_stay() -> None:
    blocks = [_kept("Yes", 1), _kept(_A, 1), _kept("Yes", 2), _kept(_A, 1)]
    assert len(unique_blocks(blocks)) == 4


def test_markdown_keeps_lists_tight_and_headings() -> None:
    blocks = [_kept("Budget", 1, "h2"), _kept("Schools", 1, "li"), _kept("Roads", 1, "li"),
              _kept("# not a heading", 1)]
    assert to_markdown(blocks) == "## Budget\n\n- Schools\n- Roads\n\n\\# not a heading"
