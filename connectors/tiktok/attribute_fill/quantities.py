"""Quantities with units in values and product text: "500 ml", "16.9 fl oz", "2 years", "14 karat".

Every quantity is converted to its dimension's base unit (ml, g, mm, months, karat) so that "16.9 fl oz"
can match a listed "500 ml". A bare "oz" is a volume or a mass depending on the attribute's own value
list (or on "net wt" nearby); "ct" is a gold karat only when "gold" follows, since it is also the
carat weight of a stone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "COUNT",
    "Quantity",
    "Unit",
    "format_number",
    "parse_quantities",
    "parse_value",
    "same_quantity",
]


@dataclass(frozen=True)
class Unit:
    """A unit: its dimension and the factor to that dimension's base unit."""

    symbol: str
    dimension: str  # "volume", "mass", "length", "time", "karat", "count", "ounce"
    factor: float


_ML = "volume"
_G = "mass"
_UNITS: dict[tuple[str, ...], Unit] = {
    ("ml",): Unit("ml", _ML, 1.0),
    ("milliliter",): Unit("ml", _ML, 1.0),
    ("millilitre",): Unit("ml", _ML, 1.0),
    ("cl",): Unit("cl", _ML, 10.0),
    ("l",): Unit("L", _ML, 1000.0),
    ("liter",): Unit("L", _ML, 1000.0),
    ("litre",): Unit("L", _ML, 1000.0),
    ("ltr",): Unit("L", _ML, 1000.0),
    ("fl", "oz"): Unit("fl oz", _ML, 29.5735),
    ("floz",): Unit("fl oz", _ML, 29.5735),
    ("gallon",): Unit("gal", _ML, 3785.41),
    ("oz",): Unit("oz", "ounce", 1.0),  # resolved to volume or mass by context
    ("ounce",): Unit("oz", "ounce", 1.0),
    ("g",): Unit("g", _G, 1.0),
    ("gram",): Unit("g", _G, 1.0),
    ("gramme",): Unit("g", _G, 1.0),
    ("mg",): Unit("mg", _G, 0.001),
    ("kg",): Unit("kg", _G, 1000.0),
    ("kgs",): Unit("kg", _G, 1000.0),
    ("lb",): Unit("lb", _G, 453.592),
    ("lbs",): Unit("lb", _G, 453.592),
    ("pound",): Unit("lb", _G, 453.592),
    ("mm",): Unit("mm", "length", 1.0),
    ("cm",): Unit("cm", "length", 10.0),
    ("m",): Unit("m", "length", 1000.0),
    ("meter",): Unit("m", "length", 1000.0),
    ("metre",): Unit("m", "length", 1000.0),
    ("in",): Unit("in", "length", 25.4),
    ("inch",): Unit("in", "length", 25.4),
    ("ft",): Unit("ft", "length", 304.8),
    ("feet",): Unit("ft", "length", 304.8),
    ("foot",): Unit("ft", "length", 304.8),
    ("month",): Unit("months", "time", 1.0),
    ("mo",): Unit("months", "time", 1.0),
    ("year",): Unit("years", "time", 12.0),
    ("yr",): Unit("years", "time", 12.0),
    ("k",): Unit("K", "karat", 1.0),
    ("kt",): Unit("K", "karat", 1.0),
    ("karat",): Unit("K", "karat", 1.0),
    ("carat",): Unit("K", "karat", 1.0),
    ("ct",): Unit("K", "karat", 1.0),
    ("mah",): Unit("mAh", "charge", 1.0),
}
# The unit of a bare number (a thread count, a ring size).
COUNT = Unit("", "count", 1.0)
_OUNCE_AS = {_ML: Unit("fl oz", _ML, 29.5735), _G: Unit("oz", _G, 28.3495)}
# Millesimal fineness stamped on gold ("585 gold") and the karat it stands for.
_FINENESS = {375.0: 9.0, 417.0: 10.0, 585.0: 14.0, 750.0: 18.0, 916.0: 22.0, 958.0: 23.0, 999.0: 24.0}
_GOLD_WORDS = frozenset({"gold", "yellow", "white", "rose", "fine"})


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, found at token positions ``start``..``end`` (exclusive)."""

    value: float
    unit: Unit
    start: int
    end: int
    multiplied: bool = False  # "3 x 1.5 g": a pack of several, not one quantity

    @property
    def base(self) -> float:
        return self.value * self.unit.factor

    @property
    def dimension(self) -> str:
        return self.unit.dimension

    def resolved(self, dimension: str) -> Quantity:
        """An ounce read as a volume or a mass; other quantities unchanged."""
        if self.unit.dimension != "ounce" or dimension not in _OUNCE_AS:
            return self
        return Quantity(self.value, _OUNCE_AS[dimension], self.start, self.end, self.multiplied)

    def display(self) -> str:
        return f"{format_number(self.value)} {self.unit.symbol}"


def format_number(value: float) -> str:
    """A number as a seller writes it: no trailing zeros, no exponent."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _number(token: str) -> float | None:
    try:
        return float(token)
    except ValueError:
        return None


def _unit_at(words: Sequence[str], index: int) -> tuple[Unit, int] | None:
    for length in (2, 1):
        key = tuple(words[index : index + length])
        if len(key) == length and key in _UNITS:
            return _UNITS[key], index + length
    return None


def _gold_follows(words: Sequence[str], index: int, window: int = 3) -> bool:
    return any(word in _GOLD_WORDS for word in words[index : index + window])


def parse_quantities(words: Sequence[str]) -> list[Quantity]:
    """Every number-with-unit in a token stream, plus stamped gold fineness ("750 gold" = 18 K)."""
    found: list[Quantity] = []
    for index, word in enumerate(words):
        value = _number(word)
        if value is None:
            continue
        multiplied = index >= 2 and words[index - 1] == "x" and _number(words[index - 2]) is not None
        unit_end = _unit_at(words, index + 1)
        if unit_end is not None:
            unit, end = unit_end
            if unit.symbol == "K" and words[index + 1] == "ct" and not _gold_follows(words, end):
                continue  # "0.5 ct diamond" is a stone's weight, not a karat
            found.append(Quantity(value, unit, index, end, multiplied))
        elif value in _FINENESS and _gold_follows(words, index + 1, window=2):
            found.append(Quantity(_FINENESS[value], _UNITS[("k",)], index, index + 1))
        elif value == 999.9 and _gold_follows(words, index + 1, window=2):
            found.append(Quantity(24.0, _UNITS[("k",)], index, index + 1))
    return found


def parse_value(words: Sequence[str]) -> Quantity | None:
    """The quantity a whole value name states ("500 ml", "10K", "6 months"), or a bare count ("400")."""
    if len(words) == 1 and (value := _number(words[0])) is not None:
        return Quantity(value, COUNT, 0, 1)
    quantities = parse_quantities(words)
    if len(quantities) == 1 and quantities[0].start == 0 and quantities[0].end == len(words):
        return quantities[0]
    return None


def same_quantity(found: Quantity, listed: Quantity) -> bool:
    """Whether a quantity in the text is a listed value: exact in the same unit, within 1% converted.

    Labels round conversions ("16.9 fl oz" for 500 ml, "32 oz (946 ml)"), so 1% absorbs that
    rounding while keeping distinct sizes apart (600 ml is not 20 oz = 591 ml).
    """
    if found.dimension != listed.dimension or listed.base == 0:
        return False
    if found.unit.symbol == listed.unit.symbol:
        return abs(found.value - listed.value) <= 0.005 * abs(listed.value)
    return abs(found.base - listed.base) <= 0.01 * abs(listed.base)
