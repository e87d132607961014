"""Deliveries in object storage, against a real S3 server on 127.0.0.1 (moto's server mode):
globs, gzip, third-party files, failures while reading, missing packages."""

from __future__ import annotations

import gzip
import json
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import CORPUS
from delivery.conftest import FIXTURES
from guidekit.cli import main
from guidekit.delivery import remote

boto3 = pytest.importorskip("boto3")
s3fs = pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

BATCH = FIXTURES / "tickets-batch.jsonl"
TICKETS = str(FIXTURES / "tickets")
BUCKET = "deliveries"
PRODIGY = CORPUS / "prodigy" / "bio_events.jsonl"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _clean_lines(n: int) -> list[bytes]:
    """``n`` clean records (those of the fixture batch, with new ids)."""
    lines = BATCH.read_bytes().splitlines()
    recs = [json.loads(lines[k]) for k in (0, 1, 7, 8, 12, 18)]
    out = []
    for i in range(n):
        rec = recs[i % len(recs)]
        rec["ticket_id"] = f"T-{i}"
        out.append(json.dumps(rec).encode() + b"\n")
    return out


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """An S3 server on a free port of 127.0.0.1, the environment pointing at it, and a
    bucket of deliveries; yields a boto3 client."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE"):
            mp.delenv(k, raising=False)
        client = boto3.client("s3", endpoint_url=env["AWS_ENDPOINT_URL"])
        client.create_bucket(Bucket=BUCKET)
        batch = BATCH.read_bytes()
        client.put_object(Bucket=BUCKET, Key="batch/a.jsonl.gz", Body=gzip.compress(batch))
        client.put_object(Bucket=BUCKET, Key="batch/b.jsonl", Body=batch)
        client.put_object(Bucket=BUCKET, Key="batch/notes.txt", Body=b"not a delivery")
        clean = b"".join(_clean_lines(300))
        client.put_object(Bucket=BUCKET, Key="clean/part-0.jsonl.gz", Body=gzip.compress(clean))
        if PRODIGY.is_file():
            body = gzip.compress(PRODIGY.read_bytes())
            client.put_object(Bucket=BUCKET, Key="corpus/bio_events.jsonl.gz", Body=body)
        big = b"".join(_clean_lines(20_000))
        cut = gzip.compress(big)
        client.put_object(Bucket=BUCKET, Key="cut/part.jsonl.gz", Body=cut[: len(cut) // 2])
        client.put_object(Bucket=BUCKET, Key="big/part.jsonl", Body=big)
        yield client
    server.stop()


def _json_report(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.json"
    code = main(["validate", TICKETS, *args, "--format", "json", "-o", str(out), "-j", "1"])
    return code, json.loads(out.read_text(encoding="utf-8"))


def _renamed(report: dict[str, Any], names: dict[str, str]) -> str:
    text = json.dumps(report, sort_keys=True)
    for old, new in names.items():
        text = text.replace(json.dumps(old)[1:-1], new)
    return text


def test_a_glob_of_objects_gives_the_report_of_the_same_local_files(
    s3: Any, tmp_path: Path
) -> None:
    local = tmp_path / "local"
    local.mkdir()
    (local / "a.jsonl.gz").write_bytes(gzip.compress(BATCH.read_bytes()))
    (local / "b.jsonl").write_bytes(BATCH.read_bytes())
    code, remote_report = _json_report(tmp_path, f"s3://{BUCKET}/batch/*.jsonl*")
    code_local, local_report = _json_report(
        tmp_path, str(local / "a.jsonl.gz"), str(local / "b.jsonl")
    )
    assert code == code_local == 1
    assert [f["file"] for f in remote_report["files"]] == [
        f"s3://{BUCKET}/batch/a.jsonl.gz",
        f"s3://{BUCKET}/batch/b.jsonl",
    ]
    names = {f"s3://{BUCKET}/batch/a.jsonl.gz": "A", f"s3://{BUCKET}/batch/b.jsonl": "B"}
    lnames = {str(local / "a.jsonl.gz"): "A", str(local / "b.jsonl"): "B"}
    assert _renamed(remote_report, names) == _renamed(local_report, lnames)
    assert remote_report["records"] == 40
    assert any(g["code"] == "GK542" for g in remote_report["groups"])  # across two objects


def test_a_clean_gzip_object_is_accepted_and_split_locally(s3: Any, tmp_path: Path) -> None:
    split = tmp_path / "split"
    code = main(
        ["validate", TICKETS, f"s3://{BUCKET}/clean/part-0.jsonl.gz", "--split", str(split)]
    )
    assert code == 0
    assert (split / "accepted.jsonl").read_bytes() == b"".join(_clean_lines(300))


@pytest.mark.skipif(not PRODIGY.is_file(), reason="needs the shared corpus")
def test_a_third_party_file_reads_the_same_from_the_store(s3: Any, tmp_path: Path) -> None:
    """Records another tool wrote (Prodigy's bio_events, not native records): every one is
    reported, from the store exactly as from the disk."""
    local = tmp_path / "bio_events.jsonl.gz"
    local.write_bytes(gzip.compress(PRODIGY.read_bytes()))
    url = f"s3://{BUCKET}/corpus/bio_events.jsonl.gz"
    code, from_store = _json_report(tmp_path, "--input-format", "jsonl", url)
    code_local, from_disk = _json_report(tmp_path, "--input-format", "jsonl", str(local))
    assert code == code_local == 1
    assert from_store["records"] == len(PRODIGY.read_bytes().splitlines()) > 0
    assert _renamed(from_store, {url: "F"}) == _renamed(from_disk, {str(local): "F"})


def test_a_truncated_gzip_object_is_a_located_error(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.json"
    split = tmp_path / "split"
    url = f"s3://{BUCKET}/cut/part.jsonl.gz"
    code = main(["validate", TICKETS, url, "-o", str(out), "--split", str(split)])
    err = capsys.readouterr().err
    assert code == 1
    assert "GK507" in err and url in err and "cut off" in err
    assert "reading stopped after line" in err
    assert not out.exists()  # no report, so nothing reported as accepted
    assert not (split / "accepted.jsonl").exists()


def test_an_object_deleted_while_it_is_read_is_a_located_error(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The object disappears after the first block: the next range request fails."""
    key = "gone/part.jsonl"
    s3.put_object(Bucket=BUCKET, Key=key, Body=b"".join(_clean_lines(20_000)))
    monkeypatch.setattr(remote, "BLOCK_SIZE", 64 * 1024)
    reads = []
    real = remote._Stream.readinto

    def readinto(self: Any, buffer: Any) -> int:
        reads.append(len(buffer))
        if len(reads) == 3:  # the first block of lines took two reads
            s3.delete_object(Bucket=BUCKET, Key=key)
        return real(self, buffer)

    monkeypatch.setattr(remote._Stream, "readinto", readinto)
    out = tmp_path / "report.json"
    code = main(["validate", TICKETS, f"s3://{BUCKET}/{key}", "-o", str(out), "-j", "1"])
    err = capsys.readouterr().err
    assert len(reads) == 3 and code == 1  # the read after the deletion failed
    assert "GK507" in err and f"s3://{BUCKET}/{key}" in err and "reading stopped after line" in err
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (f"s3://{BUCKET}/batch/missing.jsonl", "does not exist"),
        (f"s3://{BUCKET}/nothing/*.jsonl.gz", "matches no object"),
        ("s3://no-such-bucket-guidekit/x.jsonl", "does not exist"),
    ],
)
def test_a_missing_object_or_bucket_is_gk001(
    s3: Any, url: str, why: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", TICKETS, url]) == 1
    err = capsys.readouterr().err
    assert "GK001" in err and url in err and why in err


def test_a_prefix_is_not_a_file(s3: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", TICKETS, f"s3://{BUCKET}/batch"]) == 1
    assert "is a folder (a prefix)" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["fsspec", "s3fs"])
def test_a_missing_extra_is_a_usage_error_with_the_pip_command(
    module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import fsspec  # noqa: F401

    registry = sys.modules["fsspec.registry"]
    for proto in ("s3", "s3a"):  # fsspec would not import s3fs again
        monkeypatch.delitem(registry._registry, proto, raising=False)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module, None)  # import fails
    code = main(["validate", TICKETS, "s3://bucket/batch-42/*.jsonl.gz"])
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'guidekit[cloud]'" in err
    assert "Traceback" not in err


def test_import_of_the_cli_stays_without_fsspec() -> None:
    import subprocess

    code = "import sys, guidekit.cli, guidekit.delivery; print('fsspec' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "False", out.stderr


def test_a_connection_dropped_while_an_object_is_read_is_a_located_error(
    s3: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second server holds the object and stops after the first blocks were read."""
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client("s3", endpoint_url=endpoint)
        client.create_bucket(Bucket="drop")
        client.put_object(Bucket="drop", Key="part.jsonl", Body=b"".join(_clean_lines(20_000)))
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        # moto's servers in one process share their buckets: the client must be a new one,
        # talking to this server
        s3fs.S3FileSystem.clear_instance_cache()
        monkeypatch.setattr(remote, "BLOCK_SIZE", 64 * 1024)
        reads = []
        real = remote._Stream.readinto

        def readinto(self: Any, buffer: Any) -> int:
            reads.append(len(buffer))
            if len(reads) == 3:
                server.stop()
            return real(self, buffer)

        monkeypatch.setattr(remote._Stream, "readinto", readinto)
        out = tmp_path / "report.json"
        code = main(["validate", TICKETS, "s3://drop/part.jsonl", "-o", str(out), "-j", "1"])
    finally:
        server.stop()
        s3fs.S3FileSystem.clear_instance_cache()  # none of its clients point at this server
    err = capsys.readouterr().err
    assert code == 1
    assert "GK507" in err and "s3://drop/part.jsonl" in err and "reading stopped after line" in err
    assert "Traceback" not in err
    assert not out.exists()
