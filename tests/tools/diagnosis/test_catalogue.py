"""docs/exception-codes.md is generated from the registry and kept up to date."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tools.diagnosis.catalogue import render
from tools.diagnosis.codes import REGISTRY

ROOT = Path(__file__).resolve().parents[3]
COMMITTED = ROOT / "docs" / "exception-codes.md"


def test_the_committed_catalogue_is_up_to_date() -> None:
    assert COMMITTED.read_text() == render(), (
        "docs/exception-codes.md is stale: run "
        "`python -m tools.diagnosis.catalogue > docs/exception-codes.md`"
    )


def test_the_module_prints_the_catalogue() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "tools.diagnosis.catalogue"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == render()


def test_every_code_has_a_section_that_says_where_it_comes_from() -> None:
    text = render()
    source = (
        r"^### `([a-z_.]+)`\n\n- \*\*Category:\*\* [a-z]+\. "
        r"\*\*Source:\*\* (EXCEPTIONS\.md|project addition)\."
    )
    sections = dict(re.findall(source, text, re.M))
    assert set(sections) == set(REGISTRY)
    assert sections["sku.unmapped"] == "EXCEPTIONS.md"
    assert sections["tiktok.listing_missing"] == "project addition"


def test_a_section_lists_the_fix_tool_and_the_steps() -> None:
    text = render()
    section = text.split("### `catalog.sku_conflict`")[1].split("###")[0]
    assert "- **Fix tool:** `map_sku(connection, channel_sku; chosen: sku)`, after approval." in section
    assert '- **Symptom a seller reports:** "A product shows the wrong details"' in section
    for number, step in enumerate(REGISTRY["catalog.sku_conflict"].next_steps, 1):
        assert f"  {number}. {step}" in section
