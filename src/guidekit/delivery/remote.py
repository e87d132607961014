"""Deliveries in object storage: ``s3://``, ``gs://``, ``az://``, ``https://`` or any URL
`fsspec <https://filesystem-spec.readthedocs.io>`_ knows, read as a stream.

A URL may hold a glob (``s3://bucket/batch-42/*.jsonl.gz``): it stands for every matching
object, in name order. Objects are read block by block (never whole into memory), gzip is
decompressed on the fly, and credentials are each store's usual ones (environment
variables, profiles, instance roles) since fsspec hands them to the store's own client.

fsspec and the store's package are the optional extra ``cloud``
(``pip install 'guidekit[cloud]'``); without them :class:`MissingExtra` says which
command installs what is missing.
"""

from __future__ import annotations

import io
import re
from typing import IO, Any

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")
_GLOB = re.compile(r"[*?\[]")
#: bytes fetched per request while streaming an object
BLOCK_SIZE = 8 << 20
#: the package fsspec needs for a scheme, when it is not fsspec itself
PACKAGES = {
    "s3": "s3fs",
    "s3a": "s3fs",
    "gs": "gcsfs",
    "gcs": "gcsfs",
    "az": "adlfs",
    "abfs": "adlfs",
    "abfss": "adlfs",
    "http": "aiohttp",
    "https": "aiohttp",
}


class MissingExtra(Exception):
    """The packages to read a URL are not installed (a usage problem: exit 2)."""


def is_url(item: object) -> bool:
    """Whether ``item`` is a URL rather than a local path (``file://`` included)."""
    return isinstance(item, str) and _URL.match(item) is not None


def scheme(url: str) -> str:
    m = _URL.match(url)
    return m.group(1).lower() if m else "file"


def _install(url: str) -> str:
    package = PACKAGES.get(scheme(url))
    extra = "pip install 'guidekit[cloud]'"
    return extra if package in (None, "s3fs") else f"{extra} {package}"


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of ``url`` and the path in it."""
    try:
        import fsspec
    except ImportError:
        raise MissingExtra(f"reading {scheme(url)}:// URLs needs fsspec: {_install(url)}") from None
    try:
        return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
    except ImportError as exc:
        raise MissingExtra(
            f"reading {scheme(url)}:// URLs needs {PACKAGES.get(scheme(url), 'a package')} "
            f"({exc}): {_install(url)}"
        ) from None
    except ValueError as exc:  # an unknown protocol
        raise MissingExtra(f"cannot read '{url}': {exc}") from None


def check(url: str) -> None:
    """Raise :class:`MissingExtra` when ``url`` cannot be read for want of a package."""
    filesystem(url)


def expand(url: str) -> list[str]:
    """The objects ``url`` names: itself, or every match of its glob, as full URLs."""
    fs, path = filesystem(url)
    try:
        fs.invalidate_cache()  # listings are cached per process: a store changes
        if _GLOB.search(path):
            found = sorted(p for p in fs.glob(path) if not fs.isdir(p))
            if not found:
                raise _missing(url, "matches no object")
            return [fs.unstrip_protocol(p) for p in found]
        if not fs.exists(path):
            raise _missing(url, "does not exist")
        if fs.isdir(path):
            raise GuidekitError(
                diag(
                    "GK507",
                    f"'{url}' is a folder (a prefix), not a delivery file",
                    Location(url),
                    hint=f"name the files, e.g. {url.rstrip('/')}/*.jsonl.gz",
                )
            )
    except (FileNotFoundError, PermissionError, OSError) as exc:
        raise _missing(url, f"cannot be read ({_reason(exc)})") from None
    return [url]


def _missing(url: str, why: str) -> GuidekitError:
    return GuidekitError(
        diag(
            "GK001",
            f"'{url}' {why}",
            Location(url),
            hint="check the bucket, the key and the credentials of the store",
        )
    )


def _reason(exc: BaseException) -> str:
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return text or type(exc).__name__


class _Stream(io.RawIOBase):
    """An object being read: any failure of the store's client (a dropped connection, an
    object deleted meanwhile, an expired credential) becomes an :class:`OSError`, which the
    validator reports at the line where reading stopped."""

    def __init__(self, url: str, f: Any) -> None:
        self.url, self.f = url, f

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return int(self.f.seek(offset, whence))

    def tell(self) -> int:
        return int(self.f.tell())

    def readinto(self, buffer: Any) -> int:
        try:
            data = self.f.read(len(buffer))
        except OSError:
            raise
        except Exception as exc:  # the store's client: botocore, aiohttp, ...
            raise OSError(f"reading the object failed: {_reason(exc)}") from exc
        n = len(data)
        buffer[:n] = data
        return n

    def close(self) -> None:
        try:
            self.f.close()
        finally:
            super().close()


def open_url(url: str) -> IO[bytes]:
    """``url`` opened for streaming reads (blocks of :data:`BLOCK_SIZE`)."""
    fs, path = filesystem(url)
    try:
        f = fs.open(path, "rb", block_size=BLOCK_SIZE)
    except FileNotFoundError:
        raise _missing(url, "does not exist") from None
    return io.BufferedReader(_Stream(url, f), 1 << 20)


def size(url: str) -> int | None:
    fs, path = filesystem(url)
    try:
        return int(fs.size(path))
    except Exception:
        return None
