"""Dossier generation as background jobs with progress, shared by the API and the web.

Each job runs the use case of service/dossiers.py: it composes the dossier in a child
process (service/dossier_worker.py), so even a large one never holds up the server's
other requests; a thread of the server waits for it, records the issued dossier and
keeps the files in a cache under the data directory.
Jobs live in the process that started them (with several API processes, poll the one
that answered the POST — the `Location` header names the job).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

from fastapi import Request, Response

from domain.dossier import Dossier
from domain.errors import Conflict, DomainError, Invalid, NotFound, PermissionDenied
from dossiers.content import Definition
from dossiers.issuing import (
    Composed,
    Verification,
    compare,
    compose,
    sha256,
    signature_document,
)
from dossiers.render import EXTENSIONS, MEDIA_TYPES
from service.dossiers import record
from service.runtime import Runtime, announce

log = logging.getLogger(__name__)
State = Literal["queued", "running", "done", "failed"]
STEPS = ("start", "replay", "groups", "render", "record")
#: Keep finished jobs this long for polling.
KEEP_SECONDS = 3600
ERRORS: dict[str, type[DomainError]] = {
    "Invalid": Invalid,
    "NotFound": NotFound,
    "Conflict": Conflict,
    "PermissionDenied": PermissionDenied,
}


@dataclass
class Job:
    id: str
    kind: Literal["issue", "verify"]
    by: UUID
    state: State = "queued"
    step: str = "start"
    done: int = 0
    total: int = 0
    dossier_id: UUID | None = None
    verification: Verification | None = None
    error: str | None = None
    error_field: str | None = None
    error_kind: str | None = None
    #: The domain's refusal, for ways in that say it in the reader's language.
    failure: DomainError | None = None
    created: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def percent(self) -> int:
        """Overall progress: replaying the log is most of the work, then rendering."""
        weights = {"start": (0, 5), "replay": (5, 50), "groups": (55, 25), "render": (80, 15),
                   "record": (95, 5)}  # fmt: skip
        if self.state == "done":
            return 100
        base, span = weights.get(self.step, (0, 0))
        share = self.done / self.total if self.total else 0
        return min(99, int(base + span * share))


class DossierJobs:
    #: Compose in a child process (the server's other requests never wait for it);
    #: tests that issue many small dossiers may compose in a thread instead.
    in_child_process = True

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.cache = Path(runtime.settings.data_dir) / "dossiers"
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._one_at_a_time = threading.Semaphore(1)

    # -- starting and polling ---------------------------------------------------------

    def issue(self, definition: Definition, *, by: UUID) -> Job:
        return self._start(Job(uuid.uuid4().hex, "issue", by), definition, None)

    def verify(self, dossier: Dossier, *, by: UUID) -> Job:
        job = Job(uuid.uuid4().hex, "verify", by, dossier_id=dossier.id)
        return self._start(job, Definition.of(dict(dossier.definition)), dossier)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self.jobs.get(job_id)

    def _start(self, job: Job, definition: Definition, dossier: Dossier | None) -> Job:
        with self._lock:
            now = time.monotonic()
            done = [j for j in self.jobs.values() if j.finished and now - j.finished > KEEP_SECONDS]
            for old in done:
                del self.jobs[old.id]
            self.jobs[job.id] = job
        thread = threading.Thread(
            target=self._run, args=(job, definition, dossier), name=f"dossier-{job.id[:8]}"
        )
        thread.daemon = True
        thread.start()
        return job

    def _run(self, job: Job, definition: Definition, dossier: Dossier | None) -> None:
        with self._one_at_a_time:
            job.state = "running"
            try:
                composed = self._compose(job, definition)
                if dossier is None:
                    self._record(job, composed)
                else:
                    public_key = self.runtime.signing_key().public_key()
                    job.verification = compare(dossier, composed, public_key, self.runtime.locate)
                    if job.verification.ok:
                        self._keep(dossier.id, composed.files)
                job.state = "done"
            except DomainError as error:
                job.state, job.error, job.error_field = "failed", error.message, error.field
                job.failure = error
                job.error_kind = type(error).__name__
            except Exception:
                log.exception("dossier job %s failed", job.id)
                job.state, job.error = "failed", "the dossier could not be generated"
                job.error_kind = "Failure"
            finally:
                job.finished = time.monotonic()

    # -- composing in a child process ----------------------------------------------------

    def _compose(self, job: Job, definition: Definition) -> Composed:
        env = self.runtime.settings.event_store_env()
        in_memory = env.get("PERSISTENCE_MODULE") == "eventsourcing.popo"  # no child can see it
        if in_memory or not self.in_child_process:
            return compose(self.runtime.app.recorder, self.runtime.app.mapper, definition,
                           lambda step, done, total: _advance(job, step, done, total))  # fmt: skip
        from service import dossier_worker

        context = multiprocessing.get_context("spawn")
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(
            target=dossier_worker.main, args=(env, definition.as_dict(), sending), daemon=True
        )
        child.start()
        sending.close()
        try:
            while True:
                try:
                    message: tuple[Any, ...] = receiving.recv()
                except EOFError:
                    raise RuntimeError("the dossier generator stopped unexpectedly") from None
                if message[0] == "progress":
                    _advance(job, *message[1:])
                    continue
                break
        finally:
            receiving.close()
            child.join(timeout=30)
        if message[0] == "done":
            files, _content_hash, _title, chain_head = message[1:]
            content = {"content_hash": _content_hash, "_title": _title}
            return _Received(definition, content, files, chain_head)
        kind, text, field_name = message[1:]
        if message[0] == "invalid":
            raise ERRORS.get(kind, Invalid)(text, field=field_name)
        raise RuntimeError(f"{kind}: {text}")

    def _record(self, job: Job, composed: Composed) -> None:
        _advance(job, "record", 0, 1)
        outcome = announce(
            self.runtime,
            record(self.runtime.app, composed, by=job.by, signing_key=self.runtime.signing_key()),
        )
        if outcome.position is not None:
            self.runtime.projector.wait_for(
                outcome.position, self.runtime.settings.read_wait_seconds
            )
        job.dossier_id = outcome.id
        self._keep(outcome.id, composed.files)
        _advance(job, "record", 1, 1)

    # -- the files ------------------------------------------------------------------------

    def _keep(self, dossier_id: UUID, files: dict[str, bytes]) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        for fmt, data in files.items():
            target = self.path(dossier_id, fmt)
            partial = target.with_suffix(target.suffix + ".part")
            partial.write_bytes(data)
            partial.replace(target)

    def path(self, dossier_id: UUID, fmt: str) -> Path:
        return self.cache / f"{dossier_id.hex}{EXTENSIONS[fmt]}"

    def file(self, dossier: Dossier, fmt: str) -> bytes:
        """A file of an issued dossier: from the cache when its hash matches, else
        regenerated from the log (and checked against the recorded hash)."""
        if fmt not in dossier.files:
            raise NotFound("dossier.format_not_issued", format=fmt)
        cached = self.path(dossier.id, fmt)
        if cached.exists():
            data = cached.read_bytes()
            if sha256(data) == dossier.files[fmt]:
                return data
        app = self.runtime.app
        composed = compose(app.recorder, app.mapper, Definition.of(dict(dossier.definition)))
        check = compare(dossier, composed, self.runtime.signing_key().public_key())
        if not check.ok:
            raise Conflict("dossier.not_reproducible", reason=check.message)
        self._keep(dossier.id, composed.files)
        return composed.files[fmt]

    def download(self, dossier: Dossier, fmt: str) -> Response:
        """A file of an issued dossier as an attachment, its hash as the ETag."""
        data = self.file(dossier, fmt)  # NotFound for a format it was not issued in
        name = f"dossier-{dossier.id.hex[:8]}{EXTENSIONS[fmt]}"
        headers = {
            "Content-Disposition": f'attachment; filename="{name}"',
            "ETag": f'"{dossier.files[fmt]}"',
        }
        return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)

    def signature(self, dossier: Dossier) -> Response:
        """The dossier's detached signature (`.sig`): its statement, signature and key."""
        document = signature_document(dossier)
        if document is None:
            raise NotFound("dossier.not_signed")
        name = f"dossier-{dossier.id.hex[:8]}.sig"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(document, media_type="application/json", headers=headers)


def get_jobs(request: Request) -> DossierJobs:
    jobs: DossierJobs = request.app.state.dossier_jobs
    return jobs


class _Received(Composed):
    """What the child process sent back: the files, the content hash and the title."""

    @property
    def title(self) -> str:
        return str(self.content["_title"])


def _advance(job: Job, step: str, done: int, total: int) -> None:
    job.step, job.done, job.total = step, done, total
