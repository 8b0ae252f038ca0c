"""Headless Chromium driven over the DevTools protocol, for the HTML report's browser tests.

Chromium runs with ``--remote-debugging-pipe``: it reads protocol commands from file descriptor 3
and writes responses and events to descriptor 4, each message JSON ended by a NUL byte. That is
enough to open the report in a viewport of a given size (``Emulation.setDeviceMetricsOverride``:
a headless window is never narrower than 500 pixels, a phone is), run a probe in the page
(``Runtime.evaluate``), click (``Input.dispatchMouseEvent``, a real pointer event at a point),
press keys (``Input.dispatchKeyEvent``) and
take a screenshot (``Page.captureScreenshot``), without a driver or a websocket library. The page
itself stays as written: the probes run from outside, the report holds no script.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

REQUIRE_BROWSER = "LIFERAY_HA_LINT_REQUIRE_BROWSER"
FLAGS = (
    "--headless",
    "--no-sandbox",  # CI containers run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-extensions",
    "--disable-background-networking",
    "--hide-scrollbars",
)


def browser() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_browser() -> str:
    exe = browser()
    if exe is None:
        reason = "chromium is not on PATH (Debian: apt-get install chromium)"
        if os.environ.get(REQUIRE_BROWSER) == "1":
            pytest.fail(f"{REQUIRE_BROWSER}=1 but {reason}")
        pytest.skip(reason)
    return exe


class DevTools:
    """One headless Chromium and one page of it. Use as a context manager."""

    def __init__(self, exe: str, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        commands_read, self._commands = os.pipe()
        self._events, events_write = os.pipe()
        # the child wants them as 3 and 4: move them out of the way first, so dup2 cannot clobber one
        child_read = fcntl.fcntl(commands_read, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(events_write, fcntl.F_DUPFD, 10)
        os.close(commands_read)
        os.close(events_write)

        def as_3_and_4() -> None:
            os.dup2(child_read, 3)
            os.dup2(child_write, 4)

        self.process = subprocess.Popen(
            [exe, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, child_read, child_write),
            preexec_fn=as_3_and_4,
            env={**os.environ, "HOME": str(profile)},
        )
        os.close(child_read)
        os.close(child_write)
        self._buffer = b""
        self._next = 0
        self._pending: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=True)

    def __enter__(self) -> DevTools:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError, AssertionError, TimeoutError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._commands, self._events):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _message(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._events], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self._events, 1 << 16)
            if not chunk:
                raise AssertionError(f"chromium closed the pipe (exit {self.process.poll()})")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def send(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        command: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            command["sessionId"] = self.session
        os.write(self._commands, json.dumps(command).encode("utf-8") + b"\0")
        while True:
            message = self._message()
            if message.get("id") == self._next:
                assert "error" not in message, f"{method}: {message['error']}"
                result: dict[str, Any] = message.get("result", {})
                return result
            self._pending.append(message)

    def wait_for(self, event: str) -> dict[str, Any]:
        for index, message in enumerate(self._pending):
            if message.get("method") == event:
                return self._pending.pop(index)
        while True:
            message = self._message()
            if message.get("method") == event:
                return message
            self._pending.append(message)

    def open(self, uri: str, width: int, height: int) -> None:
        """Load ``uri`` in a ``width`` x ``height`` CSS-pixel viewport (scale 1, touch off)."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 500,
        )
        self._pending = [m for m in self._pending if m.get("method") != "Page.loadEventFired"]
        self.send("Page.navigate", session=True, url=uri)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def click(self, x: float, y: float) -> None:
        """A left click at a viewport point, as a mouse would make it."""
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left", clickCount=1)

    def press(self, key: str, code: int) -> None:
        """A key pressed and released (``key`` as in KeyboardEvent.key, ``code`` its Windows key code)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=key, windowsVirtualKeyCode=code)

    def screenshot(self) -> bytes:
        data = self.send("Page.captureScreenshot", session=True, format="png")["data"]
        return base64.b64decode(data)
