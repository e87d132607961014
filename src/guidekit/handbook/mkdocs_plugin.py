"""An mkdocs plugin that embeds a guideline's handbook pages in an existing mkdocs site.

.. code-block:: yaml

    # mkdocs.yml of your site
    plugins:
      - search
      - guidekit:
          guideline: ../guidelines/support-tickets   # relative to mkdocs.yml
          prefix: labelling                          # pages go under docs/labelling/
          audience: annotator                        # optional
          nav_title: Labelling handbook              # optional
          since: 2.0.0                               # optional: "What changed since 2.0.0"

The changelog pages read the guideline's versions from the git repository holding it (see
``history`` and ``tags``). The pages are generated in memory on every build (nothing is
written into ``docs/``); under
``mkdocs serve`` a change to any file of the guideline rebuilds the site. When your
``mkdocs.yml`` has a ``nav``, the handbook is appended to it as one section; without one,
mkdocs lists the pages itself. The Markdown extensions the pages need (``admonition``,
``attr_list``, ``md_in_html``, ``tables``, ``toc``) are enabled if the site lacks them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

NEEDED_EXTENSIONS = ("admonition", "attr_list", "md_in_html", "tables", "toc")


class GuidekitPluginConfig(base.Config):
    guideline = c.Type(str)
    """Path of the guideline project (its folder or its ``guideline.yaml``), relative to
    ``mkdocs.yml``."""
    prefix = c.Type(str, default="handbook")
    """Folder of the docs the pages are placed in (``""``: the root of the site)."""
    audience = c.Optional(c.Type(str))
    """Build the handbook of one audience of the guideline's governance block."""
    nav = c.Choice(("append", "replace", "none"), default="append")
    """``append`` the handbook to the site's ``nav`` as one section, ``replace`` the nav with
    the handbook's, or leave the nav alone (``none``)."""
    nav_title = c.Optional(c.Type(str))
    """Title of the appended nav section (default: the guideline's title)."""
    print_view = c.Type(bool, default=True)
    """Include the printable one-page view."""
    since = c.Optional(c.Type(str))
    """The version the "What changed since" page compares with (default: the previous
    release)."""
    history = c.Choice(("auto", "tags", "commits", "none"), default="auto")
    """Where the changelog reads the guideline's versions from: git ``tags``, the
    ``commits`` of its folder, ``auto`` (tags when any tag holds a version, else commits) or
    ``none``."""
    tags = c.Type(str, default="*")
    """Only tags matching this pattern are versions (``support-tickets/v*`` in a repository
    of several guidelines)."""
    on_error = c.Choice(("raise", "page"), default="raise")
    """When the guideline has errors: fail the build, or show the errors on a page (used by
    ``guidekit serve``)."""


@dataclass
class _Good:
    """What the last build without errors added, so that a broken edit under ``guidekit
    serve`` keeps every page (with the errors on top) instead of turning it into a 404."""

    pages: dict[str, str]
    files: dict[str, bytes]
    css: list[str]
    js: list[str]
    nav: Any
    extra: Any


#: the last good build of each guideline (mkdocs reloads the hooks file, not this module)
_LAST_GOOD: dict[tuple[str, str], _Good] = {}


class GuidekitPlugin(BasePlugin[GuidekitPluginConfig]):
    def __init__(self) -> None:
        self._pages: dict[str, str] = {}
        self._files: dict[str, bytes] = {}
        self._root: Path | None = None
        self._problems = ""

    # -- configuration -------------------------------------------------------------------
    def _project(self, config: MkDocsConfig) -> Path:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        return (base_dir / self.config.guideline).resolve()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from guidekit.compiler.pipeline import compile_guideline
        from guidekit.diagnostics.model import has_errors
        from guidekit.errors import GuidekitError
        from guidekit.handbook.changes import read
        from guidekit.handbook.project import banner, render_handbook
        from guidekit.handbook.sanitize import title_text

        project = self._project(config)
        self._root = project if project.is_dir() else project.parent
        result = compile_guideline(project)
        self._problems = ""
        prefix = self.config.prefix.strip("/")
        if result.guideline is None or has_errors(result.diagnostics):
            if self.config.on_error == "raise":
                from guidekit.diagnostics.render import render_text

                raise PluginError(
                    "guidekit: the guideline has errors:\n" + render_text(result.diagnostics)
                )
            from guidekit.handbook.problems import overlay

            self._problems = overlay(result.diagnostics, self._root)
            good = _LAST_GOOD.get(self._key(config))
            if good is None:
                self._error_pages(config, result.diagnostics, prefix)
            else:
                self._restore(config, good)
            return config
        try:
            changes = read(
                result.guideline,
                audience=self.config.audience,
                since=self.config.since,
                # c.Choice is typed str; it admits only the HistorySource values
                source=self.config.history,  # type: ignore[arg-type]
                tags=self.config.tags,
            )
            hb = render_handbook(
                result.guideline,
                audience=self.config.audience,
                prefix=prefix,
                directory_urls=config.use_directory_urls,
                print_view=self.config.print_view,
                changes=changes,
            )
        except GuidekitError as exc:
            raise PluginError(f"guidekit: {exc}") from None
        self._pages = hb.pages
        self._files = {k: v for k, v in hb.files.items() if not k.endswith((".css", ".js"))}
        css = [k for k in hb.files if k.endswith(".css")]
        js = [k for k in hb.files if k.endswith(".js")]
        for path in css:
            self._files[path] = hb.files[path]
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in js:
            self._files[path] = hb.files[path]
            if path not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(path)
        self._ensure_extensions(config)
        if self.config.nav == "replace":
            config.nav = hb.nav
            config.extra["guidekit"] = banner(hb.guideline, self.config.audience, changes)
        elif self.config.nav == "append" and config.nav is not None:
            title = title_text(self.config.nav_title or hb.guideline.title)
            config.nav.append({title: hb.nav})
        if self.config.on_error == "page":
            _LAST_GOOD[self._key(config)] = _Good(
                dict(self._pages), dict(self._files), css, js, hb.nav, config.extra.get("guidekit")
            )
        return config

    def _key(self, config: MkDocsConfig) -> tuple[str, str]:
        return (str(self._root), str(config.config_file_path))

    def _restore(self, config: MkDocsConfig, good: _Good) -> None:
        """The pages of the last good build (``guidekit serve`` after a broken edit)."""
        self._pages = dict(good.pages)
        self._files = dict(good.files)
        for path in good.css:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in good.js:
            if path not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(path)
        self._ensure_extensions(config)
        if self.config.nav == "replace":
            config.nav = good.nav
            if good.extra is not None:
                config.extra["guidekit"] = good.extra
        elif self.config.nav == "append" and config.nav is not None:
            config.nav.append({"Handbook (last good build)": good.nav})

    def _ensure_extensions(self, config: MkDocsConfig) -> None:
        for ext in NEEDED_EXTENSIONS:
            if ext not in config.markdown_extensions:
                config.markdown_extensions.append(ext)

    def _error_pages(self, config: MkDocsConfig, diagnostics: list[Any], prefix: str) -> None:
        path = f"{prefix}/index.md" if prefix else "index.md"
        self._pages = {
            path: "---\ntitle: Guideline errors\n---\n\n# Guideline errors\n\n"
            "The guideline has errors, so the handbook cannot be built yet. Fix them and "
            "save; this page reloads.\n"
        }
        self._files = {}
        if self.config.nav == "replace":
            config.nav = [{"Guideline errors": path}]
        elif self.config.nav == "append" and config.nav is not None:
            config.nav.append({"Guideline errors": path})

    # -- files ---------------------------------------------------------------------------
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for path, text in self._pages.items():
            self._add(files, config, path, text)
        for path, data in self._files.items():
            self._add(files, config, path, data)
        return files

    def _add(self, files: Files, config: MkDocsConfig, path: str, content: str | bytes) -> None:
        if files.get_file_from_path(path) is not None:
            raise PluginError(
                f"guidekit: '{path}' exists in docs_dir; the handbook needs that path "
                "(choose another `prefix`)"
            )
        files.append(File.generated(config, path, content=content))

    # -- the errors on every page ---------------------------------------------------------
    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str:
        from guidekit.handbook.problems import inject

        return inject(output, self._problems)

    def on_post_template(self, output_content: str, *, template_name: str, config: Any) -> str:
        from guidekit.handbook.problems import inject

        # 404.html: a page the broken guideline does not have still shows why
        return inject(output_content, self._problems)

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        if self._root is not None:
            server.watch(str(self._root))
        return server


def hooks_for(options: dict[str, Any], config_file_path: str) -> dict[str, Any]:
    """Event handlers of a configured plugin, for an mkdocs ``hooks:`` file.

    ``guidekit serve`` uses this so the preview works whether or not guidekit is installed
    as a package (mkdocs finds plugins through package entry points only).
    """
    plugin = GuidekitPlugin()
    errors, _ = plugin.load_config(options, config_file_path)
    if errors:
        raise PluginError("guidekit: " + "; ".join(f"{k}: {v}" for k, v in errors))
    return {
        "on_config": plugin.on_config,
        "on_files": plugin.on_files,
        "on_post_page": plugin.on_post_page,
        "on_post_template": plugin.on_post_template,
        "on_serve": plugin.on_serve,
    }
