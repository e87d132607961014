"""Assemble the handbook: every page rendered, the nav, the mkdocs configuration, the files.

:func:`render_handbook` is pure (IR in, texts and bytes out); :func:`write_project` puts the
result on disk as a mkdocs-material project (``mkdocs.yml``, ``docs/``, ``overrides/``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from guidekit import ir
from guidekit.audience import for_audience, sees_results
from guidekit.handbook import layout as lay
from guidekit.handbook.changes import Changes
from guidekit.handbook.context import Ctx, Site
from guidekit.handbook.marker import MARKER
from guidekit.handbook.pages import changes as change_pages
from guidekit.handbook.pages import site as site_pages
from guidekit.handbook.pages._common import tree_order
from guidekit.handbook.pages.classes import class_page
from guidekit.handbook.pages.tasks import task_page
from guidekit.handbook.results import Results
from guidekit.handbook.sanitize import first_sentence, plain, title_text

#: Tasks with more classes than this list their classes on the quick-reference page only,
#: not in the navigation (every page of a mkdocs site repeats the whole navigation).
NAV_CLASS_LIMIT = 100

CSS = "guidekit.css"
JS = "guidekit.js"
#: The running heads of the print view (generated: they name the guideline and audience).
PRINT_CSS = "guidekit-print.css"
#: The WebWorker shim Material's offline search needs on file:// (its offline plugin would
#: otherwise load it from a CDN): vendored, MIT, see the file's header.
WORKER_SHIM = "iframe-worker.js"


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    render: Callable[[Ctx], str]
    in_nav: bool = True


@dataclass
class Handbook:
    """A rendered handbook: Markdown pages, other files and the mkdocs configuration."""

    guideline: ir.Guideline
    audience: str | None
    #: docs path -> page text (front matter + Markdown)
    pages: dict[str, str]
    #: docs path -> bytes (styles, scripts, example images)
    files: dict[str, bytes]
    nav: list[Any]
    config: dict[str, Any] = field(default_factory=dict)
    #: path under ``overrides/`` -> template text
    overrides: dict[str, str] = field(default_factory=dict)


def asset(name: str) -> bytes:
    """The bytes of a file shipped in ``guidekit/handbook/assets`` (also used by the preview)."""
    return resources.files("guidekit.handbook").joinpath("assets", name).read_bytes()


def page_specs(site: Site) -> list[PageSpec]:
    g, layout = site.g, site.layout
    specs = [PageSpec(layout.home, "Home", site_pages.home_page)]
    for task in g.tasks.values():
        specs.append(PageSpec(layout.task(task.id), task.name, partial(task_page, task=task)))
        in_nav = len(task.classes) <= NAV_CLASS_LIMIT
        for cls in tree_order(task):
            specs.append(
                PageSpec(
                    layout.klass(task.id, cls.id),
                    cls.name,
                    partial(class_page, task=task, cls=cls),
                    in_nav,
                )
            )
    specs += [
        PageSpec(layout.page(lay.EDGE_CASES), "Edge-case log", site_pages.edge_case_page),
        PageSpec(layout.page(lay.RULES), "Rules", site_pages.rules_page),
        PageSpec(layout.page(lay.ACCEPTANCE), "Acceptance criteria", site_pages.acceptance_page),
        PageSpec(layout.page(lay.SCOPE), "What not to label", site_pages.scope_page),
        PageSpec(layout.page(lay.GOVERNANCE), "Governance", site_pages.governance_page),
        PageSpec(layout.page(lay.GLOSSARY), "Glossary", site_pages.glossary_page),
        PageSpec(layout.page(lay.CHANGES), "Changes", change_pages.changes_page),
        PageSpec(
            layout.page(lay.SINCE), change_pages.since_title(site.changes), change_pages.since_page
        ),
    ]
    return specs


def _front(title: str, extra: str = "") -> str:
    """Front matter with the page title (a JSON string is a valid YAML double-quoted one)."""
    return f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n{extra}---\n\n"


def print_page(site: Site, specs: list[PageSpec]) -> str:
    """The whole handbook as one page, each page a section, for printing or a PDF."""
    path = site.layout.page(lay.PRINT)
    ctx = Ctx(site, path, printing=True)
    parts = [
        f"# {title_text(site.g.title)} {{#top}}",
        "The whole handbook on one page. Use your browser's *Print* command to print it or "
        "to save it as a PDF; every page starts on a new sheet.",
        print_contents(site, specs, ctx),
    ]
    for spec in specs:
        ctx.section = spec.path
        parts.append('<div class="gk-print-break"></div>')
        parts.append(spec.render(ctx).rstrip("\n"))
    return "\n\n".join(parts) + "\n"


def print_contents(site: Site, specs: list[PageSpec], ctx: Ctx) -> str:
    """The linked table of contents of the print view (and of the PDF): every page, class
    pages under their task."""
    classes = {
        site.layout.klass(task.id, cls.id) for task in site.g.tasks.values() for cls in task.classes
    }
    lines = ["## Contents {#p-contents}", ""]
    for spec in specs:
        indent = "    " if spec.path in classes else ""
        lines.append(f"{indent}- {ctx.link(plain(spec.title), spec.path)}")
    return "\n".join(lines)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: anything but letters, digits, spaces and a few
    harmless marks is escaped, so no text can end the string or the rule."""
    safe = set(" .,:_+-()")
    out = "".join(
        c if (c.isascii() and c.isalnum()) or c in safe else f"\\{ord(c):x} " for c in text
    )
    return f'"{out}"'


def print_style(g: ir.Guideline, audience: str | None) -> str:
    """Running heads of the printed pages (a style sheet of its own, generated): the
    guideline id, version and audience at the top of every sheet, the page number at the
    bottom (CSS ``@page`` margin boxes, which only printing uses)."""
    who = f"audience: {audience}" if audience is not None else "all audiences (internal)"
    head = css_string(f"{g.id} {g.version}")
    title = css_string(g.title)
    return (
        "@page {\n  margin: 16mm 14mm 16mm 14mm;\n"
        f"  @top-left {{ content: {head}; font: 8pt sans-serif; color: #444; }}\n"
        f"  @top-right {{ content: {css_string(who)}; font: 8pt sans-serif; color: #444; }}\n"
        f"  @bottom-left {{ content: {title}; font: 8pt sans-serif; color: #444; }}\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); '
        "font: 8pt sans-serif; color: #444; }\n}\n"
    )


def _nav(site: Site, specs: list[PageSpec], print_view: bool) -> list[Any]:
    g, layout = site.g, site.layout
    titles = {s.path: title_text(s.title) for s in specs}
    nav: list[Any] = [{"Home": layout.home}]
    for task in g.tasks.values():
        items: list[Any] = [layout.task(task.id)]
        if len(task.classes) <= NAV_CLASS_LIMIT:
            for cls in tree_order(task):
                path = layout.klass(task.id, cls.id)
                items.append({titles[path]: path})
        nav.append({title_text(task.name): items})
    reference = [
        {titles[layout.page(p)]: layout.page(p)}
        for p in (
            lay.EDGE_CASES,
            lay.RULES,
            lay.ACCEPTANCE,
            lay.SCOPE,
            lay.GOVERNANCE,
            lay.GLOSSARY,
            lay.CHANGES,
            lay.SINCE,
        )
    ]
    if print_view:
        reference.append({"Print view": layout.page(lay.PRINT)})
    nav.append({"Reference": reference})
    return nav


def render_handbook(
    g: ir.Guideline,
    *,
    audience: str | None = None,
    prefix: str = "",
    directory_urls: bool = False,
    print_view: bool = True,
    changes: Changes | None = None,
    questions: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
    results: Results | None = None,
) -> Handbook:
    """Render the handbook of ``g`` for ``audience`` (``None``: everything).

    ``prefix`` puts every page under a folder of the docs (for embedding in another site);
    ``directory_urls`` must match the site's mkdocs setting (it decides the relative URLs of
    pictures, which mkdocs does not rewrite). ``changes`` is the history the changelog, the
    "what changed since" page and the classes' "changed in" notes show, computed for the
    same audience (:func:`guidekit.handbook.changes.read`); without it the pages say there
    is no recorded history and show only the change notes the guideline declares.
    ``questions`` (open questions by ``task/class``: id, date asked, text) are listed on
    each class page; they are annotators' own words about real records, so they go only
    into the internal handbook (no ``audience``) and any audience refuses them.
    """
    if questions and audience is not None:
        raise ValueError("open questions are for the internal handbook, not for an audience")
    view = for_audience(g, audience)
    if changes is None:
        from guidekit.handbook.changes import from_history

        changes = from_history(g, None, audience=audience)
    elif changes.audience != audience or changes.version != g.version:
        raise ValueError(
            f"the history was read for {changes.audience or 'everybody'} at version "
            f"{changes.version}, not for {audience or 'everybody'} at {g.version}"
        )
    site = Site(view, lay.Layout(view, prefix), audience, directory_urls, changes)
    site.questions = questions or {}
    # quiz and evaluation results summarise every answer: the audience choke point decides
    site.results = results if results is not None and sees_results(g, audience) else None
    specs = page_specs(site)
    pages: dict[str, str] = {}
    for spec in specs:
        body = spec.render(Ctx(site, spec.path))
        pages[spec.path] = _front(title_text(spec.title)) + body
    if print_view:
        path = site.layout.page(lay.PRINT)
        meta = "search:\n  exclude: true\nhide:\n  - navigation\n  - toc\n"
        pages[path] = _front("Print view", meta) + print_page(site, specs)
    files: dict[str, bytes] = {
        site.layout.asset(CSS): asset(CSS),
        site.layout.asset(JS): asset(JS),
        site.layout.asset(WORKER_SHIM): asset(WORKER_SHIM),
    }
    if print_view:
        files[site.layout.asset(PRINT_CSS)] = print_style(view, audience).encode("utf-8")
    root = g.root
    for source, target in sorted(site.images.items()):
        if root is not None and (Path(root) / source).is_file():
            files[target] = (Path(root) / source).read_bytes()
    nav = _nav(site, specs, print_view)
    hb = Handbook(view, audience, pages, files, nav)
    hb.config = mkdocs_config(hb, site, specs)
    hb.overrides = {"main.html": asset("main.html").decode("utf-8")}
    return hb


def banner(g: ir.Guideline, audience: str | None, changes: Changes | None = None) -> dict[str, Any]:
    """What the version banner on every page shows (``extra.guidekit`` of ``mkdocs.yml``):
    with a recorded history of more than one version, ``versions`` lists the released ones
    (newest first, from git tags or commits) for the version selector, which links to
    ``../<version>/`` (one site per version side by side, as ``mike`` publishes them)."""
    out: dict[str, Any] = {
        "title": title_text(g.title),
        "version": title_text(g.version),
        "status": title_text(g.status),
    }
    if audience is not None:
        out["audience"] = title_text(audience)
    if changes is not None:
        versions = [r.version for r in changes.releases if r.released]
        if g.version not in versions:
            versions.insert(0, g.version)
        if len(versions) > 1:
            out["versions"] = [title_text(v) for v in versions]
    return out


def mkdocs_config_base() -> dict[str, Any]:
    """Theme, plugins and Markdown settings shared by the built project and the preview."""
    return {
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        "strict": True,
        "theme": {
            "name": "material",
            "custom_dir": "overrides",
            "language": "en",
            # system fonts: no request to a font service, so the handbook works offline and
            # tells no third party who reads it
            "font": False,
            "features": [
                "navigation.tabs",
                "navigation.sections",
                "navigation.indexes",
                "navigation.top",
                "search.highlight",
                "search.suggest",
                "search.share",
                "toc.follow",
            ],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "toggle": {"icon": "material/brightness-7", "name": "Switch to dark mode"},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "toggle": {"icon": "material/brightness-4", "name": "Switch to light mode"},
                },
            ],
        },
        "plugins": ["search"],
        "markdown_extensions": [
            "admonition",
            "attr_list",
            "md_in_html",
            "tables",
            {"toc": {"permalink": True}},
        ],
        "extra": {"generator": False},
    }


def mkdocs_config(hb: Handbook, site: Site, specs: list[PageSpec]) -> dict[str, Any]:
    g = hb.guideline
    hidden = sorted(s.path for s in specs if not s.in_nav)
    config: dict[str, Any] = {
        "site_name": title_text(f"{g.title} — handbook"),
        "site_description": title_text(first_sentence(g.description or g.brief.objective)),
        **mkdocs_config_base(),
    }
    # Material's offline plugin ships the search index as a script, so search works when the
    # handbook is opened from disk (file://) or from a zip a vendor unpacks; browsers refuse
    # to fetch the JSON index there. The live preview (serve) keeps the plain search.
    config["plugins"] = [*config["plugins"], "offline"]
    config["extra_css"] = [
        site.layout.asset(name) for name in (CSS, PRINT_CSS) if site.layout.asset(name) in hb.files
    ]
    config["extra_javascript"] = [site.layout.asset(JS)]
    config["extra"] = {
        "generator": False,
        "guidekit": banner(g, hb.audience, site.changes),
        # the plugin adds its CDN copy unless a polyfill named iframe-worker is there
        "polyfills": [site.layout.asset(WORKER_SHIM)],
    }
    config["validation"] = {
        "omitted_files": "warn",
        "absolute_links": "warn",
        "unrecognized_links": "warn",
        "anchors": "warn",
    }
    config["nav"] = hb.nav
    if hidden:
        config["not_in_nav"] = "\n".join("/" + p for p in hidden) + "\n"
    return config


def config_yaml(hb: Handbook) -> str:
    g = hb.guideline
    who = f" for audience {hb.audience}" if hb.audience else ""
    head = (
        f"{MARKER} from guideline {g.id} {g.version}{who}.\n"
        "# Do not edit: change the guideline and run `guidekit build --target handbook`.\n"
    )
    return head + str(
        yaml.safe_dump(
            hb.config, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
        )
    )


def write_project(hb: Handbook, out: Path) -> list[Path]:
    """Write the mkdocs project into ``out``, a new or empty folder (the staging folder of
    :func:`guidekit.outputs.publish`, through which :func:`guidekit.handbook.build_handbook`
    and ``guidekit build`` write); returns the files written (sorted). Nothing is deleted.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def put(rel: str, data: bytes) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)

    put("mkdocs.yml", config_yaml(hb).encode("utf-8"))
    for rel, text in hb.pages.items():
        put(f"docs/{rel}", text.encode("utf-8"))
    for rel, data in hb.files.items():
        put(f"docs/{rel}", data)
    for rel, text in hb.overrides.items():
        put(f"overrides/{rel}", text.encode("utf-8"))
    return sorted(written)
