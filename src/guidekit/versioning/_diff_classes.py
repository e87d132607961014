"""Differences of the classes of a task: renames, merges, splits and removals (through the
label fates), classes added, and the fields of classes present in both."""

from __future__ import annotations

from collections.abc import Sequence

from guidekit import ir, tasktypes
from guidekit.versioning._diff_attributes import diff_attributes
from guidekit.versioning._diff_examples import Relabel, diff_examples
from guidekit.versioning._emit import Scope, code, pair_texts, snippet
from guidekit.versioning.model import LabelFate

CONSTRAINT = ("class-constraint-tightened", "class-constraint-loosened")


def diff_classes(
    s: Scope, a: ir.Task, b: ir.Task, fates: dict[str, LabelFate], relabel: Relabel
) -> None:
    tid = b.id
    s = s.sub("class")
    explained = _fates(s, a, b, fates)
    for cls in b.classes:
        before = a.get(cls.id)
        levels = (cls.sensitivity,) if before is None else (before.sensitivity, cls.sensitivity)
        at = s.sub(class_id=cls.id, loc=cls.loc, owner=("class", tid, cls.id), levels=levels)
        if before is None:
            if cls.id in explained:
                continue
            rule = tasktypes.of(b).diff_class_added_rule()
            under = " under " + ", ".join(f"`{p}`" for p in cls.parents) if cls.parents else ""
            at.add(rule, "added", f"class `{cls.id}` added{under}", new=cls.definition)
            continue
        if before.deprecated and not cls.deprecated:
            at.add("class-undeprecated", "changed", f"class `{cls.id}` no longer deprecated")
        if fates[cls.id].kind == "kept" or (before.deprecated and cls.deprecated):
            _pair(at, before, cls, b, relabel, renamed=False)
    for oid, fate in fates.items():
        if fate.kind == "renamed" and fate.targets[0] not in a:
            cls = b[fate.targets[0]]
            levels = (a[oid].sensitivity, cls.sensitivity)
            at = s.sub(class_id=cls.id, loc=cls.loc, owner=("class", tid, cls.id), levels=levels)
            _pair(at, a[oid], cls, b, relabel, renamed=True)
    common = [c for c in a.class_ids() if c in b]
    order = [c for c in b.class_ids() if c in a]
    if common != order:
        rule = tasktypes.of(b).diff_reordered_rule()
        s.add(
            rule,
            "changed",
            f"classes of task `{tid}` reordered",
            old=", ".join(common),
            new=", ".join(order),
            subject="task",
            owner=("task", tid),
        )


def _fates(s: Scope, a: ir.Task, b: ir.Task, fates: dict[str, LabelFate]) -> set[str]:
    """Report what happened to old classes that are not simply kept; return the new classes
    those changes account for (they are not reported as added)."""
    tid = b.id
    explained: set[str] = set()
    merges: dict[str, list[str]] = {}
    old_labels = frozenset(a.labels())
    for cls in a.classes:
        oid, fate, now = cls.id, fates[cls.id], b.get(cls.id)
        if fate.kind == "kept":
            continue
        if now is not None and now.deprecated and cls.deprecated:
            if now.replaced_by != cls.replaced_by:
                levels: tuple[str, ...] = (cls.sensitivity, now.sensitivity)
                at = s.sub(class_id=oid, loc=now.loc, owner=("class", tid, oid), levels=levels)
                at.value(
                    "class-replacement-changed",
                    f"replacement of deprecated class `{oid}`",
                    list(cls.replaced_by),
                    list(now.replaced_by),
                )
            continue
        if fate.kind == "merged":
            merges.setdefault(fate.targets[0], []).append(oid)
            continue
        explained.update(fate.targets)
        anchor = now or (b.get(fate.targets[0]) if fate.targets else None)
        single = len(fate.targets) == 1
        holder = fate.targets[0] if single else oid
        at = s.sub(
            class_id=fate.targets[0] if single and fate.kind == "renamed" else oid,
            targets=fate.targets,
            loc=anchor.loc if anchor is not None else b.loc,
            # a class the new version no longer has leaves its notes to the task
            owner=("class", tid, holder) if b.get(holder) is not None else ("task", tid),
            levels=(cls.sensitivity, *(b[t].sensitivity for t in fate.targets)),
        )
        if fate.kind == "renamed" and fate.accepted:
            how = "stays accepted as an alias" if fate.via == "alias" else "stays, deprecated"
            at.add(
                "class-renamed",
                "renamed",
                f"class `{oid}` renamed to `{fate.targets[0]}`",
                reason=f"the old label {how}; `guidekit migrate` rewrites it",
            )
        elif fate.kind == "renamed":
            at.add(
                "class-replaced",
                "removed",
                f"deprecated class `{oid}` removed; its labels become `{fate.targets[0]}`",
                reason="deliveries with the old label are rejected until `guidekit migrate` rewrites them",
            )
        elif fate.kind == "split":
            how = (
                "it became a parent, so it is no longer a label"
                if fate.via == "became a parent"
                else "existing labels need re-annotation"
            )
            at.add(
                "class-split",
                "split",
                f"class `{oid}` split into {code(list(fate.targets))}",
                reason=how,
            )
        elif fate.kind == "retired":
            at.add(
                "class-retired",
                "removed",
                f"class `{oid}` deprecated without replacement",
                reason="existing labels have no counterpart and need re-annotation",
            )
        elif oid in old_labels:
            twin = _same_class_new_id(cls, a, b)
            reason = "labels using it are rejected and need re-annotation"
            if twin is not None:
                reason += (
                    f"; if `{twin}` (added, same {'definition' if twin_by_definition(cls, b[twin]) else 'name'})"
                    f" is this class under a new id, add `aliases: [{oid}]` to `{twin}`: then it is a "
                    "rename, old labels stay accepted and `guidekit migrate` rewrites them"
                )
            at.add("class-removed", "removed", f"class `{oid}` removed", reason=reason)
        else:
            at.add("group-removed", "removed", f"grouping class `{oid}` removed")
    for target, sources in merges.items():
        explained.add(target)
        accepted = all(fates[x].accepted for x in sources)
        how = "stay accepted" if accepted else "are rejected until migrated"
        noun = "class" if len(sources) == 1 else "classes"
        levels = (*(a[x].sensitivity for x in sources), b[target].sensitivity)
        at = s.sub(
            class_id=target,
            targets=(target,),
            loc=b[target].loc,
            owner=("class", tid, target),
            levels=levels,
        )
        at.add(
            "class-renamed" if accepted else "class-replaced",
            "merged",
            f"{noun} {code(sources)} merged into `{target}`",
            reason=f"old labels {how}; `guidekit migrate` rewrites them",
        )
    return explained


def twin_by_definition(old: ir.Class, new: ir.Class) -> bool:
    if not old.definition or not new.definition:
        return False
    return " ".join(old.definition.split()) == " ".join(new.definition.split())


def _same_class_new_id(cls: ir.Class, a: ir.Task, b: ir.Task) -> str | None:
    """A class added under another id with the same definition (or the same display name):
    most likely ``cls`` renamed without an alias."""
    added = [c for c in b.classes if a.get(c.id) is None and not c.aliases]
    for c in added:
        if twin_by_definition(cls, c):
            return c.id
    for c in added:
        if cls.name and cls.name != cls.id and c.name.casefold() == cls.name.casefold():
            return c.id
    return None


def _parents(s: Scope, a: ir.Class, b: ir.Class, task: ir.Task, relabel: Relabel) -> None:
    """A class's parents: one parent for another is a move; in a polyhierarchy each parent
    added or removed is its own change (the class keeps its other parents)."""
    old = [relabel.label(task.id, p) for p in a.parents]
    new = list(b.parents)
    if set(old) == set(new):
        return
    cid = b.id
    if len(old) <= 1 and len(new) <= 1:
        s.value("class-moved", f"parent of `{cid}`", a.parent, b.parent)
        return
    for p in new:
        if p not in old:
            s.add("class-parent-added", "changed", f"`{cid}` now also under `{p}`")
    for p in old:
        if p not in new:
            s.add("class-parent-removed", "changed", f"`{cid}` no longer under `{p}`")


def _pair(
    s: Scope, a: ir.Class, b: ir.Class, task: ir.Task, relabel: Relabel, *, renamed: bool
) -> None:
    """Fields of one class before and after (``renamed``: ``a`` had another id)."""
    cid = b.id
    s.text(
        "class-text-changed",
        f"name of `{cid}`",
        a.name if a.name != a.id else None,
        b.name if b.name != b.id else None,
    )
    s.text("class-definition-changed", f"definition of `{cid}`", a.definition, b.definition)
    _boundary(s.sub("include"), a.includes, b.includes, "include", cid, widen_on_add=True)
    _boundary(s.sub("exclude"), a.excludes, b.excludes, "exclude", cid, widen_on_add=False)
    _parents(s, a, b, task, relabel)
    aliases = s.sub("alias")
    for alias in sorted(set(b.aliases) - set(a.aliases) - {a.id}):
        aliases.add("alias-added", "added", f"alias `{alias}` added to `{cid}`", name=alias)
    for alias in sorted(set(a.aliases) - set(b.aliases)):
        if task.resolve_label(alias) is None:
            aliases.add(
                "alias-removed", "removed", f"alias `{alias}` removed from `{cid}`", name=alias
            )
    if a.deprecated and b.deprecated:
        s.text(
            "class-text-changed",
            f"deprecation note of `{cid}`",
            a.deprecation_note,
            b.deprecation_note,
        )
    s.text("class-text-changed", f"escalation of `{cid}`", a.escalate, b.escalate)
    s.value("sensitivity-changed", f"sensitivity of `{cid}`", a.sensitivity, b.sensitivity)
    s.value("class-display-changed", f"colour of `{cid}`", a.color, b.color)
    s.value("class-display-changed", f"hotkey of `{cid}`", a.hotkey, b.hotkey)
    for dim in ("width", "height"):
        x = getattr(a.min_size, dim) if a.min_size else None
        y = getattr(b.min_size, dim) if b.min_size else None
        s.bound(f"minimum {dim} of `{cid}`", x, y, higher_is_stricter=True, rules=CONSTRAINT)
    diff_skeleton(s, a.skeleton, b.skeleton, f"skeleton of `{cid}`", CONSTRAINT[0])
    _ends(s, "source classes", a.from_, b.from_, cid)
    _ends(s, "target classes", a.to, b.to, cid)
    diff_attributes(s, a.attributes, b.attributes, f"`{cid}`")
    on = f"`{cid}`"
    diff_examples(s, a.examples, b.examples, "example", on, relabel)
    diff_examples(s, a.negatives, b.negatives, "negative", on, relabel)


def diff_skeleton(
    s: Scope, a: ir.Skeleton | None, b: ir.Skeleton | None, label: str, rule: str
) -> None:
    """Keypoints changed (``rule``) or only the edges drawn between them (display)."""
    pa = list(a.points) if a else []
    pb = list(b.points) if b else []
    if pa != pb:
        s.value(rule, f"{label}: points", pa, pb)
        return
    ea = sorted(tuple(x) for x in a.edges) if a else []
    eb = sorted(tuple(x) for x in b.edges) if b else []
    if ea != eb:
        s.add("task-display-changed", "changed", f"{label}: edges changed")


def _boundary(
    s: Scope, old: Sequence[str], new: Sequence[str], what: str, cid: str, *, widen_on_add: bool
) -> None:
    """Includes and excludes: added ones widen or narrow the class; reworded ones do not."""
    removed = [x for x in old if x not in new]
    added = [x for x in new if x not in old]
    widen, narrow = ("class-widened", "class-narrowed")
    why = {
        widen: "Items that now belong to the class may carry another label in existing "
        "deliveries; declare the impact if the boundary moved on purpose",
        narrow: "Existing labels of the class may cover items it now leaves out; declare "
        "`impact: patch` if this only clarifies the old boundary",
    }
    for x, y in pair_texts(removed, added):
        if x is not None and y is not None:
            s.add(
                "class-boundary-reworded",
                "changed",
                f"{what} of `{cid}` reworded",
                old=x,
                new=y,
                words=True,
            )
        elif y is not None:
            rule = widen if widen_on_add else narrow
            s.add(
                rule, "added", f"{what} added to `{cid}`: {snippet(y, 80)}", new=y, reason=why[rule]
            )
        elif x is not None:
            rule = narrow if widen_on_add else widen
            s.add(
                rule,
                "removed",
                f"{what} removed from `{cid}`: {snippet(x, 80)}",
                old=x,
                reason=why[rule],
            )


def _ends(
    s: Scope, label: str, old: tuple[str, ...] | None, new: tuple[str, ...] | None, cid: str
) -> None:
    """Allowed relation ends (``None``: any class)."""
    if (set(old) if old is not None else None) == (set(new) if new is not None else None):
        return
    if new is None:
        narrower = False
    elif old is None:
        narrower = True
    else:
        narrower = bool(set(old) - set(new))
    rule = CONSTRAINT[0] if narrower else CONSTRAINT[1]
    s.add(
        rule,
        "changed",
        f"{label} of `{cid}`: {code(list(old or ['any']))} → {code(list(new or ['any']))}",
    )
