"""Buyers of the demo day: names and US addresses, drawn from a seeded generator."""

from __future__ import annotations

import random
from dataclasses import dataclass

FIRST_NAMES = (
    "Avery", "Jordan", "Maya", "Diego", "Priya", "Noah", "Chloe", "Marcus", "Lena", "Omar",
    "Hana", "Felix", "Rosa", "Theo", "Imani", "Caleb", "Zoe", "Mateo", "Nina", "Jamal",
)  # fmt: skip
LAST_NAMES = (
    "Nguyen", "Garcia", "Okafor", "Patel", "Kim", "Johnson", "Silva", "Cohen", "Haddad", "Brooks",
    "Rivera", "Larsen", "Moreau", "Tanaka", "Fischer", "Adeyemi", "Walsh", "Romero",
)  # fmt: skip
STREETS = ("Maple Ave", "Oak St", "Cedar Ln", "Pine Rd", "Elm St", "Birch Way", "Willow Dr", "Harbor Blvd")
# (city, county, state, postal code, phone area code)
PLACES = (
    ("Austin", "Travis County", "Texas", "78701", "512"),
    ("Portland", "Multnomah County", "Oregon", "97205", "503"),
    ("Denver", "Denver County", "Colorado", "80202", "303"),
    ("Brooklyn", "Kings County", "New York", "11201", "718"),
    ("Chicago", "Cook County", "Illinois", "60614", "312"),
    ("Atlanta", "Fulton County", "Georgia", "30309", "404"),
    ("Seattle", "King County", "Washington", "98101", "206"),
    ("Phoenix", "Maricopa County", "Arizona", "85004", "602"),
    ("Madison", "Dane County", "Wisconsin", "53703", "608"),
    ("Raleigh", "Wake County", "North Carolina", "27601", "919"),
)


@dataclass(frozen=True)
class Buyer:
    """Who ordered and where it goes."""

    first_name: str
    last_name: str
    street: str
    apartment: str
    city: str
    county: str
    state: str
    postal_code: str
    phone: str
    user_id: str


def draw_buyer(rng: random.Random) -> Buyer:
    """One buyer; every field comes from ``rng``."""
    city, county, state, postal_code, area = rng.choice(PLACES)
    return Buyer(
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        street=f"{rng.randint(10, 9899)} {rng.choice(STREETS)}",
        apartment=f"Apt {rng.randint(1, 40)}" if rng.random() < 0.3 else "",
        city=city,
        county=county,
        state=state,
        postal_code=postal_code,
        phone=f"(+1){area}-555-{rng.randint(100, 199):04d}",
        user_id=str(7_494_000_000_000_000_000 + rng.getrandbits(48)),
    )
