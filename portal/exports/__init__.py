"""Exports: CSV/XLSX downloads for officials and enterprises, and the enterprise's printable recap."""
