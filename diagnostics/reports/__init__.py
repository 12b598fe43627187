"""Reports: the self-diagnosis report of a school, the quality-report tables, the province report.

One data layer gathers what a report shows into plain records (:mod:`.model`) from a
:class:`ReportSource` (the store through the scoped door, or frames in memory); renderers turn
the same records into HTML, PDF, Word and Excel, so every format (and the dashboards) shows the
same numbers.

>>> source = StoreSource(engine, user)                              # doctest: +SKIP
>>> report = gather_school(source, "S1", 2024)                      # SchoolReport (plain data)
>>> html = school_html(report)                                      # doctest: +SKIP
>>> build_school(source, "S1", 2024, ["html", "pdf", "docx", "xlsx"], Path("out"))  # doctest: +SKIP
"""

from .browser import Browser
from .build import FORMATS, build_province, build_school, write_province, write_school
from .excel import quality_workbook
from .html import province_html, school_html
from .layout import Layout, load_layout
from .model import SchoolReport
from .province import ProvinceReport, gather_province
from .school import ReportDataError, gather_school
from .source import FrameSource, ReportSource, StoreSource, VersionInfo
from .word import school_docx

__all__ = ["Browser", "FORMATS", "build_province", "build_school", "write_province", "write_school",
           "quality_workbook", "province_html", "school_html", "Layout", "load_layout", "SchoolReport",
           "ProvinceReport", "gather_province", "ReportDataError", "gather_school", "FrameSource", "ReportSource",
           "StoreSource", "VersionInfo", "school_docx"]
