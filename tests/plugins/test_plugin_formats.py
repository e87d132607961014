"""A file format from the ``guidekit.formats`` entry point, through ``guidekit export``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidekit.bridges import formats
from guidekit.cli import main
from guidekit.compiler.pipeline import load
from guidekit.plugins import PluginWarning

from .conftest import Install

TSV = """
import json
from pathlib import Path

from guidekit.bridges.formats import Exported, FileFormat, RawRecord


def read(path, guideline, **options):
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines[1:], start=2):
        item_id, text, mood = line.split("\\t")
        data = {"item_id": item_id, "text": text, "mood": mood}
        yield RawRecord(str(path), n, json.dumps(data).encode(), data)


def write(records, guideline, out, **options):
    done = Exported(paths=[Path(out)])
    with open(out, "w", encoding="utf-8") as f:
        f.write(options.get("header", "item_id\\ttext\\tmood") + "\\n")
        for r in records:
            f.write(f"{r['item_id']}\\t{r['text']}\\t{r['mood']}\\n")
            done.records += 1
    return done


FORMAT = FileFormat(read=read, write=write)
READ_ONLY = FileFormat(read=read)
"""

RECORDS = [
    {"item_id": "1", "text": "What a day", "mood": "happy"},
    {"item_id": "2", "text": "Rain again", "mood": "sad"},
]


def _delivery(tmp_path: Path) -> Path:
    path = tmp_path / "delivery.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_plugin_format_is_exported_and_read_back(
    install: Install, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_tsv", TSV, {"guidekit.formats": "tsv = gk_tsv:FORMAT"})
    assert main(["export", "--help"]) == 0
    assert "tsv" in capsys.readouterr().out
    out = tmp_path / "out.tsv"
    args = ["export", str(project), str(_delivery(tmp_path)), "--format", "tsv", "--out", str(out)]
    assert main(args) == 0
    assert f"wrote 2 records to {out} (tsv)" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8") == (
        "item_id\ttext\tmood\n1\tWhat a day\thappy\n2\tRain again\tsad\n"
    )
    back = formats.get("tsv").read(out, load(project))
    assert [r.data for r in back] == RECORDS


def test_plugin_format_options_come_from_the_command_line(
    install: Install, project: Path, tmp_path: Path
) -> None:
    install("gk_tsv_opts", TSV, {"guidekit.formats": "tsv = gk_tsv_opts:FORMAT"})
    out = tmp_path / "out.tsv"
    delivery = str(_delivery(tmp_path))
    args = ["export", str(project), delivery, "--format", "tsv", "--out", str(out)]
    assert main([*args, "-O", "header=id\ttext\tlabel"]) == 0
    assert out.read_text(encoding="utf-8").startswith("id\ttext\tlabel\n1\t")


def test_read_only_format_is_refused_by_export(
    install: Install, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_tsv_ro", TSV, {"guidekit.formats": "tsvin = gk_tsv_ro:READ_ONLY"})
    out = tmp_path / "out.tsv"
    args = ["export", str(project), str(_delivery(tmp_path)), "--format", "tsvin", "--out"]
    assert main([*args, str(out)]) == 2
    assert "tsvin is a format guidekit reads only" in capsys.readouterr().err
    assert not out.exists()


def test_plugin_cannot_replace_a_builtin_format(install: Install) -> None:
    install("gk_fake_coco", TSV, {"guidekit.formats": "coco = gk_fake_coco:FORMAT"})
    with pytest.warns(PluginWarning, match=r"'coco = gk_fake_coco:FORMAT'.*built in"):
        assert formats.names().count("coco") == 1
    assert formats.get("coco").write is not None
    assert "gk_fake_coco" not in str(formats.get("coco").read)


def test_broken_plugin_format_is_a_clear_error(
    install: Install, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_tsv_bad", "FORMAT = 'tsv'\n", {"guidekit.formats": "tsv = gk_tsv_bad:FORMAT"})
    args = ["export", str(project), str(_delivery(tmp_path)), "--format", "tsv", "--out"]
    assert main([*args, str(tmp_path / "out.tsv")]) == 1
    err = capsys.readouterr().err
    assert "GK020" in err and "'tsv = gk_tsv_bad:FORMAT' (guidekit.formats)" in err
    assert "names 'tsv', not a FileFormat" in err and "Traceback" not in err


def test_a_left_out_plugin_is_one_warning_line_on_the_command_line(
    install: Install, capsys: pytest.CaptureFixture[str]
) -> None:
    install("gk_fake_coco2", TSV, {"guidekit.formats": "coco = gk_fake_coco2:FORMAT"})
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(["export", "--help"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: ") and "'coco = gk_fake_coco2:FORMAT'" in err
    assert "PluginWarning" not in err and "warnings.warn" not in err
