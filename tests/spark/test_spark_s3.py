"""Spark over object storage: a glob of objects on a local S3 server (moto, 127.0.0.1) gives
the report ``guidekit validate`` writes for the same URL, ranges of a plain object included.

About 45 s on top of the other Spark tests (the Python workers start again with the S3
environment, and every range is requests to the server), so it is marked slow and runs only
with ``GUIDEKIT_SPARK_LONG=1``, as its own line of ``.ci/run``."""

from __future__ import annotations

import gzip
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from delivery.conftest import FIXTURES
from guidekit.cli import main

boto3 = pytest.importorskip("boto3")
pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GUIDEKIT_SPARK_LONG") != "1",
        reason="Spark over S3 is the long Spark run: set GUIDEKIT_SPARK_LONG=1 (.ci/run does)",
    ),
]

BATCH = FIXTURES / "tickets-batch.jsonl"
TICKETS = str(FIXTURES / "tickets")
BUCKET = "spark-drop"


@pytest.fixture(scope="module")
def s3(spark: Any) -> Iterator[str]:
    """An S3 server on a free port of 127.0.0.1, with the driver's environment and the
    Python workers' (``SparkContext.environment``) pointing at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    workers = spark.sparkContext.environment
    before = dict(workers)
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
            mp.delenv(k, raising=False)
        workers.update(env)
        client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
        client.create_bucket(Bucket=BUCKET)
        batch = BATCH.read_bytes()
        client.put_object(Bucket=BUCKET, Key="batch/a.jsonl.gz", Body=gzip.compress(batch))
        client.put_object(Bucket=BUCKET, Key="batch/b.jsonl", Body=batch * 30)
        try:
            yield f"s3://{BUCKET}/batch/*.jsonl*"
        finally:
            workers.clear()
            workers.update(before)
    server.stop()


def test_a_glob_of_objects_on_spark_gives_the_cli_report(s3: str, tmp_path: Path) -> None:
    from guidekit.spark import validate

    out = tmp_path / "report.json"
    code = main(["validate", TICKETS, s3, "--format", "json", "-o", str(out), "-j", "1"])
    cli = json.loads(out.read_text(encoding="utf-8"))
    result = validate(s3, TICKETS, partition_bytes=20_000)
    assert result.partitions >= 1 + 5  # the gzip object whole, the plain one in ranges
    from guidekit.delivery.render import render

    assert code == result.report.exit_code == 1
    assert json.loads(render(result.report, "json")) == cli
    assert cli["records"] == 20 + 20 * 30 - 29  # the batch ends without a newline
    on_spark = tmp_path / "spark.json"
    args = ["validate", TICKETS, s3, "--engine", "spark", "--format", "json", "-o", str(on_spark)]
    assert main(args) == 1
    assert json.loads(on_spark.read_text(encoding="utf-8")) == cli
