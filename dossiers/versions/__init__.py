"""The dossier code of every released template version, selected by what a dossier records.

A dossier regenerates with the code that issued it: its recorded `template_version` and
`rules_version` select the content builder and the renderers. The current version is the
code in `dossiers/content.py` and `dossiers/render/`; each earlier one is a frozen copy
under `dossiers/versions/vN/` (made by `scripts/freeze_dossier_version.py`, never edited),
with its own copy of the read side it composes from (docs/adr/011).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.errors import Invalid

Build = Callable[[ApplicationRecorder, Mapper[Any], dict[str, Any], Any], dict[str, Any]]
RenderAll = Callable[[dict[str, Any], Iterable[str]], dict[str, bytes]]


@dataclass(frozen=True)
class TemplateVersion:
    """One released version: what it builds from the log and how it renders it."""

    number: int
    rules_version: int
    content: ModuleType
    render: ModuleType

    def build(
        self,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        definition: dict[str, Any],
        progress: Any = None,
    ) -> dict[str, Any]:
        """The content, with the definition read by this version's own `Definition`."""
        known = {f.name for f in dataclasses.fields(self.content.Definition)}
        parsed = self.content.Definition.of({k: v for k, v in definition.items() if k in known})
        content: dict[str, Any] = self.content.build(recorder, mapper, parsed, progress)
        return content

    def render_all(self, content: dict[str, Any], formats: Iterable[str]) -> dict[str, bytes]:
        files: dict[str, bytes] = self.render.render_all(content, formats)
        return files


def _frozen(number: int) -> TemplateVersion:
    from importlib import import_module

    package = f"dossiers.versions.v{number}"
    content = import_module(f"{package}.dossiers.content")
    ranking = import_module(f"{package}.projections.ranking")
    render = import_module(f"{package}.dossiers.render")
    return TemplateVersion(number, ranking.RANKING_RULES_VERSION, content, render)


def _current() -> TemplateVersion:
    from domain.ranking import RANKING_RULES_VERSION
    from dossiers import content, render

    return TemplateVersion(content.TEMPLATE_VERSION, RANKING_RULES_VERSION, content, render)


#: The frozen versions, by number (the current one is not among them).
FROZEN = (1,)


def version_for(template_version: int, rules_version: int) -> TemplateVersion:
    """The code of a dossier issued under these versions; refused if none was released."""
    current = _current()
    if template_version == current.number:
        found = current
    elif template_version in FROZEN:
        found = _frozen(template_version)
    else:
        raise Invalid(
            "dossier.template_version", field="template_version", version=template_version
        )
    if found.rules_version != rules_version:
        raise Invalid(
            "dossier.rules_version",
            field="rules_version",
            version=template_version,
            expected=found.rules_version,
            got=rules_version,
        )
    return found
