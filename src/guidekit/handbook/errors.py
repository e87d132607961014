"""User errors of the handbook generator, as diagnostics."""

from __future__ import annotations

from pathlib import Path

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError


def site_build_failed(messages: list[str], config: Path) -> GuidekitError:
    text = "; ".join(messages) if messages else "mkdocs stopped without a message"
    return GuidekitError(
        diag(
            "GK012",
            f"mkdocs could not build the handbook: {text}",
            Location(str(config)),
            hint="check that mkdocs-material is installed; a broken link is a guidekit bug",
        )
    )
