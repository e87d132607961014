"""``guidekit import``: start a guideline project from a tool's label set or a taxonomy."""

from __future__ import annotations

from pathlib import Path

import click

from guidekit.commands import CONTEXT_SETTINGS

SOURCES = ("labelstudio", "cvat", "coco", "brat", "doccano", "taxonomy")


@click.command("import", context_settings=CONTEXT_SETTINGS)
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--from",
    "source_kind",
    type=click.Choice(SOURCES),
    help="What SOURCE is (default: recognised from its content).",
)
@click.option("--id", "guideline_id", help="Guideline id (default: the folder name).")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def import_(
    source: Path, directory: Path, source_kind: str | None, guideline_id: str | None, force: bool
) -> int:
    """Start a guideline project in DIRECTORY from a tool's label set or a taxonomy.

    SOURCE is a Label Studio labeling config (XML or project JSON), CVAT labels (JSON, or a
    CVAT XML export), a COCO file's categories, a BRAT annotation.conf, a doccano label set,
    or a taxonomy (CSV/TSV with id, parent and name columns, or nested JSON). The project
    gets every class, hierarchy and attribute that could be read, a TODO comment where a
    definition is to be written, and a list of what could not be mapped; it checks with no
    errors, and `guidekit drift` against the source reports nothing. Exit code 0 when the
    project was written, 1 when SOURCE cannot be read.
    """
    from guidekit import outputs
    from guidekit.bridges.importer import read_source
    from guidekit.compiler.pipeline import compile_guideline
    from guidekit.scaffold import new_project

    draft = read_source(source, source_kind)
    gid = new_project(directory, guideline_id, force=force)
    text = draft.to_yaml(gid)

    def write(stage: Path) -> None:
        (stage / "guideline.yaml").write_text(text, encoding="utf-8")

    _, written = outputs.publish(directory, "import", write, force=True, marker=False)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(
        f"read {draft.source} from {source}: "
        + ", ".join(
            f"task '{tid}' ({spec['type']}, {len(spec.get('classes', []))} classes)"
            for tid, spec in draft.tasks.items()
        )
    )
    for note in draft.notes:
        click.echo(f"  not mapped or chosen: {note}", err=True)
    result = compile_guideline(directory)
    errors = [d for d in result.diagnostics if d.severity.value == "error"]
    if errors:  # a defect of the import: say so plainly
        from guidekit.diagnostics.render import render

        click.echo(render(errors, "text"), err=True, nl=False)
        return 1
    click.echo(f"next: write the definitions, then guidekit check {directory}")
    return 0
