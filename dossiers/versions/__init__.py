"""The dossier code of every released template version, selected by what a dossier records.

A dossier regenerates with the code that issued it: its recorded `template_version` and
`rules_version` select the content builder and the renderers. The current version is the
code in `dossiers/content.py` and `dossiers/render/`; each earlier one is a frozen copy
under `dossiers/versions/vN/` (made by `scripts/freeze_dossier_version.py`, never edited),
with its own copy of the read side it composes from (docs/adr/013).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.errors import Invalid
from domain.personal import Personal
from domain.ranking import RANKING_RULES_VERSION
from dossiers import content as current_content
from dossiers import render as current_render


@dataclass(frozen=True)
class TemplateVersion:
    """One released version: what it builds from the log and how it renders it."""

    number: int
    rules_version: int
    content: ModuleType
    render: ModuleType
    #: Released before personal values (domain.personal) existed: its views read plain text.
    plain_personal: bool = False

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
        seen = AsReleased(mapper) if self.plain_personal else mapper
        content: dict[str, Any] = self.content.build(recorder, seen, parsed, progress)
        return content

    def render_all(self, content: dict[str, Any], formats: Iterable[str]) -> dict[str, bytes]:
        files: dict[str, bytes] = self.render.render_all(content, formats)
        return files


def _frozen(number: int) -> TemplateVersion:
    package = f"dossiers.versions.v{number}"
    content = import_module(f"{package}.dossiers.content")
    ranking = import_module(f"{package}.projections.ranking")
    render = import_module(f"{package}.dossiers.render")
    plain = number in BEFORE_PERSONAL_VALUES
    return TemplateVersion(number, ranking.RANKING_RULES_VERSION, content, render, plain)


def plain(value: Any) -> Any:
    """A decoded value with every personal value replaced by its text ("" once erased)."""
    if isinstance(value, Personal):
        return value.shown
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(plain(item) for item in value)
    return value


class AsReleased(Mapper[Any]):
    """The mapper as a frozen version's code saw it: events decode as they do now, then
    personal values (encrypted per person since) become the plain text they were. A frozen
    dossier never prints a person, so an erased name ("") changes none of its bytes."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        super().__init__(mapper.transcoder, mapper.compressor, mapper.cipher)
        self.mapper = mapper

    def to_domain_event(self, stored_event: Any) -> Any:
        event = self.mapper.to_domain_event(stored_event)
        for name, value in vars(event).items():
            shown = plain(value)
            if shown is not value:
                object.__setattr__(event, name, shown)
        return event


def _current() -> TemplateVersion:
    number = current_content.TEMPLATE_VERSION
    return TemplateVersion(number, RANKING_RULES_VERSION, current_content, current_render)


#: The frozen versions, by number (the current one is not among them).
FROZEN = (1,)
#: Frozen versions whose code knew names and texts as plain strings.
BEFORE_PERSONAL_VALUES = (1,)


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
