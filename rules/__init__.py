"""The rule catalogue: one module per rule family (see ``invocation_lint.registry``)."""
