"""The practice web app: record or upload, get scored, see what changed since the last attempt;
delete an attempt, take the history away (export.py).

Only this machine may connect (bound to 127.0.0.1, and requests naming another host are
refused); only the page itself may change anything (a write from another site, which a browser
marks with its Origin and Sec-Fetch-Site headers, is refused before its body is read); an upload
is cut off at the size limit as it streams in (limits.py) and at the length limit as it is
decoded; the model analyses one recording at a time, the shortest waiting first (turns.py); an
upload is kept only as an attempt's recording (store.py); nothing is served from a path a
request names: audio is found by attempt number. An attempt heard through the phone line (the
pack's phone_line) has the line's version to play too, made from its recording when asked for.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ..audio.clip import AUDIO_SUFFIXES
from ..audio.line import CODECS
from ..audio.line_copy import line_copy
from ..errors import AudioError
from ..numbers.own import NumberError, own_number
from ..pipeline import Analyzer
from ..render.html import page, recording_data
from ..report.serialize import file_to_dict
from .export import attempts_csv, attempts_zip
from .limits import BodyLimit
from .store import Attempt, Store
from .turns import Turns

MAX_UPLOAD_BYTES = 25 * 2**20
# A practice message is under a minute; a longer upload is refused once this much is decoded, so
# no upload holds the model for long (turns.py).
MAX_SECONDS = 5 * 60
# A form's boundaries and headers around the recording.
FORM_OVERHEAD = 1 << 16
CHUNK = 1 << 16
LOCAL_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def create_app(analyzer: Analyzer, data_dir: Path, *, max_upload_bytes: int = MAX_UPLOAD_BYTES,
               max_seconds: int = MAX_SECONDS) -> FastAPI:
    store = Store(data_dir)
    turns = Turns()
    app = FastAPI(title="voicemail practice", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(BodyLimit, max_bytes=max_upload_bytes + FORM_OVERHEAD, refusal=_too_big(max_upload_bytes))
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=LOCAL_HOSTS)
    app.state.store = store

    @app.middleware("http")
    async def same_origin_writes(request: Request, call_next):
        # any web page the rep opens could POST here: a write must come from this app's own page
        if request.method not in SAFE_METHODS and _cross_site(request):
            return JSONResponse({"error": "Only the practice page itself may send recordings or change the "
                                          "script card; open it from `voicemail practice`."}, status_code=403)
        return await call_next(request)

    @app.exception_handler(HTTPException)
    async def plain_errors(request: Request, exc: HTTPException):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        return page("practice.html", {"max_upload_bytes": max_upload_bytes})

    @app.get("/api/attempts")
    def history() -> dict:
        return {"attempts": [_summary(a) for a in store.history()]}

    @app.get("/api/attempts/{attempt_id}")
    def attempt(attempt_id: int) -> dict:
        found = store.get(attempt_id) or _missing()
        return _view(found, store.previous(attempt_id))

    @app.delete("/api/attempts/{attempt_id}")
    def delete(attempt_id: int) -> dict:
        if not store.delete(attempt_id):
            _missing()
        return {"deleted": attempt_id}

    @app.get("/api/export.csv")
    def export_csv() -> Response:
        return Response(attempts_csv(store.history()), media_type="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="practice-attempts.csv"'})

    @app.get("/api/export.zip")
    def export_zip() -> Response:
        return Response(attempts_zip(store.history(), store.audio_dir), media_type="application/zip",
                        headers={"Content-Disposition": 'attachment; filename="practice-attempts.zip"'})

    @app.get("/api/attempts/{attempt_id}/audio")
    def audio(attempt_id: int) -> FileResponse:
        found = store.get(attempt_id) or _missing()
        return FileResponse(store.audio_dir / found.audio_file)

    @app.get("/api/attempts/{attempt_id}/line-audio")
    def line_audio(attempt_id: int) -> Response:
        found = store.get(attempt_id) or _missing()
        line = found.report["measures"].get("phone_line")
        if not line or line.get("codec") not in CODECS:
            raise HTTPException(404, "This attempt was not heard through a phone line; start `voicemail practice "
                                     "--phone-line` (or use a pack that sets phone_line) to hear your next ones as "
                                     "the prospect will.")
        path = store.audio_dir / found.audio_file
        try:  # the same sound every time: made again rather than stored
            copy = line_copy(path, line["codec"], max_s=max_seconds)
        except AudioError as exc:  # its recording gone or damaged on disk since it was scored
            raise HTTPException(422, str(exc).replace(str(path), found.source)) from None
        return Response(copy, media_type="audio/webm", headers={"Cache-Control": "private, max-age=86400"})

    @app.get("/api/script")
    def script() -> dict:
        return store.script()

    @app.put("/api/script")
    async def save_script(request: Request) -> dict:
        try:
            card = await request.json()
        except ValueError:
            card = None
        if not isinstance(card, dict):
            raise HTTPException(400, "The script card must be a JSON object with name, company, benefit, number.")
        _card_number(str(card.get("number", "")))
        return store.save_script(card)

    @app.post("/api/attempts", status_code=201)
    async def new_attempt(request: Request, audio: UploadFile) -> dict:
        source = Path(audio.filename or "recording").name
        suffix = Path(source).suffix.lower()
        path = store.incoming_dir / f"{uuid.uuid4().hex}{suffix if suffix in AUDIO_SUFFIXES else '.bin'}"
        try:
            size = 0
            with path.open("wb") as fh:
                while chunk := await audio.read(CHUNK):
                    size += len(chunk)
                    if size > max_upload_bytes:
                        raise HTTPException(413, _too_big(max_upload_bytes))
                    fh.write(chunk)
            number = _card_number(store.script()["number"])  # a card saved before numbers were checked
            report = await run_in_threadpool(
                analyzer.analyze, path, number=number, max_s=max_seconds, turn=lambda clip: turns.turn(clip.duration_s))
            if report.error:
                # the sentence names our stored copy; the rep knows the file by its own name
                raise HTTPException(422, report.error.replace(str(path), source))
            saved = store.add(source=source, staged=path, score=report.analysed().score,
                              report={**file_to_dict(report), "file": source})
        finally:
            path.unlink(missing_ok=True)  # kept only as an attempt's recording (moved into audio/)
        return _view(saved, store.previous(saved.id))

    return app


def _card_number(text: str) -> str | None:
    """The script card's number, by the rule --number and a pack's number follow; none when blank."""
    try:
        return own_number(text, where="The script card's number") if text.strip() else None
    except NumberError as exc:
        raise HTTPException(422, str(exc)) from None


def _summary(a: Attempt) -> dict:
    return {"id": a.id, "created_at": a.created_at, "source": a.source, "score": a.score, "flags": a.flags}


def _view(a: Attempt, previous: Attempt | None) -> dict:
    view = {
        **_summary(a),
        "recording": recording_data(a.report, rep="", name=a.source, audio=f"/api/attempts/{a.id}/audio",
                                    line_audio=f"/api/attempts/{a.id}/line-audio"),
    }
    if previous is not None:
        view["since_last"] = {
            "previous_id": previous.id,
            "previous_score": previous.score,
            "gone": sorted(set(previous.flags) - set(a.flags)),
            "came": sorted(set(a.flags) - set(previous.flags)),
        }
    return view


def _cross_site(request: Request) -> bool:
    """A browser's request from another site: its Origin is not this app's, or it says so itself.
    Tools that send neither header (curl, scripts on this machine) are let through."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    return origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}"


def _missing():
    raise HTTPException(404, "There is no such attempt.")


def _too_big(limit: int) -> str:
    return (f"The recording is larger than {limit / 2**20:.0f} MiB; a voicemail is under a minute, "
            "so record a shorter message or upload a compressed file (M4A, MP3, WebM).")
