"""The HTML pages' Jinja2 templates: shipped with the package, autoescaped the stdlib way."""

from __future__ import annotations

from importlib.resources import files

import pytest
from markupsafe import Markup

from guidekit._templates import environment


@pytest.mark.parametrize("package", ["guidekit.delivery", "guidekit.quality"])
def test_template_is_package_data(package: str) -> None:
    assert files(package).joinpath("templates/report.html.j2").is_file()
    assert environment(package).get_template("report.html.j2") is not None


def test_values_are_escaped_as_html_escape_does() -> None:
    env = environment("guidekit.delivery")
    page = env.from_string('<p title="{{ v }}">{{ v }} {{ safe }}</p>').render(
        v="<b> & \"q\" 'a'", safe=Markup("<svg></svg>")
    )
    text = "&lt;b&gt; &amp; &quot;q&quot; &#x27;a&#x27;"
    assert page == f'<p title="{text}">{text} <svg></svg></p>'
