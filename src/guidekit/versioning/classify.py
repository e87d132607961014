"""How each kind of change affects existing labels, and the authors' declarations.

The impact of a change is the semver bump a consumer of deliveries needs:

* **major** (breaking): a label valid under the old version may be rejected by the new one,
  mean something else, or need re-annotation to be expressed in the new vocabulary;
* **minor** (compatible): existing labels stay valid and keep their meaning, or are rewritten
  mechanically (``guidekit migrate``); what annotators may produce or how deliveries are
  judged changes (a new class, an optional attribute, a decided edge case, a new acceptance
  threshold);
* **patch** (editorial): nothing a delivery holds or is judged by changes (wording, examples).

:data:`RULES` gives every change rule its impact. A rule is *certain* when the tool can tell
its effect from the structure alone (a class removed); other rules are judgement calls (a
definition reworded may or may not change its meaning). Authors declare the impact they
intend in ``changes:`` notes -- of a class, a task, a rule, a section (``record``,
``acceptance``, ``governance``, ``scope``, ``delivery``) or the guideline itself (its manifest,
splits, glossary and settings, and tasks and rules it no longer has) -- or ``impact:`` on an
edge case; a declaration sets the impact of the owner's judgement calls and may raise, never
lower, a certain one. Every change has one owner (:data:`SECTIONS` names those outside the
tasks), so every change has a place for a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from guidekit import ir
from guidekit.diagnostics.codes import diag
from guidekit.diagnostics.model import Diagnostic, Location
from guidekit.spec import version as semver
from guidekit.versioning.model import Change, Impact

M, m, P = Impact.MAJOR, Impact.MINOR, Impact.PATCH


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    impact: Impact
    certain: bool
    doc: str


_RULES: list[Rule] = [
    # guideline, record, splits
    Rule("guideline-id-changed", M, True, "The guideline's `id` changed: it is another guideline."),
    Rule("guideline-text-changed", P, False, "Title, description or data brief reworded."),
    Rule("guideline-status-changed", P, True, "Lifecycle `status` changed."),
    Rule("guideline-owners-changed", P, True, "Owners changed."),
    Rule("glossary-changed", P, True, "A glossary term added, removed or reworded."),
    Rule("settings-changed", P, True, "`links` or `lint` settings changed."),
    Rule("split-added", m, True, "A dataset split added."),
    Rule("split-removed", M, True, "A dataset split removed: records of that split are rejected."),
    Rule("record-id-changed", M, True, "The record's id field renamed."),
    Rule("input-field-added", m, True, "An input field added (optional, or not delivered)."),
    Rule(
        "input-field-required",
        M,
        True,
        "A delivered input field added as required or made required (`include_inputs`).",
    ),
    Rule("input-field-removed", m, True, "An input field removed."),
    Rule(
        "delivered-field-removed",
        M,
        True,
        "A delivered input field removed while unknown fields are forbidden.",
    ),
    Rule("input-field-type-changed", M, True, "An input field's type changed."),
    Rule("input-field-narrowed", M, True, "Category values removed or image size changed."),
    Rule("input-field-widened", m, True, "Category values added, or a field made optional."),
    Rule(
        "input-field-changed",
        m,
        True,
        "An input field that deliveries do not carry became required or lost category values.",
    ),
    Rule("input-field-text-changed", P, True, "An input field's description or language."),
    # tasks
    Rule("task-added", m, True, "An optional task added."),
    Rule(
        "task-added-required",
        M,
        True,
        "A required task added: records made before it lack it.",
    ),
    Rule("task-removed", M, True, "A task removed."),
    Rule("task-type-changed", M, True, "A task's `type` changed: its values change shape."),
    Rule(
        "task-made-ordinal",
        m,
        True,
        "A single-choice task became an ordinal scale of the same classes (a level of "
        "measurement change): every old value is still valid, the levels gain an order.",
    ),
    Rule("task-over-changed", M, True, "The field a region task is drawn on changed."),
    Rule("task-required", M, True, "A task made required."),
    Rule("task-optional", m, True, "A task made optional."),
    Rule(
        "task-constraint-tightened",
        M,
        True,
        "A task accepts less: `leaf_only`, label counts, overlap, tolerance, number range, "
        "`integer`, text length or `allow_empty`.",
    ),
    Rule(
        "task-constraint-loosened",
        m,
        True,
        "A task accepts more: `leaf_only` dropped, looser label counts, overlap, tolerance, "
        "number range or text length, decimals, or `allow_empty`.",
    ),
    Rule(
        "task-values-changed",
        M,
        True,
        "Coordinates convention, unit, skeleton points or direction of relations changed: "
        "the same value means something else.",
    ),
    Rule("task-text-changed", P, False, "Title, question or description reworded."),
    Rule("task-display-changed", P, True, "Skeleton edges or the order of classes changed."),
    Rule("ordinal-reordered", M, True, "The levels of an ordinal scale were reordered."),
    # classes
    Rule("class-added", m, False, "A class added."),
    Rule(
        "ordinal-level-added",
        M,
        True,
        "A level added to an ordinal scale: its neighbours now cover less.",
    ),
    Rule("class-removed", M, True, "A class removed without replacement."),
    Rule(
        "group-removed",
        m,
        True,
        "A grouping class that was never a label removed (its children stay).",
    ),
    Rule(
        "class-renamed",
        m,
        True,
        "A class renamed or merged into another; the new version still accepts the old label "
        "(an alias, or the old class kept as deprecated with `replaced_by`).",
    ),
    Rule(
        "class-replaced",
        M,
        True,
        "A class removed whose labels map to one new class (an earlier `replaced_by`): the old "
        "label is rejected until the delivery is migrated.",
    ),
    Rule(
        "class-split",
        M,
        True,
        "A class split (`replaced_by` lists several classes, or a leaf became a parent): "
        "existing labels need re-annotation.",
    ),
    Rule("class-retired", M, True, "A class deprecated without `replaced_by`."),
    Rule("class-undeprecated", m, True, "A deprecated class is in use again."),
    Rule("class-replacement-changed", m, True, "A deprecated class's `replaced_by` changed."),
    Rule(
        "class-definition-changed",
        P,
        False,
        "A definition reworded. Declare the impact when the meaning changed.",
    ),
    Rule("class-widened", m, False, "An include added or an exclude removed."),
    Rule("class-narrowed", M, False, "An exclude added or an include removed."),
    Rule("class-boundary-reworded", P, False, "An include or exclude reworded."),
    Rule("class-moved", m, False, "A class moved to another parent."),
    Rule(
        "class-parent-added",
        m,
        False,
        "A class now also sits under another parent (a polyhierarchy): its labels count for "
        "one more ancestor in criteria and agreement.",
    ),
    Rule(
        "class-parent-removed",
        m,
        False,
        "A class of several parents no longer sits under one of them: its labels no longer "
        "count for that ancestor.",
    ),
    Rule("alias-added", m, True, "An alias added: one more label is accepted."),
    Rule("alias-removed", M, True, "An alias removed: labels using it are rejected."),
    Rule("class-text-changed", P, False, "Name, escalation or deprecation note reworded."),
    Rule("class-display-changed", P, True, "Colour or hotkey changed."),
    Rule(
        "class-constraint-tightened",
        M,
        True,
        "Larger minimum size, fewer allowed relation ends, or skeleton points changed.",
    ),
    Rule("class-constraint-loosened", m, True, "Smaller minimum size or more relation ends."),
    # attributes
    Rule("attribute-added", m, True, "An optional attribute (or one with a default) added."),
    Rule(
        "attribute-added-required",
        M,
        True,
        "A required attribute without a default added: existing labels lack it.",
    ),
    Rule("attribute-removed", M, True, "An attribute removed: labels carrying it are rejected."),
    Rule("attribute-type-changed", M, True, "An attribute's type changed."),
    Rule("attribute-values-narrowed", M, True, "Allowed values of an attribute removed."),
    Rule("attribute-values-widened", m, True, "Allowed values of an attribute added."),
    Rule("attribute-values-reordered", P, True, "Allowed values of an attribute reordered."),
    Rule("attribute-required", M, True, "An attribute without a default made required."),
    Rule("attribute-optional", m, True, "An attribute made optional, or given a default."),
    Rule("attribute-range-narrowed", M, True, "An attribute's `min` raised or `max` lowered."),
    Rule("attribute-range-widened", m, True, "An attribute's `min` lowered or `max` raised."),
    Rule(
        "attribute-default-changed",
        M,
        False,
        "An attribute's default changed: a missing value now means something else.",
    ),
    Rule("attribute-condition-changed", M, False, "When an attribute applies changed."),
    Rule("attribute-text-changed", P, False, "An attribute's description reworded."),
    # examples
    Rule("example-added", P, True, "An example, negative or out-of-scope example added."),
    Rule("example-removed", P, True, "An example, negative or out-of-scope example removed."),
    Rule("example-changed", P, True, "An example, negative or out-of-scope example changed."),
    # edge cases
    Rule("edge-case-decided", m, False, "An edge case added with a decision, or decided."),
    Rule("edge-case-added", P, True, "An open edge case (no decision yet) added."),
    Rule(
        "edge-case-decision-changed",
        M,
        False,
        "An edge case decided differently: labels that followed the old decision are wrong.",
    ),
    Rule("edge-case-reopened", m, False, "An edge case's decision withdrawn."),
    Rule("edge-case-removed", m, False, "An edge case removed."),
    Rule("edge-case-text-changed", P, True, "An edge case's text, rationale or question."),
    Rule("edge-case-moved", P, True, "An edge case moved to another class or task."),
    # rules
    Rule(
        "rule-added-error",
        M,
        True,
        "A rule of severity `error` added: records that break it are rejected.",
    ),
    Rule("rule-added", m, True, "A rule of severity `warning` or `info` added."),
    Rule("rule-removed", m, True, "A rule removed."),
    Rule("rule-made-error", M, True, "A rule's severity raised to `error`."),
    Rule("rule-relaxed", m, True, "A rule's severity lowered from `error`."),
    Rule("rule-severity-changed", m, True, "A rule changed between `warning` and `info`."),
    Rule(
        "rule-condition-changed",
        M,
        False,
        "The condition of an `error` rule changed: it may reject records it accepted.",
    ),
    Rule("rule-changed", m, False, "The condition of a `warning` or `info` rule changed."),
    Rule(
        "rule-follows-rename",
        P,
        True,
        "A rule's condition changed only to name renamed classes by their new ids (rules "
        "refuse aliases, GK302): it judges the same labels.",
    ),
    Rule("rule-text-changed", P, True, "A rule's message or description reworded."),
    # acceptance, governance, scope, delivery
    Rule("acceptance-added", m, True, "An acceptance criterion added."),
    Rule("acceptance-removed", m, True, "An acceptance criterion removed."),
    Rule("acceptance-tightened", m, True, "An acceptance threshold made stricter."),
    Rule("acceptance-loosened", m, True, "An acceptance threshold relaxed."),
    Rule("acceptance-note-changed", P, True, "A criterion's note reworded."),
    Rule(
        "governance-changed",
        m,
        True,
        "Sensitivity levels, the default level, audiences, clearances or retention changed.",
    ),
    Rule("governance-text-changed", P, True, "Governance owners, escalation or review text."),
    Rule("sensitivity-changed", P, True, "The sensitivity of a task, class or example changed."),
    Rule("skip-reason-added", m, True, "A skip reason added."),
    Rule(
        "skip-reason-removed",
        M,
        True,
        "A skip reason removed: records skipped for it are rejected.",
    ),
    Rule("scope-text-changed", P, True, "Scope description or a skip reason reworded."),
    Rule(
        "delivery-format-changed",
        M,
        True,
        "Delivery file format, id field, `include_inputs` or metadata field names changed.",
    ),
    Rule(
        "delivery-tightened",
        M,
        True,
        "Deliveries accept less: metadata made required, statuses restricted, unknown "
        "fields forbidden.",
    ),
    Rule(
        "delivery-loosened",
        m,
        True,
        "Deliveries accept more: metadata no longer required, more statuses, unknown fields "
        "allowed.",
    ),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


# -- declarations ----------------------------------------------------------------------------

#: The owners of changes outside tasks, classes, rules and edge cases: the guideline itself
#: (``changes:`` at the top level) and its sections (``changes:`` inside the section).
GUIDELINE: tuple[str, ...] = ("guideline",)
SECTIONS = ("record", "acceptance", "governance", "scope", "delivery")


@dataclass(frozen=True, slots=True)
class Declaration:
    """What the authors declared for one owner (a class, a task, a rule, an edge case, a
    section or the guideline itself).

    ``stale`` says why the declaration does not apply to this change (then ``code`` is the
    GK7xx warning that reports it, and ``always`` whether it is reported even when nothing
    of its owner changed)."""

    owner: tuple[str, ...]
    impact: Impact | None
    notes: tuple[str, ...]
    what: str
    loc: Location | None = None
    stale: str = ""
    code: str = ""
    always: bool = False
    lower_only: bool = False


def _later(version: str, than: str) -> bool:
    v, b = semver.parse(version), semver.parse(than)
    return v is not None and b is not None and v.key() > b.key()


def declarations(old: ir.Guideline, new: ir.Guideline) -> dict[tuple[str, ...], Declaration]:
    """Declarations of ``new`` for the change from ``old``.

    A declaration is bound to the version that introduced it: a change note whose version
    lies in ``(old.version, new.version]``, an edge case's ``impact`` whose ``since`` does.
    Others are kept as *stale* (reported, never applied) when they look meant for this
    release: a note for a later version (GK713), an edge case's ``impact`` without ``since``
    (GK714), or an ``impact`` carried over from the edge case's earlier decision, whose
    ``since`` alone was updated (GK715: it may not lower the new decision's impact).
    """
    out: dict[tuple[str, ...], Declaration] = {}

    def notes(
        owner: tuple[str, ...], items: Sequence[ir.ChangeNote], what: str, loc: Location | None
    ) -> None:
        hits = [n for n in items if semver.in_range(n.version, old.version, new.version)]
        if hits:
            impact = Impact.highest([Impact(n.impact) for n in hits if n.impact])
            out[owner] = Declaration(owner, impact, tuple(n.note.strip() for n in hits), what, loc)
            return
        ahead = [n for n in items if _later(n.version, new.version)]
        if ahead:
            n = ahead[0]
            out[owner] = Declaration(
                owner,
                None,
                (),
                what,
                loc,
                stale=f"{what} declares a change for {n.version}, but the version being "
                f"released is {new.version}; the note is ignored",
                code="GK713",
                always=True,
            )

    for task in new.tasks.values():
        notes(("task", task.id), task.changes, f"task '{task.id}'", task.loc)
        for cls in task.classes:
            notes(("class", task.id, cls.id), cls.changes, f"class '{cls.id}'", cls.loc)
    for r in new.rules:
        notes(("rule", r.id), r.changes, f"rule '{r.id}'", r.loc)
    for name in SECTIONS:
        section = getattr(new, name)
        notes(("section", name), section.changes, f"the `{name}` section", section.loc)
    top = new.changes_loc or (Location(new.files[0]) if new.files else None)
    notes(GUIDELINE, new.changes, "the top-level `changes:`", top)
    before = {x.id: x for x in old.edge_cases() if x.id}
    for ex in new.edge_cases():
        if ex.id is None or ex.impact is None:
            continue
        owner, what = ("edge", ex.id), f"edge case '{ex.id}'"
        if ex.since is None:
            out[owner] = Declaration(
                owner,
                None,
                (),
                what,
                ex.loc,
                stale=f"{what} declares `impact: {ex.impact}` without `since`, so it is not "
                "bound to a version; it is ignored",
                code="GK714",
            )
            continue
        if not semver.in_range(ex.since, old.version, new.version):
            continue
        was = before.get(ex.id)
        carried = (
            was is not None
            and was.impact == ex.impact
            and was.since is not None
            and was.since != ex.since
        )
        out[owner] = Declaration(
            owner,
            Impact(ex.impact),
            (),
            what,
            ex.loc,
            stale=f"{what} keeps `impact: {ex.impact}` from its decision of {was.since}"
            if carried and was is not None and was.since
            else "",
            code="GK715" if carried else "",
            lower_only=carried,
        )
    return out


def apply(
    changes: Iterable[Change], decls: dict[tuple[str, ...], Declaration]
) -> tuple[list[Change], list[Diagnostic]]:
    """Apply declarations to changes; report declarations that were lowered or unused."""
    out: list[Change] = []
    problems: list[Diagnostic] = []
    used: set[tuple[str, ...]] = set()
    warned: set[tuple[tuple[str, ...], str]] = set()
    for c in changes:
        d = decls.get(c.owner)
        if d is None:
            out.append(c)
            continue
        used.add(c.owner)
        if d.stale and (not d.lower_only or d.impact is None or d.impact.rank < c.computed.rank):
            out.append(c)
            if (c.owner, "stale") not in warned and not d.always:
                warned.add((c.owner, "stale"))
                extra = (
                    f"; it cannot lower '{c.message}' ({c.rule}, {c.computed.value})"
                    if d.lower_only
                    else ""
                )
                problems.append(
                    diag(
                        d.code,
                        d.stale + extra,
                        d.loc,
                        hint="bind the declaration to the version being released (`since:` or "
                        "`version:`), or accept the change in `.guidekit-ignore.yaml` with a "
                        "reason",
                    )
                )
            continue
        note = " ".join(d.notes) or None
        if d.impact is None:
            out.append(replace(c, note=note))
            continue
        impact = d.impact
        if RULES[c.rule].certain and d.impact.rank < c.computed.rank:
            impact = c.computed
            if (c.owner, c.rule) not in warned:
                warned.add((c.owner, c.rule))
                problems.append(
                    diag(
                        "GK705",
                        f"{d.what} declares a {d.impact.value} change, but '{c.message}' "
                        f"({c.rule}) is {c.computed.value}; the declaration cannot lower it",
                        d.loc,
                        hint="declarations may raise the impact of any change and lower only "
                        "judgement calls (reworded text, moved boundaries, decisions)",
                    )
                )
        elif RULES[c.rule].certain:
            impact = Impact.highest([d.impact, c.computed]) or c.computed
        out.append(replace(c, impact=impact, declared=d.impact, note=note))
    for owner, d in decls.items():
        if d.always:
            problems.append(
                diag(
                    d.code,
                    d.stale,
                    d.loc,
                    hint="set the note's `version` to the version being released, or raise "
                    "`version` if this is that release",
                )
            )
            continue
        if owner not in used and owner[0] != "edge" and not d.stale:
            problems.append(
                diag(
                    "GK706",
                    f"{d.what} declares a change for this version, but nothing in it changed",
                    d.loc,
                    hint="remove the note, or give it the version that made the change",
                )
            )
    return out, problems
