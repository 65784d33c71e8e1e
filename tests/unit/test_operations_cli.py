"""The operations settings on the command line: JSON logs, and a worker's own /metrics."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.unit.test_config import run_cli


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_json_logs_are_one_object_a_line(tmp_path: Path) -> None:
    upgraded = run_cli(tmp_path, "db", "upgrade", KLUSSENBANK_LOG_FORMAT="json")

    assert upgraded.returncode == 0, upgraded.stderr
    lines = [json.loads(line) for line in upgraded.stderr.splitlines() if line.startswith("{")]
    migrations = [line for line in lines if line["logger"] == "alembic.runtime.migration"]
    assert any("Running upgrade" in line["message"] for line in migrations), upgraded.stderr
    assert all(set(line) == {"time", "level", "logger", "message", "correlation_id"} for line in migrations)
    assert {line["correlation_id"] for line in migrations} == {None}  # not in a turn


def test_text_logs_show_the_correlation_id_place(tmp_path: Path) -> None:
    upgraded = run_cli(tmp_path, "db", "upgrade")

    assert upgraded.returncode == 0, upgraded.stderr
    assert " INFO alembic.runtime.migration [-]: Running upgrade" in upgraded.stderr


def test_a_worker_refuses_to_show_metrics_to_the_network_without_a_token(tmp_path: Path) -> None:
    refused = run_cli(tmp_path, "worker", KLUSSENBANK_METRICS_HOST="0.0.0.0")

    assert refused.returncode == 2
    assert "Refusing to serve /metrics on 0.0.0.0 without a token" in refused.stderr


def test_a_worker_serves_its_own_metrics_on_its_port(tmp_path: Path) -> None:
    assert run_cli(tmp_path, "db", "upgrade").returncode == 0
    port = free_port()
    worker = subprocess.Popen(
        [sys.executable, "-m", "klussenbank.cli", "worker", "--metrics-port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/k.db"},
        cwd=tmp_path,
    )
    try:
        page = ""
        deadline = time.monotonic() + 30
        while not page and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    page = response.read().decode()
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    assert worker.returncode == 0, err
    assert f"Metrics: http://127.0.0.1:{port}/metrics" in out
    assert "# TYPE klussenbank_outbox_deliveries_total counter" in page
    assert 'klussenbank_outbox_backlog{status="pending"} 0.0' in page  # read from its database
