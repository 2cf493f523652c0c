"""Widgets and other parts of screens that several screens share."""
