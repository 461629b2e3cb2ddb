"""“What changed since the previous meeting” opens with counts; each kind of change is
collapsed under its own heading (<details>), so the page is short until asked."""

from __future__ import annotations

import re

from tests.web.board_site import BoardSite, sign_in


def test_the_changes_start_with_a_summary_and_unfold_by_kind(board_site: BoardSite) -> None:
    sign_in(board_site, "board")
    page = board_site.client.get(f"/board/meetings/{board_site.id('february')}").text
    changes = page[page.index('id="changes"') :]
    summary = re.search(r'<ul class="change-summary"[^>]*>(.*?)</ul>', changes, re.S)
    assert summary is not None
    links = re.findall(r'<a href="#(changes-[a-z-]+)">([^<]+)</a>', summary.group(1))
    assert len(links) >= 3, links
    for target, text in links:
        assert re.match(r"\d+ ", text), text  # a count first
        section = re.search(
            rf'<details class="changes" id="{target}">\s*<summary><h3>([^<]+)</h3>', changes
        )
        assert section is not None, target
        assert section.group(1) == text
    assert changes.index("change-summary") < changes.index('<details class="changes"')
    assert "<details open" not in changes
