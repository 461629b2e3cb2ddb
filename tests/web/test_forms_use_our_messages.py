"""Forms show the app's own messages next to the fields, in the reader's language, not
the browser's validation bubble: every form with a required, typed or length-limited
field is `novalidate` (the server checks and answers with the form and its errors)."""

from __future__ import annotations

import re

from api.web.render import TEMPLATES

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
CONSTRAINED = re.compile(
    r"<(?:input|textarea|select)\b[^>]*"
    r"\b(required|pattern=|min=|max=|type=\"(?:date|email|number|url)\")"
)


def test_every_form_with_constrained_fields_is_novalidate() -> None:
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for attributes, body in FORM.findall(template.read_text()):
            if 'type="file"' in body:  # the file picker is the browser's own anyway
                continue
            if CONSTRAINED.search(body) and "novalidate" not in attributes:
                offenders.append(f"{template.relative_to(TEMPLATES)}: <form{attributes[:60]}>")
    assert not offenders, "\n".join(offenders)
