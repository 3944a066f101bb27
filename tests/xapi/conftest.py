"""A real LRS for the xAPI tests: Ralph, started from its own virtualenv (`make ralph`).

Ralph's dependencies (FastAPI, pydantic) live apart from the project's, in .venv-ralph. The
fixture writes a credentials file with `ralph auth`, runs `ralph runserver -b fs` on a free
port with its file-system backend in a temporary folder, and waits for `/__heartbeat__`.
Ralph 5.x's file-system LRS backend writes each POST in "create" mode, so every POST after
the first fails (the file exists). A ``sitecustomize`` on the Ralph process's path makes that
backend append instead (its documented APPEND mode); the LRS API itself (authentication,
validation, de-duplication by id, queries) is Ralph's, untouched.

Without Ralph installed the tests skip, saying how to install it; under `make test`
(DLMATH_REQUIRE_RALPH=1) a missing Ralph is a failure, not a skip.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
RALPH = Path(os.environ.get("RALPH_BIN", ROOT / ".venv-ralph" / "bin" / "ralph"))
HOMEPAGE = "https://dlmath.test"
APPEND_SHIM = """
try:
    from ralph.backends.data.base import BaseOperationType
    from ralph.backends.lrs.fs import FSLRSBackend
except ImportError:
    pass
else:
    FSLRSBackend.default_operation_type = BaseOperationType.APPEND
"""


@dataclass(frozen=True)
class Lrs:
    endpoint: str
    username: str
    password: str

    def statements(self, **params: str) -> list[dict]:
        """Everything Ralph stored (optionally filtered as the xAPI GET allows)."""
        response = requests.get(
            f"{self.endpoint}/statements/",
            params={"limit": "500", **params},
            auth=(self.username, self.password),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()["statements"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    if not RALPH.exists():
        message = f"Ralph is not installed at {RALPH} (run `make ralph`)"
        if os.environ.get("DLMATH_REQUIRE_RALPH"):
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("ralph")
    password = secrets.token_urlsafe(16)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "DLMATH"))},
        "RALPH_APP_DIR": str(home / "app"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "data"),
    }
    (home / "data").mkdir()
    shim = home / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(APPEND_SHIM)
    env["PYTHONPATH"] = str(shim)
    subprocess.run(
        [str(RALPH), "auth", "-u", "dlmath", "-p", password, "-s", "all",
         "-A", "dlmath", HOMEPAGE, "-w"],
        env=env, cwd=home, check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    log = (home / "ralph.log").open("wb")
    process = subprocess.Popen(
        [str(RALPH), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(port)],
        env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{base}/__heartbeat__", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Ralph did not start: {(home / 'ralph.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield Lrs(endpoint=f"{base}/xAPI", username="dlmath", password=password)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        log.close()


@pytest.fixture
def lrs(ralph: Lrs, settings) -> Lrs:  # type: ignore[no-untyped-def]
    """dlmath configured (as by the environment) to send its statements to Ralph."""
    settings.DLMATH_BASE_URL = HOMEPAGE
    settings.XAPI_LRS_ENDPOINT = ralph.endpoint
    settings.XAPI_LRS_USERNAME = ralph.username
    settings.XAPI_LRS_PASSWORD = ralph.password
    return ralph
