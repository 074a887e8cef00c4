"""The upload limit, held while the body streams in, before any parser stores it.

A body that declares a length over the limit is refused before a byte of it is read; one that
declares none (chunked) or lies is counted as it arrives, and reading stops at the limit: so
neither memory nor the temporary folder ever holds more than the limit of one upload.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class TooBig(Exception):
    """Raised into the body's reader when the body passes the limit."""


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, refusal: str):
        self.app = app
        self.max_bytes = max_bytes
        self.refusal = refusal  # the sentence the 413 says

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        state = {"read": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.max_bytes:
                    state["over"] = True
                    raise TooBig
            return message

        async def answer(message: Message) -> None:
            if state["over"]:  # whatever the app made of the stopped read (a parse error), it is a 413
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await self._refuse(send)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, answer)
        except TooBig:
            if not state["started"]:
                state["started"] = True
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": self.refusal}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
