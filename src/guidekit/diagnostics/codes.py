"""The registry of diagnostic codes.

Codes are stable: once published a code is never reused for another meaning; a renamed code
keeps its old name in ``aliases``. Every code here has a docs entry generated from this table
(``spec/diagnostics.md``); a test keeps the two in step and checks that every code the
package emits is registered.

Ranges: ``GK0xx`` command line, ``GK1xx`` loading YAML, ``GK2xx`` structure, ``GK3xx``
meaning, ``GK4xx`` lint advice, ``GK5xx`` deliveries, ``GK6xx`` quality and acceptance,
``GK7xx`` versions and diffs, ``GK8xx`` labelling-tool bridges.
"""

from __future__ import annotations

from dataclasses import dataclass

from guidekit.diagnostics.model import Diagnostic, Location, Severity


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    title: str
    doc: str
    aliases: tuple[str, ...] = ()


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741

_TABLE: list[Code] = [
    # -- GK0xx: command line and environment ------------------------------------------------
    Code("GK001", E, "path not found", "A path given on the command line does not exist."),
    Code(
        "GK002",
        E,
        "not a guideline project",
        "The folder has no `guideline.yaml` (or the file given is not one).",
    ),
    Code(
        "GK003",
        E,
        "git revision not readable",
        "A `REV` or `REV:path` could not be read from the git repository.",
    ),
    Code(
        "GK010",
        E,
        "output not written by guidekit",
        "guidekit replaces what it wrote before, and only that. An output folder is guidekit's "
        "when it is new, empty or holds the marker `.guidekit-output.json`; any other folder is "
        "refused unless `--force`, which writes only guidekit's files and deletes nothing else. "
        "A file guidekit would overwrite that it did not write, or a symbolic link where it "
        "would write (links are never written through or replaced), is refused too.",
    ),
    Code(
        "GK011",
        E,
        "unknown audience",
        "`--audience` names an audience that `governance.audiences` does not declare.",
    ),
    Code(
        "GK012",
        E,
        "handbook site build failed",
        "mkdocs could not build the generated handbook without warnings (missing theme, "
        "broken link). The messages say what mkdocs reported.",
    ),
    Code(
        "GK013",
        E,
        "version not in the history",
        "`--since` (or the `since` option of the mkdocs plugin) names a version that the git "
        "history of the guideline does not hold, up to the version being built. A CI checkout "
        "often lacks tags and older commits: fetch them (`fetch-depth: 0`).",
    ),
    Code(
        "GK014",
        E,
        "handbook PDF not printed",
        "The `pdf` build target prints the handbook's print view with headless Chromium "
        "(`chromium` on `PATH`, or `GUIDEKIT_CHROMIUM`). No Chromium was found, it could not "
        "be started, or it failed or timed out; the message says which. `guidekit build "
        "--target pdf` checks for Chromium before any work and stops with exit code 2.",
    ),
    Code(
        "GK018",
        E,
        "target cannot be built for an audience",
        "`guidekit build --audience` filters the compiled guideline for the audience before "
        "any target sees it. A target that reads more than that (a plugin that opens the "
        "guideline's files, say) declares `audience_safe = False` and is refused with "
        "`--audience` rather than risk writing text above the audience's clearance. Build it "
        "without `--audience`.",
    ),
    Code(
        "GK020",
        E,
        "plugin broken",
        "An installed package declares a guidekit entry point (`guidekit.tasktypes`, "
        "`guidekit.targets` or `guidekit.formats`) that cannot be imported, or that names "
        "something other than what its group expects. Fix or uninstall that package.",
    ),
    Code(
        "GK040",
        E,
        "ledger not usable",
        "The ledger (`--ledger`, `GUIDEKIT_LEDGER`, or `.guidekit/ledger.db` next to the "
        "guideline) cannot be opened: the file is not a database or is damaged, the database "
        "holds tables but is not a guidekit ledger, or the server refused the connection. "
        "guidekit changes nothing in it. Point `--ledger` at another file, or restore it.",
    ),
    Code(
        "GK041",
        E,
        "ledger newer than guidekit",
        "The ledger's schema is at a revision this guidekit does not know: a newer guidekit "
        "has upgraded it. guidekit never downgrades a ledger; upgrade guidekit.",
    ),
    Code(
        "GK046",
        E,
        "question not usable",
        "A question given to `guidekit questions` (on the command line, or in a CSV, Label "
        "Studio export or delivery being imported) names a class or task the guideline does "
        "not have, has no text, or cannot be read; or `questions promote` cannot place the "
        "edge case in the guideline's files. The location names the file and row (or the "
        "option); nothing is written to the ledger.",
    ),
    # -- GK1xx: loading YAML -----------------------------------------------------------------
    Code(
        "GK101",
        E,
        "file not readable",
        "A guideline file could not be read (missing, a folder, or no permission).",
    ),
    Code(
        "GK102",
        E,
        "invalid encoding",
        "Guideline files are UTF-8. The location is the first byte that is not valid UTF-8.",
    ),
    Code(
        "GK103",
        E,
        "YAML syntax error",
        "The file is not valid YAML. The location is where "
        "the parser gave up; the problem is often on the line before.",
    ),
    Code(
        "GK104", E, "tab in indentation", "YAML forbids tabs for indentation. Indent with spaces."
    ),
    Code(
        "GK105",
        E,
        "duplicate key",
        "A mapping repeats a key. YAML parsers differ on which "
        "value wins, so guidekit rejects the file rather than silently dropping one.",
    ),
    Code(
        "GK106",
        E,
        "alias expansion limit",
        "Anchors and aliases (`&a`, `*a`) expand to "
        "more nodes than allowed, or refer to themselves. This protects against "
        "'billion laughs' files.",
    ),
    Code(
        "GK107",
        E,
        "document too large",
        "The file is larger than the configured limit (64 MiB by default) or nested too "
        "deeply, or the project with its includes and aliases expanded holds too many values, "
        "too much text, or a mapping with too many keys.",
    ),
    Code(
        "GK108",
        E,
        "include escapes the project",
        "An `include` must name a file inside the project folder: no absolute paths, no `..` "
        "escape, no symbolic link that leads outside.",
    ),
    Code("GK109", E, "include cycle", "A file includes itself, directly or through others."),
    Code(
        "GK110",
        E,
        "bad include",
        "An `include` names a file that does not exist, or is "
        "not written as `{include: relative/path.yaml}`.",
    ),
    Code(
        "GK111",
        E,
        "unsupported YAML",
        "The file uses a YAML feature guidekit does not "
        "accept: a custom tag (`!!python/object`), a non-scalar or non-string key, or "
        "several documents in one file.",
    ),
    Code("GK112", E, "empty file", "The file holds no YAML document."),
    # -- GK2xx: structure --------------------------------------------------------------------
    Code("GK201", E, "missing key", "A required key is missing."),
    Code(
        "GK202",
        E,
        "unknown key",
        "The key is not part of the guideline format at this "
        "place. The hint names the closest known key.",
    ),
    Code(
        "GK203",
        E,
        "wrong type",
        "The value has the wrong type (a list where a mapping is "
        "expected, a number where text is expected, ...).",
    ),
    Code(
        "GK204",
        E,
        "invalid value",
        "The value has the right type but is not allowed: not "
        "one of the listed choices, out of range, or not matching the expected pattern.",
    ),
    Code(
        "GK205",
        E,
        "unsupported format version",
        "`guidekit:` names a format version this release does not know.",
    ),
    # -- GK3xx: meaning ----------------------------------------------------------------------
    Code(
        "GK301",
        E,
        "duplicate id",
        "Two classes of a task, two edge cases, two rules or two "
        "examples share an id. Ids must be unique in their scope.",
    ),
    Code(
        "GK302",
        E,
        "unresolved reference",
        "A reference (a `parent`, `replaced_by`, a "
        "negative's `label`, a rule's task or class, an acceptance target, ...) names "
        "something that does not exist.",
    ),
    Code(
        "GK303",
        E,
        "cyclic hierarchy",
        "Following `parent`/`parents` (or `part_of`) from a class leads back to it.",
    ),
    Code(
        "GK304", E, "invalid version", "A version is not a semantic version (`MAJOR.MINOR.PATCH`)."
    ),
    Code(
        "GK305",
        E,
        "example is not a valid record",
        "An example, negative example, edge case "
        "or out-of-scope example does not fit the record the annotator sees: an unknown "
        "field, a missing required field, or a value of the wrong type.",
    ),
    Code(
        "GK306",
        E,
        "example annotation invalid",
        "The annotation an example documents "
        "fails the task's own checks (a span outside the text, a box outside the image, a "
        "class not in the task, ...). The handbook must never show an example its own spec "
        "rejects.",
    ),
    Code(
        "GK307",
        E,
        "negative labelled with its own class",
        "A negative example must name the label it should get instead, and that label must "
        "differ from the class it is a negative of.",
    ),
    Code(
        "GK308",
        E,
        "example does not carry its class",
        "An example (or edge case decision) does not carry the class it illustrates.",
    ),
    Code(
        "GK309",
        E,
        "invalid attribute",
        "An attribute is misdeclared: an enum without "
        "values, a default outside its values, or a condition on an unknown attribute, value "
        "or class.",
    ),
    Code(
        "GK310",
        E,
        "invalid task",
        "A task is misdeclared for its type: spans over a field "
        "that is not text, boxes over a field that is not an image, relations over a task "
        "without regions, an ordinal task with fewer than two classes, min above max, ...",
    ),
    Code(
        "GK311",
        E,
        "unknown sensitivity level",
        "A `sensitivity` names a level that `governance.levels` does not declare.",
    ),
    Code(
        "GK312",
        E,
        "invalid governance",
        "An audience's clearance is not a declared level, "
        "or the retention period is not an ISO 8601 duration.",
    ),
    Code(
        "GK313",
        E,
        "invalid rule",
        "A rule's condition does not fit the task it tests "
        "(`has` on a single-choice task, `at_least` on a task that is not ordinal or "
        "number, ...).",
    ),
    Code(
        "GK314",
        E,
        "example image not found",
        "An example's image file does not exist inside the project or its size is unknown.",
    ),
    Code(
        "GK315",
        E,
        "version from the future",
        "A `since` version is later than the guideline's own version.",
    ),
    Code(
        "GK316",
        E,
        "unknown skip reason",
        "An out-of-scope example gives a skip reason that `scope.skip_reasons` does not declare.",
    ),
    Code(
        "GK317",
        E,
        "alias clash",
        "An alias equals another class's id or alias in the same "
        "task, so a label could mean two classes.",
    ),
    Code(
        "GK318",
        E,
        "invalid acceptance criterion",
        "An acceptance criterion does not fit "
        "its target: a metric that does not apply to the task's type, a share outside 0..1, "
        "a minimum above a maximum.",
    ),
    Code(
        "GK319",
        E,
        "unknown reference in the evaluation set",
        "An evaluation item names something the guideline does not declare: an edge case, "
        "class or negative example it is tagged with, the example its `ref` takes, a task it "
        "labels or a split -- or it gives no labels at all, so it has no answer to score.",
    ),
    Code(
        "GK320",
        E,
        "duplicate evaluation item id",
        "Two evaluation items have the same id (ids name items in predictions and reports).",
    ),
    Code(
        "GK321",
        E,
        "`none` is a class id, not 'no class'",
        "A negative's `label: none` once meant that no class of the task applies; `none` is now "
        "an ordinary class id, and the task has no class of that name. Write `label: null` "
        "when no class applies (or declare a class `none` if that is what you meant).",
    ),
    # -- GK4xx: lint advice ------------------------------------------------------------------
    Code(
        "GK401",
        W,
        "class without definition",
        "Every class needs a definition annotators can apply.",
    ),
    Code(
        "GK402",
        W,
        "class without negative examples",
        "Negative examples (what is *not* "
        "this class, and what it is instead) are where most annotation errors are prevented.",
    ),
    Code(
        "GK403",
        W,
        "definition too short",
        "The definition has fewer words than "
        "`lint.min_definition_words` (default 6): too short to guide anyone.",
    ),
    Code(
        "GK404",
        W,
        "taxonomy sprawl",
        "A task has more classes than `lint.max_classes` "
        "(default 50). Large flat taxonomies lower agreement; consider a hierarchy.",
    ),
    Code(
        "GK405",
        W,
        "near-identical definitions",
        "Two classes of a task have definitions "
        "that are nearly the same text. Annotators cannot separate classes whose "
        "definitions do not differ.",
    ),
    Code(
        "GK406",
        W,
        "personal data in an example",
        "Example text looks like an email "
        "address or phone number, but the example is below the highest sensitivity level. "
        "Redact it or raise its `sensitivity`.",
    ),
    Code("GK407", W, "class without examples", "A class has no positive example."),
    Code(
        "GK408",
        W,
        "undecided edge case",
        "An edge case has no `decision` yet: annotators will meet it without guidance.",
    ),
    Code(
        "GK409",
        W,
        "deprecated class without replacement",
        "A deprecated class should name its `replaced_by` so old labels can be migrated.",
    ),
    Code(
        "GK410",
        W,
        "edge case without rationale",
        "An edge case's decision needs a rationale, or the next similar case is decided "
        "differently.",
    ),
    Code(
        "GK411",
        W,
        "ordinal scale out of order",
        "An ordinal task's classes are a recognised scale (low/medium/high, never..always, "
        "Likert agreement, poor..excellent, trailing numbers) listed highest first or out of "
        "order. The listed order is the scale: ordinal alpha and weighted kappa measure "
        "distances on it, so a misplaced class changes the agreement (0.53 instead of 0.86 "
        "in issue #16). List the classes lowest first.",
    ),
    Code(
        "GK412",
        W,
        "edge case with too few evaluation items",
        "A decided edge case has fewer evaluation items tagged with it than "
        "`evaluation.min_per_edge_case`: its score would rest on too few items.",
    ),
    # -- GK5xx: deliveries -------------------------------------------------------------------
    Code(
        "GK501",
        E,
        "malformed JSON",
        "A delivery line is not valid JSON (or is empty). The "
        "record is rejected; the other lines are still checked.",
    ),
    Code("GK502", E, "invalid UTF-8", "A delivery line holds bytes that are not UTF-8."),
    Code("GK503", E, "record is not an object", "Each delivery line must be one JSON object."),
    Code(
        "GK504",
        E,
        "byte order mark",
        "The file starts with a UTF-8 byte order mark. Many "
        "JSON Lines readers reject it; save the file without BOM.",
    ),
    Code(
        "GK505",
        E,
        "truncated last line",
        "The last line has no newline and is not complete "
        "JSON: the file was probably cut off in transfer.",
    ),
    Code(
        "GK506",
        E,
        "number out of range",
        "`NaN` and `Infinity` are not JSON, a number too large for a 64-bit float would be "
        "infinite, and an integer beyond 64 bits (signed or unsigned) cannot be held by most "
        "readers of a delivery (a float field would round it). Write `null`, a finite number, "
        "or a large id as a string.",
    ),
    Code(
        "GK507",
        E,
        "unreadable delivery",
        "The delivery file cannot be read as a whole: "
        "unknown format, not a file, or a corrupt Parquet file.",
    ),
    Code(
        "GK508",
        E,
        "bad CSV row or Parquet cell",
        "A CSV row has the wrong number of columns, or a structured cell (CSV, or Parquet "
        "text that starts with '[' or '{') is not valid JSON.",
    ),
    Code(
        "GK509",
        E,
        "record without id",
        "A delivery record has no id: the id field (`delivery.id`, the record's `id` field "
        "when absent) is missing or null.",
    ),
    Code(
        "GK510",
        E,
        "unknown field",
        "A delivery record has a key that is neither its id, a task, a metadata field nor an "
        "input field. `delivery.unknown_fields` decides: `forbid` (an error), `warn` (a "
        "warning) or `allow` (not reported).",
    ),
    Code(
        "GK511",
        E,
        "missing value",
        "A value that must be given is absent or null: a required task of a labelled record, "
        "required metadata, a required input field (with `include_inputs`), or a required key "
        "of an annotation (a span's `start`, a box's `bbox`, a relation's `from`, a label).",
    ),
    Code(
        "GK512",
        E,
        "wrong type",
        "A value has the wrong JSON type or shape: text where a list is expected, a box that "
        "is not four numbers, a polygon point that is not `[x, y]`, `1.0` where an integer is "
        "expected.",
    ),
    Code(
        "GK513",
        E,
        "unknown key in an annotation",
        "An annotation object (a label, span, region or relation) has a key the format does "
        "not define.",
    ),
    Code(
        "GK514",
        E,
        "value not allowed",
        "A value has the right type but is not allowed: a number outside the task's `min` and "
        "`max`, a text outside `min_length` and `max_length`, a status or split the guideline "
        "does not declare, a category value not in `values`, a timestamp that is not ISO "
        "8601, a negative span start, an image size that is not positive, an empty id.",
    ),
    Code(
        "GK515",
        E,
        "unknown label",
        "A label is neither a class id nor an alias of a class of the task.",
    ),
    Code(
        "GK516",
        E,
        "label is not a leaf class",
        "The task has `leaf_only: true` (the default) and the label is a class with "
        "subclasses; use one of the subclasses.",
    ),
    Code(
        "GK517",
        W,
        "deprecated label",
        "The label is a deprecated class. The message names its `replaced_by` classes; "
        "`guidekit migrate` rewrites old labels.",
    ),
    Code(
        "GK518",
        W,
        "label written as an alias",
        "The label is an alias of a class; deliveries should use the class id.",
    ),
    Code(
        "GK519",
        E,
        "wrong number of labels",
        "A multi-label annotation has fewer labels than `min_labels` or more than `max_labels`.",
    ),
    Code("GK520", E, "label given twice", "A multi-label annotation lists the same label twice."),
    Code(
        "GK521",
        E,
        "attribute not allowed",
        "An attribute is not declared for the label's class, or its `when` condition does not "
        "hold (it applies to other classes, or only when another attribute has some value).",
    ),
    Code(
        "GK522",
        E,
        "attribute missing",
        "A `required` attribute without a `default` is not given although it applies.",
    ),
    Code(
        "GK523",
        E,
        "invalid attribute value",
        "An attribute value has the wrong type, is not one of the enum's `values`, or lies "
        "outside `min` and `max`.",
    ),
    Code(
        "GK524",
        E,
        "span out of bounds",
        "A span is empty (`end <= start`) or ends past the end of its text. Offsets count "
        "Unicode code points from 0; `end` is exclusive.",
    ),
    Code(
        "GK525",
        E,
        "quoted text differs",
        "A span quotes its `text`, and the quote differs from the text at `start..end`: the "
        "offsets are probably shifted (a different encoding, a stripped prefix).",
    ),
    Code(
        "GK526",
        E,
        "overlapping spans",
        "Two spans overlap although the task has `overlap: forbid`, or cross each other with "
        "`overlap: nested`.",
    ),
    Code(
        "GK527",
        E,
        "region without area",
        "A box has zero or negative width or height, or a polygon encloses no area.",
    ),
    Code(
        "GK528",
        E,
        "region outside the image",
        "A box, polygon point or visible keypoint lies outside the image, beyond the task's "
        "`coordinates.tolerance`. Check the coordinate convention (`xywh` or `xyxy`, pixels "
        "or normalised).",
    ),
    Code(
        "GK529",
        E,
        "box below minimum size",
        "A box is smaller than its class's `min_size`.",
    ),
    Code("GK530", E, "too few polygon points", "A polygon needs at least three points."),
    Code(
        "GK531",
        E,
        "self-intersecting polygon",
        "Two edges of a polygon cross. The closing edge from the last point back to the first "
        "is implied; do not repeat the first point.",
    ),
    Code(
        "GK532",
        E,
        "unknown keypoint",
        "A keypoint name is not a point of the skeleton (the class's, or the task's).",
    ),
    Code(
        "GK533",
        E,
        "invalid visibility flag",
        "A keypoint's third number must be 0 (not labelled), 1 (occluded) or 2 (visible).",
    ),
    Code(
        "GK534",
        E,
        "duplicate region id",
        "Two regions (or relations) of one annotation share an `id`.",
    ),
    Code(
        "GK535",
        E,
        "relation end not found",
        "A relation's `from` or `to` names a region id that the related task's annotation "
        "does not have.",
    ),
    Code(
        "GK536",
        E,
        "relation between disallowed classes",
        "A relation class restricts the classes of its ends (`from`, `to`), and an end has "
        "another class.",
    ),
    Code("GK537", E, "duplicate relation", "The same relation is given twice."),
    Code(
        "GK538",
        E,
        "rule broken",
        "A record breaks one of the guideline's `rules`. The diagnostic has the rule's own "
        "severity and message.",
    ),
    Code(
        "GK539",
        E,
        "undeclared skip reason",
        "A skipped record gives a reason that `scope.skip_reasons` does not declare.",
    ),
    Code(
        "GK540",
        E,
        "skipped record carries annotations",
        "A record with a skip reason must carry no task values (absent or null).",
    ),
    Code(
        "GK541",
        W,
        "made under another guideline version",
        "The record's `guideline_version` differs from the guideline's version: a warning "
        "for another minor or patch version, an error for another major version (whose labels "
        "may mean something else).",
    ),
    Code(
        "GK542",
        E,
        "duplicate id",
        "Two records of the delivery (in one file or across files) have the same id. Every "
        "occurrence after the first is an error.",
    ),
    Code(
        "GK543",
        E,
        "expected id missing",
        "An id of the expected list (`--expect`) has no record in the delivery.",
    ),
    Code(
        "GK544",
        E,
        "unexpected id",
        "A record's id is not on the expected list (`--expect`).",
    ),
    Code(
        "GK545",
        I,
        "bounds not checked",
        "Span or region bounds could not be checked for some records: the text was not "
        "delivered, or the image size is unknown. Deliver the inputs (`include_inputs`), give "
        "images as `{path, width, height}` or declare the field's `width` and `height`.",
    ),
    Code(
        "GK546",
        W,
        "mixed guideline versions",
        "The delivery's records were made under more than one guideline version.",
    ),
    Code("GK547", E, "empty delivery", "The delivery holds no records."),
    Code(
        "GK550",
        E,
        "duplicate key in a record",
        "An object of a delivery record repeats a key. JSON readers disagree on which value "
        "wins (most keep the last one silently), so the record is rejected.",
    ),
    Code(
        "GK551",
        E,
        "line too long",
        "A line of a JSON Lines delivery is longer than the limit (`--max-line-bytes`, "
        "default 64 MiB). It is rejected without being read into memory, and `--split` copies "
        "it to the rejected file byte for byte.",
    ),
    Code(
        "GK549",
        E,
        "image size unknown",
        "A record has boxes, polygons or keypoints in pixels but its image has no usable size "
        "(`width` and `height` both given, or declared on the field for every image), so its "
        "regions cannot be checked. Set `delivery: {image_size: optional}` to accept such "
        "records unchecked (GK545).",
    ),
    Code(
        "GK548",
        E,
        "validation stopped early",
        "`--max-errors` was reached; the rest of the delivery was not checked, and the "
        "delivery is rejected.",
    ),
    # -- GK6xx: quality and acceptance -------------------------------------------------------
    Code(
        "GK601",
        E,
        "optional dependency missing",
        "A quality feature needs a package that is an optional extra of guidekit: "
        "`guidekit[reports]` (matplotlib) for HTML charts, `guidekit[geometry]` (shapely) for "
        "polygon overlap.",
    ),
    Code(
        "GK602",
        W,
        "record without id",
        "A record of an annotation, gold or audit file has no usable id (the guideline's "
        "`delivery.id` field, text or an integer). It is left out of the measurement.",
    ),
    Code(
        "GK603",
        W,
        "item labelled twice by one annotator",
        "The same annotator labelled the same item more than once. The later record counts; "
        "agreement compares different annotators only.",
    ),
    Code(
        "GK604",
        E,
        "nothing to compare",
        "Agreement needs items labelled by at least two annotators; none of the files given "
        "has one. Pass every annotator's file, or a file with several records per item.",
    ),
    Code(
        "GK605",
        E,
        "bad audit verdict",
        "A line of an audit verdict file is not `{id, pass: true|false, defects: [...], "
        "auditor, note}`, or names an item that is not in the delivery.",
    ),
    Code(
        "GK606",
        E,
        "bad gold record",
        "A gold record repeats an id, or has no valid value for a scored task.",
    ),
    Code(
        "GK607",
        E,
        "train and evaluation data overlap",
        "An item of the training delivery is also in the evaluation set, by id or by the "
        "hash of its normalised content. Evaluation on seen items overstates model quality.",
    ),
    Code(
        "GK608",
        E,
        "unknown task",
        "A task named on the command line is not a task of the guideline.",
    ),
    Code(
        "GK609",
        W,
        "prediction not scored",
        "`guidekit eval`: a prediction names an item that is neither an evaluation item nor "
        "in the gold delivery, or repeats an item already predicted (the first counts). It is "
        "left out, and the report counts it under `excluded`.",
    ),
    Code(
        "GK610",
        W,
        "prediction with an invalid label",
        "`guidekit eval`: a predicted value is not a valid value of its task (a label that is "
        "no class, a malformed span or box). It is scored as a wrong answer, never dropped.",
    ),
    Code(
        "GK611",
        E,
        "edge-case threshold not met",
        "`guidekit eval`: F1 on the evaluation items of an edge case named by "
        "`acceptance.edge_cases` is below `min_f1`, or no predicted item is tagged with it.",
    ),
    Code(
        "GK620",
        E,
        "no quiz item",
        "`guidekit quiz`: the evaluation set has no item this audience may see (items are "
        "answers, kept from audiences below `evaluation.sensitivity`; held-out items are never "
        "in a quiz), or the tool cannot hold any task the items test.",
    ),
    Code(
        "GK621",
        E,
        "annotator not qualified",
        "`guidekit quiz score --require-pass`: an annotator's quiz score is below "
        "`evaluation.qualification` (`min_accuracy`, or a task's bound in `per_task`).",
    ),
    Code(
        "GK622",
        E,
        "unreadable results file",
        "`guidekit build --target handbook --results FILE`: the file is not the JSON report "
        "of `guidekit quiz score` or `guidekit eval` (`--format json -o FILE`).",
    ),
    Code(
        "GK630",
        E,
        "nothing to aggregate",
        "`guidekit aggregate`: no chosen task is a classification task (single, multi, "
        "ordinal, boolean), or no record carries a valid value of one.",
    ),
    Code(
        "GK631",
        E,
        "bad annotator weights",
        "`guidekit aggregate --annotator-weights FILE`: the file is not a JSON object of "
        "annotator name to a finite weight of at least 0, or leaves out an annotator of the "
        "delivery.",
    ),
    # -- GK7xx: versions and diffs -----------------------------------------------------------
    Code(
        "GK701",
        E,
        "version bump too small",
        "The guideline's `version` went up by less than its changes require (for example a "
        "minor bump with a class removed). The message names the changes that require the "
        "larger bump; raise the version, or declare the intended impact where the tool "
        "judged a change it cannot know (`changes:` notes on the class, task, rule or section, or on "
        "the guideline itself).",
    ),
    Code(
        "GK702",
        E,
        "content changed, version did not",
        "The guideline changed since the base revision but its `version` is the same. Every "
        "released change needs a new version so deliveries can say which one they follow.",
    ),
    Code(
        "GK703",
        E,
        "version went backwards",
        "The guideline's `version` is lower than at the base revision.",
    ),
    Code(
        "GK704",
        E,
        "version not comparable",
        "The `version` of one side is not a semantic version (`MAJOR.MINOR.PATCH`), so the bump "
        "cannot be checked.",
    ),
    Code(
        "GK705",
        W,
        "declaration lower than the change",
        "A `changes:` note declares a lower impact than a change the tool can judge on its own "
        "(a class removed, a required attribute added). Declarations may raise any impact, but "
        "lower only judgement calls; the computed impact is kept.",
    ),
    Code(
        "GK706",
        W,
        "change note without a change",
        "A class, task, rule, section or the guideline itself has a `changes:` note for this "
        "version, but nothing in it changed since the base. The note probably belongs to another version.",
    ),
    Code(
        "GK707",
        W,
        "edge case `since` not updated",
        "An edge case was added or decided differently in this version, but its `since` names "
        "an earlier version. Set `since` to the version that makes the decision.",
    ),
    Code(
        "GK708",
        I,
        "no base to compare",
        "The guideline does not exist at the base revision (it is new), or `--base auto` "
        "found neither a fork point from the default branch nor a release tag, so there is no "
        "version bump to check.",
    ),
    Code(
        "GK710",
        E,
        "delivery line unreadable",
        "A line of the delivery is not a JSON object. `guidekit migrate` copies it unchanged "
        "and reports it; fix the line and migrate again.",
    ),
    Code(
        "GK711",
        W,
        "record made under another version",
        "A delivery record's `guideline_version` is neither the version migrated from nor the "
        "one migrated to. It is copied unchanged: migrate it from its own version first.",
    ),
    Code(
        "GK712",
        E,
        "delivery not migratable",
        "`guidekit migrate` reads JSON Lines deliveries; convert other formats first.",
    ),
    Code(
        "GK713",
        W,
        "change note for a later version",
        "A `changes:` note (of a class, task, rule, section or the guideline) names a version "
        "later than the one being "
        "released (a note for 3.0.0 while `version` is 2.3.1). It is ignored; set its "
        "`version` to the release that makes the change.",
    ),
    Code(
        "GK714",
        W,
        "edge case impact without `since`",
        "An edge case declares `impact` but no `since`, so the declaration is bound to no "
        "version and would apply to every later change of the edge case. It is ignored; add "
        "`since:` with the version that made the decision.",
    ),
    Code(
        "GK715",
        W,
        "edge case impact carried over",
        "An edge case's decision changed and its `since` was updated, but its `impact` is the "
        "one declared for the earlier decision. Such an impact may raise the new change's "
        "impact, never lower it; declare the change again, or accept it in "
        "`.guidekit-ignore.yaml` with a reason.",
    ),
    Code(
        "GK716",
        E,
        "ignore file invalid",
        "`.guidekit-ignore.yaml` (next to `guideline.yaml`) is not a list of accepted changes "
        "under `accept:`, each with a known `rule`, the `version` it applies to and a "
        "`reason`. Fix the entry the message names.",
    ),
    Code(
        "GK717",
        W,
        "stale ignore entry",
        "An entry of `.guidekit-ignore.yaml` matches no change of this diff, or is bound to "
        "another version than the one being released. It accepts nothing; remove it.",
    ),
    # -- GK8xx: labelling-tool bridges -------------------------------------------------------
    Code(
        "GK801",
        E,
        "unreadable tool export",
        "A tool export cannot be read as the format named by `--format` at all: not valid "
        "JSON or XML, the wrong top-level shape, or a folder without the files the format "
        "needs (a YOLO folder without its class list, for instance).",
    ),
    Code(
        "GK802",
        E,
        "malformed export item",
        "One item of a tool export (a Label Studio result, a COCO annotation, a YOLO line, a "
        "CVAT shape, a CoNLL line, ...) does not have the shape its format documents. The "
        "location gives the line and, for JSON, the pointer to the item; the rest of the "
        "export is still read.",
    ),
    Code(
        "GK803",
        E,
        "tool label maps to no class",
        "A label in a tool export is not the id, name or alias of any class of the task it "
        "belongs to. The record keeps the label as written, so the validator reports it too. "
        "If the tool's name is right, add it to the class's `aliases`.",
    ),
    Code(
        "GK804",
        E,
        "export part without a task",
        "A part of a tool export has no task of the guideline to go to: a Label Studio control "
        "whose name and kind match no task, a polyline when the guideline has no polyline "
        "task, a relation when it has no relations task. The part is left out of the record "
        "and reported here.",
    ),
    Code(
        "GK805",
        E,
        "ambiguous or unknown task",
        "The reader or writer cannot tell which task of the guideline a format's annotations "
        "belong to (several tasks fit, or the task named by an option does not exist or has "
        "the wrong type). Name the task with the format's `task` option.",
    ),
    Code(
        "GK806",
        E,
        "unsupported tool feature",
        "The export uses a feature guidekit's records cannot hold: a rotated box, an RLE mask, "
        "a video track, a span located by XPath. The item is reported, not converted.",
    ),
    Code(
        "GK807",
        E,
        "image size unknown",
        "Coordinates must be converted between pixels and fractions of the image, but neither "
        "the export, the image file nor the guideline's `record` field gives the image size.",
    ),
    Code(
        "GK808",
        W,
        "task not expressible in the tool",
        "A task of the guideline has no counterpart in the tool or format (boxes in Argilla, "
        "spans in CVAT, ...). The generated config or export leaves it out.",
    ),
    Code(
        "GK809",
        E,
        "record not exportable",
        "A native record cannot be written in the chosen format: it fails the guideline's "
        "checks, or lacks what the format needs (the text for CoNLL, the image size for YOLO).",
    ),
    Code(
        "GK810",
        E,
        "tool label not in the guideline",
        "Drift: the tool's live config has a label that is no class, alias or name of the "
        "task. Someone added it in the tool; add it to the guideline or remove it from the tool.",
    ),
    Code(
        "GK811",
        E,
        "guideline class missing in the tool",
        "Drift: a class annotators must be able to use is not in the tool's config, so "
        "nobody can label it.",
    ),
    Code(
        "GK812",
        W,
        "label renamed in the tool",
        "Drift: the tool uses a class's alias or display name instead of its id. Labels still "
        "map, but exports carry the old name; regenerate the config to align the tool.",
    ),
    Code(
        "GK813",
        E,
        "tool control or attribute drift",
        "Drift: a task has no control in the tool, or an attribute is missing, added or has "
        "different values than the guideline declares.",
    ),
    Code(
        "GK814",
        E,
        "unreadable tool config",
        "A labelling-tool config given to `guidekit drift` cannot be parsed (not XML for Label "
        "Studio, not a JSON list of labels for CVAT).",
    ),
    Code(
        "GK815",
        I,
        "mask not read",
        "A COCO annotation carries an RLE mask (compressed or uncompressed) and the guideline "
        "has no polygon task to hold a segmentation. Its box is read; the note gives the "
        "mask's area and bounds, computed from the run lengths. Where the guideline has a "
        "polygon task, an RLE mask is GK806 instead: it cannot become a polygon.",
    ),
    Code(
        "GK817",
        I,
        "annotation not carried",
        "A BRAT document has normalisations (`N`), notes (`#`) or equivalences (`*`), which a "
        "record has no place for. They are counted on the document's record, never dropped "
        "silently; the BRAT files keep them.",
    ),
    Code(
        "GK816",
        I,
        "tool flag not carried",
        "An export marks a region with a flag of its format (COCO's `iscrowd: 1`) that the "
        "class declares no attribute for, so the record cannot carry it. Declare an attribute "
        "of that name (`iscrowd: {type: boolean}`) to keep it.",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in _TABLE}
ALIASES: dict[str, str] = {a: c.code for c in _TABLE for a in c.aliases}


def lookup(code: str) -> Code:
    return CODES[ALIASES.get(code, code)]


def diag(
    code: str,
    message: str,
    location: Location | None = None,
    *,
    hint: str | None = None,
    severity: Severity | None = None,
) -> Diagnostic:
    """Build a diagnostic for a registered ``code`` (its default severity unless given)."""
    info = lookup(code)
    return Diagnostic(
        code=info.code,
        severity=severity or info.severity,
        message=message,
        location=location or Location(),
        hint=hint,
    )
