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

from ..lazy import exports

__all__, __getattr__ = exports(__name__, {
    "browser": ("Browser",),
    "build": ("FORMATS", "build_province", "build_school", "write_province", "write_school"),
    "excel": ("quality_workbook",),
    "html": ("province_html", "school_html"),
    "layout": ("Layout", "load_layout"),
    "model": ("SchoolReport",),
    "province": ("ProvinceReport", "gather_province"),
    "school": ("ReportDataError", "gather_school"),
    "source": ("FrameSource", "ReportSource", "StoreSource", "VersionInfo"),
    "word": ("school_docx",),
})
