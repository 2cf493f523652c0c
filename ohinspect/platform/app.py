"""The FastAPI application of the platform server (sync protocol v1,
docs/design/issue6-sync.md; OpenAPI at /v1/openapi.json, checked in as
docs/platform-openapi.json).

Every request except ``info`` and ``enroll`` is authenticated by its device token; POST and PUT
bodies must carry the device's Ed25519 signature. Errors are JSON ``{"error", "detail"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

from ohinspect.platform import accounts, blobs, messages as m, reads
from ohinspect.platform.blob_files import BlobFiles
from ohinspect.platform.db import quick_engine, run_read
from ohinspect.platform.middleware import ProtocolMiddleware
from ohinspect.platform.push import push
from ohinspect.platform.protocol import (API_VERSION, BATCHES_LIMIT, CHANGES_LIMIT,
                                         MIN_API_VERSION, SIGNATURE_HEADER, ApiError)
from ohinspect.platform.rights import Caller
from ohinspect.store.base import utcnow
from ohinspect.store.serialize import to_jsonable

bearer = HTTPBearer(auto_error=False, description="the device token from POST /v1/enroll")
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422)}


@dataclass(frozen=True)
class Authed:
    caller: Caller
    body: bytes
    signature: str
    #: SHA-256 hex of the body (signed requests only)
    body_sha256: str = ""


async def _authenticate(request: Request, signed: bool) -> Authed:
    body = await request.body()
    quick: Engine = request.app.state.quick
    signature = request.headers.get(SIGNATURE_HEADER, "")

    def check() -> Authed:
        header = request.headers.get("authorization")
        caller = run_read(quick, lambda conn: accounts.authenticate(conn, header))
        digest = accounts.verify_signature(caller, body, signature) if signed else ""
        return Authed(caller, body, signature, digest)

    return await run_in_threadpool(check)


async def device(request: Request,
                 _token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]) -> Authed:
    return await _authenticate(request, signed=False)


async def signed_device(
        request: Request,
        _token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
        _sig: Annotated[str | None, Header(alias=SIGNATURE_HEADER, description=(
            "base64 Ed25519 signature, by the device key, of SHA-256 of the body"))] = None,
) -> Authed:
    return await _authenticate(request, signed=True)


def create_app(engine: Engine, server_id: str, files: BlobFiles) -> FastAPI:
    """The API over ``engine`` (records, accounts, blob metadata) and ``files`` (blob bytes)."""
    app = FastAPI(title="OHInspect platform", version=str(API_VERSION),
                  description="Sync protocol v1 (docs/design/issue6-sync.md).",
                  openapi_url="/v1/openapi.json", docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.state.quick = engine if engine is None else quick_engine(engine)
    _handlers(app)
    _routes(app, server_id, files)
    app.add_middleware(ProtocolMiddleware)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        error = ApiError(400, "invalid_request", where=where, problem=first.get("msg", ""))
        return JSONResponse(error.body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(ApiError(exc.status_code, code).body(), status_code=exc.status_code)



def _routes(app: FastAPI, server_id: str, files: BlobFiles) -> None:
    engine: Engine = app.state.engine
    quick: Engine = app.state.quick

    @app.get("/v1/info", response_model=m.Info, tags=["session"])
    def info() -> dict[str, Any]:
        return {"api_version": API_VERSION, "min_api_version": MIN_API_VERSION,
                "server_time": to_jsonable(utcnow()), "server_id": server_id}

    @app.post("/v1/enroll", response_model=m.EnrollResponse, responses=ERRORS, tags=["session"])
    def enroll(req: m.EnrollRequest) -> dict[str, str]:
        return accounts.enroll(engine, req.model_dump())

    @app.post("/v1/push", response_model=m.PushResponse, responses=ERRORS, tags=["sync"])
    def push_batch(req: m.PushRequest, auth: Annotated[Authed, Depends(signed_device)]
                   ) -> dict[str, Any]:
        return push(engine, auth.caller, req, auth.body, auth.signature)

    @app.post("/v1/attachments/missing", response_model=m.MissingResponse, responses=ERRORS,
              tags=["attachments"])
    def missing(req: m.MissingRequest, _auth: Annotated[Authed, Depends(signed_device)]
                ) -> dict[str, Any]:
        return {"missing": blobs.missing(quick, req.sha256)}

    @app.put("/v1/attachments/{sha256}", response_model=m.BlobState, responses=ERRORS,
             tags=["attachments"], openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
    def put_chunk(sha256: Annotated[str, Path(pattern=blobs.SHA256_RE.pattern)],
                  auth: Annotated[Authed, Depends(signed_device)],
                  content_range: Annotated[str, Header(description="bytes START-END/TOTAL")]
                  ) -> dict[str, Any]:
        start, total = blobs.parse_content_range(content_range, len(auth.body))
        return blobs.put_chunk(engine, files, sha256, start, total, auth.body, auth.body_sha256,
                               quick)

    @app.get("/v1/attachments/{sha256}", responses={**ERRORS, 200: {"content": {
        "application/octet-stream": {}}}}, response_class=Response, tags=["attachments"])
    def get_blob(sha256: Annotated[str, Path(pattern=blobs.SHA256_RE.pattern)],
                 auth: Annotated[Authed, Depends(device)],
                 range_: Annotated[str | None, Header(alias="Range")] = None) -> Response:
        pieces, start, end, size = blobs.read_blob(engine, files, auth.caller, sha256, range_)
        headers = {"Accept-Ranges": "bytes", "Content-Length": str(end + 1 - start)}
        if range_:
            headers["Content-Range"] = f"bytes {start}-{end}/{size}"
        return StreamingResponse(pieces, status_code=206 if range_ else 200, headers=headers,
                                 media_type="application/octet-stream")

    @app.get("/v1/changes", response_model=m.ChangesResponse, responses=ERRORS, tags=["sync"])
    def changes(auth: Annotated[Authed, Depends(device)],
                since: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=CHANGES_LIMIT[1])] = CHANGES_LIMIT[0],
                ) -> dict[str, Any]:
        return reads.changes(engine, auth.caller, since, limit)

    @app.get("/v1/check", response_model=m.CheckResponse, responses=ERRORS, tags=["sync"])
    def check(auth: Annotated[Authed, Depends(device)]) -> dict[str, Any]:
        return reads.check(engine, auth.caller)

    @app.get("/v1/batches", response_model=m.BatchesResponse, responses=ERRORS, tags=["sync"])
    def batches(auth: Annotated[Authed, Depends(device)],
                since: Annotated[int, Query(ge=0)] = 0,
                limit: Annotated[int, Query(ge=1, le=BATCHES_LIMIT[1])] = BATCHES_LIMIT[0],
                ) -> dict[str, Any]:
        return reads.batches(engine, auth.caller, since, limit)

    @app.post("/v1/admin/devices/{device_id}/revoke", response_model=m.RevokeResponse,
              responses=ERRORS, tags=["admin"])
    def revoke(device_id: str, auth: Annotated[Authed, Depends(signed_device)]
               ) -> dict[str, Any]:
        accounts.revoke_by(engine, auth.caller, device_id)
        return {"device_id": device_id, "revoked": True}
