"""What the demo prints: chapter headings, indented detail, and each check's verdict.

Every check of the story ends up here as passed, failed, or missing (a capability the code does
not have yet); the summary at the end lists them, and the exit status follows from them.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

PASSED, FAILED, MISSING = "ok", "FAILED", "MISSING"


@dataclass(frozen=True)
class Verdict:
    """The outcome of one check of the story."""

    chapter: str
    check: str
    status: str
    detail: str = ""


@dataclass
class Reporter:
    """Prints the story as it happens and keeps every verdict for the summary."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    verdicts: list[Verdict] = field(default_factory=list)
    chapter: str = ""
    started: float = field(default_factory=time.monotonic)

    def heading(self, number: int, title: str) -> None:
        self.chapter = title
        elapsed = time.monotonic() - self.started
        self.out.write(f"\n{number}. {title}  [{elapsed:5.1f}s]\n{'-' * (len(title) + 4)}\n")
        self.out.flush()

    def say(self, text: str = "") -> None:
        for line in text.splitlines() or [""]:
            self.out.write(f"   {line}\n")
        self.out.flush()

    def lines(self, lines: Iterable[str], indent: str = "     ") -> None:
        for line in lines:
            self.out.write(f"{indent}{line}\n")
        self.out.flush()

    def check(self, name: str, ok: bool, detail: str = "", *, failure: str = "") -> bool:
        """Record a check against the store or a sandbox; print its verdict at once.

        ``detail`` is shown either way; ``failure``, when given, replaces it if the check failed.
        """
        return self._record(name, PASSED if ok else FAILED, (failure or detail) if not ok else detail)

    def missing(self, name: str, detail: str) -> None:
        """A part of the story the code cannot do yet: said plainly, never pretended."""
        self._record(name, MISSING, detail)

    def _record(self, name: str, status: str, detail: str) -> bool:
        self.verdicts.append(Verdict(self.chapter, name, status, detail))
        mark = {PASSED: "✔", FAILED: "✘", MISSING: "…"}[status]
        suffix = (f": {detail}" if status != PASSED else f" ({detail})") if detail else ""
        self.out.write(f"   {mark} {status:<7} {name}{suffix}\n")
        self.out.flush()
        return status == PASSED

    @property
    def failed(self) -> list[Verdict]:
        return [verdict for verdict in self.verdicts if verdict.status == FAILED]

    @property
    def missing_parts(self) -> list[Verdict]:
        return [verdict for verdict in self.verdicts if verdict.status == MISSING]

    def summary(self) -> int:
        """Print the verdicts' totals and the parts that failed or are missing; return the exit status."""
        passed = sum(1 for verdict in self.verdicts if verdict.status == PASSED)
        elapsed = time.monotonic() - self.started
        self.out.write(
            f"\nSummary: {passed} checks passed, {len(self.failed)} failed, "
            f"{len(self.missing_parts)} missing, in {elapsed:.0f}s\n"
        )
        for verdict in self.failed + self.missing_parts:
            self.out.write(f"   {verdict.status:<7} [{verdict.chapter}] {verdict.check}: {verdict.detail}\n")
        self.out.flush()
        return 0 if not self.failed and not self.missing_parts else 1
