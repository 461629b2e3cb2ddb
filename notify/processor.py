"""The notification processor: turns the log's events into notifications, once each.

It is a second projector (`Projector(name="notifications")`) over the same view
store, with one view of its own (`NotificationView`): its tables are written in the
batch's transaction together with the processor's tracking row, so a crash between
writing notifications and committing leaves neither, and the restart writes them
once. Unlike the views it is never rebuilt: its tracking row is its own (not reset
when the views' code changes, nor by `rebuild-projections`), and on its first start
it begins at the log's tail (`start_at_tail`) — history loaded before notifies
nobody. Events the demo loader and the spreadsheet import append carry the quiet
marker in their stored state whenever they are appended (storage.quiet) and notify
nobody; nor do events recorded in the name of the system (the bootstrap). A live
event's time is not looked at: an ordinary command recorded as of an earlier moment
is news like any other.

Who is told is decided per recipient when the event is processed, by the access
rules (service/access.py): a follower who may not see the pain point (any more) is
skipped; nobody is told about their own action. Notifications carry titles, states
and links, never a person's name, so a vendor representative who follows an
escalated pain point learns nothing the vendor's area would not show.

Tables: `n_follows` (who follows what, explicit or as author/supporter; group
members follow their group implicitly at digest level) and `n_notifications` (one
row per recipient and event; `digest_only` rows wait for the e-mail digest and are
not shown in the bell's count).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from domain import visibility
from domain.comment import Comment
from domain.curation import CuratedList
from domain.dossier import Dossier
from domain.follow import ALL, DIGEST, PAIN_POINT, Follow
from domain.ids import NAMESPACE, SYSTEM
from domain.meeting import BoardMeeting
from domain.painpoint import PainPoint
from domain.person import Person
from domain.support import Support
from domain.vendor import VendorResponse
from domain.workinggroup import WorkingGroup
from projections.directory_queries import people_with_role
from projections.runner import TRACKING_DDL, Projector
from projections.store import Cursor, ViewStore
from projections.view import Handler, View, micros, topic
from storage.freshness import fresh_reads
from storage.quiet import is_quiet

log = logging.getLogger(__name__)
NAME = "notifications"

DDL = (
    "CREATE TABLE IF NOT EXISTS n_follows (person_id TEXT NOT NULL, target_id TEXT NOT NULL,"
    " kind TEXT NOT NULL, level TEXT NOT NULL, source TEXT NOT NULL, active INTEGER NOT NULL,"
    " PRIMARY KEY (person_id, target_id))",
    "CREATE INDEX IF NOT EXISTS n_follows_target ON n_follows (target_id)",
    "CREATE TABLE IF NOT EXISTS n_notifications (id TEXT PRIMARY KEY, person_id TEXT NOT NULL,"
    " position BIGINT NOT NULL, kind TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " group_id TEXT, title TEXT NOT NULL, detail TEXT NOT NULL, link TEXT NOT NULL,"
    " created_at BIGINT NOT NULL, digest_only INTEGER NOT NULL, read_at BIGINT,"
    " mailed_at BIGINT)",
    "CREATE INDEX IF NOT EXISTS n_notifications_person ON n_notifications (person_id, created_at)",
)


@dataclass(frozen=True)
class News:
    """What happened, before it is addressed to each recipient."""

    kind: str
    subject_id: UUID
    group_id: UUID | None
    title: str
    link: str
    detail: str = ""
    actor: UUID | None = None
    digest_only: bool = False


#: What `uuid5(NAMESPACE, "notification:…")` hashes before the position and person.
_NOTIFICATION_PREFIX = NAMESPACE.bytes + b"notification:"


def notification_id(position: int, person_id: str) -> str:
    """`uuid5(NAMESPACE, f"notification:{position}:{person_id}").hex`, computed without
    the UUID objects (a support writes one per follower of its pain point)."""
    digest = bytearray(
        hashlib.sha1(  # the UUID version 5 name hash, not a security use
            _NOTIFICATION_PREFIX + f"{position}:{person_id}".encode(), usedforsecurity=False
        ).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return digest.hex()


class Loader:
    """What the processor reads about the current state: the write model's aggregates."""

    def __init__(self, find: Callable[[type, UUID], Any]) -> None:
        self._find = find

    def find(self, cls: type, aggregate_id: UUID) -> Any:
        return self._find(cls, aggregate_id)


class NotificationView(View):
    tables: ClassVar[tuple[str, ...]] = ("n_follows", "n_notifications")

    def __init__(
        self, loader: Loader, clock: Callable[[], datetime], decode: Callable[[Any], Any]
    ) -> None:
        self.loader = loader
        self.clock = clock
        self.decode = decode
        #: Told of every news item with its position (the webhooks' fan-out).
        self.on_news: Callable[[News, int, datetime], None] | None = None
        #: Whether the event being handled was recorded quietly.
        self._quiet = False
        #: person id (hex) → the person, for the page of events being applied.
        self._people: dict[str, Person | None] = {}

    def create(self, cur: Cursor) -> None:
        for statement in DDL:
            cur.execute(statement)

    def drop(self, cur: Cursor) -> None:
        """Never dropped: notifications and follows are not rebuilt from the log."""

    def handlers(self) -> Mapping[str, Handler]:
        table: dict[str, Callable[[Cursor, Any, int], None]] = {
            topic(Follow, "Started"): self._followed,
            topic(Follow, "Resumed"): self._followed,
            topic(Follow, "Stopped"): self._unfollowed,
            topic(PainPoint, "Submitted"): self._submitted,
            topic(PainPoint, "StatusChanged"): self._status_changed,
            topic(PainPoint, "MergedInto"): self._merged,
            topic(PainPoint, "Unmerged"): self._unmerged,
            topic(Support, "Given"): self._supported,
            topic(Support, "GivenAgain"): self._supported,
            topic(Comment, "Posted"): self._commented,
            topic(VendorResponse, "Posted"): self._vendor_responded,
            topic(VendorResponse, "CommitmentMet"): self._commitment("commitment.met"),
            topic(VendorResponse, "CommitmentMissed"): self._commitment("commitment.missed"),
            topic(VendorResponse, "CommitmentOverdue"): self._overdue,
            topic(CuratedList, "Published"): self._curated,
            topic(CuratedList, "Republished"): self._curated,
            topic(BoardMeeting, "ItemPresented"): self._presented,
            topic(WorkingGroup, "RoundOpened"): self._round("round.opened"),
            topic(WorkingGroup, "RoundClosed"): self._round("round.closed"),
            topic(WorkingGroup, "JoinRequested"): self._join_requested,
            topic(WorkingGroup, "JoinApproved"): self._join_decided("join.approved"),
            topic(WorkingGroup, "JoinDeclined"): self._join_decided("join.declined"),
            topic(Dossier, "DossierIssued"): self._dossier,
        }
        guarded = {name: self._guarded(handler) for name, handler in table.items()}
        # recorded by the system's own job, and news all the same
        guarded[topic(VendorResponse, "CommitmentOverdue")] = self._guarded(
            self._overdue, system=True
        )
        return {**guarded, topic(Person, "Erased"): self._erased}

    def _erased(self, cur: Cursor, e: Any, position: int) -> None:
        """A person's notifications and follows go with them (docs/privacy.md)."""
        cur.execute("DELETE FROM n_notifications WHERE person_id = ?", (e.originator_id.hex,))
        cur.execute("DELETE FROM n_follows WHERE person_id = ?", (e.originator_id.hex,))

    def _guarded(
        self, handler: Callable[[Cursor, Any, int], None], *, system: bool = False
    ) -> Handler:
        def handle(cur: Cursor, event: Any, position: int) -> None:
            by = getattr(event, "by", None)
            if by == SYSTEM and not system:
                return  # the bootstrap, the system's own commands: news to nobody
            # The demo loader's and an import's events (marked when recorded) tell
            # nobody, but who follows what still follows from them (authors, supporters).
            self._quiet = is_quiet(event)
            try:
                handler(cur, event, position)
            finally:
                self._quiet = False

        return handle

    # -- following -------------------------------------------------------------

    def _followed(self, cur: Cursor, e: Any, position: int) -> None:
        follow = self.loader.find(Follow, e.originator_id)
        if follow is None:
            return
        self._set_follow(cur, follow.person_id, follow.target_id, follow.kind, e.level, "explicit")

    def _unfollowed(self, cur: Cursor, e: Any, position: int) -> None:
        follow = self.loader.find(Follow, e.originator_id)
        if follow is None:
            return
        cur.execute(
            "INSERT INTO n_follows (person_id, target_id, kind, level, source, active)"
            " VALUES (?, ?, ?, ?, 'explicit', 0) ON CONFLICT (person_id, target_id)"
            " DO UPDATE SET active = 0, source = 'explicit'",
            (follow.person_id.hex, follow.target_id.hex, follow.kind, follow.level),
        )

    @staticmethod
    def _set_follow(
        cur: Cursor, person: UUID, target: UUID, kind: str, level: str, source: str
    ) -> None:
        cur.execute(
            "INSERT INTO n_follows (person_id, target_id, kind, level, source, active)"
            " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (person_id, target_id)"
            " DO UPDATE SET active = 1, level = excluded.level, source = excluded.source",
            (person.hex, target.hex, kind, level, source),
        )

    @staticmethod
    def _auto_follow(cur: Cursor, person: UUID, target: UUID, source: str) -> None:
        """Authors and supporters follow, unless they said otherwise before."""
        cur.execute(
            "INSERT INTO n_follows (person_id, target_id, kind, level, source, active)"
            " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (person_id, target_id) DO NOTHING",
            (person.hex, target.hex, PAIN_POINT, ALL, source),
        )

    # -- recipients --------------------------------------------------------------

    def _followers(self, cur: Cursor, target: UUID) -> dict[str, str]:
        """person id (hex) → level of everyone who follows `target` (explicit or implicit)."""
        cur.execute(
            "SELECT person_id, level, active FROM n_follows WHERE target_id = ?", (target.hex,)
        )
        return {row[0]: row[1] for row in cur.fetchall() if row[2]}

    def _stopped(self, cur: Cursor, target: UUID) -> set[str]:
        cur.execute(
            "SELECT person_id FROM n_follows WHERE target_id = ? AND active = 0", (target.hex,)
        )
        return {row[0] for row in cur.fetchall()}

    def _group_followers(self, cur: Cursor, group: WorkingGroup) -> dict[str, str]:
        """Members at digest level (unless they unfollowed), plus explicit followers."""
        stopped = self._stopped(cur, group.id)
        followers = {m.hex: DIGEST for m in group.members if m.hex not in stopped}
        followers.update(self._followers(cur, group.id))
        return followers

    def _pain_point_followers(
        self, cur: Cursor, pain_point: PainPoint, group: WorkingGroup
    ) -> dict[str, str]:
        """The pain point's followers; who follows its group explicitly (not merely as a
        member) hears of it in the digest."""
        followers = self._followers(cur, pain_point.id)
        stopped = self._stopped(cur, pain_point.id)
        # Only explicit followers of the group follow it at ALL (its members follow it
        # implicitly at digest level): no need to list the members, a set as large as
        # the group, for every event about one of its pain points.
        for person, level in self._followers(cur, group.id).items():
            if level == ALL and person not in followers and person not in stopped:
                followers[person] = DIGEST
        return followers

    def start_batch(self) -> None:
        self._people.clear()

    def _person(self, person_id: str) -> Person | None:
        """A recipient, loaded once per page of events (the processor reads the current
        state in one read scope per page: the same person each time within it)."""
        try:
            return self._people[person_id]
        except KeyError:
            person: Person | None = self.loader.find(Person, UUID(person_id))
            self._people[person_id] = person
            return person

    def _sees(self, person: Person, group: WorkingGroup, status: str | None) -> bool:
        """The access rules, for this recipient, now (domain.visibility)."""
        if not person.is_active or person.erased:
            return False
        member = group.is_member(person.id)  # a set per member list (domain.workinggroup)
        if status is None:
            return visibility.sees_group_contents(person.roles, member=member)
        return visibility.sees_pain_point(person.roles, member=member, status=status)

    def _notify(
        self,
        cur: Cursor,
        e: Any,
        position: int,
        news: News,
        recipients: Mapping[str, str],
        group: WorkingGroup | None,
        status: str | None,
        *,
        announce: bool = True,
    ) -> None:
        if self._quiet:
            return  # recorded quietly (storage.quiet): not news, not even for webhooks
        if announce and self.on_news is not None:
            self.on_news(news, position, e.timestamp)
        rows = []
        actor = news.actor.hex if news.actor else None
        subject, group_id = news.subject_id.hex, news.group_id.hex if news.group_id else None
        created_at = micros(e.timestamp)
        for person_id, level in sorted(recipients.items()):
            if person_id == actor:
                continue  # nobody is told about their own action
            person = self._person(person_id)
            if person is None:
                continue
            if group is not None and not self._sees(person, group, status):
                continue
            digest_only = news.digest_only or level == DIGEST
            rows.append(
                (
                    notification_id(position, person_id),
                    person_id,
                    position,
                    news.kind,
                    subject,
                    group_id,
                    news.title,
                    news.detail,
                    news.link,
                    created_at,
                    int(digest_only),
                )
            )
        if rows:
            cur.executemany(
                "INSERT INTO n_notifications (id, person_id, position, kind, subject_id,"
                " group_id, title, detail, link, created_at, digest_only)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                rows,
            )

    def _about_pain_point(
        self,
        cur: Cursor,
        e: Any,
        position: int,
        pain_point_id: UUID,
        kind: str,
        detail: str = "",
        *,
        digest_only: bool = False,
    ) -> None:
        pain_point = self.loader.find(PainPoint, pain_point_id)
        if pain_point is None:
            return
        group = self.loader.find(WorkingGroup, pain_point.group_id)
        if group is None:
            return
        news = News(
            kind,
            pain_point.id,
            group.id,
            pain_point.title,
            f"/pain-points/{pain_point.id}",
            detail,
            getattr(e, "by", None),
            digest_only,
        )
        followers = self._pain_point_followers(cur, pain_point, group)
        self._notify(cur, e, position, news, followers, group, pain_point.status)

    # -- the events that notify ----------------------------------------------------

    def _submitted(self, cur: Cursor, e: Any, position: int) -> None:
        self._auto_follow(cur, e.by, e.originator_id, "author")
        group = self.loader.find(WorkingGroup, e.group_id)
        if group is None:
            return
        news = News(
            "pain_point.submitted",
            e.originator_id,
            group.id,
            e.title,
            f"/pain-points/{e.originator_id}",
            group.name,
            e.by,
            digest_only=True,
        )
        self._notify(cur, e, position, news, self._group_followers(cur, group), group, None)

    def _status_changed(self, cur: Cursor, e: Any, position: int) -> None:
        self._about_pain_point(
            cur, e, position, e.originator_id, "pain_point.status_changed", f"{e.status}|{e.reason}"
        )

    def _merged(self, cur: Cursor, e: Any, position: int) -> None:
        target = self.loader.find(PainPoint, e.target_id)
        title = target.title if target is not None else ""
        self._about_pain_point(cur, e, position, e.originator_id, "pain_point.merged", title)

    def _unmerged(self, cur: Cursor, e: Any, position: int) -> None:
        self._about_pain_point(cur, e, position, e.originator_id, "pain_point.unmerged", e.reason)

    def _supported(self, cur: Cursor, e: Any, position: int) -> None:
        pain_point_id: UUID | None = getattr(e, "pain_point_id", None)
        if pain_point_id is None:  # GivenAgain: the support names its pain point
            support = self.loader.find(Support, e.originator_id)
            if support is None:
                return
            pain_point_id = support.pain_point_id
        # Given names the pain point and the person (`by`), as the support keeps them
        # for good: no need to load the support, a new aggregate the cache never holds.
        self._auto_follow(cur, e.by, pain_point_id, "supporter")
        self._about_pain_point(
            cur, e, position, pain_point_id, "pain_point.supported", digest_only=True
        )

    def _commented(self, cur: Cursor, e: Any, position: int) -> None:
        """The mentioned first (their row is the one for this event: one per person and
        position), then the followers; webhooks hear of the comment, never of a mention."""
        mentions = getattr(e, "mentions", None) or ()  # comments from before mentions
        pain_point = self.loader.find(PainPoint, e.pain_point_id) if mentions else None
        group = self.loader.find(WorkingGroup, pain_point.group_id) if pain_point else None
        if pain_point is not None and group is not None:
            news = News(
                "pain_point.mentioned", pain_point.id, group.id, pain_point.title,
                f"/pain-points/{pain_point.id}#comment-{e.originator_id.hex}", actor=e.by,
            )  # fmt: skip
            mentioned = {person.hex: ALL for person in mentions}
            self._notify(
                cur, e, position, news, mentioned, group, pain_point.status, announce=False
            )
        self._about_pain_point(cur, e, position, e.pain_point_id, "pain_point.commented")

    def _vendor_responded(self, cur: Cursor, e: Any, position: int) -> None:
        kind = "commitment.made" if e.commitment else "pain_point.vendor_responded"
        detail = f"{e.kind}|{e.due_on or ''}"
        self._about_pain_point(cur, e, position, e.pain_point_id, kind, detail)

    def _commitment(self, kind: str) -> Callable[[Cursor, Any, int], None]:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            response = self.loader.find(VendorResponse, e.originator_id)
            if response is not None:
                due = response.due_on or ""
                self._about_pain_point(cur, e, position, response.pain_point_id, kind, due)

        return handle

    def _overdue(self, cur: Cursor, e: Any, position: int) -> None:
        """To the pain point's followers, and (as "promise overdue") to the board."""
        response = self.loader.find(VendorResponse, e.originator_id)
        if response is None:
            return
        kind = "commitment.overdue"
        self._about_pain_point(cur, e, position, response.pain_point_id, kind, e.due_on)
        pain_point = self.loader.find(PainPoint, response.pain_point_id)
        if pain_point is None:
            return
        board = dict.fromkeys(people_with_role(cur, visibility.BOARD), ALL)
        news = News(
            kind, pain_point.id, pain_point.group_id, pain_point.title,
            f"/pain-points/{pain_point.id}", e.due_on,
        )  # fmt: skip
        self._notify(cur, e, position, news, board, None, None)

    def _curated(self, cur: Cursor, e: Any, position: int) -> None:
        curated = self.loader.find(CuratedList, e.originator_id)
        if curated is None:
            return
        group = self.loader.find(WorkingGroup, curated.group_id)
        if group is None:
            return
        news = News(
            "curated_list.published",
            group.id,
            group.id,
            group.name,
            f"/groups/{group.id}",
            str(curated.edition),
            e.by,
        )
        self._notify(cur, e, position, news, self._group_followers(cur, group), group, None)

    def _presented(self, cur: Cursor, e: Any, position: int) -> None:
        meeting = self.loader.find(BoardMeeting, e.originator_id)
        name = getattr(meeting, "name", "") if meeting is not None else ""
        self._about_pain_point(cur, e, position, e.pain_point_id, "meeting.presented", name)

    def _round(self, kind: str) -> Callable[[Cursor, Any, int], None]:
        def handle(cur: Cursor, e: Any, position: int) -> None:
            group = self.loader.find(WorkingGroup, e.originator_id)
            if group is None:
                return
            news = News(
                kind, group.id, group.id, group.name, f"/groups/{group.id}", str(e.number), e.by
            )
            self._notify(cur, e, position, news, self._group_followers(cur, group), group, None)

        return handle

    def _join_requested(self, cur: Cursor, e: Any, position: int) -> None:
        """The group's leads learn that someone waits (no name: the page shows it)."""
        group = self.loader.find(WorkingGroup, e.originator_id)
        if group is None:
            return
        news = News(
            "join.requested", group.id, group.id, group.name,
            f"/groups/{group.id}/join-requests", actor=e.by,
        )  # fmt: skip
        leads = dict.fromkeys((lead.hex for lead in group.leads), ALL)
        self._notify(cur, e, position, news, leads, group, None)

    def _join_decided(self, kind: str) -> Callable[[Cursor, Any, int], None]:
        """The person who asked learns the leads' decision (a declined one is no member:
        the directory entry is what they may see, so no group check)."""

        def handle(cur: Cursor, e: Any, position: int) -> None:
            group = self.loader.find(WorkingGroup, e.originator_id)
            if group is None:
                return
            link = f"/groups/{group.id}" if kind == "join.approved" else "/groups"
            news = News(kind, group.id, group.id, group.name, link, actor=e.by)
            asked = self.loader.find(Person, e.person_id)
            if asked is None or not asked.is_active or asked.erased:
                return
            self._notify(cur, e, position, news, {e.person_id.hex: ALL}, None, None)

        return handle

    def _dossier(self, cur: Cursor, e: Any, position: int) -> None:
        board = dict.fromkeys(people_with_role(cur, visibility.BOARD), ALL)
        news = News(
            "dossier.issued", e.originator_id, None, e.title, f"/board/dossiers/{e.originator_id}",
            actor=e.by,
        )  # fmt: skip
        self._notify(cur, e, position, news, board, None, None)


def notification_processor(
    recorder: Any,
    mapper: Any,
    store: ViewStore,
    loader: Loader,
    clock: Callable[[], datetime],
) -> Projector:
    """The processor: a projector of its own name over one `NotificationView`."""
    view = NotificationView(loader, clock, mapper.to_domain_event)
    # It waits between batches anyway (Runtime.start_notifications): no linger. Its
    # handlers read the current state: one tail check of the aggregate cache per page.
    return Projector(
        recorder, mapper, store, [view], name=NAME, batch_size=500, linger=0, scope=fresh_reads
    )


def start_at_tail(processor: Projector) -> int:
    """Create the tables; on the first start, begin at the log's tail. Its position."""
    with processor.store.writing() as cur:
        cur.execute(TRACKING_DDL)
        for view in processor.views:
            view.create(cur)
        cur.execute("SELECT position FROM v_tracking WHERE name = ?", (processor.name,))
        row = cur.fetchone()
        if row is not None:
            return int(row[0])
        head = processor.head()
        cur.execute(
            "INSERT INTO v_tracking (name, position) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (processor.name, head),
        )
    log.info("notifications: first start, beginning at the log's tail (%d)", head)
    return head
