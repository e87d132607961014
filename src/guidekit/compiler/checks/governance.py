"""Governance: sensitivity levels, the default level, audiences' clearance, retention."""

from __future__ import annotations

from guidekit.compiler.checks._context import CheckContext
from guidekit.spec import duration as iso_duration


def check_governance(ctx: CheckContext) -> None:
    gov = ctx.g.governance
    first_level: dict[str, int] = {}
    for i, lv in enumerate(gov.levels):
        if lv in first_level:
            ctx.add(
                "GK312",
                f"level '{lv}' is declared twice",
                ctx.gloc("levels", i),
                first=ctx.gloc("levels", first_level[lv]),
            )
        else:
            first_level[lv] = i
    if gov.default not in gov.levels:
        ctx.add(
            "GK312",
            f"default level '{gov.default}' is not a declared level",
            ctx.gloc("default"),
        )
    for aud in gov.audiences.values():
        if aud.clearance not in gov.levels:
            ctx.add(
                "GK312",
                f"audience '{aud.name}' has clearance '{aud.clearance}', "
                "which is not a declared level",
                ctx.gloc("audiences", aud.name),
                hint=f"declared levels: {', '.join(gov.levels)}",
            )
    if gov.retention is not None and iso_duration.parse(gov.retention) is None:
        ctx.add(
            "GK312",
            f"retention '{gov.retention}' is not an ISO 8601 duration",
            ctx.gloc("retention"),
            hint="e.g. P90D (90 days) or P1Y",
        )
    for lv, text in gov.retention_by_level.items():
        if lv not in gov.levels:
            ctx.add(
                "GK312",
                f"retention_by_level names level '{lv}', which is not a declared level",
                ctx.gloc("retention_by_level", lv),
                hint=f"declared levels: {', '.join(gov.levels)}",
            )
        elif iso_duration.parse(text) is None:
            ctx.add(
                "GK312",
                f"retention '{text}' of level '{lv}' is not an ISO 8601 duration",
                ctx.gloc("retention_by_level", lv),
                hint="e.g. P90D (90 days) or P1Y",
            )
