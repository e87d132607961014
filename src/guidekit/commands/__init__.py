"""One module per command (or close pair).

:data:`COMMANDS` is the static table the CLI reads: command name → (module, short help). The
module is imported only when the command runs (or its own ``--help`` is asked for), so
``guidekit --help`` and ``--version`` load neither the compiler nor pydantic. Each module
defines the command under the command's name; ``tests/cli/test_lazy_cli.py`` checks that the
short help here is the one the command itself shows.
"""

from __future__ import annotations

#: Every command's context settings: ``-h`` works however the command is reached (through
#: the group, or called directly as in tests; click caches a command's help option).
CONTEXT_SETTINGS: dict[str, object] = {"help_option_names": ["-h", "--help"]}

COMMANDS: dict[str, tuple[str, str]] = {
    "accept": (
        "guidekit.commands.accept",
        "Decide whether DELIVERY meets the guideline's acceptance criteria.",
    ),
    "aggregate": (
        "guidekit.commands.aggregate",
        "Adjudicate the items in FILES, labelled by several annotators, into one delivery OUT.",
    ),
    "agreement": (
        "guidekit.commands.agreement",
        "Inter-annotator agreement of the items in FILES, labelled by several annotators.",
    ),
    "audit": (
        "guidekit.commands.audit",
        "Draw an audit sample of a delivery; score the auditors' verdicts.",
    ),
    "build": (
        "guidekit.commands.build",
        "Build artefacts of the guideline in PROJECT (default: the current folder).",
    ),
    "calibrate": (
        "guidekit.commands.calibrate",
        "Calibrate annotators on a pilot batch in FILES.",
    ),
    "changelog": (
        "guidekit.commands.changelog",
        "Render the history of the guideline in PROJECT across its versions, from git tags or "
        "commits: for each version, what changed since the one before and what it does to "
        "existing labels.",
    ),
    "check": (
        "guidekit.commands.check",
        "Check the guideline projects in PATHS (default: the current folder).",
    ),
    "diff": (
        "guidekit.commands.diff",
        "Show what changed between two versions of a guideline, and what each change does to "
        "existing labels.",
    ),
    "drift": (
        "guidekit.commands.drift",
        "Report where a tool's live config no longer matches the guideline in PROJECT.",
    ),
    "eval": (
        "guidekit.commands.eval",
        "Score PREDICTIONS against the evaluation set of the guideline in PROJECT.",
    ),
    "explain": (
        "guidekit.commands.explain",
        "Explain a diagnostic CODE such as GK202: its title, severity and what it means.",
    ),
    "export": (
        "guidekit.commands.export",
        "Write the native DELIVERY of the guideline in PROJECT in another format.",
    ),
    "gold": (
        "guidekit.commands.gold",
        "Score the records in FILES against the gold set GOLD.",
    ),
    "import": (
        "guidekit.commands.import_",
        "Start a guideline project in DIRECTORY from a tool's label set or a taxonomy.",
    ),
    "init": (
        "guidekit.commands.init",
        "Create a guideline project in DIRECTORY from a commented template.",
    ),
    "ledger": (
        "guidekit.commands.ledger",
        "The program ledger: headline figures, trend reports, pruning by retention.",
    ),
    "leakage": (
        "guidekit.commands.leakage",
        "Check that the training delivery TRAIN and the evaluation set EVAL share no item.",
    ),
    "migrate": (
        "guidekit.commands.migrate",
        "Rewrite the labels of DELIVERY made under guideline version OLD so they follow "
        "version NEW.",
    ),
    "questions": (
        "guidekit.commands.questions",
        "The question log: annotators' and vendors' questions, their decisions, edge cases.",
    ),
    "quiz": (
        "guidekit.commands.quiz",
        "Qualification quizzes for annotators, built from the evaluation set, and their scores.",
    ),
    "revisions": (
        "guidekit.commands.revisions",
        "Revision rate per task and class between deliveries FIRST and SECOND of the same "
        "items, and turnaround (created_at to updated_at) of the latest delivery.",
    ),
    "schema": (
        "guidekit.commands.schema",
        "Print the JSON Schema (2020-12) of the guideline format.",
    ),
    "serve": (
        "guidekit.commands.serve",
        "Preview the handbook of the guideline in PROJECT in a browser.",
    ),
    "validate": (
        "guidekit.commands.validate",
        "Validate the DELIVERY files against the guideline in PROJECT.",
    ),
}
