"""Repositories: take a Session, may flush, never commit. The caller owns the transaction."""

from store.repositories.audit import AuditRepository
from store.repositories.connections import ConnectionRepository
from store.repositories.exceptions import ExceptionRepository, ExceptionTracker
from store.repositories.flows import FlowCursorRepository, FlowRunRepository, LeaseRepository
from store.repositories.orders import FulfillmentRepository, LineData, OrderRepository, OrderRouteRepository

__all__ = [
    "AuditRepository",
    "ConnectionRepository",
    "ExceptionRepository",
    "ExceptionTracker",
    "FlowCursorRepository",
    "FlowRunRepository",
    "FulfillmentRepository",
    "LeaseRepository",
    "LineData",
    "OrderRepository",
    "OrderRouteRepository",
]
