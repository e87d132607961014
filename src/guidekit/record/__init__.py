"""What one record means given the IR: values (``values``), cross-field rules (``rules``),
acceptance criteria (``acceptance``), the delivery layout (``layout``) and region shapes
(``shapes``). Shared by the compiler's example checks, the delivery validator and the
generators; imports nothing above the IR."""
