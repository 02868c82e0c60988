"""State names in TikTok addresses become the two-letter codes SFCC expects."""

from __future__ import annotations

import pytest

from connectors.tiktok.flows.order_fields import normalized_address
from connectors.tiktok.schemas import RecipientAddress
from connectors.tiktok.state_codes import state_code


@pytest.mark.parametrize(
    ("name", "region", "code"),
    [
        ("Arizona", "US", "AZ"),
        ("new york", "US", "NY"),
        ("  North   Carolina ", "US", "NC"),
        ("District of Columbia", "US", "DC"),
        ("Washington, D.C.", "US", "DC"),
        ("Washington", "US", "WA"),
        ("Puerto Rico", "US", "PR"),
        ("U.S. Virgin Islands", "US", "VI"),
        ("Armed Forces Europe", "US", "AE"),
        ("TX", "US", "TX"),
        ("tx", "US", "TX"),
        ("Texas", "", "TX"),  # no region: a US shop's address
        ("Québec", "CA", "QC"),
        ("British Columbia", "ca", "BC"),
    ],
)
def test_state_code_maps_names_and_keeps_codes(name: str, region: str, code: str) -> None:
    assert state_code(name, region) == code


def test_state_code_leaves_what_it_does_not_know() -> None:
    assert state_code("Atlantis", "US") == "Atlantis"
    assert state_code("Bavaria", "DE") == "Bavaria"  # no table for the country: as TikTok sent it
    assert state_code("Ontario", "US") == "Ontario"  # a province is no US state
    assert state_code(None, "US") is None and state_code("  ", "US") is None


def test_normalized_address_gives_sfcc_the_code_of_the_state_level() -> None:
    address = RecipientAddress.model_validate(
        {
            "name": "Ada Buyer",
            "address_line1": "1 Main St",
            "postal_code": "85004",
            "region_code": "US",
            "district_info": [
                {"address_level": "L0", "address_level_name": "Country", "address_name": "United States"},
                {"address_level": "L1", "address_level_name": "State", "address_name": "Arizona"},
                {"address_level": "L2", "address_level_name": "County", "address_name": "Maricopa County"},
                {"address_level": "L3", "address_level_name": "City", "address_name": "Phoenix"},
            ],
        }
    )
    fields = normalized_address(address)
    assert fields is not None
    assert (fields["state_code"], fields["city"], fields["country_code"]) == ("AZ", "Phoenix", "US")
    no_state = normalized_address(RecipientAddress.model_validate({"name": "Ada", "region_code": "US"}))
    assert no_state is not None and no_state["state_code"] is None
