"""Sign-in with an OpenID provider (Microsoft Entra ID): the protocol, done by Authlib.

Authorization code flow with PKCE (S256), `state` and `nonce`. Authlib reads the
provider's discovery document, fetches its JWKS, checks the ID token's signature,
`aud`, `exp`, `iat` and `nonce`. The issuer check is ours only in one respect:
Entra's multi-tenant issuers (`…/organizations/v2.0`, `…/common/v2.0`) sign ID
tokens with the tenant's own issuer (`…/{tid}/v2.0`), so for those the expected
`iss` is the configured issuer with the tenant id of the token in place of
`organizations`/`common`; every other issuer must match exactly.

Authlib and httpx are imported when a client is made (only with sign-in with
Microsoft configured): a start of the server without it does not load them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit
from uuid import UUID

if TYPE_CHECKING:
    from authlib.integrations.base_client.sync_app import BaseApp

    from service.settings import Settings

SCOPES = "openid profile email"
#: Issuer path segments that stand for "any Entra tenant" (multi-tenant apps).
MULTI_TENANT = frozenset({"organizations", "common"})
HTTP_TIMEOUT = 10.0


class SignInRefused(Exception):
    """The provider's answer could not be trusted (or there was none)."""


@dataclass(frozen=True)
class Verified:
    """What a verified ID token says about who signed in."""

    tenant_id: str
    email: str
    name: str
    subject: str


@dataclass(frozen=True)
class Started:
    url: str
    state: str
    nonce: str
    code_verifier: str


def expected_issuer(configured: str, tenant_id: str | None) -> str | None:
    """The `iss` an ID token must carry, given the configured issuer and its `tid`.

    None when the configured issuer is multi-tenant and the token names no valid
    tenant: such a token is refused.
    """
    parts = urlsplit(configured)
    segments = parts.path.split("/")
    templated = [i for i, s in enumerate(segments) if s.lower() in MULTI_TENANT]
    if not templated:
        return configured
    try:
        tenant = str(UUID(str(tenant_id)))
    except ValueError:
        return None
    segments[templated[0]] = tenant
    return urlunsplit(parts._replace(path="/".join(segments)))


@cache
def _provider_class() -> type[BaseApp]:
    from authlib.integrations.base_client.sync_app import BaseApp, OAuth2Mixin
    from authlib.integrations.base_client.sync_openid import OpenIDMixin
    from authlib.integrations.httpx_client import OAuth2Client

    class _Provider(OAuth2Mixin, OpenIDMixin, BaseApp):  # type: ignore[misc]
        client_cls = OAuth2Client

    return _Provider


@cache
def _refusals() -> tuple[type[Exception], ...]:
    """What the provider's side may raise: refused, not failed."""
    import httpx
    from authlib.common.errors import AuthlibBaseError
    from joserfc.errors import JoseError

    return (httpx.HTTPError, AuthlibBaseError, JoseError, ValueError, KeyError)


class _NoFramework:
    """Authlib's apps tell their web framework about refreshed tokens: we keep none."""

    def update_token(self, *args: Any, **kwargs: Any) -> None:
        return None


class OpenIdClient:
    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._provider = _provider_class()(
            _NoFramework(),
            name="oidc",
            client_id=client_id,
            client_secret=client_secret,
            server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": SCOPES,
                "code_challenge_method": "S256",
                "timeout": HTTP_TIMEOUT,
            },
        )

    def start(self, redirect_uri: str) -> Started:
        """The provider's authorization URL with fresh state, nonce and PKCE verifier."""
        try:
            made = self._provider.create_authorization_url(redirect_uri)
        except _refusals() as exc:
            raise SignInRefused(f"the identity provider cannot be reached: {exc}") from exc
        return Started(made["url"], made["state"], made["nonce"], made["code_verifier"])

    def finish(self, redirect_uri: str, code: str, *, nonce: str, code_verifier: str) -> Verified:
        """Redeem the code and verify the ID token; SignInRefused if anything is off."""
        try:
            token = self._provider.fetch_access_token(
                redirect_uri, code=code, code_verifier=code_verifier
            )
            claims = self._provider.parse_id_token(
                token,
                nonce,
                claims_options={
                    "iss": {"essential": True, "validate": self._issuer_ok},
                    "aud": {"essential": True, "value": self.client_id},
                    "exp": {"essential": True},
                    "nonce": {"essential": True},
                },
            )
        except _refusals() as exc:
            raise SignInRefused(f"the identity provider's answer was refused: {exc}") from exc
        if claims is None:
            raise SignInRefused("the identity provider sent no ID token")
        email = claims.get("email") or claims.get("preferred_username") or ""
        return Verified(
            tenant_id=str(claims.get("tid") or ""),
            email=str(email),
            name=str(claims.get("name") or ""),
            subject=str(claims["sub"]),
        )

    def _issuer_ok(self, claims: Any, value: Any) -> bool:
        expected = expected_issuer(self.issuer, claims.get("tid"))
        return expected is not None and hmac.compare_digest(str(value), expected)


class SealedCookie:
    """A small JSON value in a cookie, signed (HMAC-SHA256) and with an expiry.

    Holds the flow's state, nonce and PKCE verifier between the redirect to the
    provider and its callback, and the verified identity of someone asking for access.
    """

    def __init__(self, secret: str, purpose: str) -> None:
        self._key = hashlib.sha256(f"sprachrohr-oidc:{purpose}:{secret}".encode()).digest()

    def seal(self, value: dict[str, Any], ttl_seconds: int) -> str:
        body = json.dumps({**value, "exp": int(time.time()) + ttl_seconds}, sort_keys=True)
        payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
        return f"{payload}.{self._mac(payload)}"

    def open(self, sealed: str | None) -> dict[str, Any] | None:
        if not sealed or sealed.count(".") != 1 or len(sealed) > 4096:
            return None
        payload, mac = sealed.split(".")
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        try:
            value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except ValueError:
            return None
        if not isinstance(value, dict) or int(value.get("exp", 0)) < time.time():
            return None
        return value

    def _mac(self, payload: str) -> str:
        return hmac.new(self._key, payload.encode(), hashlib.sha256).hexdigest()


def open_id_client(settings: Settings) -> OpenIdClient | None:
    issuer, client_id, secret = (
        settings.oidc_issuer,
        settings.oidc_client_id,
        settings.oidc_client_secret,
    )
    if not (issuer and client_id and secret):
        return None
    return OpenIdClient(issuer, client_id, secret)
