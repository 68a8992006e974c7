"""Reusable widgets: they show data they are given and post messages; no service calls."""
