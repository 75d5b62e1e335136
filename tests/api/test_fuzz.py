"""Schemathesis, a fuzzer no one here wrote, against the live app with a token.

Every operation of the document, every built-in check (no server error, status codes,
content types, headers and bodies as documented, schema-valid data accepted, invalid data
refused, deleted resources gone, auth not ignored), the stateful phase following the
document's links. The seed is fixed so a failure in CI reproduces; set AFTERGLOW_FUZZ_SEED
to explore other inputs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CONFIG = Path(__file__).with_name("schemathesis.toml")
MIN_CASES = 1000


@pytest.mark.fuzz
def test_schemathesis_finds_nothing(api_server, tmp_path):
    st = Path(sys.executable).with_name("st")
    seed = os.environ.get("AFTERGLOW_FUZZ_SEED", "20261201")
    result = subprocess.run(
        [str(st), "--config-file", str(CONFIG), "run", f"{api_server.url}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {api_server.token}",
         "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
         "--max-examples", "10", "--workers", "1", "--seed", seed,
         "--report", "json", "--report-json-path", str(tmp_path / "report.json")],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its cache stays out of the checkout
    )
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["operations"]["tested"] == report["operations"]["total"] == 23
    assert report["test_cases"]["generated"] >= MIN_CASES
    assert report["test_cases"]["with_failures"] == 0
    assert all(phase["status"] == "success" for phase in report["phases"].values()), report["phases"]
    assert "Stateful" in result.stdout and "API Links" in result.stdout
