"""Evaluate attribute fill on the labelled set in tests/data/attribute_fill/.

    python bench/attribute_fill_eval.py [--backend rules|llm|all] [--limit N] [--errors]

For each product, the request holds the required product attributes of its category (from the
sandbox catalog seed, in Get Attributes format), as the daemon's proposal flow sends them. Prints, per
backend: precision of proposals at confidence >= 0.8, recall of required attributes (every labelled
attribute counts, so attributes labelled not inferable cap it below 1), and the share of wrong
proposals at any confidence. A proposal is right when its value ids equal the label's (a custom value
must equal the labelled quantity or number); any proposal for a not-inferable attribute is wrong.
The llm backend runs only when OPENAI_API_KEY is set (OPENAI_BASE_URL, OPENAI_MODEL optional).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectors.tiktok.attribute_fill import (  # noqa: E402
    AttributeFillBackend,
    Proposal,
    RulesBackend,
    SuggestRequest,
    suggest,
)
from connectors.tiktok.attribute_fill.quantities import parse_quantities  # noqa: E402
from connectors.tiktok.attribute_fill.text import tokens  # noqa: E402

DATA = ROOT / "tests" / "data" / "attribute_fill"
SEED = ROOT / "connectors" / "tiktok" / "sandbox" / "catalog_seed.json"
THRESHOLD = 0.8


@dataclass
class Score:
    products: int = 0
    labelled: int = 0
    inferable: int = 0
    proposals: int = 0
    wrong: int = 0
    confident: int = 0
    confident_right: int = 0
    right: int = 0
    right_confident: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def load_products() -> list[dict[str, Any]]:
    """Every labelled product, tagged with its split: "main" or "holdout" (never used for tuning)."""
    products: list[dict[str, Any]] = []
    for path in sorted(DATA.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        split = document.get("split", "main")
        products += [{**product, "split": split} for product in document["products"]]
    return products


def required_items(category_id: str, seed: dict[str, Any]) -> list[dict[str, Any]]:
    items = seed["category_attributes"][category_id]
    return [a for a in items if a.get("is_requried") and a.get("type") == "PRODUCT_PROPERTY"]


def _quantity(text: str) -> tuple[float, str] | None:
    words = tokens(text)
    found = parse_quantities(words)
    if found:
        return round(found[0].base, 3), found[0].dimension
    try:
        return float(text), "count"
    except ValueError:
        return None


def is_right(label: dict[str, Any], proposal: Proposal) -> bool:
    if label.get("not_inferable"):
        return False
    if "custom" in label:
        if len(proposal.values) != 1 or proposal.values[0].id is not None:
            return False
        expected, got = _quantity(label["custom"]), _quantity(proposal.values[0].name)
        return expected is not None and got is not None and expected == got
    return {v["id"] for v in label["values"]} == {v.id for v in proposal.values if v.id is not None} and all(
        v.id is not None for v in proposal.values
    )


def evaluate(backend: AttributeFillBackend, products: list[dict[str, Any]], seed: dict[str, Any]) -> Score:
    score = Score()
    for product in products:
        request = SuggestRequest.model_validate(
            {
                "product": product["product"],
                "attributes": required_items(product["product"]["category_id"], seed),
            }
        )
        started = time.perf_counter()
        response = suggest(request, backend)
        score.seconds += time.perf_counter() - started
        score.products += 1
        proposals = {p.attribute_id: p for p in response.proposals}
        for attribute_id, label in product["labels"].items():
            score.labelled += 1
            score.inferable += 0 if label.get("not_inferable") else 1
            proposal = proposals.get(attribute_id)
            if proposal is None:
                continue
            right = is_right(label, proposal)
            confident = proposal.confidence >= THRESHOLD
            score.proposals += 1
            score.confident += confident
            score.right += right
            score.confident_right += right and confident
            score.right_confident += right and confident
            if not right:
                score.wrong += 1
                expected = (
                    "not inferable"
                    if label.get("not_inferable")
                    else label.get("custom") or [v["name"] for v in label["values"]]
                )
                got = [v.name for v in proposal.values]
                score.errors.append(
                    f"{product['id']:8} {label['attribute_name']:24} got {got} @ {proposal.confidence:.2f}, "
                    f"expected {expected}"
                )
    return score


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def report(name: str, score: Score, show_errors: bool) -> None:
    print(f"backend {name}")
    print(f"  precision at confidence >= {THRESHOLD}: {_ratio(score.confident_right, score.confident)}")
    print(f"  recall of required attributes:        {_ratio(score.right, score.labelled)}")
    print(f"  recall at confidence >= {THRESHOLD}:        {_ratio(score.right_confident, score.labelled)}")
    print(f"  recall of inferable attributes:       {_ratio(score.right, score.inferable)}")
    print(f"  share of wrong proposals:             {_ratio(score.wrong, score.proposals)}")
    print(f"  time per product:                     {1000 * score.seconds / max(1, score.products):.2f} ms")
    if show_errors:
        for line in score.errors:
            print(f"    wrong: {line}")


def llm_backend() -> AttributeFillBackend | None:
    if not os.environ.get("OPENAI_API_KEY"):
        return None
    from connectors.tiktok.attribute_fill.llm import LlmBackend

    return LlmBackend.from_environment(model=os.environ.get("OPENAI_MODEL") or "gpt-4o-mini")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["rules", "llm", "all"], default="all")
    parser.add_argument("--limit", type=int, default=0, help="evaluate only the first N products")
    parser.add_argument("--errors", action="store_true", help="list every wrong proposal")
    args = parser.parse_args()
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    products = load_products()
    if args.limit:
        products = products[: args.limit]
    categories = {p["product"]["category_id"] for p in products}
    kinds = {tuple(sorted(a["name"] for a in required_items(c, seed))) for c in categories}
    print(
        f"{len(products)} products, {len(categories)} category ids ({len(kinds)} distinct attribute sets), "
        f"threshold {THRESHOLD}"
    )
    backends: list[tuple[str, AttributeFillBackend | None]] = []
    if args.backend in ("rules", "all"):
        backends.append(("rules", RulesBackend()))
    if args.backend in ("llm", "all"):
        backends.append(("llm", llm_backend()))
    for name, backend in backends:
        if backend is None:
            print(f"backend {name}: skipped (OPENAI_API_KEY is not set)")
            continue
        for split in ("all", *sorted({p["split"] for p in products})):
            chosen = [p for p in products if split in ("all", p["split"])]
            report(f"{name} [{split}: {len(chosen)} products]", evaluate(backend, chosen, seed), args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
