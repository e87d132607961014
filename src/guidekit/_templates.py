"""Jinja2 environments for the HTML pages guidekit writes (delivery and quality reports).

Templates live in a ``templates/`` folder next to the module that renders them and ship in
the wheel with the package. Autoescaping is on; values are escaped with :func:`html.escape`
(``&quot;``, ``&#x27;``) rather than markupsafe's numeric forms, so pages stay byte-identical
to what earlier versions wrote.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup


def _escape(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value)))


@cache
def environment(package: str) -> Environment:
    """The environment for the templates in ``package``'s ``templates/`` folder."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=True,
        finalize=_escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
