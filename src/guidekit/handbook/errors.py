"""User errors of the handbook generator, as diagnostics."""

from __future__ import annotations

from pathlib import Path

from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Location
from guidekit.errors import GuidekitError


def site_build_failed(messages: list[str], config: Path, engine: str = "mkdocs") -> GuidekitError:
    text = "; ".join(messages) if messages else f"{engine} stopped without a message"
    return GuidekitError(
        diag(
            "GK012",
            f"{engine} could not build the handbook: {text}",
            Location(str(config)),
            hint=(
                "check that mkdocs-material is installed; a broken link is a guidekit bug"
                if engine == "mkdocs"
                else "a broken link is a guidekit bug; build with --engine mkdocs meanwhile"
            ),
        )
    )


def engine_missing(engine: str, install: str, config: Path) -> GuidekitError:
    return GuidekitError(
        diag(
            "GK012",
            f"{engine} is not installed, so it cannot build the handbook",
            Location(str(config)),
            hint=f"install it ({install}), or build with the other engine",
        )
    )
