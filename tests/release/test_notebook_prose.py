"""The released notebook reads well with a screen reader: one top heading, no skipped heading
level (WCAG 1.3.1 and 2.4.6), and no instruction that depends on colour (1.4.1). Markdown is
parsed with mistune (nbconvert's parser), so a ``#`` inside a code block is not a heading."""

from __future__ import annotations

import re

import mistune
import nbformat

from tests.conftest import RELEASED_NOTEBOOK, SOLUTION_NOTEBOOK

COLOUR_WORDS = re.compile(
    r"\b(colou?rs?|colou?red|red|green|blue|yellow|orange|purple|violet|pink|brown|grey|gray|"
    r"cyan|magenta)\b",
    re.IGNORECASE,
)


def _text(token: dict) -> str:
    return token.get("raw", "") + "".join(_text(child) for child in token.get("children", []))


def headings(markdown_cells: list[str]) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order."""
    parse = mistune.create_markdown(renderer=None)
    return [
        (token["attrs"]["level"], _text(token))
        for source in markdown_cells
        for token in parse(source)
        if token["type"] == "heading"
    ]


def heading_problems(found: list[tuple[int, str]]) -> list[str]:
    """What breaks the outline: not exactly one level-1 heading first, or a skipped level."""
    problems = []
    tops = [text for level, text in found if level == 1]
    if len(tops) != 1 or not found or found[0][0] != 1:
        problems.append(f"want exactly one top heading, first; found {tops}")
    for (before, _), (level, text) in zip(found, found[1:], strict=False):
        if level > before + 1:
            problems.append(f"'{text}' is level {level} right after level {before}")
    return problems


def colour_words(markdown_cells: list[str]) -> list[str]:
    """Each sentence of prose that names a colour."""
    return [
        sentence.strip()
        for source in markdown_cells
        for sentence in re.split(r"(?<=[.!?])\s+", source)
        if COLOUR_WORDS.search(sentence)
    ]


def markdown(path) -> list[str]:
    notebook = nbformat.read(path, as_version=4)
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def test_the_released_notebook_has_one_top_heading_and_no_skipped_level() -> None:
    for path in (RELEASED_NOTEBOOK, SOLUTION_NOTEBOOK):
        found = headings(markdown(path))
        assert len(found) > 5, path
        assert heading_problems(found) == [], path


def test_no_instruction_in_the_released_notebook_depends_on_colour() -> None:
    for path in (RELEASED_NOTEBOOK, SOLUTION_NOTEBOOK):
        assert colour_words(markdown(path)) == [], path


def test_the_checks_see_a_bad_outline_and_a_colour_instruction() -> None:
    cells = [
        "# Title\n\nIntro.",
        "```python\n# a comment, not a heading\n```",
        "### Skipped a level",
        "# A second title",
        "Fill in the cell marked in red. Then run it.",
    ]
    assert headings(cells) == [(1, "Title"), (3, "Skipped a level"), (1, "A second title")]
    assert heading_problems(headings(cells)) == [
        "want exactly one top heading, first; found ['Title', 'A second title']",
        "'Skipped a level' is level 3 right after level 1",
    ]
    assert heading_problems([(2, "Starts low"), (3, "then")]) == [
        "want exactly one top heading, first; found []"
    ]
    assert colour_words(cells) == ["Fill in the cell marked in red."]
    assert colour_words(["Credit is given for a redo."]) == []
