"""End-to-end walks through Recall as a new user would take them (CLI first)."""
