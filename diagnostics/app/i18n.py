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
    "stale": ("数据已更新（新的导入、计算或他人的保存），点击“刷新数据”查看",
              "The data changed (an import, a compute or someone else’s save): click “Reload data”"),
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
    "report_short": ("报告", "Report"),
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
    "app_spot": ("随机抽查", "Spot checks"),
    "app_spot_sub": ("可复现的分层抽样、逐条核查、各校差错率及其置信区间", "Reproducible stratified samples, checked "
                     "record by record, each school's discrepancy rate with its interval"),
    "app_select": ("遴选", "Selection"),
    "app_select_sub": ("综合指数排名、名次区间与权重敏感性", "Composite index ranking, rank intervals, weight sensitivity"),
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
    # shared additions
    "school_code": ("学校代码", "School code"),
    "exported_at": ("导出时间", "Exported at"),
    "filters": ("筛选条件", "Filters"),
    "item": ("项目", "Item"),
    "content": ("内容", "Content"),
    "median_value": ("中位数", "Median value"),
    "schools_shown": ("{n} 所学校 · 点击列标题排序", "{n} schools · click a column heading to sort"),
    "ranking_basis": ("排名依据：{n} 项有合格标准的指标（与全省质量报告相同，不随上方所选指标变化）；先按诊断状态分组"
                      "（绿灯、黄灯、红灯依次排列），组内按比率法综合得分排列；得分相同并列同一名次；位次区间为自助法 90% 区间。",
                      "Basis: the {n} indicators with a qualifying standard (as in the province report; the indicators "
                      "ticked above do not change it); schools are grouped by light (green, yellow, red) and ranked by "
                      "the ratio-method score within a group; equal scores share a rank; rank interval: bootstrap 90%."),
    "tied": ("并列", "tied"),
    # self-diagnosis additions
    "only_warned": ("只看红黄", "Red and yellow only"),
    "search_indicator": ("搜索质控点（指标）", "Search indicators"),
    "all_items": ("显示全部诊断项目", "Show every item"),
    "click_item": ("点击诊断项目卡片只看该项目；指标名称可点开详情", "Click an item's card to list that item only; "
                   "click an indicator for its detail"),
    "target_met": ("目标达成", "Target met"),
    "also_under": ("另有 {n} 条预警同属本项目，已在“{item}”中列出", "{n} more warnings belong here too, listed under "
                   "“{item}”"),
    "nothing_to_show": ("没有符合条件的诊断项目", "Nothing matches"),
    "program_overview": ("各专业 × 指标一览", "Programs × indicators"),
    "num_den": ("分子 / 分母", "Numerator / denominator"),
    "records": ("数据记录", "Records"),
    "records_ratio": ("{bottom}（标明是否计入{top}）", "{bottom} (whether each counts in {top})"),
    "counted": ("计入", "Counted"),
    "records_note": ("共列出 {n} 条记录，其中 {missing} 条未计入（排在前面）；身份证号不在此列出",
                     "{n} records listed, {missing} not counted (listed first); ID numbers are never shown"),
    "open_status": ("跟进中", "open"),
    "closed_status": ("已关闭", "closed"),
    "targets_tab": ("目标链", "Targets"),
    "writing": ("报告撰写", "Report text"),
    "targets_intro": ("目标链：学校在各质控点上为本学年设定的目标。选择指标、填写目标值（按指标单位，百分比填数字即可）后保存；"
                      "看板和报告随即按新目标判断是否达成。",
                      "Targets: the school's target for each indicator this year. Choose an indicator, enter the "
                      "target in its unit and save; the board and the report judge against it at once."),
    "target_note": ("说明（可选）", "Note (optional)"),
    "target_number": ("目标值须为数字", "The target must be a number"),
    "target_saved": ("目标已保存", "Target saved"),
    "narratives_intro": ("报告撰写：自我诊断与改进报告各部分由学校撰写，平台的数据、预警与措施附在各部分之后。"
                         "每部分单独保存；他人先保存时会提示，您的文字不会丢失。",
                         "Report text: the school writes each section of its report; the platform's evidence "
                         "follows each section. Each section saves on its own."),
    "narrative_saved": ("已保存", "Saved"),
    "narrative_conflict": ("{who} 已先保存了本部分，您的文字尚未保存；当前保存的内容为：{text}……请合并后再保存",
                           "{who} saved this section first; yours is not saved yet. Theirs begins: {text}…"),
    "saved_by": ("最后保存", "last saved by"),
    "form_errors": ("表单有 {n} 处需要修改，见各栏下方", "{n} fields need correcting: see below each field"),
    "need_problem": ("请填写问题描述", "Describe the problem"),
    "need_reason": ("选择“已放弃”时须说明放弃原因", "A dropped measure needs its reason"),
    "need_date": ("日期格式应为 YYYY-MM-DD，例如 2025-06-30", "A date as YYYY-MM-DD, e.g. 2025-06-30"),
    "measure_withdrawn": ("改进措施已撤销（记为已放弃，原因：录入有误）", "Measure withdrawn (dropped: entered by mistake)"),
    "withdrawn_reason": ("录入有误，已撤销", "entered by mistake, withdrawn"),
    "withdraw": ("撤销（录入有误）", "Withdraw (entered by mistake)"),
    "drop_reason": ("放弃原因", "Reason for dropping"),
    "expected_value": ("预期值（措施完成后该指标应达到的值）", "Expected value of the indicator"),
    "expected_hint": ("按指标单位填写", "In the indicator's unit"),
    "evidence_field": ("佐证材料", "Evidence"),
    "evidence_hint": ("文件名、链接或说明", "File names, links or a description"),
    "report_intro": ("自我诊断与改进报告：封面、学校撰写的各部分、各诊断项目的数据证据与预警、改进措施，以及质量年度报告数据表。",
                     "The self-diagnosis and improvement report: cover, the school's sections, the evidence and "
                     "warnings of each item, the measures and the annual quality-report tables."),
    # landing additions
    "key_figures": ("主要数据", "Key figures"),
    "fig_schools": ("学校（所）", "Schools"),
    "fig_reported": ("本学年已上报（所）", "Reported this year"),
    "fig_red": ("红灯学校（所）", "Red schools"),
    "fig_yellow": ("黄灯学校（所）", "Yellow schools"),
    "fig_cards": ("黄牌、红牌（所）", "Yellow or red cards"),
    "fig_open_tasks": ("进行中的改进措施（项）", "Measures under way"),
    "how_to": ("使用说明：按 8字形质量改进螺旋开展诊改", "How to use it: the 8-shaped improvement spiral"),
    "help_1": ("目标与标准：在“学校自我诊断”的“目标链”中设定本校各质控点的年度目标，国家与省级标准构成标准链。",
               "Targets and standards: set the school's targets per indicator (Targets tab of the self-diagnosis)."),
    "help_2": ("数据：在“数据导入”下载填报模板，上传状态数据，校验通过后导入，平台自动计算指标与预警。",
               "Data: download the template in Data import, upload, validate, import; indicators and warnings follow."),
    "help_3": ("诊断：在“学校自我诊断”中先看红灯、黄灯项目，点开指标查看计算方法和所依据的记录。",
               "Diagnose: in the self-diagnosis, look at red and yellow items first; open an indicator for its "
               "formula and records."),
    "help_4": ("改进：针对预警登记改进措施（问题、原因、措施、责任部门、期限），下一学年数据到达时自动复核成效。",
               "Improve: register measures for the warnings; next year's data re-check them."),
    "help_5": ("报告与复核：在“报告撰写”中填写各部分文字，生成自我诊断与改进报告；专家在“专家复核”中给出结论，省里在“全省监测”中比较各校。",
               "Report and review: write the report's sections, make the report; experts review; the province compares."),
    # explorer additions
    "period": ("口径", "Period"),
    "missing_rule": ("缺失值处理", "Missing values"),
    "measures_used": ("计算所用的度量", "Measures used"),
    "measure_col": ("度量", "Measure"),
    "table_col": ("数据表", "Table"),
    "agg_col": ("汇总方式", "Aggregation"),
    "filter_col": ("筛选条件", "Filter"),
    "expr_col": ("表达式", "Expression"),
    "by_program": ("由程序计算", "computed by a function"),
    "reference": ("参考值", "Reference value"),
    "reference_note": ("参考值：来源尚待与原文核对，只供参考，不用于判定达标与预警。", "Reference values: their source is "
                       "still being checked; shown for reference only, never used for a level or a warning."),
    "rank_corr": ("秩相关系数", "Rank correlation"),
    "x_axis": ("横轴：", "x: "),
    "y_axis": ("纵轴：", "y: "),
    "issue_level": ("级别", "Level"),
    "issue_error": ("错误", "error"),
    "issue_warning": ("提醒", "warning"),
    # import additions
    "template": ("下载填报模板", "Download the template"),
    "remove_file": ("移除所选文件", "Remove the file"),
    "clear_files": ("全部清除", "Remove all"),
    "staged": ("待导入的文件", "Files to import"),
    "bad_type": ("不支持的文件类型：{files}。请上传 .xlsx、.zip 或 .csv 文件", "Unsupported file type: {files}"),
    "one_workbook": ("工作簿或压缩包（{files}）须单独导入：请先移除其他文件", "A workbook or zip ({files}) is imported "
                     "on its own: remove the other files first"),
    "n_problems": ("发现 {n} 处问题，未导入任何数据。请按下表修改后重新上传", "{n} problems found, nothing imported: fix "
                   "them and upload again"),
    "problems_sheet": ("导入问题清单", "Import problems"),
    "download_problems": ("下载问题清单", "Download the problems"),
    "col_file": ("文件", "File"),
    "col_sheet": ("工作表", "Sheet"),
    "col_row": ("行", "Row"),
    "col_column": ("列", "Column"),
    "col_value": ("值", "Value"),
    # review additions
    "need_score": ("请给出 0–100 的评分", "Give a score from 0 to 100"),
    "need_conclusion": ("请选择复核结论", "Choose a conclusion"),
    "need_comment": ("请填写复核意见（至少 {n} 个字）", "Write a comment (at least {n} characters)"),
    "need_items": ("以下诊断项目尚未完成复核：{items}", "These items are not reviewed yet: {items}"),
    "review_submitted": ("复核意见已提交", "Review submitted"),
    "overall_conclusion": ("学校总体结论", "Overall conclusion"),
    "submit_review": ("提交复核", "Submit the review"),
    "submitted_at": ("已提交", "Submitted"),
    "export_review": ("导出复核意见", "Export the review"),
    "school_text": ("学校自评报告文字", "The school's own report text"),
    "not_written": ("（学校尚未撰写）", "(not written yet)"),
    "suggested_pts": ("建议分（比率法，分）", "Suggested score (points)"),
    "score_pts": ("评分（分）", "Score (points)"),
    "rubric": ("复核标准：有效——措施针对问题、证据充分、指标改善或达标，一般 80 分以上；待改进——措施不完整或成效未显现，"
               "一般 60–79 分；异常——数据与事实不符、问题未整改或措施缺失，一般 60 分以下。建议分按比率法计算："
               "达到合格标准得满分，低于限制招生线得 0 分，其间按实际值与合格值之比计分。评分、结论与意见均须填写。",
               "Rubric: effective — measures answer the problems, evidence sufficient, indicators improved or met, "
               "usually 80 or more; needs improvement — measures incomplete or no result yet, usually 60–79; "
               "abnormal — data contradict the facts, problems untreated or no measures, usually below 60. The "
               "suggested score is the ratio method's. Score, conclusion and comment are all required."),
    "format_html": ("网页（HTML）", "Web page (HTML)"),
    "format_pdf": ("PDF 文档", "PDF"),
    "format_docx": ("Word 文档", "Word"),
    "format_xlsx": ("质量年报数据表（Excel）", "Quality-report tables (Excel)"),
    "legend_levels": ("● 达到合格标准　▲ 未达合格标准　■ 低于限制招生线　○ 无适用标准或无数值",
                      "● meets standard　▲ below standard　■ below restriction line　○ no standard or no value"),
}

#: Units of indicators and counts in English (the models name them in Chinese).
UNITS_EN = {"人": "persons", "元": "yuan", "元/人": "yuan per person", "m²": "m²", "m²/人": "m² per person",
            "册": "volumes", "册/人": "volumes per person", "门": "courses", "个": "units", "家": "enterprises",
            "学时": "hours", "天": "days", "台/百人": "per 100 students", "个/百人": "per 100 students",
            "人/个": "persons per program", "家/个": "enterprises per program", "门/个": "courses per program",
            "个/人": "per person", "%": "%", "Mbps": "Mbps", "分": "points", "项": "items", "所": "schools",
            "月": "months", "人/百人": "per 100 graduates", "条": "warnings"}
LEVELS_EN = {"高职": "higher vocational", "中职": "secondary vocational", "全省": "province"}


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


def unit_text(unit: str, lang: str = "zh") -> str:
    """A unit for a heading: a ratio without unit says so (比值 / ratio); English units in English."""
    if unit in ("", "1"):
        return "ratio" if lang == "en" else "比值"
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def level_name(level: str, lang: str = "zh") -> str:
    """A school level (高职, 中职) in ``lang``."""
    return LEVELS_EN.get(level, level) if lang == "en" else level


def tr(key: str, lang: str = "zh") -> str:
    """The interface text ``key`` in ``lang`` (``zh`` or ``en``)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def colon(lang: str) -> str:
    """The colon after a label: full-width in Chinese, ": " in English."""
    return "：" if lang == "zh" else ": "


def pick(zh: str | None, en: str | None, lang: str) -> str:
    """A data text in ``lang``, falling back to the other language."""
    first, second = (en, zh) if lang == "en" else (zh, en)
    return str(first or second or "")
