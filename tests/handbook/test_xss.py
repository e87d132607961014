"""Safe rendering: contributor Markdown never becomes markup that runs code."""

from __future__ import annotations

import html
import re
from pathlib import Path

import markdown as md
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guidekit.handbook import BuildResult
from guidekit.handbook.project import mkdocs_config_base
from guidekit.handbook.sanitize import cell, html_markdown, markdown, plain, safe_url

from .handbook_htmlscan import scan_html, scan_site

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](\njavascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java\\script:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]:\n  javascript:alert(1)",
    "<javascript:alert(1)>",
    'para\n{: onclick="alert(1)" }',
    "# heading {: onclick=alert(1) }",
    "`a` <script>alert(1)</script>",
    "a ` b\n`<script>alert(1)</script>` c`",
    "\\<script>alert(1)</script>",
    "\\\\`<img src=x onerror=alert(1)>`",
    "<<script>script>alert(1)<</script>/script>",
    '<div markdown="1" onmouseover="alert(1)">x</div>',
    "<!-- --><script>alert(1)</script>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "```\n<script>alert(1)</script>\n```",
    "~~~\n<script>alert(1)</script>\n~~~",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | x |",
    "[<img src=x onerror=alert(1)>](https://example.org)",
    '[x](https://example.org "title" onmouseover="alert(1)")',
    "[x](https://example.org)<script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</script>",
    "<base href=javascript:alert(1)//>",
]
EXTENSIONS = mkdocs_config_base()["markdown_extensions"]


def render(text: str) -> str:
    names = [e if isinstance(e, str) else next(iter(e)) for e in EXTENSIONS]
    return md.markdown(text, extensions=names)


def test_the_oracle_catches_what_it_must() -> None:
    for bad in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href=" java&#x09;script:alert(1)">x</a>',
        "<iframe src=x></iframe>",
        '<p onclick="x">y</p>',
    ):
        assert scan_html(bad, page=False), bad


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_blocks_never_render_active_markup(payload: str) -> None:
    for safe in (markdown(payload), markdown(payload, inline=True), cell(payload), plain(payload)):
        out = render(safe)
        assert scan_html(out, page=False) == [], (safe, out)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_markdown_is_clean(payload: str) -> None:
    assert scan_html(html_markdown(payload), page=False) == []


def test_formatting_and_safe_links_survive() -> None:
    text = "A **bold** word, `x < y` in code, and [docs](https://example.org/a_(b))."
    out = render(markdown(text))
    assert "<strong>bold</strong>" in out
    assert "<code>x &lt; y</code>" in out
    assert '<a href="https://example.org/a_(b)">docs</a>' in out


def test_unsafe_link_text_stays_readable() -> None:
    out = render(markdown("see [here](javascript:alert(1)) now"))
    assert "<a" not in out
    assert "here" in out and "javascript:alert(1)" in html.unescape(out)


def test_raw_html_shows_as_text() -> None:
    out = render(markdown("<b>bold</b> & <i>x</i>"))
    assert "<b>" not in out
    assert "&lt;b&gt;bold&lt;/b&gt;" in out or "&lt;b>bold&lt;/b>" in out


def test_headings_in_definitions_do_not_open_sections() -> None:
    out = render(markdown("# Big\n\ntext"))
    assert "<h1" not in out


def test_safe_url() -> None:
    assert safe_url("https://example.org")
    assert safe_url("mailto:a@example.org")
    for bad in (
        "javascript:x",
        " JAVASCRIPT:x",
        "&#106;avascript:x",
        "data:text/html,x",
        "page.md",
        "#anchor",
        "//evil.example",
    ):
        assert not safe_url(bad), bad


FRAGMENTS = [
    "<",
    ">",
    "`",
    "``",
    "\\",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    ":",
    "\n",
    "\n\n",
    " ",
    "!",
    "#",
    "script",
    "img",
    "onerror=",
    "javascript:",
    "alert(1)",
    "src=x",
    "&#106;",
    "&#x09;",
    '"',
    "'",
    "*",
    "_",
    "|",
    "-",
    'markdown="1"',
    "<div",
    "</div>",
    "data:",
    "    ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=40))
def test_no_fragment_soup_renders_active_markup(parts: list[str]) -> None:
    text = "".join(parts)
    for safe in (markdown(text), markdown(text, inline=True), cell(text)):
        assert scan_html(render(safe), page=False) == [], (text, safe)


# -- the built site --------------------------------------------------------------------------


def test_built_site_has_no_active_payload(built_xss: BuildResult) -> None:
    assert built_xss.site is not None
    assert scan_site(built_xss.site) == {}


def test_payloads_are_shown_as_text_not_dropped(built_xss: BuildResult) -> None:
    assert built_xss.site is not None
    text = "".join(
        html.unescape(p.read_text(encoding="utf-8")) for p in built_xss.site.rglob("*.html")
    )
    shown = {int(n) for n in re.findall(r"xss-(\d+)", text)}
    # every payload of the fixture is visible as text (20 is base64 inside a data: URL; 41 is
    # a link whose URL cannot even be shown as one)
    assert set(range(1, 41)) - {20, 22} - shown == set()


def test_no_raw_script_tag_anywhere_in_the_site(built_xss: BuildResult) -> None:
    """Byte-level backstop of the parser-based scan (which also checks attributes)."""
    assert built_xss.site is not None
    for path in built_xss.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml"):
            data = path.read_text(encoding="utf-8")
            assert "<script>alert" not in data, path


def test_titles_cannot_break_out_of_attributes(built_xss: BuildResult) -> None:
    config = (built_xss.project / "mkdocs.yml").read_text(encoding="utf-8")
    site_name = next(line for line in config.splitlines() if line.startswith("site_name:"))
    assert "<" not in site_name and '"' not in site_name.split(":", 1)[1].strip()[1:-1]
    page = (built_xss.project / "docs" / "tasks" / "intent" / "good.md").read_text(encoding="utf-8")
    title = page.splitlines()[1]
    assert title.startswith("title:") and "<" not in title and "&" not in title


def test_svg_and_text_blocks_escape_example_text(built_xss: BuildResult) -> None:
    page = Path(built_xss.project / "site" / "tasks" / "intent" / "good.html").read_text(
        encoding="utf-8"
    )
    assert "&lt;script&gt;alert(&#x27;xss-body&#x27;)&lt;/script&gt;" in page
