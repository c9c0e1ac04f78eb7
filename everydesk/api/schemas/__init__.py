"""Typed shapes of what the API reads and returns, one module per resource."""
