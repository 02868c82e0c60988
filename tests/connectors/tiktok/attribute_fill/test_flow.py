"""propose_attributes over the store (SQLite and PostgreSQL): which products, which attributes, once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.engine.clock import FrozenClock
from connectors.engine.registry import FlowContext
from connectors.tiktok.attribute_fill.category_attributes import shared_cache
from connectors.tiktok.flows.propose_attributes import PROPOSE_ATTRIBUTES, propose_attributes
from connectors.tiktok.settings import TikTokSettings
from store.models import AttributeProposal, ChannelListing, Connection, Product
from store.repositories import ExceptionRepository
from store.repositories.exceptions import ExceptionTracker
from tests.connectors.tiktok.attribute_fill.conftest import seed_items

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TEE_CATEGORY = "601226"


class FakeCaller:
    """Answers Get Attributes from the sandbox seed and counts the calls (the TikTok API stand-in)."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def call(self, method: str, path: str, *, query: dict[str, Any] | None = None) -> dict[str, Any]:
        self.calls.append(f"{method} {path}")
        category_id = path.split("/")[-2]
        return {"attributes": seed_items(category_id)}


class FakeClient:
    def __init__(self) -> None:
        self.caller = FakeCaller()


def settings(**fill: Any) -> TikTokSettings:
    return TikTokSettings(
        app_key="k",
        app_secret=SecretStr("s"),
        catalog={"push_products": True, "category_map": {"womens-tops": TEE_CATEGORY}},
        attribute_fill=fill,
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    shared_cache().clear()


@pytest.fixture
def tiktok(session: Session) -> Connection:
    row = Connection(name="tt", type="tiktok", settings={})
    session.add(row)
    session.flush()
    return row


def run(
    session: Session, connection: Connection, config: TikTokSettings, client: Any = None
) -> dict[str, int]:
    ctx = FlowContext(
        client=client or FakeClient(),
        session=session,
        cursor=None,
        settings=config,
        clock=FrozenClock(NOW),
        now=NOW,
        connection=connection,
        exceptions=ExceptionTracker(ExceptionRepository(session), "propose_attributes", connection.id, NOW),
    )
    propose_attributes(ctx)
    return ctx.counts


def tee(session: Session, sku: str = "TEE-1", **attributes: Any) -> Product:
    product = Product(
        sku=sku,
        title="Women's Crew Neck Tee, 100% Cotton",
        description="<p>Short sleeves. Solid colours.</p>",
        category_id="womens-tops",
        attributes=attributes,
    )
    session.add(product)
    session.flush()
    return product


def recorded_listing(
    session: Session, product: Product, connection: Connection, *names: str
) -> ChannelListing:
    """A listing as the push leaves it: missing attributes with their Get Attributes description."""
    entries = [
        {
            **item,
            "field": f"product_attributes[id={item['id']}]",
            "rule": "attributes.required",
            "category_id": TEE_CATEGORY,
        }
        for item in seed_items(TEE_CATEGORY, *names)
    ]
    listing = ChannelListing(
        product_id=product.id,
        connection_id=connection.id,
        status="draft",
        missing_attributes=entries,
        content_hash="pushed-before",
    )
    session.add(listing)
    session.flush()
    return listing


def proposals(session: Session) -> dict[str, AttributeProposal]:
    rows = session.scalars(select(AttributeProposal).order_by(AttributeProposal.id)).all()
    return {f"{row.product_id}:{row.attribute_name}": row for row in rows}


def test_recorded_missing_attributes_get_pending_proposals_once(session: Session, tiktok: Connection) -> None:
    product = tee(session)
    recorded_listing(session, product, tiktok, "Material", "Neckline", "Pattern")
    client = FakeClient()
    counts = run(session, tiktok, settings(), client)
    made = proposals(session)
    assert {key.split(":")[1] for key in made} == {"Material", "Neckline", "Pattern"}
    material = made[f"{product.id}:Material"]
    assert (material.status, material.source, material.category_id) == ("pending", "rules", TEE_CATEGORY)
    assert material.values == [{"id": "1000387", "name": "Cotton"}]
    assert counts["proposals_created"] == 3 and client.caller.calls == []  # the listing said everything
    again = run(session, tiktok, settings())
    assert "proposals_created" not in again and len(proposals(session)) == 3


def test_a_rejected_value_is_not_proposed_again(session: Session, tiktok: Connection) -> None:
    product = tee(session)
    recorded_listing(session, product, tiktok, "Neckline")
    run(session, tiktok, settings())
    first = proposals(session)[f"{product.id}:Neckline"]
    first.status = "rejected"
    session.flush()
    counts = run(session, tiktok, settings())
    assert counts.get("proposals_rejected_before") == 1 and len(proposals(session)) == 1


def test_products_never_validated_are_checked_against_their_category(
    session: Session, tiktok: Connection
) -> None:
    product = tee(session, Pattern="Solid")  # Pattern given; the other required attributes are not
    client = FakeClient()
    counts = run(session, tiktok, settings(), client)
    made = {key.split(":")[1] for key in proposals(session)}
    assert made == {"Material", "Neckline", "Sleeve Length"}
    assert client.caller.calls == [f"GET /product/202309/categories/{TEE_CATEGORY}/attributes"]
    # A second product of the same category is served from the cache: no further call.
    tee(session, "TEE-2")
    run(session, tiktok, settings(), client)
    assert len(client.caller.calls) == 1 and counts["products_examined"] == 1
    assert product.id in {p.product_id for p in proposals(session).values()}


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        ({"sku_block": ["TEE-*"]}, set()),
        ({"sku_allow": ["OTHER-1"]}, set()),
        ({"sku_allow": ["TEE-1"]}, {"Material", "Neckline", "Pattern"}),
        ({"attribute_block": ["material", "100393"]}, {"Pattern"}),
        ({"attribute_allow": ["Neckline"]}, {"Neckline"}),
        ({"enabled": False}, set()),
    ],
)
def test_allow_and_block_lists(
    session: Session, tiktok: Connection, fill: dict[str, Any], expected: set[str]
) -> None:
    product = tee(session)
    recorded_listing(session, product, tiktok, "Material", "Neckline", "Pattern")
    run(session, tiktok, settings(**fill))
    assert {key.split(":")[1] for key in proposals(session)} == expected


def test_attribute_fill_switches_decide_alone(session: Session, tiktok: Connection) -> None:
    product = tee(session)
    recorded_listing(session, product, tiktok, "Material", "Neckline")
    config = settings(attribute_block=["Neckline"])
    run(session, tiktok, config)
    assert {key.split(":")[1] for key in proposals(session)} == {"Material"}
    assert not PROPOSE_ATTRIBUTES.is_enabled(settings(enabled=False))
    assert PROPOSE_ATTRIBUTES.is_enabled(settings())


def test_low_confidence_proposals_are_not_stored(session: Session, tiktok: Connection) -> None:
    product = tee(session)
    recorded_listing(session, product, tiktok, "Material")
    counts = run(session, tiktok, settings(min_confidence=0.99))
    assert proposals(session) == {} and counts["proposals_below_min_confidence"] == 1


def test_cache_expires(session: Session, tiktok: Connection) -> None:
    client = FakeClient()
    shared_cache().get(client, "tt", TEE_CATEGORY, "v1", now=NOW, ttl=timedelta(minutes=5))
    shared_cache().get(
        client, "tt", TEE_CATEGORY, "v1", now=NOW + timedelta(minutes=4), ttl=timedelta(minutes=5)
    )
    assert len(client.caller.calls) == 1
    shared_cache().get(
        client, "tt", TEE_CATEGORY, "v1", now=NOW + timedelta(minutes=6), ttl=timedelta(minutes=5)
    )
    assert len(client.caller.calls) == 2
