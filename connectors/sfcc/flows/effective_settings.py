"""Settings as they apply right now: the file's mappings overlaid with mappings made in the store.

People fix mappings from Slack (``map shipping Standard Shipping -> 001``); those land in the
Mapping table and win over the configuration file without a restart.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from connectors.sfcc.settings import PaymentMethodRule, SfccSettings
from store.models import Mapping


def effective_settings(session: Session, settings: SfccSettings, connection_id: int) -> SfccSettings:
    """``settings`` with the store's shipping and payment method mappings for this connection."""
    rows = session.scalars(
        select(Mapping).where(
            Mapping.connection_id == connection_id,
            Mapping.kind.in_(("shipping_method", "payment_method")),
        )
    ).all()
    if not rows:
        return settings
    shipping = dict(settings.shipping_method_mapping)
    payment = list(settings.payment_method_mapping)
    for row in rows:
        if row.kind == "shipping_method":
            shipping[row.source] = row.target
        else:
            method = None if row.source in ("*", "") else row.source
            payment = [rule for rule in payment if rule.tiktok_payment_method != method]
            # Specific methods first: the push takes the first rule that matches.
            rule = PaymentMethodRule(tiktok_payment_method=method, sfcc_payment_method_id=row.target)
            payment = [rule, *payment] if method is not None else [*payment, rule]
    return settings.model_copy(
        update={"shipping_method_mapping": shipping, "payment_method_mapping": payment}
    )
