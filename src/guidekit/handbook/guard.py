"""A Markdown extension that stops a Zensical build of a site using the ``guidekit`` plugin.

Zensical builds ``mkdocs.yml`` projects but runs no mkdocs plugins: it drops the names it does
not know, so a site whose handbook comes from the ``guidekit`` plugin builds with exit code 0
and no handbook pages. The plugin itself never runs there, so it cannot refuse; a Markdown
extension does run under both engines. List it next to the plugin::

    plugins:
      - guidekit:
          guideline: ../guidelines/support-tickets
    markdown_extensions:
      - guidekit.handbook.guard

Under mkdocs it does nothing. Under Zensical it stops the build with a message naming the
alternative: ``guidekit build --target handbook --engine zensical`` builds the handbook as a
site of its own, with Zensical.
"""

from __future__ import annotations

import sys
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

MESSAGE = (
    "guidekit: this site uses the `guidekit` mkdocs plugin, which Zensical does not run: "
    "building it with Zensical would publish the site without its handbook pages. Build "
    "the site with mkdocs, or build the handbook on its own with `guidekit build "
    "--target handbook --engine zensical` and link to it (see guidekit's handbook docs, "
    '"Moving to Zensical").'
)


class ZensicalRefused(RuntimeError):
    """A Zensical build of a site that needs the ``guidekit`` mkdocs plugin."""


def under_zensical() -> bool:
    """Whether this process is a Zensical build (Zensical renders Markdown in-process)."""
    return "zensical" in sys.modules


class GuardExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if under_zensical():
            raise ZensicalRefused(MESSAGE)


def makeExtension(**kwargs: Any) -> GuardExtension:
    return GuardExtension(**kwargs)
