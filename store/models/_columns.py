"""Column shorthands shared by the model modules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any

from sqlalchemy import BigInteger, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import mapped_column

from store.base import JsonDocument, UtcDateTime

# BIGINT on PostgreSQL; SQLite only auto-increments a column declared exactly INTEGER.
BigId = BigInteger().with_variant(Integer(), "sqlite")

# Money: 18 digits with 4 decimals covers every currency TikTok and SFCC use; never a float.
MONEY = Numeric(18, 4, asdecimal=True)

IdPk = Annotated[int, mapped_column(BigId, primary_key=True, autoincrement=True)]
Money = Annotated[Decimal, mapped_column(MONEY, nullable=False)]
OptionalMoney = Annotated[Decimal | None, mapped_column(MONEY, nullable=True)]
Json = Annotated[Any, mapped_column(JsonDocument, nullable=False)]
OptionalJson = Annotated[Any, mapped_column(JsonDocument, nullable=True)]
Name = Annotated[str, mapped_column(String(200), nullable=False)]
OptionalName = Annotated[str | None, mapped_column(String(200), nullable=True)]
Text = Annotated[str, mapped_column(String, nullable=False)]
OptionalText = Annotated[str | None, mapped_column(String, nullable=True)]
Timestamp = Annotated[datetime, mapped_column(UtcDateTime(), nullable=False)]
OptionalTimestamp = Annotated[datetime | None, mapped_column(UtcDateTime(), nullable=True)]


def utcnow() -> datetime:
    """Default for created/updated columns (flows pass their own clock's time explicitly)."""
    return datetime.now(UTC)


def fk_id(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Any:
    """A BIGINT foreign key column pointing at ``target`` (``table.id``), indexed."""
    return mapped_column(BigId, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)
