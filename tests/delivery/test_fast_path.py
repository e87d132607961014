"""The fast path never vouches for a record the full checker finds anything wrong with, and
a whole delivery validates to the same report with the fast path on or off."""

from __future__ import annotations

import json
import random
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delivery._gen import RecordFactory
from delivery.conftest import FIXTURES as FIXTURE_DIR
from delivery.conftest import fixture_guideline
from guidekit.delivery import RecordValidator, validate
from guidekit.delivery.check import RecordChecker
from guidekit.record.layout import TIMESTAMP

GUIDELINES = (
    "tickets",
    "images",
    "guidelines/support-tickets",
    "guidelines/retail-products",
    "guidelines/manufacturing-defects",
    "guidelines/clinical-notes",
)


@pytest.mark.parametrize("name", GUIDELINES)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False), broken=st.booleans())
def test_fast_path_is_sound(name: str, rnd: random.Random, broken: bool) -> None:
    g = fixture_guideline(name)
    fac = RecordFactory(g)
    v = RecordValidator(g)
    rec = fac.valid(rnd)
    if broken:
        rec = fac.mutate(rec, rnd)
    full, _ = RecordChecker(g).check(rec)
    raw = json.dumps(rec, ensure_ascii=False).encode()
    if null_member(rec):
        # the line's decode drops an explicit null (as absence), so the line is checked
        # for repeated keys by the full checker (see KEYS_KEPT in delivery/_fast.py)
        assert not v.fast.clean_bytes(raw) or v.fast.clean(rec)
    else:
        assert v.fast.clean(rec) == v.fast.clean_bytes(raw)
    if v.fast.clean(rec):
        assert full == [], f"fast path accepted a record with {[d.code for d in full]}"
    # the combined validator reports exactly what the full checker reports
    assert v.validate(rec) == full


def null_member(node: object) -> bool:
    """Whether an object of ``node`` has a member whose value is null."""
    if isinstance(node, dict):
        return any(v is None or null_member(v) for v in node.values())
    return isinstance(node, list) and any(null_member(v) for v in node)


@pytest.mark.parametrize("name", GUIDELINES)
def test_fast_path_takes_most_clean_records(name: str) -> None:
    """Not a correctness property but the point of the fast path: clean records written
    in the usual way (date-time stamps, bare labels where no attribute exists) are decided
    without the full checker."""
    g = fixture_guideline(name)
    fac, v, chk = RecordFactory(g), RecordValidator(g), RecordChecker(g)
    rnd = random.Random(7)
    usual = taken = 0
    for _ in range(600):
        rec = fac.valid(rnd)
        created = rec.get("created_at")
        if chk.check(rec)[0] or (created is not None and "T" not in created):
            continue
        usual += 1
        taken += v.fast.clean(rec)
    assert usual > 150
    assert taken / usual > 0.8


def _delivery(tmp_path: Path, name: str, n: int, seed: int) -> Path:
    g = fixture_guideline(name)
    fac = RecordFactory(g)
    rnd = random.Random(seed)
    path = tmp_path / f"{name.replace('/', '-')}.jsonl"
    records = []
    for i in range(n):
        rec = fac.valid(rnd)
        if i % 4 == 1:
            rec = fac.mutate(rec, rnd)
        records.append(rec)
    records.append(dict(records[3]))  # a duplicate id
    with path.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def _comparable(report_dict: dict) -> dict:
    out = dict(report_dict)
    out.pop("split")
    return out


@pytest.mark.parametrize("name", GUIDELINES)
def test_reports_agree_with_fast_path_on_and_off(tmp_path: Path, name: str) -> None:
    g = fixture_guideline(name)
    path = _delivery(tmp_path, name, 400, seed=3)
    fast = validate(g, path, examples=1000)
    slow = validate(g, path, examples=1000, fast=False)
    assert fast.records == 401
    assert fast.with_errors > 0 and fast.with_errors < fast.records
    assert _comparable(fast.to_dict()) == _comparable(slow.to_dict())


def test_timestamps_the_decoder_accepts_match_the_pattern() -> None:
    """The fast path parses created_at/updated_at as RFC 3339 date-times in C; everything
    it accepts must match TIMESTAMP_PATTERN, the rule of the full checker and the schema."""
    decode = msgspec.json.Decoder(
        msgspec.defstruct("T", [("t", __import__("datetime").datetime)])
    ).decode
    alphabet = "0123456789-:TtZz .+"
    rnd = random.Random(11)
    samples = [
        "2024-05-01T14:03:00Z",
        "2024-05-01 14:03:00",
        "2024-05-01t14:03:00z",
        "2024-05-01T14:03:00.5+02:00",
        "2024-05-01T14:03:00+0200",
    ]
    for _ in range(20000):
        base = list(rnd.choice(samples))
        for _ in range(rnd.randint(1, 3)):
            k = rnd.randrange(len(base) + 1)
            op = rnd.randrange(3)
            if op == 0 and k < len(base):
                base[k] = rnd.choice(alphabet)
            elif op == 1:
                base.insert(k, rnd.choice(alphabet))
            elif k < len(base):
                del base[k]
        text = "".join(base)
        try:
            decode(json.dumps({"t": text}).encode())
        except msgspec.ValidationError:
            continue
        assert TIMESTAMP.search(text), text


def _as_url(rec: dict, rnd: random.Random) -> dict:  # type: ignore[type-arg]
    """The record with its images given by ``url`` (or both keys, or neither)."""
    out = json.loads(json.dumps(rec))
    for value in out.values():
        if isinstance(value, dict) and "path" in value:
            how = rnd.choice(["url", "url", "both", "null-path", "neither"])
            path = value.pop("path")
            if how in ("url", "both", "null-path"):
                value["url"] = f"https://cdn.example.org/{path}"
            if how == "both":
                value["path"] = path
            if how == "null-path":
                value["path"] = None
    return out


@pytest.mark.parametrize("name", ["images", "guidelines/retail-products"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False), broken=st.booleans())
def test_fast_path_is_sound_with_image_urls(name: str, rnd: random.Random, broken: bool) -> None:
    g = fixture_guideline(name)
    fac, v = RecordFactory(g), RecordValidator(g)
    rec = fac.valid(rnd)
    if broken:
        rec = fac.mutate(rec, rnd)
    rec = _as_url(rec, rnd)
    full, _ = RecordChecker(g).check(rec)
    raw = json.dumps(rec, ensure_ascii=False).encode()
    if null_member(rec):
        # the line's decode drops an explicit null (as absence), so the line is checked
        # for repeated keys by the full checker (see KEYS_KEPT in delivery/_fast.py)
        assert not v.fast.clean_bytes(raw) or v.fast.clean(rec)
    else:
        assert v.fast.clean(rec) == v.fast.clean_bytes(raw)
    if v.fast.clean(rec):
        assert full == [], f"fast path accepted a record with {[d.code for d in full]}"
    assert v.validate(rec) == full


def test_images_given_by_url_take_the_fast_path(tmp_path: Path) -> None:
    """`url` is equivalent to `path` (spec/delivery.md): the same delivery with urls is
    vouched for by the fast path, and `guidekit validate` reports the same."""
    from guidekit.cli import main
    from guidekit.delivery.stream import Engine, Options

    g = fixture_guideline("images")
    fac, v, chk = RecordFactory(g), RecordValidator(g), RecordChecker(g)
    rnd = random.Random(11)
    clean = [r for r in (fac.valid(rnd) for _ in range(300)) if not chk.check(r)[0]]
    with_path = [r for r in clean if isinstance(r.get("image"), dict) and v.fast.clean(r)]
    assert len(with_path) >= 30
    with_url = []
    for rec in with_path:
        rec = json.loads(json.dumps(rec))
        rec["image"]["url"] = "https://cdn.example.org/" + rec["image"].pop("path")
        with_url.append(rec)
    assert all(v.fast.clean(r) for r in with_url)
    paths = {}
    for name, recs in (("path", with_path), ("url", with_url)):
        paths[name] = tmp_path / f"{name}.jsonl"
        paths[name].write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    engine = Engine(v, Options())
    engine.run([str(paths["url"])])
    assert engine.slow_calls == 0
    reports = {}
    for name, path in paths.items():
        out = tmp_path / f"{name}.json"
        code = main(
            ["validate", str(FIXTURE_DIR / "images"), str(path), "-o", str(out), "--format", "json"]
        )
        reports[name] = (code, json.loads(out.read_text(encoding="utf-8")))
        reports[name][1]["files"][0]["file"] = "-"
    assert reports["url"] == reports["path"]
