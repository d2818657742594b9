"""The event log and its delivery: replay, live fan-out, the doorbell."""
