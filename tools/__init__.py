"""Repository tools (docs generators); not shipped in the wheel."""
