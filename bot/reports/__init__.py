"""Exports (CSV/XLSX) and charts (PNG)."""
