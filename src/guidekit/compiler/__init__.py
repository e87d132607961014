"""The compiler: YAML files → checked, frozen IR.

Stages, each a module: ``yamlfile``/``_events`` (load YAML with positions) → ``resolve``
(includes, source map) → ``structure`` (the format's models) → ``lower`` (the IR) →
``meaning`` (references, examples through the record checks) → ``lint`` (style advice).
``pipeline.compile_guideline`` is the one entry point.
"""
