"""Random delivery records for a guideline: clean ones, and broken ones.

``RecordFactory(g).valid(rnd)`` builds a record that carries every task the way the guideline
asks; ``mutate(rec, rnd)`` breaks it in one to three ways, some structural (wrong types,
missing keys, unknown labels), some semantic (spans past the text, boxes outside the image,
dangling relations). Used by the property-based tests, with ``rnd`` a hypothesis-controlled
``random.Random``.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from guidekit import ir
from guidekit.record.layout import Layout
from guidekit.record.shapes import clean_labels, effective_applies, profile, skeleton_names

WORDS = [
    "order",
    "kettle",
    "refund",
    "arrived",
    "broken",
    "charged",
    "twice",
    "please",
    "help",
    "my",
    "card",
    "the",
    "a",
    "blender",
    "tracking",
    "parcel",
    "late",
    "invoice",
    "plan",
    "café",
    "naïve",
    "東京",
    "emoji🙂",
    "x",
]
JUNK: list[Any] = [None, True, False, 0, -1, 7, 1.5, -0.5, "", "x", "zzz", [], {}, [1, 2], {"a": 1}]


class RecordFactory:
    def __init__(self, g: ir.Guideline) -> None:
        self.g = g
        self.lay = Layout.of(g)
        self.counter = 0

    # -- clean records -----------------------------------------------------------------------
    def valid(self, rnd: random.Random) -> dict[str, Any]:
        g, lay = self.g, self.lay
        self.counter += 1
        rec: dict[str, Any] = {lay.id_key: f"item-{self.counter}"}
        for name, f in lay.inputs.items():
            if not f.required and rnd.random() < 0.3:
                continue
            rec[name] = self.input(f, rnd)
        meta = lay.meta
        rec[meta["annotator"]] = rnd.choice(["ann-1", "ann-2", "ann-3"])
        rec[meta["guideline_version"]] = g.version
        if lay.statuses:
            rec[meta["status"]] = rnd.choice(lay.statuses)
        if rnd.random() < 0.5:
            rec[meta["created_at"]] = rnd.choice(
                ["2024-05-01T14:03:00Z", "2024-05-01", "2024-05-01T14:03:00.123+02:00"]
            )
        if lay.splits and rnd.random() < 0.7:
            rec[meta["split"]] = rnd.choice(lay.splits)
        for role in lay.required_meta:
            key = meta[role]
            if key not in rec:
                rec[key] = self.meta_value(role, rnd)
        if lay.skip_reasons and rnd.random() < 0.05:
            rec[meta["skip"]] = rnd.choice(lay.skip_reasons)
            return rec
        unresolved = rnd.random() < 0.05
        if unresolved:
            rec[meta["unresolved"]] = True
            rec[meta["question"]] = "Is this a refund?"
        for task in g.tasks.values():
            if task.type == "relations":
                continue
            if (not task.required or unresolved) and rnd.random() < 0.25:
                continue
            rec[task.id] = self.value(task, rec, rnd)
        for task in g.tasks.values():
            if task.type == "relations" and (task.required or rnd.random() < 0.8):
                rec[task.id] = self.relations(task, rec, rnd)
        return rec

    def meta_value(self, role: str, rnd: random.Random) -> Any:
        lay = self.lay
        if role == "status" and lay.statuses:
            return rnd.choice(lay.statuses)
        if role == "split" and lay.splits:
            return rnd.choice(lay.splits)
        if role in ("created_at", "updated_at"):
            return "2024-05-01T10:00:00Z"
        if role == "unresolved":
            return False
        if role == "guideline_version":
            return self.g.version
        if role == "skip":
            return rnd.choice(lay.skip_reasons) if lay.skip_reasons else None
        return "someone"

    def input(self, f: ir.InputField, rnd: random.Random) -> Any:
        t = f.type
        if t == "text":
            return " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(3, 25)))
        if t == "image":
            if f.width and f.height and rnd.random() < 0.5:
                return f"images/{rnd.randint(1, 99)}.png"
            if rnd.random() < 0.1:
                return f"images/{rnd.randint(1, 99)}.png"
            return {
                "path": f"images/{rnd.randint(1, 99)}.png",
                "width": rnd.choice([320, 640, 1920]),
                "height": rnd.choice([240, 480, 1080]),
            }
        if t == "category":
            return rnd.choice(f.values or ["x"])
        if t == "integer":
            return rnd.randint(-3, 99)
        if t == "number":
            return rnd.choice([0.5, 3, 12.25])
        if t == "boolean":
            return rnd.random() < 0.5
        return "value"

    def image_size(self, task: ir.Task, rec: dict[str, Any]) -> tuple[float, float]:
        value = rec.get(task.over or "")
        if isinstance(value, dict) and "width" in value:
            return float(value["width"]), float(value["height"])
        f = self.g.record.fields.get(task.over or "")
        if f is not None and f.width and f.height:
            return float(f.width), float(f.height)
        return 640.0, 480.0

    def attributes(
        self, task: ir.Task, cid: str, rnd: random.Random, force: bool = False
    ) -> dict[str, Any] | None:
        prof = profile(task, cid)
        if prof.empty or (not prof.needs_attributes and not force and rnd.random() < 0.4):
            return None
        given: dict[str, Any] = {}
        conditional = {c.name: c for c in prof.conditional}
        for name, a in prof.attrs.items():
            if name in conditional:
                continue
            if name in prof.required or rnd.random() < 0.6:
                given[name] = self.attr_value(a, rnd)
        for name, c in conditional.items():
            other = given.get(c.other)
            if other is None:
                od = task.attributes_for(cid).get(c.other)
                other = od.default if od is not None else None
            if not effective_applies(c.values, other):
                continue
            if c.required or rnd.random() < 0.5:
                given[name] = self.attr_value(prof.attrs[name], rnd)
        if not given and not prof.needs_attributes and rnd.random() < 0.5:
            return None
        return given

    def attr_value(self, a: ir.Attribute, rnd: random.Random) -> Any:
        if a.type == "enum":
            return rnd.choice(a.values)
        if a.type == "boolean":
            return rnd.random() < 0.5
        if a.type == "text":
            return rnd.choice(["STOP", "", "exit 3"])
        lo = a.min if a.min is not None else -5
        hi = a.max if a.max is not None else 50
        if a.type == "integer":
            return rnd.randint(int(lo), int(hi))
        return round(rnd.uniform(lo, hi), 2)

    def label_item(self, task: ir.Task, rnd: random.Random, label: str | None = None) -> Any:
        label = label or rnd.choice(clean_labels(task))
        attrs = self.attributes(task, label, rnd)
        if attrs is None:
            return {"label": label} if rnd.random() < 0.1 else label
        return {"label": label, "attributes": attrs}

    def value(self, task: ir.Task, rec: dict[str, Any], rnd: random.Random) -> Any:
        t = task.type
        if t in ("single", "ordinal"):
            return self.label_item(task, rnd)
        if t == "multi":
            labels = clean_labels(task)
            lo = task.min_labels or 0
            hi = min(task.max_labels or len(labels), len(labels))
            chosen = rnd.sample(labels, rnd.randint(lo, max(lo, hi)))
            return [self.label_item(task, rnd, lab) for lab in chosen]
        if t == "spans":
            return self.spans(task, rec, rnd)
        if t in ("bbox", "polygon", "keypoints"):
            return self.regions(task, rec, rnd)
        if t == "text":
            lo = task.min_length or 0
            hi = task.max_length or 40
            n = rnd.randint(lo, max(lo, min(hi, lo + 30)))
            return "".join(rnd.choice("abcdef é") for _ in range(n))
        if t == "number":
            lo = task.min if task.min is not None else -100
            hi = task.max if task.max is not None else 100
            if task.integer:
                return rnd.randint(int(lo), int(hi))
            return round(rnd.uniform(lo, hi), 3)
        return rnd.random() < 0.5

    def spans(self, task: ir.Task, rec: dict[str, Any], rnd: random.Random) -> list[Any]:
        text = rec.get(task.over or "")
        if not isinstance(text, str):
            text = " ".join(WORDS)
        starts = [i for i in range(len(text)) if text[i] != " " and (i == 0 or text[i - 1] == " ")]
        chosen = sorted(rnd.sample(starts, min(len(starts), rnd.randint(0, 4))))
        if not chosen and not task.allow_empty and starts:
            chosen = [starts[0]]
        out = []
        for k, s in enumerate(chosen):
            e = text.find(" ", s)
            e = len(text) if e < 0 else e
            label = rnd.choice(clean_labels(task))
            span: dict[str, Any] = {"start": s, "end": e, "label": label}
            if rnd.random() < 0.5:
                span["text"] = text[s:e]
            if rnd.random() < 0.7:
                span["id"] = f"s{k}"
            attrs = self.attributes(task, label, rnd)
            if attrs is not None:
                span["attributes"] = attrs
            out.append(span)
        return out

    def regions(self, task: ir.Task, rec: dict[str, Any], rnd: random.Random) -> list[Any]:
        w, h = self.image_size(task, rec)
        c = task.coordinates
        scale_x, scale_y = (1.0 / w, 1.0 / h) if c.units == "normalized" else (1.0, 1.0)
        n = rnd.randint(0 if task.allow_empty else 1, 4)
        out = []
        for k in range(n):
            label = rnd.choice(clean_labels(task))
            region: dict[str, Any] = {"label": label}
            if task.type == "bbox":
                cls = task.get(label)
                mw = cls.min_size.width if cls and cls.min_size else 0
                mh = cls.min_size.height if cls and cls.min_size else 0
                bw = rnd.uniform(max(mw, 1) + 0.5, max(mw + 2, w / 3))
                bh = rnd.uniform(max(mh, 1) + 0.5, max(mh + 2, h / 3))
                x = rnd.uniform(0, w - bw)
                y = rnd.uniform(0, h - bh)
                if c.format == "xywh":
                    box = [x * scale_x, y * scale_y, bw * scale_x, bh * scale_y]
                else:
                    box = [x * scale_x, y * scale_y, (x + bw) * scale_x, (y + bh) * scale_y]
                region["bbox"] = [round(v, 4) for v in box]
            elif task.type == "polygon":
                x, y = rnd.uniform(0, w / 2), rnd.uniform(0, h / 2)
                d = rnd.uniform(2, min(w, h) / 2 - 1)
                pts = [[x, y], [x + d, y], [x + d, y + d], [x, y + d]][: rnd.choice([3, 4])]
                region["points"] = [
                    [round(px * scale_x, 4), round(py * scale_y, 4)] for px, py in pts
                ]
            else:
                names = skeleton_names(task, label) or ("p",)
                region["points"] = {
                    nm: [
                        round(rnd.uniform(0, w) * scale_x, 3),
                        round(rnd.uniform(0, h) * scale_y, 3),
                        rnd.choice([0, 1, 2]),
                    ]
                    for nm in names
                    if rnd.random() < 0.8
                }
            if rnd.random() < 0.8:
                region["id"] = k + 1 if rnd.random() < 0.5 else f"r{k + 1}"
            attrs = self.attributes(task, label, rnd)
            if attrs is not None:
                region["attributes"] = attrs
            out.append(region)
        return out

    def relations(self, task: ir.Task, rec: dict[str, Any], rnd: random.Random) -> list[Any]:
        over = self.g.tasks[task.over or ""]
        regions = [r for r in rec.get(over.id) or [] if isinstance(r, dict) and "id" in r]
        out: list[Any] = []
        seen = set()
        for _ in range(rnd.randint(0, 3)):
            if len(regions) < 2:
                break
            a, b = rnd.sample(regions, 2)
            options = [
                c
                for c in clean_labels(task)
                if (task[c].from_ is None or any(over.is_a(a["label"], x) for x in task[c].from_))
                and (task[c].to is None or any(over.is_a(b["label"], x) for x in task[c].to))
            ]
            if not options:
                continue
            label = rnd.choice(options)
            key = (label, str(a["id"]), str(b["id"]))
            if not task.directed:
                key = (label, *sorted(key[1:]))
            if key in seen:
                continue
            seen.add(key)
            rel: dict[str, Any] = {"label": label, "from": a["id"], "to": b["id"]}
            attrs = self.attributes(task, label, rnd)
            if attrs is not None:
                rel["attributes"] = attrs
            out.append(rel)
        return out

    # -- broken records ----------------------------------------------------------------------
    def mutate(self, rec: dict[str, Any], rnd: random.Random) -> dict[str, Any]:
        rec = copy.deepcopy(rec)
        for _ in range(rnd.randint(1, 3)):
            rnd.choice([self.junk, self.junk, self.drop, self.extra, self.targeted])(rec, rnd)
        return rec

    def paths(self, node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        out = []
        if isinstance(node, dict):
            for k, v in node.items():
                out.append((*prefix, k))
                out.extend(self.paths(v, (*prefix, k)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                out.append((*prefix, i))
                out.extend(self.paths(v, (*prefix, i)))
        return out

    def _parent(self, rec: Any, path: tuple[Any, ...]) -> Any:
        node = rec
        for p in path[:-1]:
            node = node[p]
        return node

    def junk(self, rec: dict[str, Any], rnd: random.Random) -> None:
        paths = self.paths(rec)
        if not paths:
            return
        path = rnd.choice(paths)
        pool = [*JUNK, *self.label_pool()]
        self._parent(rec, path)[path[-1]] = copy.deepcopy(rnd.choice(pool))

    def drop(self, rec: dict[str, Any], rnd: random.Random) -> None:
        paths = [p for p in self.paths(rec) if isinstance(p[-1], str)]
        if paths:
            path = rnd.choice(paths)
            del self._parent(rec, path)[path[-1]]

    def extra(self, rec: dict[str, Any], rnd: random.Random) -> None:
        dicts = [()] + [p for p in self.paths(rec) if isinstance(self._get(rec, p), dict)]
        target = self._get(rec, rnd.choice(dicts))
        target[rnd.choice(["zzz", "note", "label", "id", "attributes"])] = copy.deepcopy(
            rnd.choice(JUNK)
        )

    def _get(self, rec: Any, path: tuple[Any, ...]) -> Any:
        node = rec
        for p in path:
            node = node[p]
        return node

    def label_pool(self) -> list[str]:
        pool = ["nonsense"]
        for task in self.g.tasks.values():
            for c in task.classes:
                pool.append(c.id)
                pool.extend(c.aliases)
        return pool

    def targeted(self, rec: dict[str, Any], rnd: random.Random) -> None:
        lay = self.lay
        choice = rnd.randrange(12)
        tasks = [t for t in self.g.tasks.values() if isinstance(rec.get(t.id), list) and rec[t.id]]
        if choice == 0:
            rec[lay.meta["guideline_version"]] = rnd.choice(["0.0.1", "99.0.0", "nonsense"])
        elif choice == 1:
            rec[lay.meta["skip"]] = rnd.choice([*lay.skip_reasons, "bored"])
        elif choice == 2:
            rec[lay.meta["unresolved"]] = rnd.choice([True, False, "yes"])
        elif choice == 3:
            rec[lay.meta["created_at"]] = rnd.choice(["yesterday", "2024-13", "2024-05-01\n"])
        elif choice == 4:
            rec[lay.meta["status"]] = rnd.choice(["done", "labelled"])
        elif choice == 5 and tasks:
            task = rnd.choice(tasks)
            item = rnd.choice(rec[task.id])
            if isinstance(item, dict):
                self.break_region(task, item, rec, rnd)
        elif choice == 6 and tasks:
            task = rnd.choice(tasks)
            rec[task.id].append(copy.deepcopy(rnd.choice(rec[task.id])))
        elif choice == 7:
            task = rnd.choice(list(self.g.tasks.values()))
            rec.pop(task.id, None)
        elif choice == 8:
            for task in self.g.tasks.values():
                if task.has_classes and task.classes:
                    c = rnd.choice(task.classes)
                    label = rnd.choice([c.id, *c.aliases])
                    if task.type in ("single", "ordinal"):
                        rec[task.id] = label
                    elif task.type == "multi":
                        rec[task.id] = [label]
                    elif isinstance(rec.get(task.id), list) and rec[task.id]:
                        item = rec[task.id][0]
                        if isinstance(item, dict):
                            item["label"] = label
                    break
        elif choice == 9 and tasks:
            task = rnd.choice(tasks)
            item = rnd.choice(rec[task.id])
            if isinstance(item, dict):
                attrs = item.get("attributes")
                if not isinstance(attrs, dict):
                    attrs = item["attributes"] = {}
                name = rnd.choice(
                    ["zzz", *(n for c in task.classes for n in task.attributes_for(c.id))]
                )
                attrs[name] = copy.deepcopy(rnd.choice([*JUNK, "red", "full", "high", 3]))
        elif choice == 10 and tasks:
            task = rnd.choice(tasks)
            item = rnd.choice(rec[task.id])
            if (
                isinstance(item, dict)
                and isinstance(item.get("attributes"), dict)
                and item["attributes"]
            ):
                del item["attributes"][rnd.choice(list(item["attributes"]))]
        elif choice == 11:
            for name, f in lay.inputs.items():
                if f.type == "image":
                    rec[name] = rnd.choice(
                        [{"path": "a.png", "width": 0, "height": 10}, {"width": 5}, "b.png", 3]
                    )
                elif f.type == "text" and isinstance(rec.get(name), str):
                    rec[name] = rec[name][: rnd.randint(0, len(rec[name]))]

    def break_region(
        self, task: ir.Task, item: dict[str, Any], rec: dict[str, Any], rnd: random.Random
    ) -> None:
        t = task.type
        if t == "spans":
            k = rnd.randrange(5)
            if k == 0:
                item["start"] = -rnd.randint(1, 3)
            elif k == 1:
                item["end"] = item.get("start", 0) if isinstance(item.get("start"), int) else 0
            elif k == 2:
                item["end"] = 10_000
            elif k == 3:
                item["text"] = "not the text"
            else:
                item["start"], item["end"] = 0, 3
        elif t == "bbox":
            box = item.get("bbox")
            if isinstance(box, list) and len(box) == 4:
                k = rnd.randrange(4)
                if k == 0:
                    box[2] = -box[2] if isinstance(box[2], (int, float)) else 0
                elif k == 1:
                    box[0] = 100_000
                elif k == 2:
                    box[2], box[3] = 1, 1
                else:
                    box.append(1)
        elif t == "polygon":
            pts = item.get("points")
            if isinstance(pts, list):
                k = rnd.randrange(3)
                if k == 0:
                    item["points"] = pts[:2]
                elif k == 1:
                    item["points"] = [[0, 0], [10, 10], [10, 0], [0, 10]]
                else:
                    item["points"] = [[0, 0], [1e6, 0], [0, 5]]
        elif t == "keypoints":
            pts = item.get("points")
            if isinstance(pts, dict):
                k = rnd.randrange(3)
                if k == 0:
                    pts["tail"] = [1, 1, 2]
                elif k == 1 and pts:
                    pts[next(iter(pts))] = [1, 1, 3]
                else:
                    pts["head"] = [1e6, 1e6, 2]
        elif t == "relations":
            item[rnd.choice(["from", "to"])] = rnd.choice(["nope", 99, 1.5, True])
