"""Benchmarks: instruments that measure ``geo`` against public corpora.

A benchmark takes its corpus by path and only measures: no corpus text,
name or coordinate is kept in the project. ``geo.bench.gwn`` measures the
GeoWebNews corpus (toponym recognition, resolution, end to end, speed).
"""
