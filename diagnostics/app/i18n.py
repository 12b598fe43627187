"""Interface texts in Simplified Chinese (first) and English: one table, looked up by key.

Data texts (indicator names, warning messages) carry their own two languages; this table holds
only the words of the interface.  A missing key shows the key itself, so a typo is visible.

>>> tr("school", "zh"), tr("school", "en")
('学校', 'School')
"""

from __future__ import annotations

LANGS = (("中文", "zh"), ("English", "en"))
PLATFORM = ("教学工作诊断与改进平台", "Teaching Diagnosis & Improvement Platform")

TEXT: dict[str, tuple[str, str]] = {
    # common
    "school": ("学校", "School"),
    "year": ("学年", "Year"),
    "layer": ("层面", "Layer"),
    "layer_school": ("学校层", "School"),
    "layer_program": ("专业层", "Program"),
    "program": ("专业", "Program"),
    "indicator": ("指标", "Indicator"),
    "indicators": ("指标", "Indicators"),
    "value": ("本校值", "Value"),
    "standard": ("标准", "Standard"),
    "level": ("达标情况", "Standard level"),
    "target": ("本校目标", "Own target"),
    "peer_median": ("同类中位数", "Peer median"),
    "percentile": ("同类百分位", "Peer percentile"),
    "trend": ("历年趋势", "Trend"),
    "warnings": ("预警", "Warnings"),
    "no_warnings": ("本项没有预警", "No warnings here"),
    "no_data": ("暂无数据", "No data"),
    "save": ("保存", "Save"),
    "saved": ("已保存", "Saved"),
    "refresh": ("刷新数据", "Reload data"),
    "stale": ("数据已更新（新的导入或计算），点击“刷新数据”查看", "The data changed (an import or a compute): click “Reload data”"),
    "loading": ("正在载入数据…", "Loading data…"),
    "error": ("出错了", "Something went wrong"),
    "home": ("首页", "Home"),
    "city": ("设区市", "City"),
    "all": ("全部", "All"),
    "school_level": ("办学层次", "School level"),
    "category": ("类别", "Category"),
    "status": ("状态", "Status"),
    "download": ("下载", "Download"),
    "source": ("来源", "Source"),
    "unverified": ("参考值：未能读到原文，不作判定", "reference value: not read in the published text, decides nothing"),
    "where": ("位置", "Where"),
    "method": ("方法", "Method"),
    "message": ("说明", "Explanation"),
    "observed": ("观测值", "Observed"),
    "expected": ("参照", "Expected"),
    "n": ("人数/基数", "n"),
    "whole_school": ("全校", "Whole school"),
    "conflict": ("保存冲突", "Save conflict"),
    "card": ("黄牌/红牌", "Card"),
    "overall": ("学校总体", "Overall"),
    "items": ("诊断项目", "Diagnosis items"),
    "close": ("关闭", "Close"),
    "progress": ("进度", "Progress"),
    "user": ("当前用户", "User"),
    "data_version": ("数据版本", "Data version"),
    "database": ("数据库", "Database"),
    # self-diagnosis
    "app_self": ("学校自我诊断", "School self-diagnosis"),
    "app_self_sub": ("对照标准与目标，查找问题、制定改进措施",
                     "Check against standards and targets, find problems, set measures"),
    "board": ("诊断看板", "Diagnosis board"),
    "detail": ("指标详情", "Indicator detail"),
    "detail_hint": ("点击看板中的指标名称查看详情", "Click an indicator name on the board for its detail"),
    "history": ("历年变化（本校、同类院校中位数与四分位区间、合格标准、目标）",
                "History (school, peer median and quartiles, standard, target)"),
    "distribution": ("在同类院校中的位置", "Place among peer schools"),
    "programs": ("各专业情况", "By program"),
    "flags": ("预警依据", "Warning evidence"),
    "follow_ups": ("跟进事项", "Follow-ups"),
    "mark_follow": ("标记为跟进", "Mark for follow-up"),
    "comment": ("评论", "Comment"),
    "add_comment": ("添加评论", "Add comment"),
    "no_follow": ("尚无跟进事项", "No follow-ups yet"),
    "measures": ("改进措施", "Improvement measures"),
    "measure_for": ("针对预警", "For warning"),
    "new_measure": ("（新建措施）", "(new measure)"),
    "edit_measure": ("编辑已有措施", "Edit a measure"),
    "problem": ("问题", "Problem"),
    "cause": ("原因分析", "Cause"),
    "measure": ("改进措施", "Measure"),
    "owner": ("责任部门/人", "Owner"),
    "deadline": ("完成期限", "Deadline"),
    "task_status": ("进展", "Status"),
    "measure_saved": ("改进措施已保存", "Measure saved"),
    "no_measures": ("本学年尚未制定改进措施", "No measures for this year yet"),
    "report": ("自我诊断报告", "Self-diagnosis report"),
    "make_report": ("生成报告", "Make report"),
    "report_format": ("格式", "Format"),
    "report_ready": ("报告已生成，点击下载", "Report ready: download"),
    "program_pick": ("选择专业", "Choose a program"),
    "peer_note": ("同类院校：全省同一办学层次的学校", "Peers: schools of the same level in the province"),
    # review
    "app_review": ("专家复核", "Expert review"),
    "app_review_sub": ("查看证据与学校自诊，给出复核评分与结论",
                       "Read the evidence and the school's own diagnosis, score and conclude"),
    "school_list": ("学校一览", "Schools"),
    "open_warnings": ("未处理预警", "Open warnings"),
    "reviewed_items": ("已复核项目", "Reviewed items"),
    "evidence": ("数据证据", "Data evidence"),
    "school_diagnosis": ("学校自诊与措施", "School's own diagnosis and measures"),
    "suggested": ("建议分（比率法）", "Suggested score (ratio method)"),
    "score": ("评分", "Score"),
    "conclusion": ("结论", "Conclusion"),
    "other_reviews": ("其他专家意见", "Other experts' reviews"),
    "my_review": ("我的复核意见", "My review"),
    "review_saved": ("复核意见已保存", "Review saved"),
    "reviewer": ("专家", "Reviewer"),
    "consensus": ("综合结论", "Consensus"),
    "no_reviews": ("尚无其他专家意见", "No other reviews yet"),
    # province
    "app_province": ("全省监测", "Province monitor"),
    "app_province_sub": ("全省学校指标对比、预警、黄红牌、排名与趋势",
                         "All schools: indicators, warnings, cards, ranking, trends"),
    "choose_indicators": ("选择指标", "Indicators"),
    "multi_hint": ("按住 Ctrl（或 Shift）可多选", "Hold Ctrl (or Shift) to choose several"),
    "search": ("搜索学校", "Search schools"),
    "sort_by": ("排序", "Sort by"),
    "descending": ("降序", "Descending"),
    "table": ("学校 × 指标", "Schools × indicators"),
    "heatmap": ("达标热力图", "Standard levels"),
    "cards": ("黄牌与红牌", "Yellow and red cards"),
    "ranking": ("综合排名", "Ranking"),
    "ranking_note": ("比率法综合得分；位次区间为自助法 90% 区间（同一办学层次内排名）",
                     "Ratio-method score; rank interval: bootstrap 90% (ranked within each school level)"),
    "computing": ("正在计算（自助法重抽样，约需数秒）…", "computing (bootstrap, a few seconds)…"),
    "rollup": ("按设区市汇总", "By city"),
    "medians": ("全省中位数趋势", "Province medians over the years"),
    "export": ("导出 Excel", "Export to Excel"),
    "no_cards": ("本学年没有黄牌或红牌", "No cards this year"),
    "schools_n": ("学校数", "Schools"),
    "red_schools": ("红灯学校", "Red schools"),
    "yellow_schools": ("黄灯学校", "Yellow schools"),
    "rank": ("位次", "Rank"),
    "rank_interval": ("位次区间", "Rank interval"),
    "composite": ("综合得分", "Score"),
    "n_indicators": ("参与指标数", "Indicators"),
    # import
    "app_import": ("数据导入", "Data import"),
    "app_import_sub": ("上传状态数据，校验后导入并重新计算", "Upload status data, validate, import, recompute"),
    "upload": ("选择文件", "Choose files"),
    "import_steps": ("① 选择文件：填报模板工作簿（.xlsx）、CSV 压缩包（.zip）或若干 CSV 文件 "
                     "② 校验：列出全部问题（文件、行、列、值、说明），或将发生的变更 "
                     "③ 导入：一次写入全部数据，并重新计算变更学校的指标与预警",
                     "① Choose files: the template workbook (.xlsx), a zip of CSVs, or CSV files "
                     "② Validate: every problem, located (file, row, column, value), or the changes "
                     "③ Import: all in one transaction, then the changed schools are recomputed"),
    "validate": ("校验", "Validate"),
    "do_import": ("导入", "Import"),
    "recompute": ("重新计算指标与预警", "Recompute indicators and warnings"),
    "issues_found": ("发现问题，未导入。请按下表修改后重新上传", "Problems found, nothing imported. Fix them and upload again"),
    "valid": ("校验通过，将发生以下变更", "Valid: these changes will be made"),
    "imported": ("导入完成", "Imported"),
    "computed": ("计算完成", "Computed"),
    "no_file": ("请先选择文件", "Choose a file first"),
    # explorer
    "app_explorer": ("指标模型", "Indicator explorer"),
    "app_explorer_sub": ("指标定义与来源、分布与相关、试算新指标", "Definitions and sources, distributions, try a new one"),
    "definition": ("定义", "Definition"),
    "formula": ("计算方法", "Formula"),
    "standards": ("标准", "Standards"),
    "correlation": ("指标相关", "Correlation"),
    "dist": ("分布", "Distribution"),
    "new_yaml": ("试算新指标", "Try a new one"),
    "check_yaml": ("校验", "Validate"),
    "compute_yaml": ("校验并试算", "Validate and compute"),
    "yaml_ok": ("定义有效", "Definition is valid"),
    "yaml_bad": ("定义有问题", "The definition has problems"),
    "filter_item": ("诊断项目", "Diagnosis item"),
    "direction": ("方向", "Direction"),
    "unit": ("单位", "Unit"),
    "layers": ("层面", "Layers"),
    "vs": ("对比指标", "Compare with"),
    "trial_values": ("试算结果（未保存）", "Trial values (not stored)"),
    # landing
    "landing_sub": ("职业院校教学工作诊断与改进：状态数据、指标、预警、复核与报告",
                    "Vocational schools' teaching diagnosis and improvement: data, indicators, warnings, reviews, reports"),
    "open": ("进入", "Open"),
    "broken": ("以下看板未能加载", "These dashboards failed to load"),
}


#: English names of the diagnosis items (教职成厅〔2015〕2号 and the provincial action plan, domain.md §2).
ITEMS_EN = {
    "专业设置与条件": "Programs and conditions", "教师队伍建设": "Faculty", "课程体系改革": "Curriculum reform",
    "学校管理": "School management", "校企合作": "School–enterprise cooperation",
    "质量监控与成效": "Quality monitoring and outcomes", "基本办学条件": "Basic running conditions",
    "数据质量": "Data quality", "其他": "Other",
}


def item_name(item: str, lang: str = "zh") -> str:
    """A diagnosis item's name in ``lang`` (items are named in Chinese in the models)."""
    return ITEMS_EN.get(item, item) if lang == "en" else item


def tr(key: str, lang: str = "zh") -> str:
    """The interface text ``key`` in ``lang`` (``zh`` or ``en``)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """A data text in ``lang``, falling back to the other language."""
    first, second = (en, zh) if lang == "en" else (zh, en)
    return str(first or second or "")
