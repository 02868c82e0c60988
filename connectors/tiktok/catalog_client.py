"""TikTok Shop catalog endpoints, over the client's one retrying caller.

Reads (categories, rules, attributes, brands, product detail and search) and full-replace or
partial edits are idempotent and retried like every read. Create is not: it goes out once
(``idempotent=False``), and the push flow searches by seller SKU before creating, so a create whose
answer was lost is found and linked instead of listed twice. Image upload is multipart: its body is
not signed (the auth leaves multipart bodies out), and it carries no shop_cipher.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import httpx

from connectors.tiktok.catalog_schemas import (
    AttributeList,
    BatchErrors,
    Brand,
    BrandPage,
    Category,
    CategoryList,
    CategoryRules,
    ListingCheck,
    ProductDetail,
    ProductWriteResult,
    UploadedImage,
)
from connectors.tiktok.client import QueryValue, TikTokClient, parse_envelope
from connectors.tiktok.errors import RateLimitedError, TikTokError, UnavailableError
from connectors.tiktok.listing_validation import CategoryAttribute
from connectors.tiktok.pagination import iterate_pages
from connectors.tiktok.schemas import ItemError, ProductPage

__all__ = ["CatalogClient"]

BASE = "/product/202309"
IMAGE_UPLOAD = f"{BASE}/images/upload"
BATCH_LIMIT = 20  # activate, deactivate, delete and recover take at most 20 ids per call


class CatalogClient:
    """Catalog calls for one shop; build it over the connection's `TikTokClient`."""

    def __init__(self, client: TikTokClient) -> None:
        self.client = client
        self.caller = client.caller

    # --- categories, rules, attributes, brands --------------------------------------------------

    def get_categories(self, *, version: str = "v1", keyword: str | None = None) -> list[Category]:
        """GET the tree of ``version`` (v1: 3 levels; v2: up to 7), or the nodes named like ``keyword``."""
        query: dict[str, QueryValue] = {"category_version": version, "keyword": keyword}
        data = self.caller.call("GET", f"{BASE}/categories", query=query)
        return self.caller.model(CategoryList, data).categories

    def get_category_rules(self, category_id: str, *, version: str = "v1") -> CategoryRules:
        """GET what a category demands beyond attributes (certifications, size chart, dimensions)."""
        path = f"{BASE}/categories/{category_id}/rules"
        data = self.caller.call("GET", path, query={"category_version": version})
        return self.caller.model(CategoryRules, data)

    def get_attributes(self, category_id: str, *, version: str = "v1") -> list[CategoryAttribute]:
        """GET a leaf category's attributes, as the listing validator reads them."""
        path = f"{BASE}/categories/{category_id}/attributes"
        data = self.caller.call("GET", path, query={"category_version": version})
        return self.caller.model(AttributeList, data).attributes

    def iter_brands(
        self, *, category_id: str | None = None, version: str = "v1", brand_name: str | None = None
    ) -> Iterator[Brand]:
        """Every brand usable in ``category_id`` (or named like ``brand_name``), page by page."""

        def fetch(token: str | None) -> BrandPage:
            query: dict[str, QueryValue] = {
                "category_id": category_id,
                "category_version": version,
                "brand_name": brand_name,
                "page_size": 100,
                "page_token": token,
            }
            return self.caller.model(BrandPage, self.caller.call("GET", f"{BASE}/brands", query=query))

        for page in iterate_pages(fetch):
            yield from page.brands

    # --- images ---------------------------------------------------------------------------------

    def upload_image(
        self, data: bytes, *, use_case: str = "MAIN_IMAGE", filename: str = "image"
    ) -> UploadedImage:
        """POST an image as multipart (``data`` + ``use_case``); returns the ``uri`` listings refer to.

        Uploading the same bytes twice is harmless, so failures TikTok marks retryable are retried.
        """
        caller = self.caller
        attempt = 0
        while True:
            attempt += 1
            try:
                return caller.model(UploadedImage, self._send_upload(data, use_case, filename))
            except TikTokError as error:
                if not error.retryable or attempt >= caller.retry.max_attempts:
                    raise
                retry_after = error.retry_after if isinstance(error, RateLimitedError) else None
                caller.retries += 1
                caller.sleep(caller.retry.delay(attempt, retry_after, caller.rng))

    def _send_upload(self, data: bytes, use_case: str, filename: str) -> Any:
        caller = self.caller
        caller.limiter.acquire()
        caller.calls += 1
        request = caller.http.build_request(
            "POST",
            f"{caller.base_url}{IMAGE_UPLOAD}",
            files={"data": (filename, data)},
            data={"use_case": use_case},
        )
        try:
            response = caller.http.send(request, auth=caller.auth)
        except httpx.TransportError as exc:
            raise UnavailableError(f"image upload got no answer: {exc}", path=IMAGE_UPLOAD) from exc
        return parse_envelope(response)

    # --- products -------------------------------------------------------------------------------

    def create_product(self, body: Mapping[str, Any]) -> ProductWriteResult:
        """POST a new product (sent once: see the module docstring)."""
        data = self.caller.call("POST", f"{BASE}/products", body=body, idempotent=False)
        return self.caller.model(ProductWriteResult, data)

    def edit_product(self, product_id: str, body: Mapping[str, Any]) -> ProductWriteResult:
        """PUT a full replacement: SKUs left out of ``body`` are deleted on TikTok."""
        data = self.caller.call("PUT", f"{BASE}/products/{product_id}", body=body)
        return self.caller.model(ProductWriteResult, data)

    def partial_edit_product(self, product_id: str, body: Mapping[str, Any]) -> ProductWriteResult:
        """POST only the fields to change (SKUs by id)."""
        data = self.caller.call("POST", f"{BASE}/products/{product_id}/partial_edit", body=body)
        return self.caller.model(ProductWriteResult, data)

    def get_product(self, product_id: str) -> ProductDetail:
        """GET one product's detail."""
        return self.caller.model(ProductDetail, self.caller.call("GET", f"{BASE}/products/{product_id}"))

    def search_products(self, filters: Mapping[str, Any], *, page_token: str | None = None) -> ProductPage:
        """POST a product search; ``filters`` go in the body (status, seller_skus, update_time_ge...)."""
        query: dict[str, QueryValue] = {"page_size": self.client.page_size, "page_token": page_token}
        data = self.caller.call("POST", f"{BASE}/products/search", query=query, body=dict(filters))
        return self.caller.model(ProductPage, data)

    def iter_product_pages(self, filters: Mapping[str, Any]) -> Iterator[ProductPage]:
        """Every page of a product search."""
        return iterate_pages(lambda token: self.search_products(filters, page_token=token))

    def listing_check(self, body: Mapping[str, Any]) -> ListingCheck:
        """POST a create body for a dry run: every rule it breaks, with TikTok's codes."""
        data = self.caller.call("POST", f"{BASE}/products/listing_check", body=body)
        return self.caller.model(ListingCheck, data)

    def activate(self, product_ids: Sequence[str]) -> list[ItemError]:
        """Put deactivated products back on sale; returns the per-product failures."""
        return self._batch("POST", f"{BASE}/products/activate", product_ids)

    def deactivate(self, product_ids: Sequence[str]) -> list[ItemError]:
        """Take live products off sale; returns the per-product failures."""
        return self._batch("POST", f"{BASE}/products/deactivate", product_ids)

    def delete(self, product_ids: Sequence[str]) -> list[ItemError]:
        """Delete products (a DELETE with a JSON body); returns the per-product failures."""
        return self._batch("DELETE", f"{BASE}/products", product_ids)

    def recover(self, product_ids: Sequence[str]) -> list[ItemError]:
        """Bring deleted products back; returns the per-product failures."""
        return self._batch("POST", f"{BASE}/products/recover", product_ids)

    def _batch(self, method: str, path: str, product_ids: Sequence[str]) -> list[ItemError]:
        errors: list[ItemError] = []
        ids = list(product_ids)
        for start in range(0, len(ids), BATCH_LIMIT):
            body = {"product_ids": ids[start : start + BATCH_LIMIT]}
            errors.extend(self.caller.model(BatchErrors, self.caller.call(method, path, body=body)).errors)
        return errors
