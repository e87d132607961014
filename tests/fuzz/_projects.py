"""Mutations of the bundled guideline projects, each one named and seeded so a failure can be
replayed: ``mutate(root, kind, seed)`` edits the copy of a project under ``root``."""

from __future__ import annotations

import contextlib
import os
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

GUIDELINES = Path(__file__).resolve().parents[2] / "guidelines"
PROJECTS = ("support-tickets", "retail-products", "manufacturing-defects", "clinical-notes")
# a YAML tag that would run code if anything loaded it unsafely; the file must never appear
CANARY = "FUZZ-PWNED"

Mutator = Callable[[Path, random.Random], None]


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if p.is_file() and not p.is_symlink())


def _pick_file(root: Path, rnd: random.Random) -> Path:
    files = yaml_files(root)
    main = root / "guideline.yaml"
    return main if rnd.random() < 0.5 or not files else rnd.choice(files)


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _key_lines(path: Path) -> list[int]:
    return [i for i, line in enumerate(_lines(path)) if re.match(rb"^\s*[A-Za-z_][\w-]*:", line)]


def _replace_value(path: Path, rnd: random.Random, value: bytes) -> None:
    """Give a random ``key:`` line ``value`` (block children stay and become odd)."""
    lines = _lines(path)
    keys = _key_lines(path)
    if not keys:
        return
    i = rnd.choice(keys)
    head = lines[i].split(b":", 1)[0]
    lines[i] = head + b": " + value + b"\n"
    path.write_bytes(b"".join(lines))


def _include(root: Path, rnd: random.Random, target: bytes) -> None:
    """Point an include at ``target``, or add one when the file has none."""
    path = root / "guideline.yaml"
    text = path.read_bytes()
    quoted = b'"' + target.replace(b"\\", b"\\\\").replace(b"\x00", b"\\0") + b'"'
    found = list(re.finditer(rb"\{include: [^}]*\}", text))
    if found:
        m = rnd.choice(found)
        text = text[: m.start()] + b"{include: " + quoted + b"}" + text[m.end() :]
    else:
        text = re.sub(
            rb"(\n  [\w-]+:\n)",
            rb"\1    classes: {include: " + quoted.replace(b"\\", b"\\\\") + b"}\n",
            text,
            count=1,
        )
    path.write_bytes(text)


# -- tree mutations (load, change, dump: comments and anchors are lost, on purpose) -------


#: At most this many nodes are listed: a billion-laughs document (``yaml_alias``) is a few
#: lines of YAML but 9**9 nodes when walked, which ran the test process out of memory in CI.
NODE_CAP = 20_000


def _nodes(doc: Any) -> list[tuple[Any, Any]]:
    """(parent, key) of every node, each shared (aliased) container walked once, at most
    ``NODE_CAP`` of them."""
    out: list[tuple[Any, Any]] = []
    seen: set[int] = set()
    stack: list[Any] = [doc]
    while stack and len(out) < NODE_CAP:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            out.append((node, k))
            if isinstance(v, (dict, list)):
                stack.append(v)
    return out


_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    2**70,
    1e308,
    float("nan"),
    "",
    "x" * 300,
    [],
    {},
    [[]],
    {"": None},
    "\u202e\u0000\ufeff",
    "null",
    "1.0.0.0",
    -(10**40),
    [1, "a", None],
    {"include": "."},
)


def tree_retype(root: Path, rnd: random.Random) -> None:
    path = _pick_file(root, rnd)
    try:
        doc = yaml.safe_load(path.read_text("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return
    if not isinstance(doc, (dict, list)):
        return
    nodes = _nodes(doc)
    for _ in range(rnd.randint(1, 3)):
        if not nodes:
            break
        parent, key = rnd.choice(nodes)
        op = rnd.randrange(4)
        if op == 0 and isinstance(parent, dict):
            parent.pop(key, None)
        elif op == 1 and isinstance(parent, dict):
            parent[rnd.choice(["zzz_unknown", "id", "type", "classes", "over", "Type", "é"])] = (
                rnd.choice(_VALUES)
            )
        else:
            with contextlib.suppress(IndexError, KeyError):
                parent[key] = rnd.choice(_VALUES)
        nodes = _nodes(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**6), "utf-8")


def tree_swap(root: Path, rnd: random.Random) -> None:
    """Move a subtree to another place of the same document (well-formed, wrong shape)."""
    path = root / "guideline.yaml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    nodes = _nodes(doc)
    (p1, k1), (p2, k2) = rnd.choice(nodes), rnd.choice(nodes)
    try:
        p1[k1], p2[k2] = p2[k2], p1[k1]
    except (KeyError, IndexError):
        return
    try:
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10**6)
    except (yaml.YAMLError, RecursionError):
        return
    path.write_text(text, "utf-8")


# -- includes ---------------------------------------------------------------------------------


def include_dot(root: Path, rnd: random.Random) -> None:
    _include(root, rnd, rnd.choice([b".", b"./", b"", b"..", b"taxonomy", b"taxonomy/"]))


def include_nul(root: Path, rnd: random.Random) -> None:
    _include(root, rnd, b"taxonomy/a\x00b.yaml")


def include_long(root: Path, rnd: random.Random) -> None:
    n = rnd.choice([255, 256, 300, 5000])
    _include(root, rnd, b"taxonomy/" + b"a" * n + b".yaml")


def include_outside(root: Path, rnd: random.Random) -> None:
    _include(
        root,
        rnd,
        rnd.choice([b"/etc/hostname", b"../../../../etc/passwd", b"~/x.yaml", b"C:\\x.yaml"]),
    )


def include_device(root: Path, rnd: random.Random) -> None:
    _include(root, rnd, rnd.choice([b"/dev/null", b"/dev/zero", b"/dev/urandom", b"/dev/stdin"]))


def include_fifo(root: Path, rnd: random.Random) -> None:
    name = f"pipe{rnd.randrange(10**6)}.yaml"
    os.mkfifo(root / "taxonomy" / name)
    _include(root, rnd, b"taxonomy/" + name.encode())


def include_symlink_out(root: Path, rnd: random.Random) -> None:
    outside = root.parent / "outside.yaml"
    outside.write_text("- id: secret\n  name: Secret\n  definition: from outside\n")
    link = root / "taxonomy" / f"link{rnd.randrange(10**6)}.yaml"
    link.symlink_to(rnd.choice([outside, Path("/etc/hostname"), Path("/dev/zero"), link]))
    _include(root, rnd, b"taxonomy/" + link.name.encode())


def include_cycle(root: Path, rnd: random.Random) -> None:
    (root / "taxonomy" / "loop.yaml").write_text("- {include: loop.yaml}\n")
    _include(root, rnd, rnd.choice([b"taxonomy/loop.yaml", b"guideline.yaml"]))


def include_diamond(root: Path, rnd: random.Random) -> None:
    """Each file includes the next twice: 2**depth loads of the last, small, file."""
    depth = rnd.randint(2, 8)
    tax = root / "taxonomy"
    (tax / f"d{depth}.yaml").write_text(
        "- id: leaf\n  name: Leaf\n  definition: " + "w " * 500 + "\n"
    )
    for i in range(depth):
        (tax / f"d{i}.yaml").write_text(
            f"- {{include: d{i + 1}.yaml}}\n- {{include: d{i + 1}.yaml}}\n"
        )
    _include(root, rnd, b"taxonomy/d0.yaml")


# -- YAML features ----------------------------------------------------------------------------


def yaml_tag(root: Path, rnd: random.Random) -> None:
    tags = [
        b"!!python/object/apply:os.system ['touch " + CANARY.encode() + b"']",
        b"!!python/name:os.system",
        b"!!python/object/new:subprocess.Popen [['touch', '" + CANARY.encode() + b"']]",
        b"!!binary aGVsbG8=",
        b"!!set {a, b}",
        b"!!omap [a: 1]",
        b"!custom x",
        b"!<tag:yaml.org,2002:int> 12",
        b"!!timestamp 2020-01-01",
        b"!!float .nan",
    ]
    _replace_value(_pick_file(root, rnd), rnd, rnd.choice(tags))


def yaml_alias(root: Path, rnd: random.Random) -> None:
    path = root / "guideline.yaml"
    kind = rnd.randrange(4)
    if kind == 0:  # a small billion-laughs
        bomb = b"x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in range(1, rnd.randint(3, 9)):
            prev, cur = chr(96 + i).encode(), chr(97 + i).encode()
            bomb += b"x-" + cur + b": &" + cur + b" [" + b", ".join([b"*" + prev] * 9) + b"]\n"
        path.write_bytes(path.read_bytes() + bomb)
    elif kind == 1:  # a merge key into a task
        text = path.read_bytes().replace(
            b"\ntasks:\n", b"\nx-base: &base {title: T, zzz: 1}\ntasks:\n", 1
        )
        text = re.sub(rb"(\ntasks:\n  [\w-]+:\n)", rb"\1    <<: *base\n", text, count=1)
        path.write_bytes(text)
    elif kind == 2:  # an undefined alias, or an alias to itself
        _replace_value(path, rnd, rnd.choice([b"*nowhere", b"&s [*s]", b"<<: 1"]))
    else:  # an anchor reused for a mapping key
        _replace_value(path, rnd, b"{? &k [a] : 1, ? *k : 2}")


# -- text and size ----------------------------------------------------------------------------


def text_bytes(root: Path, rnd: random.Random) -> None:
    path = _pick_file(root, rnd)
    data = bytearray(path.read_bytes())
    kind = rnd.randrange(7)
    at = rnd.randrange(len(data) + 1)
    if kind == 0:
        data[at:at] = b"\x00"
    elif kind == 1:
        data[at:at] = rnd.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80"])
    elif kind == 2:
        data[0:0] = rnd.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbf\xef\xbb\xbf"])
    elif kind == 3:
        del data[at:]
    elif kind == 4:
        data = bytearray(bytes(data).replace(b"\n", b"\r\n"))
    elif kind == 5:
        data = bytearray(bytes(data).replace(b"\n  ", b"\n\t", 1))
    else:
        data[at:at] = rnd.choice(
            [
                b"\r",
                b"\x1b[31m",
                "\u2028".encode(),
                b"{",
                b"]",
                b"'",
                b"---\n",
                b"...\n",
                b"%YAML 1.1\n",
            ]
        )
    path.write_bytes(bytes(data))


def dup_key(root: Path, rnd: random.Random) -> None:
    path = _pick_file(root, rnd)
    lines = _lines(path)
    keys = [i for i in _key_lines(path) if not lines[i].rstrip().endswith(b":")]
    if keys:
        i = rnd.choice(keys)
        lines.insert(i + 1, lines[i])
        path.write_bytes(b"".join(lines))


def huge_value(root: Path, rnd: random.Random) -> None:
    path = _pick_file(root, rnd)
    kind = rnd.randrange(6)
    if kind == 0:  # a long string (the e-mail lint and friends must stay linear)
        n = rnd.choice([10_000, 80_000, 300_000])
        word = rnd.choice([b"a", b"a@", b"a.", b"@a.b", b"x@y.z ", b"http://", b"`", b"*"])
        _replace_value(path, rnd, b'"' + word * (n // len(word)) + b'"')
    elif kind == 1:  # a huge or odd number
        _replace_value(
            path,
            rnd,
            rnd.choice(
                [b"1" * 5000, b"1e400", b"-1e400", b"0x" + b"f" * 400, b".inf", b"1_000", b"0o777"]
            ),
        )
    elif kind == 2:  # deep flow nesting
        d = rnd.choice([100, 1000, 10_000])
        _replace_value(path, rnd, b"[" * d + b"]" * d)
    elif kind == 3:  # deep block nesting
        d = rnd.choice([50, 200, 1000])
        value = b"\n" + b"".join(b" " * (2 + i) + b"k:\n" for i in range(d))
        _replace_value(path, rnd, value.rstrip(b"\n:") + b": 1")
    elif kind == 4:  # many keys
        n = rnd.choice([1000, 20_000])
        _replace_value(path, rnd, b"{" + b", ".join(b"k%d: %d" % (i, i) for i in range(n)) + b"}")
    else:  # a polygon point out of float range
        text = path.read_bytes()
        text = re.sub(rb"\[(\d+), (\d+)\]", rb"[1" + b"0" * 400 + rb", \2]", text, count=1)
        path.write_bytes(text)


def _image(root: Path, rnd: random.Random, bad: bytes) -> None:
    path = root / "guideline.yaml"
    text = path.read_bytes()
    path.write_bytes(re.sub(rb"path: images/[\w.-]+", b'path: "' + bad + b'"', text, count=1))


def image_path(root: Path, rnd: random.Random) -> None:
    bad = [
        b"images/a\\0b.png",
        b"/dev/zero",
        b"/dev/stdin",
        b"/etc/passwd",
        b"../x.png",
        b"images",
        b"images/draw.py",
    ]
    _image(root, rnd, rnd.choice(bad))


def image_name(root: Path, rnd: random.Random) -> None:
    _image(root, rnd, b"images/" + b"a" * rnd.choice([256, 300]) + b".png")


MUTATIONS: dict[str, Mutator] = {
    "tree_retype": tree_retype,
    "tree_swap": tree_swap,
    "include_dot": include_dot,
    "include_nul": include_nul,
    "include_long": include_long,
    "include_outside": include_outside,
    "include_device": include_device,
    "include_fifo": include_fifo,
    "include_symlink_out": include_symlink_out,
    "include_cycle": include_cycle,
    "include_diamond": include_diamond,
    "yaml_tag": yaml_tag,
    "yaml_alias": yaml_alias,
    "text_bytes": text_bytes,
    "dup_key": dup_key,
    "huge_value": huge_value,
    "image_path": image_path,
    "image_name": image_name,
}


def mutate(root: Path, kind: str, seed: int) -> None:
    """Apply one mutation; one that cannot apply to what earlier ones left does nothing."""
    with contextlib.suppress(
        yaml.YAMLError, RecursionError, UnicodeDecodeError, OSError, ValueError
    ):
        MUTATIONS[kind](root, random.Random(f"{kind}:{seed}"))
