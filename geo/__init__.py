"""Boundaries: reading, CRS, repair, simplification, and building maps.

Pages only place what this package builds. Every geometry stored in the
database is GeoJSON text in WGS84 (EPSG:4326, lon/lat).
"""
