"""The settings a seller enters for one SFCC connection, validated at the edge."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

_ORG_ID = re.compile(r"^f_ecom_[a-z]{4}_(prd|stg|dev|s[0-9]{2}|[0-9]{3})$")
_VERSION = re.compile(r"^[0-9]{2}\.[0-9]{1,2}$")


class CustomerStrategy(StrEnum):
    """How an incoming order finds its SFCC customer (all six options sellers can pick)."""

    GENERIC = "generic_customer"
    EMAIL_CREATE = "email_create"
    EMAIL_ELSE_GENERIC = "email_else_generic"
    COMPANY_CREATE = "company_create"
    COMPANY_ELSE_GENERIC = "company_else_generic"
    COMPANY_THEN_EMAIL_ELSE_GENERIC = "company_then_email_else_generic"


class PaymentMethodRule(BaseModel):
    """One row of the payment mapping table: which SFCC payment method, and which amount.

    A small table rather than an expression language, so a configuration can never run code.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    tiktok_payment_method: str | None = Field(
        default=None,
        description="TikTok payment method name this row applies to; empty matches every order.",
    )
    sfcc_payment_method_id: str = Field(
        min_length=1, description="SFCC payment method id, e.g. the dedicated 'TTS' method."
    )
    amount: Literal["payment_total", "order_total"] = Field(
        default="payment_total",
        description="Which order total becomes the payment instrument amount.",
    )


def _default_payment_mapping() -> list[PaymentMethodRule]:
    return [PaymentMethodRule(sfcc_payment_method_id="TTS", amount="payment_total")]


class ProductAttributeNames(BaseModel):
    """Which SFCC custom attributes hold the facts a TikTok listing needs and SFCC has no field for.

    SFCC products have no standard weight or package dimensions, so merchandisers keep them in
    custom attributes; the names differ per instance, hence settings. Every other `c_` attribute is
    carried into the master product's attributes under its name in words (`c_compatiblePhoneModels`
    becomes "compatible phone models"), which is how TikTok attribute names are matched.
    """

    model_config = ConfigDict(extra="forbid")

    weight: str = "c_weight"
    weight_unit: str = "c_weightUnit"
    length: str = "c_length"
    width: str = "c_width"
    height: str = "c_height"
    dimension_unit: str = "c_dimensionUnit"
    tiktok_category_id: str = Field(
        default="c_tiktokCategoryId",
        description="Optional TikTok leaf category id set in SFCC; otherwise the category map applies.",
    )

    def package_fields(self) -> dict[str, str]:
        """Store Product column -> SFCC custom attribute."""
        return {
            "weight": self.weight,
            "weight_unit": self.weight_unit,
            "length": self.length,
            "width": self.width,
            "height": self.height,
            "dimension_unit": self.dimension_unit,
        }


class SfccSettings(BaseModel):
    """Connection settings of one SFCC instance (secrets come from env or a secrets file)."""

    model_config = ConfigDict(extra="forbid")

    # --- connection -------------------------------------------------------------------------
    short_code: str = Field(min_length=1, description="SCAPI short code of the realm (eight characters).")
    organization_id: str = Field(description="Organization id, like f_ecom_zzte_053.")
    site_id: str = Field(min_length=1, description="Site id, like RefArch.")
    ocapi_url: str = Field(
        description="OCAPI instance URL, like https://f_ecom_xxxx_000.dx.commercecloud.salesforce.com."
    )
    b2c_api_client_id: str | None = Field(
        default=None, description="Account Manager API client for the SCAPI Admin APIs."
    )
    b2c_api_client_password: SecretStr | None = Field(default=None, description="Its password.")
    b2c_shop_api_client_id: str | None = Field(
        default=None, description="SLAS private client for the shopper APIs and trusted-system tokens."
    )
    b2c_shop_api_client_password: SecretStr | None = Field(default=None, description="Its secret.")
    ocapi_client_id: str = Field(min_length=1, description="Account Manager API client used for OCAPI.")
    ocapi_client_password: SecretStr = Field(description="Its password.")
    business_manager_user: str | None = Field(
        default=None, description="Business Manager user name, for the BM user grant where needed."
    )
    business_manager_password: SecretStr | None = Field(
        default=None, description="Business Manager password or OCAPI access key of that user."
    )
    ocapi_version: str = Field(default="25.6", description="OCAPI version as major.minor, e.g. 25.6.")

    # --- order push -------------------------------------------------------------------------
    customer_strategy: CustomerStrategy = Field(
        default=CustomerStrategy.GENERIC, description="How orders find their SFCC customer."
    )
    generic_customer_number: str | None = Field(
        default=None, description="SFCC customer number that receives orders without a matched customer."
    )
    customer_list_id: str | None = Field(
        default=None,
        description="Customer list searched and extended by the email and company strategies; "
        "empty means the list named like the site.",
    )
    shipping_method_mapping: dict[str, str] = Field(
        default_factory=dict,
        description="TikTok delivery option name -> SFCC shipping method id (shipments[0]).",
    )
    payment_method_mapping: list[PaymentMethodRule] = Field(
        default_factory=_default_payment_mapping,
        description="Payment instrument rules; first matching row wins; one instrument per order.",
    )
    push_orders: bool = Field(default=False, description="Push orders to Salesforce.")
    order_statuses_to_push: list[str] = Field(
        default_factory=lambda: ["readyForFulfillment", "canceled"],
        description="Order statuses that are pushed (creation, and cancellation for 'canceled').",
    )
    push_source_channels: list[str] = Field(
        default_factory=list, description="Push only orders from these source channels; empty means all."
    )
    mark_sent_to_fulfillment: bool = Field(
        default=False, description="Mark the order as sent to fulfillment once created in SFCC."
    )
    order_push_api: Literal["ocapi_basket", "scapi_create_orders"] = Field(
        default="ocapi_basket",
        description="OCAPI Shop API basket flow, or SCAPI createOrders for pre-calculated orders.",
    )
    order_number_prefix: str = Field(
        default="TT", max_length=10, description="Prefix of the SFCC order number derived from the TikTok id."
    )
    ocapi_auth: Literal["client_credentials", "business_manager_user"] = Field(
        default="client_credentials",
        description="Token used for OCAPI: the OCAPI client's own, or the Business Manager user grant.",
    )

    # --- pulls ------------------------------------------------------------------------------
    pull_product_catalog: bool = Field(default=True, description="Pull product catalog.")
    pull_shipping_requests: bool = Field(default=True, description="Pull shipping requests.")
    pull_fulfillments: bool = Field(default=True, description="Pull fulfillment information.")
    pull_inventory: bool = Field(default=True, description="Pull inventory information.")
    force_catalog_resync: bool = Field(default=False, description="Force product catalog resync.")
    force_inventory_resync: bool = Field(default=False, description="Force inventory resync.")
    product_attributes: ProductAttributeNames = Field(
        default_factory=ProductAttributeNames,
        description="Custom attributes of SFCC products that carry package facts and the TikTok category.",
    )
    carrier_attribute: str = Field(
        default="c_carrier", description="Custom attribute on the shipment or order that names the carrier."
    )

    # --- endpoints (overridden to point at the sandbox) -------------------------------------
    account_manager_url: str = Field(
        default="https://account.demandware.com", description="Account Manager base URL."
    )
    scapi_url: str | None = Field(
        default=None,
        description="SCAPI base URL; empty derives https://{short_code}.api.commercecloud.salesforce.com.",
    )

    @field_validator("organization_id")
    @classmethod
    def _check_org(cls, value: str) -> str:
        if not _ORG_ID.match(value):
            raise ValueError(f"organization id {value!r} is not of the form f_ecom_abcd_prd")
        return value

    @field_validator("ocapi_version")
    @classmethod
    def _check_version(cls, value: str) -> str:
        if not _VERSION.match(value):
            raise ValueError(f"OCAPI version {value!r} must look like 25.6")
        return value

    @field_validator("ocapi_url", "account_manager_url", "scapi_url")
    @classmethod
    def _check_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/") if value else value

    @property
    def tenant_id(self) -> str:
        """The tenant part of the organization id, used in the SCAPI scope (f_ecom_ stripped)."""
        return self.organization_id.removeprefix("f_ecom_")

    @property
    def ocapi_url_version(self) -> str:
        """The version as it appears in OCAPI paths (v25_6)."""
        return "v" + self.ocapi_version.replace(".", "_")

    @property
    def customer_list(self) -> str:
        """The customer list the strategies search (SFCC names a site's list after the site)."""
        return self.customer_list_id or self.site_id

    @property
    def scapi_base_url(self) -> str:
        """SCAPI base URL, explicit or derived from the short code."""
        return self.scapi_url or f"https://{self.short_code}.api.commercecloud.salesforce.com"
