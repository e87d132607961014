"""The ``pdf`` target of ``guidekit build``: the handbook's print view as one PDF.

The handbook is written and built as for the ``handbook`` target (in a temporary folder), and
headless Chromium prints its print view (``print.html``) to PDF: PDF bookmarks from the
headings (``--generate-pdf-document-outline``), a linked table of contents on the first
sheets, and the running heads and page numbers of the print view's ``@page`` rules. Chromium
loads nothing from the network (every host resolves to nothing) and runs with a throw-away
profile.

Chromium stamps the time of the run into the PDF (``/CreationDate``, ``/ModDate``); both
are set to :data:`PDF_DATE`, so the same guideline gives the same PDF bytes with the same
Chromium and fonts (another Chromium or other fonts give a different layout).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from guidekit import ir
from guidekit.diagnostics.model import Diagnostic
from guidekit.errors import GuidekitError
from guidekit.generators import Output

if TYPE_CHECKING:
    from guidekit.handbook.changes import HistorySource
    from guidekit.handbook.sitebuild import Engine

#: Names of a Chromium binary on ``PATH``, in the order they are tried.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: What to do when no Chromium is found.
INSTALL_HINT = (
    "the pdf target prints the handbook with headless Chromium: install it (Debian/Ubuntu: "
    "`apt-get install chromium`; macOS: `brew install --cask chromium`) or set "
    "GUIDEKIT_CHROMIUM to its path"
)

#: The date written into every PDF (the earliest a zip file can hold, as the handbook's).
PDF_DATE = b"(D:19800101000000+00'00')"

#: How long Chromium may take to print one handbook.
TIMEOUT = 300.0

_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9]{4,14}[^)]{0,10}\)")


#: Headless Chromium with nothing in the background (no update checks, sync or extensions):
#: the flags the PDF printer and the handbook's browser tests share.
HEADLESS_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
)


def find_chromium() -> str | None:
    """Path of a Chromium binary: ``$GUIDEKIT_CHROMIUM`` (when it exists) or the first of
    :data:`CANDIDATES` on ``PATH``; ``None`` when there is none."""
    env = os.environ.get("GUIDEKIT_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(binary: str, profile: Path, page: Path, pdf: Path) -> list[str]:
    """The command line that prints ``page`` to ``pdf``: headless, offline, no browser
    header or footer (the print view draws its own)."""
    args = [
        binary,
        *HEADLESS_FLAGS,
        # nothing leaves the machine: every host name resolves to nothing
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Chromium refuses to run as root with its sandbox; it only reads our own pages here
        args.insert(2, "--no-sandbox")
    return args


def print_pdf(page: Path, pdf: Path, *, chromium: str | None = None) -> None:
    """Print the HTML file ``page`` to ``pdf`` with headless Chromium, with fixed dates.

    Raises :class:`GuidekitError` (GK014) when no Chromium is found or it fails."""
    binary = chromium or find_chromium()
    if binary is None:
        raise GuidekitError(_failed("no Chromium found", INSTALL_HINT))
    with tempfile.TemporaryDirectory(prefix="guidekit-chromium-") as profile:
        raw = Path(profile) / "out.pdf"
        args = chromium_args(binary, Path(profile) / "profile", page, raw)
        try:
            proc = subprocess.run(
                args,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise GuidekitError(
                _failed(f"Chromium did not finish printing within {TIMEOUT:.0f} s")
            ) from None
        except OSError as exc:
            raise GuidekitError(_failed(f"Chromium could not be started: {exc}")) from None
        if proc.returncode != 0 or not raw.is_file() or raw.stat().st_size == 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            detail = "; ".join(tail) or f"exit code {proc.returncode}"
            raise GuidekitError(_failed(f"Chromium could not print the handbook: {detail}"))
        pdf.write_bytes(fix_dates(raw.read_bytes()))


def fix_dates(data: bytes) -> bytes:
    """``data`` (a PDF) with its creation and modification dates set to :data:`PDF_DATE`."""
    return _DATE.sub(lambda m: b"/" + m.group(1) + b" " + PDF_DATE, data)


def _failed(message: str, hint: str | None = None) -> Diagnostic:
    from guidekit.diagnostics.codes import diag

    return diag("GK014", message, hint=hint)


def pdf_name(guideline: ir.Guideline, audience: str | None) -> str:
    """``<id>-<version>[-<audience>]-handbook.pdf``, as the handbook's zip is named."""
    parts = [guideline.id, str(guideline.version), *([audience] if audience else []), "handbook"]
    return "-".join(parts) + ".pdf"


def generate(
    guideline: ir.Guideline,
    out: Path,
    *,
    audience: str | None = None,
    since: str | None = None,
    history: HistorySource = "auto",
    tags: str = "*",
    engine: Engine = "mkdocs",
    chromium: str | None = None,
    **_: Any,
) -> Output:
    """Write the handbook of ``guideline`` (already filtered for ``audience``) as one PDF in
    ``out``, printed from its print view by headless Chromium (``chromium``, default:
    :func:`find_chromium`)."""
    from guidekit.handbook import write_handbook

    binary = chromium or find_chromium()
    if binary is None:  # before any work
        raise GuidekitError(_failed("no Chromium found", INSTALL_HINT))
    out.mkdir(parents=True, exist_ok=True)
    target = out / pdf_name(guideline, audience)
    with tempfile.TemporaryDirectory(prefix="guidekit-pdf-") as tmp:
        result = write_handbook(
            guideline,
            Path(tmp) / "handbook",
            audience=audience,
            since=since,
            history=history,
            tags=tags,
            engine=engine,
        )
        assert result.site is not None  # built: site=True
        print_pdf(result.site / "print.html", target, chromium=binary)
        pages = _count_pages(target.read_bytes())
    who = f" for {audience}" if audience else ""
    return Output("pdf", out, (target,), f"{target.name}, {pages} pages{who}")


def _count_pages(data: bytes) -> int:
    """The page count of a PDF Chromium wrote (its page tree's ``/Count``)."""
    counts = [int(m) for m in re.findall(rb"/Type /Pages[^>]*?/Count (\d+)", data)]
    counts += [int(m) for m in re.findall(rb"/Count (\d+)[^>]*?/Type /Pages", data)]
    return max(counts, default=0)
