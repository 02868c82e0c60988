"""Shipping requests reported by a fulfilment system: upserts by (connection, external id)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import ShippingRequest


class ShippingRequestRepository:
    """ShippingRequest rows; take a session, flush, never commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_external_id(self, connection_id: int, external_id: str) -> ShippingRequest | None:
        return self.session.scalar(
            select(ShippingRequest).where(
                ShippingRequest.connection_id == connection_id, ShippingRequest.external_id == external_id
            )
        )

    def for_order(self, order_id: int) -> Sequence[ShippingRequest]:
        return self.session.scalars(
            select(ShippingRequest).where(ShippingRequest.order_id == order_id).order_by(ShippingRequest.id)
        ).all()

    def upsert(
        self, connection_id: int, external_id: str, fields: dict[str, Any]
    ) -> tuple[ShippingRequest, bool]:
        """Create or update one request; returns (row, changed), unchanged rows are left alone."""
        request = self.get_by_external_id(connection_id, external_id)
        if request is None:
            request = ShippingRequest(connection_id=connection_id, external_id=external_id, **fields)
            self.session.add(request)
            self.session.flush()
            return request, True
        changed = any(getattr(request, key) != value for key, value in fields.items())
        for key, value in fields.items():
            setattr(request, key, value)
        self.session.flush()
        return request, changed
