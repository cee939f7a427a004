"""Exports: CSV/XLSX downloads for officials and enterprises, and the enterprise's printable recap."""

from portal.exports.views import bp

__all__ = ["bp"]
