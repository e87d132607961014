"""Page renderers: each takes a :class:`~guidekit.handbook.context.Ctx` and returns Markdown."""
