"""Every concept page ends its lesson with predict-then-measure questions whose answers, folded
until asked for, quote the site's own measurements through facts."""

from __future__ import annotations

import re

from whygpu.contract.names import FACT_MARKER

QUESTION = re.compile(r'^\?\?\? question "(?P<q>[^"]+)"\n\n(?P<a>(?:    .*\n?)+)', re.M)


def test_each_concept_page_asks_two_or_three_questions_answered_by_facts(root):
    pages = sorted((root / "docs" / "concepts").glob("*.md"))
    assert len(pages) >= 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "\n## Check your understanding\n" in text, f"{page.name}: no questions"
        section = text.split("\n## Check your understanding\n", 1)[1].split("\n## ", 1)[0]
        found = QUESTION.findall(section)
        assert 2 <= len(found) <= 3, f"{page.name}: {len(found)} questions"
        for question, answer in found:
            assert question.rstrip().endswith("?"), f"{page.name}: '{question}' asks nothing"
            assert FACT_MARKER.search(answer), f"{page.name}: '{question}' quotes no measurement"
        later = [
            h for h in re.findall(r"^## (.+)$", text.split("## Check your understanding")[1], re.M)
        ]
        assert set(later) <= {"Run it yourself", "Sources"}, (
            f"{page.name}: lesson after the questions"
        )
