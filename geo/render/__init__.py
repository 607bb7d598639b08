"""Rendering a story's places as maps (HTML that works without a network)."""
