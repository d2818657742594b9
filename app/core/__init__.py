"""The core's vocabulary: domain objects, changes, problem codes, parsing, logging (no Qt)."""
