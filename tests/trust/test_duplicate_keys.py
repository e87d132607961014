"""A key written twice in one object of a record is GK550 on that record, whichever way the
line is checked: the msgspec fast path (which keeps the last of two equal keys silently),
the full checker, ``-j 1`` and ``-j 2``, :meth:`Plan.check_partition` and
:meth:`RecordValidator.validate_json` (issue #13, item 4)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES, fixture_guideline
from delivery.test_fast_path import GUIDELINES, null_member
from guidekit.cli import main
from guidekit.delivery import Plan, _parallel
from guidekit.delivery.read import parse_line
from guidekit.delivery.validator import RecordValidator

IMAGES = FIXTURES / "images"
# a record the fast path vouches for, with a struct (image, boxes, attributes) and a free
# dict (the keypoints' points) to repeat keys in
CLEAN = (
    '{"image_id": "I-dup", "image": {"path": "a.png", "width": 640, "height": 480}, '
    '"objects": [{"label": "person", "bbox": [10, 10, 20, 40]}, '
    '{"label": "car", "bbox": [100, 100, 50, 30], "attributes": {"colour": "red"}}], '
    '"pose": [{"label": "pedestrian", "points": {"head": [10, 10, 2], '
    '"left_hand": [5, 20, 2], "right_hand": [15, 20, 1]}}]}'
)
REPEATS = {
    # the same key and value twice at the top level: the record reads the same either way
    "top": ('"image_id": "I-dup", ', '"image_id": "I-dup", "image_id": "I-dup", '),
    "top-other-value": ('{"image_id": "I-dup", ', '{"image_id": "I-x", "image_id": "I-dup", '),
    "image-struct": ('"width": 640, ', '"width": 640, "width": 640, '),
    "box-struct": (
        '"bbox": [10, 10, 20, 40]',
        '"bbox": [10, 10, 20, 40], "bbox": [12, 12, 20, 40]',
    ),
    "attributes": ('{"colour": "red"}', '{"colour": "red", "colour": "red"}'),
    "free-dict": ('"head": [10, 10, 2], ', '"head": [10, 10, 2], "head": [10, 10, 2], '),
    "whitespace": ('"image_id": "I-dup", ', '"image_id" : "I-dup", "image_id"\t:"I-dup", '),
    "escaped": ('"image_id": "I-dup", ', '"image_id": "I-dup", "image\\u005fid": "I-dup", '),
}


@pytest.fixture(params=["1", "2"], ids=["j1", "j2"])
def jobs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(_parallel, "MIN_BYTES_PER_JOB", 100)
    return str(request.param)


def _repeat(where: str) -> str:
    old, new = REPEATS[where]
    assert CLEAN.count(old) == 1
    return CLEAN.replace(old, new)


def _delivery(tmp_path: Path, line: str) -> Path:
    """``line`` as line 21, after 20 clean records (so both workers of ``-j 2`` have some)."""
    clean = [CLEAN.replace('"I-dup"', f'"C-{i}"') for i in range(20)]
    path = tmp_path / "d.jsonl"
    path.write_text("".join(f"{x}\n" for x in (*clean, line)))
    return path


def _validate(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, Any]:
    code = main(["validate", str(IMAGES), str(path), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, json.loads(out[: out.rindex("}") + 1])


def test_the_clean_record_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    assert RecordValidator(fixture_guideline("images")).fast.clean_bytes(CLEAN.encode())
    code, report = _validate(capsys, _delivery(tmp_path, CLEAN.replace("I-dup", "I-1")), "-j", jobs)
    assert code == 0, report["groups"]


@pytest.mark.parametrize("where", sorted(REPEATS))
def test_a_repeated_key_is_gk550_on_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str, where: str
) -> None:
    code, report = _validate(capsys, _delivery(tmp_path, _repeat(where)), "-j", jobs)
    assert code == 1
    groups = {g["code"]: g for g in report["groups"]}
    assert set(groups) == {"GK550"}, groups
    assert groups["GK550"]["count"] == 1
    assert '"line": 21' in json.dumps(groups["GK550"])


@pytest.mark.parametrize("where", sorted(REPEATS))
def test_every_way_in_agrees(where: str) -> None:
    line = _repeat(where).encode()
    validator = RecordValidator(fixture_guideline("images"))
    assert not validator.fast.clean_bytes(line)
    assert [d.code for d in validator.validate_json(line)] == ["GK550"]
    partial = Plan(fixture_guideline("images")).check_partition([CLEAN.encode(), line])
    assert partial.lines == 2 and partial.rejected == 1
    assert [g.code for g in partial.groups] == ["GK550"]


# -- random records with injected repeats ----------------------------------------------------

_WS = ["", " ", "\t", "\r\n ", "  "]


def _write(node: Any, rnd: random.Random, repeat: list[int], at: int) -> str:
    """JSON text of ``node`` with random whitespace and escapes; the ``at``-th object
    (counted in ``repeat[0]``, in document order, empty ones left out) gets one of its keys a second time."""
    ws = rnd.choice
    if isinstance(node, dict):
        me = repeat[0]
        repeat[0] += bool(node)
        items = [(k, _write(v, rnd, repeat, at)) for k, v in node.items()]
        if me == at and items:  # (empty objects are not counted)
            k, v = rnd.choice(items)
            other = _write(node[k], rnd, [10**9], -1)  # the same value, written anew
            items.insert(rnd.randrange(len(items) + 1), (k, rnd.choice([v, other])))
        parts = [f"{ws(_WS)}{_key(k, rnd)}{ws(_WS)}:{ws(_WS)}{v}{ws(_WS)}" for k, v in items]
        return "{" + ",".join(parts) + ws(_WS) + "}"
    if isinstance(node, list):
        return "[" + ",".join(f"{ws(_WS)}{_write(x, rnd, repeat, at)}" for x in node) + "]"
    if isinstance(node, str):
        return _key(node, rnd)
    return json.dumps(node)


def _key(text: str, rnd: random.Random) -> str:
    """A JSON string, some characters written as escapes (``\\u0022`` among them)."""
    out = []
    for ch in text:
        r = rnd.random()
        if r < 0.1 and ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(json.dumps(ch, ensure_ascii=r < 0.5)[1:-1])
    return '"' + "".join(out) + '"'


def _objects(node: Any) -> int:
    if isinstance(node, dict):
        return bool(node) + sum(_objects(v) for v in node.values())
    if isinstance(node, list):
        return sum(_objects(v) for v in node)
    return 0


_VALIDATORS: dict[str, RecordValidator] = {}


@pytest.mark.parametrize("name", GUIDELINES)
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking random.Random is slow
)
@given(rnd=st.randoms(use_true_random=False), repeat=st.booleans(), quote=st.booleans())
def test_fast_path_and_full_checker_agree_on_repeated_keys(
    name: str, rnd: random.Random, repeat: bool, quote: bool
) -> None:
    if name not in _VALIDATORS:
        _VALIDATORS[name] = RecordValidator(fixture_guideline(name))
    v = _VALIDATORS[name]
    rec = RecordFactory(v.guideline).valid(rnd)
    if quote:  # a string holding quotes and backslashes, escaped every way
        text = [k for k, x in rec.items() if isinstance(x, str) and k != "guideline_version"]
        if text:
            rec[rnd.choice(text)] = 'a"b\\"c\\\\'
    at = rnd.randrange(_objects(rec)) if repeat else -1
    line = _write(rec, rnd, [0], at).encode()
    assert json.loads(line) == rec
    parsed = parse_line(line, "d.jsonl", 1)
    fast = v.fast.clean_bytes(line)
    if repeat:
        assert parsed.error is not None and parsed.error.code == "GK550"
        assert not fast, "the fast path vouched for a line with a repeated key"
    else:
        assert parsed.error is None
        # exact: a line written any way is vouched for exactly when its record is (an
        # explicit null, dropped as absence by the decode, sends it to the full checker)
        assert fast == (v.fast.clean(rec) and not null_member(rec))
    codes = [d.code for d in v.validate_json(line)]
    if repeat:
        assert "GK550" in codes
    else:
        assert codes == [d.code for d in v.validate(rec)]
