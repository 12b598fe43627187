"""A tiny, valid, hand-written status-data set (2 schools × 2 years) as CSV text.

ID numbers: 11010519491231002X and 440524188001010014 are the examples of
GB 11643-1999 (shared/domain.md §6); the others were made with the same rule.
"""

from __future__ import annotations

from pathlib import Path

from diagnostics.io.idnumber import check_char


def make_id(area: str, birth: str, seq: str) -> str:
    body = area + birth + seq
    return body + check_char(body)


SCHOOLS = """school_id,name,level,category,city,ownership,founded
S1,江州职业技术学院,高职,工科,江州市,公办,1985
S2,海川财经学校,中职,财经,海川市,民办,2001
"""

PROGRAMS = """school_id,year,program_code,program_name,program_group,first_year,is_key,planned_intake,actual_intake
S1,2023,510201,计算机应用技术,电子与信息大类,2005,是,100,2
S1,2024,510201,计算机应用技术,电子与信息大类,2005,是,100,1
S2,2023,730301,会计事务,财经商贸类,2003,否,50,1
S2,2024,730301,会计事务,财经商贸类,2003,否,50,1
"""


def students_csv() -> str:
    a = "11010519491231002X"  # GB 11643 example
    b = "440524188001010014"  # GB 11643 example
    c = make_id("320102", "20060315", "123")
    d = make_id("330106", "20070521", "244")
    e = make_id("320102", "20070101", "555")
    rows = [
        ("S1", 2023, "A001", a, "510201", 2023, "在籍", "全日制"),
        ("S1", 2023, "A002", b, "510201", 2023, "在籍", "夜大"),
        ("S1", 2024, "A001", a, "510201", 2023, "在籍", "全日制"),
        ("S1", 2024, "A002", b, "510201", 2023, "在籍", "夜大"),
        ("S1", 2024, "A003", c, "510201", 2024, "在籍", "全日制"),
        ("S2", 2023, "B001", d, "730301", 2023, "在籍", "全日制"),
        ("S2", 2024, "B001", d, "730301", 2023, "在籍", "全日制"),
        ("S2", 2024, "B002", e, "730301", 2024, "在籍", "全日制"),
    ]
    head = "school_id,year,student_key,id_number,program_code,entry_year,status,study_mode\n"
    return head + "".join(",".join(str(x) for x in r) + "\n" for r in rows)


TEACHERS = """school_id,year,teacher_key,employment,degree,title,dual_qualified,program_code,enterprise_practice_days,teaching_hours,birth_year
S1,2023,T1,专任,硕士,副高,是,510201,30,320,1980
S1,2023,T2,校外兼职,学士,中级,否,,0,120,1975
S1,2024,T1,专任,硕士,副高,是,510201,35,330,1980
S2,2023,U1,专任,学士,中级,否,730301,10,400,1990
S2,2024,U1,专任,学士,中级,是,730301,12,410,1990
"""

FACILITIES = """school_id,year,land_area,building_area,teaching_admin_area,dormitory_area,practice_area,equipment_value,new_equipment_value,enterprise_equipment_value,books,new_books,computers,multimedia_seats,practice_workstations
S1,2023,200000,90000,40000,30000,8000,50000000,6000000,2000000,500000,20000,1500,4000,2500
S1,2024,200000,90000,40000,30000,8000,52000000,5000000,2000000,510000,10000,1500,4000,2500
S2,2023,50000,25000,12000,8000,3000,4000000,300000,100000,40000,2000,300,800,500
S2,2024,50000,25000,12000,8000,3000,4200000,200000,100000,41000,1000,300,800,500
"""


def write_tiny(folder: Path, encoding: str = "utf-8", tables: dict[str, str] | None = None) -> Path:
    """Write the tiny data set (or ``tables`` overriding some files) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"schools": SCHOOLS, "programs": PROGRAMS, "students": students_csv(),
             "teachers": TEACHERS, "facilities": FACILITIES}
    files.update(tables or {})
    for name, text in files.items():
        if text is None:
            continue
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder
