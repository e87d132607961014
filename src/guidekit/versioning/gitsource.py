"""Read a guideline from a folder or from a git revision, without a checkout.

A *side* of a diff is written as

* a folder (or its ``guideline.yaml``): read from disk;
* ``REV:path``: the guideline folder ``path`` (relative to the repository root, or to the
  current folder when it starts with ``./`` or ``../``) at revision ``REV``;
* ``REV``: the same guideline folder as the other side, at ``REV``;
* a version such as ``2.3.0``: the commit whose guideline has that version (a tag first).

A revision is read with ``git archive`` into a temporary folder that is removed once the
guideline is compiled; the working tree is never touched. Anything that cannot be read is a
GK003 error that says what and why.
"""

from __future__ import annotations

import io
import os
import re
import tarfile
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import yaml

from guidekit import ir
from guidekit.compiler.pipeline import GUIDELINE_FILE, compile_guideline
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.errors import GuidekitError
from guidekit.versioning import _git
from guidekit.versioning._git import GitFailed
from guidekit.versioning.ignore import Accept, read_ignore

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    # the pure-Python loader stands in for the C one: a different class with the same API
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_VERSION_LIKE = re.compile(r"^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$")


@dataclass(frozen=True)
class Side:
    """A guideline read from one place. ``label`` is how reports name the place;
    ``diagnostics`` are problems the compiler found that did not stop it."""

    spec: str
    label: str
    guideline: ir.Guideline
    commit: str | None = None
    repo: Path | None = None
    path: str = ""
    diagnostics: tuple[Diagnostic, ...] = field(default=(), compare=False)
    ignore: tuple[Accept, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class Location_:
    """Where a guideline folder lives in a repository."""

    repo: Path
    path: str  # POSIX, relative to the repository root ("" for the root)


def locate(folder: Path) -> Location_ | None:
    """The repository and repository-relative path of a folder (``None``: not in git)."""
    top = _git.toplevel(folder)
    if top is None:
        return None
    rel = Path(os.path.relpath(folder.resolve(), top)).as_posix()
    return Location_(top, "" if rel == "." else rel)


@dataclass(frozen=True, slots=True)
class Revision:
    """A guideline folder at a commit, not read yet."""

    repo: Path
    commit: str
    path: str
    label: str
    spec: str

    def exists(self) -> bool:
        return object_type(self.repo, self.commit, self.path) is not None


def resolve_side(
    spec: str, *, project: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Path | Revision:
    """What a side names: an existing folder, or a :class:`Revision`. ``project`` is the
    guideline folder a bare ``REV`` refers to (default: the current folder)."""
    cwd = cwd or Path.cwd()
    target = Path(spec)
    if not target.is_absolute():
        target = cwd / target
    if target.exists():
        return target
    if spec.startswith("-") or not spec.strip():
        raise _git.fail(f"'{spec}' is not a folder or a git revision", spec)
    rev, sep, path = spec.partition(":")
    base = Path(project) if project is not None else cwd
    if not base.is_absolute():
        base = cwd / base
    where = locate(base)
    if where is None:
        raise _git.fail(
            f"'{spec}' is not a folder, and '{_display(base)}' is not inside a git repository "
            "to read a revision from",
            spec,
        )
    path = _repo_path(path, cwd, where.repo, spec) if sep else where.path
    commit = resolve(where.repo, rev, path, spec)
    label = f"{rev}:{path}" if path else rev
    return Revision(where.repo, commit, path, label, spec)


def load_side(
    spec: str, *, project: str | os.PathLike[str] | None = None, cwd: Path | None = None
) -> Side:
    """Read one side of a diff (see the module docs for what ``spec`` may be)."""
    return load_ref(resolve_side(spec, project=project, cwd=cwd), spec)


def load_ref(ref: Path | Revision, spec: str) -> Side:
    """Read what :func:`resolve_side` found."""
    if isinstance(ref, Path):
        return load_folder(ref, spec)
    return load_at(ref.repo, ref.commit, ref.path, label=ref.label, spec=spec)


def resolve_pair(
    old: str, new: str, project: Path | None = None
) -> tuple[Path | Revision, Path | Revision]:
    """Resolve two sides; a bare ``REV`` on one side means the folder of the other side
    when that one is a folder, else ``project`` (default: the current folder)."""
    new_ref = resolve_side(new, project=project)
    old_ref = resolve_side(old, project=new_ref if isinstance(new_ref, Path) else project)
    if isinstance(new_ref, Revision) and isinstance(old_ref, Path) and project is None:
        new_ref = resolve_side(new, project=old_ref)
    return old_ref, new_ref


def load_folder(folder: Path, spec: str | None = None) -> Side:
    result = compile_guideline(folder)
    label = spec or str(folder)
    if result.guideline is None:
        raise GuidekitError(_prefixed(result.diagnostics, _display(folder)))
    where = locate(folder if folder.is_dir() else folder.parent)
    home = folder if folder.is_dir() else folder.parent
    return Side(
        spec=label,
        label=_display(folder),
        guideline=result.guideline,
        repo=where.repo if where else None,
        path=where.path if where else "",
        diagnostics=tuple(result.diagnostics),
        ignore=read_ignore(home, _display(home)),
    )


def resolve(repo: Path, rev: str, path: str, spec: str) -> str:
    """The commit ``rev`` names; a version number is looked up in the guideline's history."""
    if rev.startswith("-") or not rev:
        raise _git.fail(f"'{spec}' does not name a git revision", spec)
    try:
        return _git.text(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"], repo
        )
    except GitFailed:
        pass
    if _VERSION_LIKE.match(rev):
        found = find_version(repo, path, rev.lstrip("v"))
        if found is not None:
            return found
    raise _git.fail(
        f"unknown git revision '{rev}'",
        spec,
        hint="check the name; in CI, fetch the base first (`git fetch origin main`), since "
        "shallow clones lack it",
    )


def load_at(repo: Path, commit: str, path: str, *, label: str, spec: str | None = None) -> Side:
    """Compile the guideline folder ``path`` as it is at ``commit``."""
    folder, name = _guideline_object(repo, commit, path, label)
    with tempfile.TemporaryDirectory(prefix="guidekit-") as tmp:
        extract(repo, commit, folder, Path(tmp), label)
        result = compile_guideline(Path(tmp) / name)
        if result.guideline is None:
            raise GuidekitError(_prefixed(result.diagnostics, label))
        guideline = replace(result.guideline, root=None)
        diags = tuple(_prefixed(result.diagnostics, label))
        top = Path(tmp) / name
        ignore = read_ignore(top if top.is_dir() else top.parent, label)
    return Side(
        spec=spec or label,
        label=label,
        guideline=guideline,
        commit=commit,
        repo=repo,
        path=folder,
        diagnostics=diags,
        ignore=ignore,
    )


def _guideline_object(repo: Path, commit: str, path: str, label: str) -> tuple[str, str]:
    """``(folder, file name)`` of the guideline at ``commit:path`` (a folder or its file)."""
    kind = object_type(repo, commit, path)
    if kind is None:
        raise _git.fail(f"'{path or '.'}' does not exist at {label.partition(':')[0]}", label)
    if kind == "blob":
        parent = PurePosixPath(path).parent.as_posix()
        return ("" if parent == "." else parent), PurePosixPath(path).name
    if object_type(repo, commit, _join(path, GUIDELINE_FILE)) != "blob":
        raise GuidekitError(
            diag(
                "GK002",
                f"no {GUIDELINE_FILE} in '{path or '.'}' at {label.partition(':')[0]}",
                Location(label),
                hint="name the guideline folder: REV:path/to/guideline",
            )
        )
    return path, GUIDELINE_FILE


def object_type(repo: Path, commit: str, path: str) -> str | None:
    try:
        return _git.text(["cat-file", "-t", f"{commit}:{path}"], repo)
    except GitFailed:
        return None


def extract(repo: Path, commit: str, folder: str, dest: Path, label: str) -> None:
    """Write the tree of ``commit:folder`` into ``dest`` (``git archive``, no checkout)."""
    try:
        data = _git.git(["archive", "--format=tar", f"{commit}:{folder}"], repo)
    except GitFailed as exc:
        raise _git.fail(f"cannot read {label}: {exc.stderr}", label) from None
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, OSError) as exc:
        raise _git.fail(f"cannot unpack {label}: {exc}", label) from None


def _repo_path(path: str, cwd: Path, repo: Path, spec: str) -> str:
    """A ``REV:path`` path made relative to the repository root (git's own rules)."""
    if path.startswith(("./", "../")) or path in (".", ".."):
        absolute = (cwd / path).resolve()
        try:
            rel = absolute.relative_to(repo)
        except ValueError:
            raise _git.fail(f"'{path}' is outside the repository", spec) from None
        text = rel.as_posix()
        return "" if text == "." else text
    clean = PurePosixPath(path.strip("/"))
    if ".." in clean.parts:
        raise _git.fail(f"'{path}' is outside the repository", spec)
    text = clean.as_posix()
    return "" if text == "." else text


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


def _display(folder: Path) -> str:
    try:
        text = os.path.relpath(folder, Path.cwd())
    except ValueError:  # another drive on Windows
        text = str(folder)
    text = text.replace(os.sep, "/")
    return "." if text in ("", ".") else text


def _prefixed(
    diagnostics: list[Diagnostic] | tuple[Diagnostic, ...], prefix: str
) -> list[Diagnostic]:
    out = []
    for d in diagnostics:
        file = d.location.file
        if file and not os.path.isabs(file) and prefix not in (".", ""):
            d = replace(d, location=replace(d.location, file=f"{prefix}/{file}"))
        out.append(d)
    return out


# -- history -------------------------------------------------------------------------------------


def read_version(data: bytes) -> str | None:
    """The ``version`` of a ``guideline.yaml`` (``None`` when it has none or is not YAML)."""
    try:
        doc = yaml.load(data, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if isinstance(doc, dict) and doc.get("version") is not None:
        return str(doc["version"])
    return None


def versions_at(repo: Path, commits: list[str], path: str) -> dict[str, str | None]:
    """The guideline version at each commit, read in one ``git cat-file --batch`` run."""
    if not commits:
        return {}
    wanted = "".join(f"{c}:{_join(path, GUIDELINE_FILE)}\n" for c in commits).encode()
    out = _git.git(["cat-file", "--batch"], repo, stdin=wanted)
    result: dict[str, str | None] = {}
    pos = 0
    for commit in commits:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":
            result[commit] = None
            continue
        size = int(header[2])
        result[commit] = read_version(out[pos : pos + size])
        pos += size + 1
    return result


def commits_touching(repo: Path, path: str, rev: str = "HEAD") -> list[tuple[str, str]]:
    """``(commit, ISO date)`` of the commits on ``rev``'s first-parent line that changed
    ``path``, oldest first."""
    try:
        raw = _git.text(
            ["log", "--first-parent", "--reverse", "--format=%H %cs", rev, "--", path or "."],
            repo,
        )
    except GitFailed as exc:
        raise _git.fail(f"cannot read the history of '{path or '.'}': {exc.stderr}", path) from None
    # "%H %cs" lines always split in two; mypy cannot see that a str.split gives a pair
    return [tuple(line.split(" ", 1)) for line in raw.splitlines() if line]  # type: ignore[misc]


def tags(repo: Path, pattern: str = "*") -> list[tuple[str, str, str]]:
    """``(tag, commit, ISO date)`` of the tags matching ``pattern``."""
    raw = _git.text(
        [
            "for-each-ref",
            "--format=%(refname:short) %(*objectname) %(objectname) %(creatordate:short)",
            f"refs/tags/{pattern}",
        ],
        repo,
    )
    out = []
    for line in raw.splitlines():
        name, peeled, own, date = line.split(" ")
        # an annotated tag peels to its commit; a lightweight tag is the commit itself
        out.append((name, peeled or own, date))
    return out


def find_version(repo: Path, path: str, version: str) -> str | None:
    """The commit of ``version`` of the guideline at ``path``: a tag first, else the last
    commit that carries that version."""
    tagged = tags(repo)
    found = versions_at(repo, [c for _, c, _ in tagged], path)
    for _name, commit, _date in tagged:
        if found.get(commit) == version:
            return commit
    history = commits_touching(repo, path)
    found = versions_at(repo, [c for c, _ in history], path)
    hits = [c for c, _ in history if found.get(c) == version]
    return hits[-1] if hits else None
