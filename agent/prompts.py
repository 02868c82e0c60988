"""Prompts live in ``prompts/`` as text files with named ``{placeholders}``."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path
from typing import Any

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class PromptError(KeyError):
    """A prompt file is missing, or rendered without one of its placeholders."""


@cache
def load_prompt(name: str) -> str:
    """The text of ``prompts/<name>.txt``."""
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        raise PromptError(f"prompt {name!r} not found at {path}; restore it from the repository")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    """The named placeholders of a prompt."""
    return {field for _, field, _, _ in string.Formatter().parse(load_prompt(name)) if field}


def render(name: str, **values: Any) -> str:
    """Fill every placeholder of ``prompts/<name>.txt``; a missing value is an error, not a blank."""
    missing = placeholders(name) - values.keys()
    if missing:
        raise PromptError(f"prompt {name!r} needs values for: {', '.join(sorted(missing))}")
    return load_prompt(name).format(**values).strip()
