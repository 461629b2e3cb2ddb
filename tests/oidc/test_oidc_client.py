"""The OpenID client (service/oidc.py) against the real provider: what it refuses."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from service.oidc import OpenIdClient, SealedCookie, SignInRefused, expected_issuer
from tests.oidc.flow import through_provider
from tests.oidc.provider_process import (
    CALLBACK,
    CLIENT_ID,
    CLIENT_SECRET,
    CONTOSO,
    FABRIKAM,
    Provider,
    running_provider,
)


def code_for(client: OpenIdClient, login: str) -> tuple[str, str, str]:
    """Start a flow and sign in at the provider: (code, nonce, verifier)."""
    started = client.start(CALLBACK)
    redirect = httpx.Response(303, headers={"location": started.url})
    back = parse_qs(urlsplit(through_provider(redirect, login)).query)
    assert back["state"] == [started.state]
    return back["code"][0], started.nonce, started.code_verifier


def test_the_id_token_is_verified_and_read(provider: Provider) -> None:
    client = OpenIdClient(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    code, nonce, verifier = code_for(client, "anna")
    who = client.finish(CALLBACK, code, nonce=nonce, code_verifier=verifier)
    assert (who.tenant_id, who.email, who.name) == (
        CONTOSO,
        "anna.schmidt@contoso.example",
        "Anna Schmidt",
    )


def test_a_wrong_nonce_is_refused(provider: Provider) -> None:
    client = OpenIdClient(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    code, _nonce, verifier = code_for(client, "anna")
    with pytest.raises(SignInRefused):
        client.finish(CALLBACK, code, nonce="another-nonce", code_verifier=verifier)


def test_a_wrong_pkce_verifier_is_refused(provider: Provider) -> None:
    client = OpenIdClient(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    code, nonce, _verifier = code_for(client, "anna")
    with pytest.raises(SignInRefused):
        client.finish(CALLBACK, code, nonce=nonce, code_verifier="x" * 64)


def test_a_wrong_client_secret_is_refused(provider: Provider) -> None:
    client = OpenIdClient(provider.issuer, CLIENT_ID, "not-the-secret")
    code, nonce, verifier = code_for(client, "anna")
    with pytest.raises(SignInRefused):
        client.finish(CALLBACK, code, nonce=nonce, code_verifier=verifier)


def test_another_issuer_is_refused(provider: Provider) -> None:
    """A client configured for another issuer (same discovery) refuses the token's iss."""
    client = OpenIdClient(provider.issuer, CLIENT_ID, CLIENT_SECRET)
    code, nonce, verifier = code_for(client, "anna")
    client.issuer = provider.issuer + "/other"
    with pytest.raises(SignInRefused):
        client.finish(CALLBACK, code, nonce=nonce, code_verifier=verifier)


def test_an_unreachable_provider_is_refused() -> None:
    client = OpenIdClient("http://127.0.0.1:9/", CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(SignInRefused):
        client.start(CALLBACK)


def test_entra_multi_tenant_issuer_accepts_the_tenant_issuer_of_the_token() -> None:
    """Configured as `…/organizations/v2.0` (discovery's issuer `…/{tenantid}/v2.0`, as
    Entra answers), a token from tenant Contoso's issuer with tid Contoso is accepted;
    a token whose tid names another tenant than its issuer is refused."""
    with running_provider(CALLBACK, tenant=CONTOSO) as tenant_provider:
        organizations = f"{tenant_provider.base}/organizations/v2.0"
        discovery = httpx.get(f"{organizations}/.well-known/openid-configuration").json()
        assert discovery["issuer"].endswith("/{tenantid}/v2.0")
        client = OpenIdClient(organizations, CLIENT_ID, CLIENT_SECRET)
        code, nonce, verifier = code_for(client, "anna")
        who = client.finish(CALLBACK, code, nonce=nonce, code_verifier=verifier)
        assert who.tenant_id == CONTOSO
        code, nonce, verifier = code_for(client, "frank")  # tid Fabrikam, iss Contoso
        with pytest.raises(SignInRefused):
            client.finish(CALLBACK, code, nonce=nonce, code_verifier=verifier)


@pytest.mark.parametrize(
    ("configured", "tid", "expected"),
    [
        (
            "https://login.microsoftonline.com/organizations/v2.0",
            CONTOSO,
            f"https://login.microsoftonline.com/{CONTOSO}/v2.0",
        ),
        (
            "https://login.microsoftonline.com/common/v2.0",
            FABRIKAM.upper(),
            f"https://login.microsoftonline.com/{FABRIKAM}/v2.0",
        ),
        ("https://login.microsoftonline.com/organizations/v2.0", None, None),
        ("https://login.microsoftonline.com/organizations/v2.0", "../evil", None),
        (
            f"https://login.microsoftonline.com/{CONTOSO}/v2.0",
            FABRIKAM,
            f"https://login.microsoftonline.com/{CONTOSO}/v2.0",
        ),
        ("https://idp.example", CONTOSO, "https://idp.example"),
    ],
)
def test_expected_issuer(configured: str, tid: str | None, expected: str | None) -> None:
    assert expected_issuer(configured, tid) == expected


def test_a_sealed_cookie_opens_only_unchanged_and_in_time() -> None:
    seal = SealedCookie("secret", "flow")
    sealed = seal.seal({"state": "s"}, 60)
    assert seal.open(sealed) is not None
    assert seal.open(sealed)["state"] == "s"  # type: ignore[index]
    assert SealedCookie("other", "flow").open(sealed) is None
    assert SealedCookie("secret", "identity").open(sealed) is None
    payload, mac = sealed.split(".")
    assert seal.open(payload[:-2] + "xx." + mac) is None
    assert seal.open(seal.seal({"state": "s"}, -1)) is None
    assert seal.open("garbage") is None
    assert seal.open(None) is None
