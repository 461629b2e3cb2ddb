"""Briefing dossiers (board only): issue, follow the job, list, download, verify."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Response
from fastapi.responses import JSONResponse

from api.deps import AppDep, CurrentPerson, RuntimeDep, ViewCursor
from api.routes.common import Limit, Offset, api_router, when
from api.routes.reach import require_board_or_admin
from api.schemas.common import Page
from api.schemas.dossier import DossierIn, DossierOut, Format, JobOut, SigningKeyOut
from domain.dossier import Dossier
from domain.errors import NotFound
from dossiers.render import MEDIA_TYPES
from dossiers.signing import fingerprint, public_pem
from projections.dossier_view import find_dossier, list_dossiers
from service.dossier_jobs import DossierJobs, Job, get_jobs
from service.dossiers import define

router = api_router(tags=["briefing dossiers"])


Jobs = Annotated[DossierJobs, Depends(get_jobs)]


def job_out(job: Job) -> JobOut:
    check = job.verification
    seal = check.seal if check is not None and check.seal and check.seal.signed else None
    departure = seal.departure if seal is not None else None
    return JobOut(
        id=job.id,
        kind=job.kind,
        state=job.state,
        step=job.step,
        percent=job.percent,
        dossier_id=job.dossier_id,
        verified=None if check is None else check.ok,
        message=job.error if check is None else check.message,
        files=None if check is None else {c.format: c.identical for c in check.files},
        signature_valid=None if seal is None else seal.signature_valid,
        chain_head_unchanged=None if seal is None else seal.recorded_head == seal.head_now,
        first_altered_position=None if departure is None else departure.position,
    )


def accepted(job: Job) -> JSONResponse:
    location = f"/api/v1/dossier-jobs/{job.id}"
    body = job_out(job).model_dump(mode="json")
    return JSONResponse(body, status_code=202, headers={"Location": location})


@router.post(
    "/dossiers",
    status_code=202,
    response_model=JobOut,
    summary="Issue a briefing dossier (runs in the background; poll the job)",
)
def issue(
    body: DossierIn, person: CurrentPerson, runtime: RuntimeDep, cur: ViewCursor, jobs: Jobs
) -> JSONResponse:
    # `cur` waits for `min_position`: the dossier is then as of that position at least.
    require_board_or_admin(person, "dossiers")
    definition = define(
        runtime.app,
        association=runtime.settings.association_name,
        head=runtime.projector.head(),
        group_ids=[group_id.hex for group_id in body.group_ids],
        language=body.language,
        formats=body.formats,
        meeting_id=body.meeting_id.hex if body.meeting_id else None,
        include_companies=body.include_companies,
        position=body.position,
        signing_key=runtime.signing_key(),
    )
    return accepted(jobs.issue(definition, by=person.id))


@router.get("/dossier-jobs/{job_id}", response_model=JobOut, summary="A dossier job's progress")
def job(job_id: str, person: CurrentPerson, app: AppDep, jobs: Jobs) -> JobOut:
    require_board_or_admin(person, "dossiers")
    found = jobs.get(job_id[:64])
    if found is None:
        raise NotFound("dossier_job.not_found")
    return job_out(found)


def dossier_out(row: dict[str, Any]) -> DossierOut:
    definition = row["definition"]
    issued = when(row["issued_at"])
    assert issued is not None
    return DossierOut(
        id=UUID(row["id"]),
        title=row["title"],
        issued_at=issued,
        meeting_id=UUID(row["meeting_id"]) if row["meeting_id"] else None,
        group_ids=[UUID(g) for g in definition["group_ids"]],
        language=definition["language"],
        position=definition["position"],
        rules_version=definition["rules_version"],
        template_version=definition["template_version"],
        include_companies=definition["include_companies"],
        association=definition["association"],
        content_hash=row["content_hash"],
        files=row["files"],
        chain_head=row["chain_head"],
        key_fingerprint=row["key_fingerprint"],
    )


@router.get("/dossiers", response_model=Page[DossierOut], summary="Issued dossiers, latest first")
def dossiers(
    person: CurrentPerson, app: AppDep, cur: ViewCursor, limit: Limit = 50, offset: Offset = 0
) -> Page[DossierOut]:
    require_board_or_admin(person, "dossiers")
    rows, total = list_dossiers(cur, limit, offset)
    return Page(total=total, limit=limit, offset=offset, items=[dossier_out(r) for r in rows])


@router.get("/dossiers/{dossier_id}", response_model=DossierOut, summary="An issued dossier")
def dossier(dossier_id: UUID, person: CurrentPerson, app: AppDep, cur: ViewCursor) -> DossierOut:
    require_board_or_admin(person, "dossiers")
    row = find_dossier(cur, dossier_id.hex)
    if row is None:
        raise NotFound("dossier.not_found")
    return dossier_out(row)


@router.get(
    "/dossiers/{dossier_id}/files/{fmt}",
    summary="Download a file of an issued dossier (regenerated from the log if not cached)",
    responses={200: {"content": {media: {} for media in sorted(set(MEDIA_TYPES.values()))}}},
)
def download(
    dossier_id: UUID, fmt: Format, person: CurrentPerson, app: AppDep, jobs: Jobs
) -> Response:
    require_board_or_admin(person, "dossiers")
    return jobs.download(app.load(Dossier, dossier_id, "dossier", readonly=True), fmt)


@router.get(
    "/dossiers/{dossier_id}/signature",
    summary="The dossier's detached signature (.sig): statement, Ed25519 signature, key",
    responses={200: {"content": {"application/json": {}}}, 404: {"description": "Not signed"}},
)
def signature(dossier_id: UUID, person: CurrentPerson, app: AppDep, jobs: Jobs) -> Response:
    require_board_or_admin(person, "dossiers")
    return jobs.signature(app.load(Dossier, dossier_id, "dossier", readonly=True))


@router.get(
    "/signing-key",
    response_model=SigningKeyOut,
    summary="The association's public key that signs dossiers, and its fingerprint",
)
def signing_key(person: CurrentPerson, runtime: RuntimeDep) -> SigningKeyOut:
    public = runtime.signing_key().public_key()
    return SigningKeyOut(fingerprint=fingerprint(public), public_key_pem=public_pem(public))


@router.post(
    "/dossiers/{dossier_id}/verify",
    status_code=202,
    response_model=JobOut,
    summary="Regenerate the dossier from the log and compare it byte for byte",
)
def verify(dossier_id: UUID, person: CurrentPerson, app: AppDep, jobs: Jobs) -> JSONResponse:
    require_board_or_admin(person, "dossiers")
    issued = app.load(Dossier, dossier_id, "dossier", readonly=True)
    return accepted(jobs.verify(issued, by=person.id))
