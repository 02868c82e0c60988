"""Every table of the store. Import models from here."""

from store.models.catalog import ChannelListing, InventoryLevel, Location, Product
from store.models.connections import Connection, ConnectionToken
from store.models.mappings import MAPPING_KINDS, Mapping
from store.models.operations import (
    AlertMessage,
    Approval,
    AttributeProposal,
    AuditLog,
    ExceptionRecord,
    FlowCursor,
    FlowRun,
    Lease,
)
from store.models.orders import (
    ORDER_STATUSES,
    ROUTE_STATES,
    Fulfillment,
    Order,
    OrderLine,
    OrderRoute,
    Refund,
    Return,
    ShippingRequest,
    Statement,
)

__all__ = [
    "MAPPING_KINDS",
    "ORDER_STATUSES",
    "ROUTE_STATES",
    "AlertMessage",
    "Approval",
    "AttributeProposal",
    "AuditLog",
    "ChannelListing",
    "Connection",
    "ConnectionToken",
    "ExceptionRecord",
    "FlowCursor",
    "FlowRun",
    "Fulfillment",
    "InventoryLevel",
    "Lease",
    "Location",
    "Mapping",
    "Order",
    "OrderLine",
    "OrderRoute",
    "Product",
    "Refund",
    "Return",
    "ShippingRequest",
    "Statement",
]
