"""From the content dict to the format-neutral dossier: cover, page texts and body blocks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dossiers.versions.v1.dossiers.render.groups import group_blocks
from dossiers.versions.v1.dossiers.render.labels import DASH, Labels, labels_for
from dossiers.versions.v1.dossiers.render.model import (
    Block,
    Bullets,
    Cover,
    Dossier,
    Facts,
    Heading,
    Para,
    Running,
    Table,
)
from dossiers.versions.v1.dossiers.render.review import changes, promises

SHORT_HASH = 12


class Outline:
    """Numbers headings "1", "1.1", …; level 3 headings are not numbered."""

    def __init__(self) -> None:
        self.chapter = 0
        self.section = 0

    def __call__(self, level: int, text: str) -> Heading:
        if level == 1:
            self.chapter, self.section = self.chapter + 1, 0
            return Heading(1, str(self.chapter), text)
        if level == 2:
            self.section += 1
            return Heading(2, f"{self.chapter}.{self.section}", text)
        return Heading(level, "", text)


def compose(content: Mapping[str, Any]) -> Dossier:
    labels = labels_for(content)
    association = content["association"]
    meeting = content.get("meeting")
    meeting_name = meeting["name"] if meeting else labels["no_meeting"]
    scope = ", ".join(group["name"] for group in content["groups"])
    short_hash = content["content_hash"][:SHORT_HASH]
    return Dossier(
        language=labels.language,
        title=f"{labels['title']}: {meeting_name}",
        author=association["name"],
        subject=f"{meeting_line(meeting, labels)} · {scope}",
        keywords=scope,
        as_of_time=content["as_of"]["time"],
        contents_title=labels["contents"],
        cover=cover(content, labels),
        running=Running(
            header_left=association.get("short") or association["name"],
            header_right=f"{meeting_name} · {labels.date(meeting['date'] if meeting else None)}",
            footer_left=labels.fmt(
                "footer_ref", position=content["as_of"]["position"], hash=short_hash
            ),
            page_of=labels["page_of"],
        ),
        blocks=tuple(body(content, labels)),
    )


def meeting_line(meeting: Mapping[str, Any] | None, labels: Labels) -> str:
    if not meeting:
        return labels["no_meeting"]
    return f"{labels.meeting_kind(meeting['kind'])} · {labels.date(meeting['date'])}"


def cover(content: Mapping[str, Any], labels: Labels) -> Cover:
    definition = content["definition"]
    meeting = content.get("meeting")
    previous = content.get("previous_meeting")
    included = definition.get("include_companies")
    facts = (
        (labels["cover_scope"], ", ".join(group["name"] for group in content["groups"])),
        (labels["cover_as_of"], labels.time(content["as_of"]["time"])),
        (labels["cover_position"], str(content["as_of"]["position"])),
        (
            labels["cover_previous"],
            f"{previous['name']}, {labels.date(previous['date'])}" if previous else DASH,
        ),
        (labels["cover_rules"], labels.fmt("version", n=definition["rules_version"])),
        (labels["cover_template"], labels.fmt("version", n=definition["template_version"])),
        (
            labels["cover_companies"],
            labels["companies_included"] if included else labels["companies_withheld"],
        ),
        (labels["cover_hash"], content["content_hash"][:SHORT_HASH]),
    )
    return Cover(
        association=content["association"]["name"],
        title=labels["title"],
        meeting=meeting["name"] if meeting else labels["no_meeting"],
        meeting_line=meeting_line(meeting, labels),
        facts=facts,
        hash_line=labels.fmt("cover_hash_full", hash=content["content_hash"]),
        notice_title=labels["confidential"],
        notice=labels["confidential_note"],
    )


def body(content: Mapping[str, Any], labels: Labels) -> list[Block]:
    heading = Outline()
    include_companies = bool(content["definition"].get("include_companies"))
    blocks = summary(content, labels, heading)
    for group in content["groups"]:
        blocks += group_blocks(group, labels, heading, include_companies)
    blocks += changes(content.get("changes"), labels, heading)
    blocks += promises(content.get("promises") or [], labels, heading)
    blocks += appendix(content, labels, heading)
    return blocks


def summary(content: Mapping[str, Any], labels: Labels, heading: Outline) -> list[Block]:
    items = content.get("summary") or []
    blocks: list[Block] = [heading(1, labels["summary"]), Para(labels["summary_intro"], "intro")]
    if not items:
        return [*blocks, Para(labels["none"])]
    table = Table(
        header=(
            labels["col_no"],
            labels["col_group"],
            labels["col_title"],
            labels["col_curated"],
            labels["col_community"],
            labels["col_status"],
            labels["col_companies"],
            labels["col_people"],
        ),
        rows=tuple(
            (
                str(number),
                item["group"],
                item["title"],
                labels.rank(item.get("curated_position")),
                labels.rank(item.get("community_rank")),
                labels.status(item["status"]),
                labels.number(item["companies"]),
                labels.number(item["people"]),
            )
            for number, item in enumerate(items, start=1)
        ),
        widths=(0.6, 1.8, 5.2, 0.7, 0.8, 1.4, 0.9, 0.9),
        right=(0, 3, 4, 6, 7),
        notes=tuple(item.get("abstract") or "" for item in items),
        notes_column=2,
    )
    return [*blocks, table]


def appendix(content: Mapping[str, Any], labels: Labels, heading: Outline) -> list[Block]:
    definition = content["definition"]
    blocks: list[Block] = [heading(1, labels["appendix"]), heading(2, labels["methodology"])]
    blocks += [Para(text) for text in labels.paragraphs("methodology_text")]
    blocks += [heading(2, labels["rules"]), Bullets(tuple(labels.paragraphs("rules_text")))]
    blocks.append(
        Para(
            labels.fmt(
                "rules_versions",
                rules=definition["rules_version"],
                template=definition["template_version"],
            )
        )
    )
    group_rules = tuple(rules_line(g, labels) for g in content["rules"]["groups"])
    if group_rules:
        blocks.append(Bullets(group_rules))
    blocks += [heading(2, labels["glossary"]), Facts(tuple(labels.pairs("glossary_entries")))]
    return blocks


def rules_line(rules: Mapping[str, Any], labels: Labels) -> str:
    budget = rules.get("vote_budget")
    budget_text = (
        labels.fmt("budget_value", n=budget) if budget is not None else labels["budget_none"]
    )
    current = rules.get("round")
    if not rules.get("rounds"):
        rounds = labels["rounds_none"]
    elif not current:
        rounds = labels["rounds_idle"]
    else:
        rounds = labels.fmt(
            "rounds_value",
            number=current["number"],
            state=labels.texts["round_states"].get(current["state"], current["state"]),
            since=labels.date(current.get("since")),
        )
    return labels.fmt("rules_group", group=rules["group"], budget=budget_text, rounds=rounds)
