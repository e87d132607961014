"""Scope: out-of-scope examples give a declared skip reason."""

from __future__ import annotations

from guidekit.compiler.checks._context import CheckContext, at


def check_scope(ctx: CheckContext) -> None:
    reasons = ctx.g.scope.skip_reasons
    for ex in ctx.g.scope.out_of_scope_examples:
        if ex.skip not in reasons:
            ctx.add(
                "GK316",
                f"skip reason '{ex.skip}' is not declared in scope.skip_reasons",
                at(ex.loc, "skip"),
                hint=f"declared: {', '.join(reasons) or 'none'}",
            )
