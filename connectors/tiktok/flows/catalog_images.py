"""Product images: fetched from where the master catalog keeps them, probed, uploaded to TikTok.

Fetching happens before validation so that format, size and resolution are checked locally; the
upload happens only for a listing about to be pushed. Both are remembered for the run, so an image
shared by several variants is fetched and uploaded once.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx

from connectors.tiktok.catalog_client import CatalogClient
from connectors.tiktok.catalog_schemas import UploadedImage
from connectors.tiktok.image_probe import ImageInfo, probe_image
from connectors.tiktok.listing_validation import ListingIssue
from connectors.tiktok.listing_validation.issue import invalid

MAX_FETCH_BYTES = 20 * 1024 * 1024


class ImageFetchError(Exception):
    """An image URL gave no image; the message says why."""


class ImageStore:
    """Fetch, probe and upload images by URL, each at most once per run."""

    def __init__(self, http: httpx.Client, client: CatalogClient) -> None:
        self.http = http
        self.client = client
        self._bytes: dict[str, bytes | ImageFetchError] = {}
        self._uploaded: dict[tuple[str, str], UploadedImage] = {}

    def fetch(self, url: str) -> bytes:
        """The image's bytes; raises `ImageFetchError` (remembered for the run) when unreachable."""
        cached = self._bytes.get(url)
        if cached is None:
            try:
                cached = self._read(url)
            except ImageFetchError as error:
                cached = error
            self._bytes[url] = cached
        if isinstance(cached, ImageFetchError):
            raise cached
        return cached

    def _read(self, url: str) -> bytes:
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path))
            if not path.is_file():
                raise ImageFetchError(f"no file at {path}")
            return path.read_bytes()
        if parts.scheme not in ("http", "https"):
            raise ImageFetchError(f"'{parts.scheme or 'no'}' scheme; give an http(s) URL")
        try:
            response = self.http.get(url, follow_redirects=True)
        except httpx.HTTPError as error:
            raise ImageFetchError(f"could not download it ({type(error).__name__})") from error
        if response.status_code != 200:
            raise ImageFetchError(f"the server answered HTTP {response.status_code}")
        if len(response.content) > MAX_FETCH_BYTES:
            raise ImageFetchError("it is larger than 20 MB")
        return response.content

    def probe_all(
        self, urls: list[str], field: str
    ) -> tuple[dict[str, ImageInfo | None], list[ListingIssue]]:
        """Probe each URL; unreachable or unreadable images become issues on ``field``."""
        found: dict[str, ImageInfo | None] = {}
        issues: list[ListingIssue] = []
        for index, url in enumerate(urls):
            try:
                info = probe_image(self.fetch(url))
            except ImageFetchError as error:
                issues.append(
                    invalid(
                        f"{field}[{index}]",
                        "main_images.unreachable",
                        f"Image {url} could not be fetched: {error}. Fix its URL in the master catalog.",
                    )
                )
                continue
            found[url] = info
            if info is None:
                issues.append(
                    invalid(
                        f"{field}[{index}]",
                        "main_images.format",
                        f"Image {url} is not a readable JPG or PNG file; replace it.",
                    )
                )
        return found, issues

    def upload(self, url: str, use_case: str) -> UploadedImage:
        """Upload the image at ``url`` for ``use_case`` (once per run); returns TikTok's URI and URL."""
        key = (url, use_case)
        if key not in self._uploaded:
            name = Path(urlsplit(url).path).name or "image"
            self._uploaded[key] = self.client.upload_image(self.fetch(url), use_case=use_case, filename=name)
        return self._uploaded[key]
