"""`sync_daemon.py doctor` for SFCC: each credential on its own, then what each one may do.

A failing line names the credential (which client, which user), the setting that holds it, and
the missing OAuth scope or OCAPI resource permission, so a seller fixes exactly one thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import httpx

from connectors.config import env_var_for_secret
from connectors.runtime import ConnectionRuntime
from connectors.sfcc.auth import (
    AccountManagerAuth,
    BusinessManagerUserAuth,
    SlasPrivateClientAuth,
    SlasTrustedSystemAuth,
    TokenAuth,
    scapi_tenant_scope,
)
from connectors.sfcc.client import SCAPI_ADMIN_SCOPES, SfccClient
from connectors.sfcc.doctor_probes import Probe, data_probes, shop_probes
from connectors.sfcc.errors import SfccError, parse_fault
from connectors.sfcc.retry import RetryPolicy
from connectors.sfcc.settings import SfccSettings
from connectors.types import DoctorCheck

#: SCAPI createOrders: the Admin token looks orders up, the trusted-system token creates them.
ORDERS_SCOPE = "sfcc.orders.rw"
TSOB_SCOPE = "sfcc.ts_ext_on_behalf_of"
OCAPI_SETTINGS = "Business Manager > Administration > Site Development > Open Commerce API Settings"

Verdict = Literal["allowed", "missing", "blocking"]


def run_checks(runtime: ConnectionRuntime) -> Sequence[DoctorCheck]:
    """Every SFCC check for one connection, in the order a seller would fix them."""
    settings = runtime.settings
    assert isinstance(settings, SfccSettings)
    retry = RetryPolicy(max_attempts=2, base_delay=0.2)
    client = SfccClient(runtime.http, settings, clock=runtime.clock, retry=retry)
    return SfccDoctor(runtime.name, settings, client).checks()


class SfccDoctor:
    """The checks of one SFCC connection."""

    def __init__(self, name: str, settings: SfccSettings, client: SfccClient) -> None:
        self.name = name
        self.settings = settings
        self.client = client

    def checks(self) -> list[DoctorCheck]:
        """OCAPI credentials, then OCAPI permissions and the generic customer, then SCAPI clients."""
        s = self.settings
        scapi_push = s.order_push_api == "scapi_create_orders"
        results = [
            self._ocapi_client(),
            self._business_manager_user(required=s.ocapi_auth != "client_credentials"),
        ]
        if all(r.ok for r in results):
            results += [self._permissions("shop"), self._permissions("data"), self._generic_customer()]
        results.append(self._b2c_api_client(required=scapi_push))
        results.append(self._shop_api_client(required=scapi_push))
        return results

    # --- tokens -----------------------------------------------------------------------------
    def _fetch(
        self, name: str, auth: TokenAuth, id_field: str, secret_field: str
    ) -> tuple[DoctorCheck, dict[str, Any] | None]:
        """Ask for one token; on refusal, say which setting is wrong."""
        request = auth.build_token_request()
        try:
            response = self.client.http.send(request)
        except httpx.TransportError as error:
            where = "ocapi_url" if "/dw/oauth2" in request.url.path else "the URL settings"
            host = f"{request.url.scheme}://{request.url.host}"
            detail = f"cannot reach {host} ({type(error).__name__}); check {where}"
            return DoctorCheck(name, False, detail), None
        if response.status_code == 200:
            doc: dict[str, Any] = response.json()
            return DoctorCheck(name, True, f"token issued (valid {doc.get('expires_in', '?')} s)"), doc
        fault = parse_fault(response)
        code = fault.type if fault else f"HTTP {response.status_code}"
        said = fault.message if fault else response.text[:200]
        return DoctorCheck(
            name, False, f"refused ({code}: {said}); {self._hint(code, said, id_field, secret_field)}"
        ), None

    def _hint(self, code: str, said: str, id_field: str, secret_field: str) -> str:
        s = self.settings
        if code == "not_found" and "organization" in said.lower():
            return f"check organization_id ({s.organization_id}) of {self.name}"
        if "channel_id" in said:
            return f"check site_id ({s.site_id}) of {self.name}"
        if code == "invalid_scope":
            return f"check organization_id ({s.organization_id}): the tenant scope is built from it"
        secret = env_var_for_secret(self.name, secret_field)
        if code == "invalid_grant":
            return (
                f"the user name or its password/access key is wrong: check {id_field} and {secret} "
                "(Business Manager access keys expire after a year and lock after 6 failures)"
            )
        return (
            f"the client id is unknown, its password is wrong, or the client is disabled: check {id_field} "
            f"and {secret} (or the secrets file) against Account Manager"
        )

    def _ocapi_client(self) -> DoctorCheck:
        s = self.settings
        auth = AccountManagerAuth(
            account_manager_url=s.account_manager_url,
            client_id=s.ocapi_client_id,
            client_secret=s.ocapi_client_password,
            clock=self.client.clock,
        )
        name = f"OCAPI client '{s.ocapi_client_id}'"
        return self._fetch(name, auth, "ocapi_client_id", "ocapi_client_password")[0]

    def _business_manager_user(self, *, required: bool) -> DoctorCheck:
        s = self.settings
        if not s.business_manager_user or s.business_manager_password is None:
            why = "; OCAPI is set to use it (ocapi_auth)" if required else " (not needed)"
            return DoctorCheck("Business Manager user", not required, f"not configured{why}")
        auth = BusinessManagerUserAuth(
            ocapi_url=s.ocapi_url,
            client_id=s.ocapi_client_id,
            client_secret=s.ocapi_client_password,
            user=s.business_manager_user,
            password=s.business_manager_password,
            clock=self.client.clock,
        )
        name = f"Business Manager user '{s.business_manager_user}'"
        return self._fetch(name, auth, "business_manager_user", "business_manager_password")[0]

    # --- OCAPI permissions ------------------------------------------------------------------
    def _permissions(self, api: Literal["shop", "data"]) -> DoctorCheck:
        probes = shop_probes() if api == "shop" else data_probes(self.settings)
        title = f"OCAPI {api.capitalize()} API permissions of '{self.settings.ocapi_client_id}'"
        missing: list[str] = []
        for probe in probes:
            verdict, text = self._probe(probe)
            if verdict == "blocking":
                return DoctorCheck(title, False, text)
            if verdict == "missing":
                missing.append(text)
        if missing:
            where = f"the {api.capitalize()} API settings ({OCAPI_SETTINGS})"
            return DoctorCheck(title, False, f"{len(missing)} missing; add to {where}: " + "; ".join(missing))
        return DoctorCheck(title, True, f"all {len(probes)} resources and methods used are allowed")

    def _probe(self, probe: Probe) -> tuple[Verdict, str]:
        url = self.client.shop_url(probe.path) if probe.api == "shop" else self.client.data_url(probe.path)
        try:
            response = self.client.request(
                probe.method,
                url,
                auth="ocapi",
                what=f"the permission check of {probe.method} {probe.resource_id}",
                json=probe.body,
                expect=frozenset(range(400, 500)),
            )
        except SfccError as error:
            return "blocking", error.message
        fault = parse_fault(response)
        kind = fault.type if fault else ""
        if kind == "ClientAccessForbiddenException":
            return "missing", f"{probe.method} {probe.resource_id} (to {probe.why}): {probe.settings_entry}"
        if kind in ("UnknownSiteException", "SiteNotFoundException"):
            return (
                "blocking",
                f"the instance has no site '{self.settings.site_id}': check site_id of {self.name}",
            )
        if kind in ("VersionNotFoundException", "InvalidVersionException"):
            return (
                "blocking",
                f"the instance does not serve OCAPI {self.settings.ocapi_version}: check ocapi_version",
            )
        return "allowed", ""

    def _generic_customer(self) -> DoctorCheck:
        number = self.settings.generic_customer_number
        if not number:
            return DoctorCheck(
                "generic customer", False, "generic_customer_number is not set; orders cannot be pushed"
            )
        customer_list = self.settings.customer_list
        url = self.client.data_url(f"/customer_lists/{customer_list}/customers/{number}")
        name = f"generic customer {number}"
        try:
            self.client.request("GET", url, auth="ocapi", what=f"the lookup of customer {number}")
        except SfccError as error:
            said = error.fault.type if error.fault else f"HTTP {error.status_code}"
            return DoctorCheck(
                name,
                False,
                f"not found in customer list {customer_list} ({said}); set generic_customer_number to an "
                "existing SFCC customer number",
            )
        return DoctorCheck(name, True, f"exists in customer list {customer_list}")

    # --- SCAPI ------------------------------------------------------------------------------
    def _b2c_api_client(self, *, required: bool) -> DoctorCheck:
        s = self.settings
        if not s.b2c_api_client_id or s.b2c_api_client_password is None:
            why = "; SCAPI createOrders needs it" if required else " (only SCAPI createOrders needs it)"
            return DoctorCheck("B2C API client", not required, f"not configured{why}")
        auth = AccountManagerAuth(
            account_manager_url=s.account_manager_url,
            client_id=s.b2c_api_client_id,
            client_secret=s.b2c_api_client_password,
            clock=self.client.clock,
            scope=scapi_tenant_scope(s.tenant_id, *SCAPI_ADMIN_SCOPES),
        )
        name = f"B2C API client '{s.b2c_api_client_id}' (SCAPI Admin)"
        check, doc = self._fetch(name, auth, "b2c_api_client_id", "b2c_api_client_password")
        if doc is None:
            return check
        granted = str(doc.get("scope", "")).split()
        if ORDERS_SCOPE not in granted:
            return DoctorCheck(
                name,
                not required,
                f"token lacks scope {ORDERS_SCOPE} (granted: {' '.join(granted) or 'none'}); add it to the "
                "API client's allowed scopes in Account Manager",
            )
        return DoctorCheck(name, True, f"token issued with {ORDERS_SCOPE}")

    def _shop_api_client(self, *, required: bool) -> DoctorCheck:
        s = self.settings
        if not s.b2c_shop_api_client_id or s.b2c_shop_api_client_password is None:
            why = "; SCAPI createOrders needs it" if required else " (only SCAPI createOrders needs it)"
            return DoctorCheck("B2C Shop API client", not required, f"not configured{why}")
        common: dict[str, Any] = {
            "scapi_url": s.scapi_base_url,
            "organization_id": s.organization_id,
            "client_id": s.b2c_shop_api_client_id,
            "client_secret": s.b2c_shop_api_client_password,
            "site_id": s.site_id,
            "clock": self.client.clock,
        }
        name = f"B2C Shop API client '{s.b2c_shop_api_client_id}' (SLAS)"
        fields = ("b2c_shop_api_client_id", "b2c_shop_api_client_password")
        check, doc = self._fetch(name, SlasPrivateClientAuth(**common), *fields)
        if doc is None or not required:
            return check
        trusted, doc = self._fetch(name, SlasTrustedSystemAuth(**common), *fields)
        if doc is None:
            refused = trusted.detail.split(";", 1)[0]
            return DoctorCheck(
                name, False, f"trusted-system token {refused}; add scope {TSOB_SCOPE} to the SLAS client"
            )
        if ORDERS_SCOPE not in str(doc.get("scope", "")).split():
            return DoctorCheck(name, False, f"tokens lack scope {ORDERS_SCOPE}; add it to the SLAS client")
        return DoctorCheck(name, True, f"guest and trusted-system tokens issued, with {ORDERS_SCOPE}")
