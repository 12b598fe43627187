"""Schools' master data: which fields only a province officer may change, and the refusal a school
user's import gets when it would change one.

A school's level decides which standards apply in every year, its city which city officer sees it,
its category, ownership and founding year its peers and its establishment standards.  A school user's
import that would change any of them is refused as a whole (located, bilingual, exit 2, the store
unchanged) and says that the province must approve the change; a province officer's import changes
them, and ``school_history`` keeps who changed what, when, from what to what.
"""

from __future__ import annotations

from ..contract import BY_NAME
from ..io.errors import ImportIssue
from ..store.writer import WriteSummary
from .roles import Role, User

GOVERNED = ("level", "category", "city", "ownership", "founded")


def refusals(user: User, summary: WriteSummary, source: str) -> list[ImportIssue]:
    """The located issues of the master-data changes ``user`` may not make (none for a province officer)."""
    if user.role == Role.PROVINCE:
        return []
    names = {f.name: f.zh for f in BY_NAME["schools"].fields}
    out = []
    for school, field, old, new in summary.school_changes:
        if old is None or field not in GOVERNED:  # a new school, or its name: the school's own to set
            continue
        zh = names.get(field, field)
        out.append(ImportIssue(
            source, "schools", None, field, str(new),
            f"{old}（当前登记值）", f"{old} (the registered value)",
            f"学校 {school} 的{zh}将由“{old}”改为“{new}”：学校的层次、类别、所在市、举办者和建校年份须经省级"
            "管理员审核后由省级修改，学校用户的导入不能更改；本次导入未执行，请保留原值或联系省级管理员",
            f"school {school}: {field} would change from '{old}' to '{new}'; a school's level, category, "
            "city, ownership and founding year are changed by the province after its approval, not by a "
            "school's import; nothing was imported: keep the registered value or ask the province"))
    return out

