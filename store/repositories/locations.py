"""Locations (warehouses, inventory lists) of a connection: upserts by (connection, external id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Location


class LocationRepository:
    """Location rows; take a session, flush, never commit."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def for_connection(self, connection_id: int) -> Sequence[Location]:
        return self.session.scalars(
            select(Location).where(Location.connection_id == connection_id).order_by(Location.external_id)
        ).all()

    def get_by_external_id(self, connection_id: int, external_id: str) -> Location | None:
        return self.session.scalar(
            select(Location).where(
                Location.connection_id == connection_id, Location.external_id == external_id
            )
        )

    def default_for(self, connection_id: int, kind: str = "sales") -> Location | None:
        """The connection's default location of ``kind``, if one is marked."""
        return self.session.scalar(
            select(Location).where(
                Location.connection_id == connection_id,
                Location.kind == kind,
                Location.is_default.is_(True),
            )
        )

    def upsert(self, connection_id: int, external_id: str, fields: dict[str, Any]) -> tuple[Location, bool]:
        """Create or update one location; returns (row, created)."""
        location = self.get_by_external_id(connection_id, external_id)
        created = location is None
        if location is None:
            location = Location(connection_id=connection_id, external_id=external_id, **fields)
            self.session.add(location)
        else:
            for key, value in fields.items():
                setattr(location, key, value)
        self.session.flush()
        return location, created

    def delete_except(self, connection_id: int, keep: Iterable[str]) -> list[str]:
        """Delete the connection's locations whose external id is not in ``keep``; returns their ids."""
        kept = set(keep)
        removed = [loc for loc in self.for_connection(connection_id) if loc.external_id not in kept]
        for location in removed:
            self.session.delete(location)
        self.session.flush()
        return [loc.external_id for loc in removed]
