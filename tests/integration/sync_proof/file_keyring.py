"""A keyring backend for tests only: passwords in a JSON file named by the environment variable
``OHINSPECT_TEST_KEYRING`` — so that a device enrolled in the test process can run
``python -m ohinspect sync`` in a subprocess (selected there with ``PYTHON_KEYRING_BACKEND=
tests.integration.sync_proof.file_keyring.FileKeyring``). The app itself never writes secrets
to disk; this stands in for the OS keyring of a field laptop."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jaraco.classes import properties
from keyring.backend import KeyringBackend

ENV = "OHINSPECT_TEST_KEYRING"
BACKEND = f"{__name__}.FileKeyring"


class FileKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:  # type: ignore[override]
        """Viable only where the variable names a file: keyring discovers every subclass of
        KeyringBackend once this module is imported, and the test process itself (other tests
        included) must keep seeing the machine's real keyring state."""
        if not os.environ.get(ENV):
            raise RuntimeError(f"{ENV} is not set")
        return 1

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = Path(path or os.environ[ENV])

    def _all(self) -> dict[str, str]:
        return json.loads(self.path.read_text("utf-8")) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._all().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._all()
        data[f"{service}|{username}"] = password
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), "utf-8")
        tmp.replace(self.path)

    def delete_password(self, service: str, username: str) -> None:
        data = self._all()
        data.pop(f"{service}|{username}", None)
        self.path.write_text(json.dumps(data), "utf-8")
