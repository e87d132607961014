"""Mutated delivery files: lines of the bundled fixtures and of records made for the bundled
guidelines, broken byte by byte and spread over several files."""

from __future__ import annotations

import gzip
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "delivery"


@dataclass(frozen=True)
class Source:
    guide: Path
    lines: tuple[bytes, ...]  # each without its line end


def _factory_lines(name: str, count: int) -> tuple[bytes, ...]:
    from delivery._gen import RecordFactory
    from delivery.conftest import fixture_guideline

    g = fixture_guideline(f"guidelines/{name}")
    factory = RecordFactory(g)
    rnd = random.Random(name)
    out = []
    for i in range(count):
        rec = factory.valid(rnd)
        if i % 3 == 2:
            rec = factory.mutate(rec, rnd)
        out.append(json.dumps(rec, ensure_ascii=i % 2 == 0).encode())
    return tuple(out)


_SOURCES: dict[str, Source] = {}


def source(name: str) -> Source:
    if name not in _SOURCES:
        if name == "tickets":
            lines = tuple((FIXTURES / "tickets-batch.jsonl").read_bytes().splitlines())
            _SOURCES[name] = Source(FIXTURES / "tickets", lines)
        else:
            _SOURCES[name] = Source(ROOT / "guidelines" / name, _factory_lines(name, 12))
    return _SOURCES[name]


SOURCES = ("tickets", "retail-products", "clinical-notes", "manufacturing-defects")


def _deep(n: int) -> bytes:
    return b"[" * n + b"]" * n


def mutate_line(line: bytes, rnd: random.Random) -> bytes:
    """One line broken in one of many ways (the line end is added by the caller)."""
    kind = rnd.randrange(16)
    at = rnd.randrange(len(line) + 1)
    if kind == 0:  # truncated
        return line[:at]
    if kind == 1:  # bad UTF-8
        return line[:at] + rnd.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xc0\xaf"]) + line[at:]
    if kind == 2:  # a BOM
        return rnd.choice([b"\xef\xbb\xbf" + line, line[:at] + b"\xef\xbb\xbf" + line[at:]])
    if kind == 3:  # NUL
        return line[:at] + rnd.choice([b"\x00", b"\\u0000"]) + line[at:]
    if kind == 4:  # a huge or odd number for a number
        nums = list(re.finditer(rb"(?<=[:\[, ])-?\d+(?:\.\d+)?(?=[,\]} ])", line))
        big = rnd.choice(
            [
                b"1e400",
                b"-1e400",
                b"1" * 400,
                b"18446744073709551616",
                b"-0",
                b"1E-400",
                b"9223372036854775808",
                b"NaN",
                b"Infinity",
                b"0x10",
                b"01",
                b"1.",
            ]
        )
        if nums:
            m = rnd.choice(nums)
            return line[: m.start()] + big + line[m.end() :]
        return line[:-1] + b', "n": ' + big + b"}"
    if kind == 5:  # a deep array
        depth = rnd.choice([64, 513, 1000, 5000])
        return line[:1] + b'"deep": ' + _deep(depth) + b", " + line[1:]
    if kind == 6:  # a duplicate key
        m = re.match(rb'\{\s*("[^"]*")\s*:\s*("[^"]*"|[^,}]*)', line)
        if m:
            return b"{" + m.group(1) + b': "dup-' + str(at).encode() + b'", ' + line[1:]
        return line + line
    if kind == 7:  # not an object
        return rnd.choice([b"[]", b"null", b'"x"', b"1", b"{", b"}", b"", b"  ", b"\t", b"{}"])
    if kind == 8:  # a trailing or embedded carriage return
        return rnd.choice([line + b"\r", line[:at] + b"\r" + line[at:]])
    if kind == 9:  # a long string value
        return line[:1] + b'"pad": "' + b"x" * rnd.choice([10_000, 300_000]) + b'", ' + line[1:]
    if kind == 10:  # two records on one line
        return line + line
    if kind == 11:  # a type swapped
        return re.sub(
            rb'": "[^"]*"', b'": ' + rnd.choice([b"null", b"{}", b"[]", b"7"]), line, count=1
        )
    if kind == 12:  # escapes
        return line[:at] + rnd.choice([b"\\ud800", b"\\", b'\\"', b"\\x"]) + line[at:]
    if kind == 13:  # controls and separators
        return (
            line[:at]
            + rnd.choice([b"\x1b", b"\x0b", b"\x0c", "\u2028".encode(), b"\x85"])
            + line[at:]
        )
    if kind == 14:  # an id beyond 64 bits
        return re.sub(rb'("[\w]*id"): "?[^",]*"?', rb"\1: 18446744073709551617", line, count=1)
    return line


@dataclass(frozen=True)
class Delivery:
    files: tuple[Path, ...]
    lines: tuple[bytes, ...]  # every input line as it must come out, each ending in b"\n"


def build(tmp: Path, name: str, seed: int, files: int, mutations: int) -> Delivery:
    """Lines of ``name``'s source, some repeated (duplicate ids) and ``mutations`` of them
    broken, cut into ``files`` JSON Lines files, some with no final newline or with CRLF."""
    rnd = random.Random(f"{name}:{seed}")
    src = source(name).lines
    lines = [rnd.choice(src) for _ in range(rnd.randint(1, 2 * len(src)))]
    for _ in range(mutations):
        i = rnd.randrange(len(lines))
        lines[i] = mutate_line(lines[i], rnd)
    crlf = rnd.random() < 0.2
    ends = [b"\r\n" if crlf or rnd.random() < 0.05 else b"\n" for _ in lines]
    cuts = sorted(rnd.sample(range(1, len(lines)), min(files - 1, len(lines) - 1)))
    paths, expected = [], []
    for n, (a, b) in enumerate(zip([0, *cuts], [*cuts, len(lines)], strict=True)):
        data = b"".join(line + end for line, end in zip(lines[a:b], ends[a:b], strict=True))
        if rnd.random() < 0.4:
            data = data.removesuffix(b"\n")  # no final newline (a "\r" stays in the line)
        path = tmp / f"part-{n}.jsonl"
        path.write_bytes(data)
        paths.append(path)
        expected.extend(piece_lines(data))
    return Delivery(tuple(paths), tuple(expected))


def piece_lines(data: bytes) -> list[bytes]:
    """The lines of a file, each with exactly one ``\\n`` (a final line without one gets one)."""
    if not data:
        return []
    parts = data.split(b"\n")
    if parts[-1] == b"":
        parts.pop()
    return [p + b"\n" for p in parts]


def gzip_variant(path: Path, rnd: random.Random) -> tuple[Path, list[bytes]]:
    """The file gzip-compressed, then maybe corrupted, truncated or followed by another
    member; with the lines a second member adds (a valid gzip file of two members reads as
    the two texts one after the other)."""
    data = path.read_bytes()
    blob = bytearray(gzip.compress(data, mtime=0))
    extra: list[bytes] = []
    kind = rnd.randrange(4)
    if kind == 1 and len(blob) > 20:
        i = rnd.randrange(10, len(blob))
        blob[i] ^= 0xFF
    elif kind == 2:
        del blob[rnd.randrange(1, len(blob)) :]
    elif kind == 3:
        tail = rnd.choice([b"\x00" * 8, b"garbage", gzip.compress(b'{"x": 1}\n', mtime=0)])
        blob += tail
        if tail.startswith(b"\x1f\x8b"):
            before = piece_lines(data)
            extra = piece_lines(data + b'{"x": 1}\n')
            for line in before:  # what the second member adds, or the last line it joins
                if line in extra:
                    extra.remove(line)
    out = path.with_suffix(".jsonl.gz")
    out.write_bytes(bytes(blob))
    path.unlink()
    return out, extra
