"""Quality measures of deliveries: agreement, audits, gold accuracy, distribution, revisions,
leakage, and their reports."""
