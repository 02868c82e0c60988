"""Two-letter state and province codes for the state names TikTok puts in addresses.

TikTok's ``recipient_address.district_info`` names the state in words at level L1 ("Arizona"),
while SFCC's ``order_address.state_code`` wants the postal code ("AZ"). US states, the District of
Columbia, the inhabited territories and the armed forces "states" are covered, and Canadian
provinces for addresses whose ``region_code`` is CA. Names match regardless of case, accents,
periods and repeated spaces.
"""

from __future__ import annotations

import unicodedata

__all__ = ["state_code"]

_US = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "UM": "U.S. Minor Outlying Islands",
    "AA": "Armed Forces Americas",
    "AE": "Armed Forces Europe",
    "AP": "Armed Forces Pacific",
}
# Other spellings seen in address data for the same places.
_US_ALIASES = {
    "Washington DC": "DC",
    "Washington D.C.": "DC",
    "D.C.": "DC",
    "Virgin Islands": "VI",
    "United States Virgin Islands": "VI",
    "US Virgin Islands": "VI",
    "Commonwealth of the Northern Mariana Islands": "MP",
    "Commonwealth of Puerto Rico": "PR",
}
_CA = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
_CA_ALIASES = {"Newfoundland": "NL", "Yukon Territory": "YT", "PEI": "PE"}


def _key(name: str) -> str:
    # "Québec" and "Quebec", "Washington, D.C." and "washington dc" are the same place.
    bare = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(bare.replace(".", "").replace(",", " ").split()).casefold()


def _table(codes: dict[str, str], aliases: dict[str, str]) -> dict[str, str]:
    table = {_key(name): code for code, name in codes.items()}
    table.update({_key(name): code for name, code in aliases.items()})
    table.update({code.casefold(): code for code in codes})
    return table


_BY_COUNTRY = {"US": _table(_US, _US_ALIASES), "CA": _table(_CA, _CA_ALIASES)}


def state_code(name: str | None, region_code: str | None = None) -> str | None:
    """The two-letter code of state (or province) ``name`` in country ``region_code``.

    A code is returned as the code (upper case); a name not in the table is returned unchanged, so
    that an address from elsewhere keeps what TikTok sent. ``region_code`` defaults to the US.
    """
    if name is None or not name.strip():
        return None
    table = _BY_COUNTRY.get((region_code or "US").strip().upper())
    if table is None:
        return name
    return table.get(_key(name), name)
