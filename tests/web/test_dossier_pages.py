"""The board composes, previews, issues, downloads and verifies briefing dossiers."""

from __future__ import annotations

import hashlib
import re
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from dossiers.signing import check_file, fingerprint
from tests.web.board_site import (  # the board pages' site: two groups, people, a history
    BoardSite,
    post,
    sign_in,
    text_of,
)

SHA = re.compile(r"<code class=\"small\">([0-9a-f]{64})</code>")


def wait_for_job(site: BoardSite, location: str) -> str:
    for _ in range(600):
        page = site.client.get(location, headers={"HX-Request": "true"}).text
        if "hx-trigger" not in page:
            return page
        time.sleep(0.05)
    raise AssertionError("the dossier job did not finish")


def test_the_board_previews_issues_downloads_and_verifies(
    board_site: BoardSite,
) -> None:
    site = board_site
    csrf = sign_in(site, "board")
    form = site.client.get("/board/dossiers").text
    assert "Compose a dossier" in form
    data = {"meeting": site.id("february"), "groups": [site.id("g1")], "language": "en",
            "formats": ["md", "json", "pdf"], "as_of": ""}  # fmt: skip
    preview = post(site, "/board/dossiers", csrf, action="preview", **data)
    assert preview.status_code == 200
    shown = text_of(preview.text)
    assert "Executive summary" in shown
    assert "Registrierung dauert Wochen" in shown
    assert "Member" not in shown  # nobody is named

    issued = post(site, "/board/dossiers", csrf, action="issue", **data)
    assert issued.status_code == 303
    page = wait_for_job(site, issued.headers["location"])
    assert "The dossier has been issued." in page
    link = re.search(r'href="(/board/dossiers/[0-9a-f]{32})"', page)
    assert link is not None, text_of(page)
    assert link is not None
    dossier = site.client.get(link.group(1)).text
    # "As of" is a moment people read, the log position only its footnote.
    as_of = re.search(r"<dt>As of</dt><dd><time datetime=\"([^\"]+)\">([^<]+)</time>", dossier)
    assert as_of is not None, text_of(dossier)
    assert re.match(r"\d{4}-\d{2}-\d{2}T", as_of.group(1))
    assert "2026" in as_of.group(2)
    hashes = SHA.findall(dossier)
    assert len(hashes) == 6  # the content hash, the chain head, the key and the three files
    pdf = site.client.get(link.group(1) + "/files/pdf")
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() in hashes
    listing = site.client.get("/board/dossiers").text
    key = re.search(r'<pre class="small" id="public-key">([^<]+)</pre>', listing)
    assert key is not None
    public_key = load_pem_public_key(key.group(1).encode())
    assert isinstance(public_key, Ed25519PublicKey)
    assert fingerprint(public_key) in hashes
    signature = site.client.get(link.group(1) + "/signature")
    assert signature.status_code == 200
    assert check_file(pdf.content, signature.content, public_key).ok
    assert not check_file(pdf.content + b" ", signature.content, public_key).ok

    token = re.search(r'name="csrf" value="([^"]+)"', dossier)
    assert token is not None
    verify = post(site, link.group(1) + "/verify", token.group(1))
    assert verify.status_code == 303
    verified = text_of(wait_for_job(site, verify.headers["location"]))
    assert "byte-identical" in verified
    assert "signature valid · the log up to the dossier's position still hashes" in verified


def test_the_form_shows_errors_and_only_the_board_gets_in(
    board_site: BoardSite,
) -> None:
    site = board_site
    csrf = sign_in(site, "board")
    refused = post(site, "/board/dossiers", csrf, groups=[], formats=[], language="fr",
                   as_of="gestern", action="issue")  # fmt: skip
    assert refused.status_code == 422
    for field in ("dossier-groups", "dossier-formats", "dossier-language", "dossier-as_of"):
        assert f'id="{field}-error"' in refused.text, field
    future = post(site, "/board/dossiers", csrf, groups=[site.id("g1")], formats=["md"],
                  as_of="2099-01-01")  # fmt: skip
    assert "not in the future" in text_of(future.text)
    sign_in(site, "member")
    assert site.client.get("/board/dossiers").status_code == 404
    sign_in(site, "lead")
    assert site.client.get("/board/dossiers/jobs/x").status_code == 404
