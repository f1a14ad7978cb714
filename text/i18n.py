"""The one translation table: every user-facing string, in Chinese (default) and English.

Pages and the entry script never hold UI text; they call ``t("key")``. The
language is chosen per session and kept by the app shell, which registers
where to read it with :func:`set_language_source`; outside the app (the
command line, tests) the default language is used. This module is the bottom
layer: it imports nothing of ours and never Streamlit, so every layer may use it.

Metric definitions (``metric.<name>.help``) restate ``shared/domain/METRICS.md``
in one sentence each; when a definition changes there, change it here.
"""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
# Shown for a missing value, above all a rate whose denominator is zero (METRICS.md).
DASH = "—"

# key -> {language: text}. Placeholders use str.format names: t("x", n=3).
TRANSLATIONS: dict[str, dict[str, str]] = {
    # --- app frame ------------------------------------------------------
    "app.title": {"zh": "信访态势", "en": "Petition situation"},
    "app.demo_banner": {
        "zh": "演示数据：示范县为虚构县，所有数字均为生成的演示数据。",
        "en": "Demo data: 示范县 is a fictional county and every figure is generated demo data.",
    },
    "app.no_data": {
        "zh": "数据库中还没有信访件。请先运行 `python -m dashboard demo` 生成演示数据，或导入数据。",
        "en": "The database holds no cases yet. Run `python -m dashboard demo` to build demo data, or import data.",
    },
    "app.no_data_in_period": {
        "zh": "所选期间内没有信访件。",
        "en": "No cases in the selected period.",
    },
    "error.db_unavailable": {
        "zh": "无法连接数据库，请稍后重试或联系管理员。",
        "en": "The database cannot be reached. Try again later or contact the administrator.",
    },
    "error.unexpected": {
        "zh": "页面出现意外错误，已记录，请刷新页面或联系管理员。",
        "en": "An unexpected error occurred and was logged. Reload the page or contact the administrator.",
    },
    "page.overview": {"zh": "总览", "en": "Overview"},
    # --- sidebar: language, projection, filters ----------------------------
    "ui.language": {"zh": "语言", "en": "Language"},
    "ui.language.zh": {"zh": "中文", "en": "中文"},
    "ui.language.en": {"zh": "English", "en": "English"},
    "ui.projection": {"zh": "投屏模式", "en": "Projection mode"},
    "ui.projection.help": {
        "zh": "大字号、高对比度，隐藏侧边栏和个人信息，适合会议室投影。",
        "en": "Large type, high contrast, no sidebar and no personal data: for the meeting-room projector.",
    },
    "ui.projection.exit": {"zh": "退出投屏", "en": "Exit projection"},
    "filters.header": {"zh": "筛选", "en": "Filters"},
    "filters.period_mode": {"zh": "期间", "en": "Period"},
    "filters.period_mode.month": {"zh": "单月", "en": "Month"},
    "filters.period_mode.range": {"zh": "月份区间", "en": "Month range"},
    "filters.month": {"zh": "月份", "en": "Month"},
    "filters.month_range": {"zh": "起止月份", "en": "From – to"},
    "filters.township": {"zh": "乡镇（街道）", "en": "Township / sub-district"},
    "filters.park": {"zh": "工业园区", "en": "Industrial park"},
    "filters.category": {"zh": "问题类别", "en": "Issue category"},
    "filters.channel": {"zh": "信访形式", "en": "Channel"},
    "filters.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "filters.all": {"zh": "全部", "en": "All"},
    "filters.reset": {"zh": "清除筛选", "en": "Clear filters"},
    # --- periods and changes ---------------------------------------------
    "period.month": {"zh": "{year}年{month}月", "en": "{month_name} {year}"},
    "period.range": {"zh": "{start}至{end}", "en": "{start} – {end}"},
    "change.mom": {"zh": "环比", "en": "vs prev."},
    "change.yoy": {"zh": "同比", "en": "vs last year"},
    "change.pp": {"zh": "个百分点", "en": "pp"},
    # --- channels (信访形式) ------------------------------------------------
    "channel.letter": {"zh": "来信", "en": "Letter"},
    "channel.visit": {"zh": "来访", "en": "Visit"},
    "channel.online": {"zh": "网上信访", "en": "Online"},
    "channel.phone": {"zh": "电话", "en": "Phone"},
    "channel.leader_reception": {"zh": "领导接访", "en": "Leader reception"},
    # --- categories: Chinese names come from the database; these are the
    # English names by category code (the zh text is the usual Chinese name,
    # used only where a category has no name in the database).
    "category.land_acquisition": {"zh": "征地拆迁", "en": "Land acquisition and demolition"},
    "category.labour_social_security": {"zh": "劳动社保", "en": "Labour and social security"},
    "category.urban_rural_construction": {"zh": "城乡建设", "en": "Urban-rural construction"},
    "category.agriculture_rural": {"zh": "农业农村", "en": "Agriculture and rural affairs"},
    "category.natural_resources": {"zh": "自然资源", "en": "Natural resources and land"},
    "category.ecology_environment": {"zh": "生态环境", "en": "Environment"},
    "category.education": {"zh": "教育", "en": "Education"},
    "category.health": {"zh": "卫生健康", "en": "Health"},
    "category.civil_affairs": {"zh": "民政", "en": "Civil affairs"},
    "category.law_litigation": {"zh": "涉法涉诉", "en": "Law and litigation"},
    "category.transport": {"zh": "交通运输", "en": "Transport"},
    "category.market_supervision": {"zh": "市场监管", "en": "Market supervision"},
    "category.discipline_inspection": {"zh": "纪检监察", "en": "Complaints about officials"},
    # --- metrics: label and one-sentence definition (METRICS.md) ------------
    "metric.received.label": {"zh": "信访总量", "en": "Cases received"},
    "metric.received.help": {
        "zh": "期间内登记（收到）的信访件数。",
        "en": "Cases with a received date in the period.",
    },
    "metric.first_time.label": {"zh": "初信初访件", "en": "First-time cases"},
    "metric.first_time.help": {
        "zh": "期间内收到、标记为初信或初访的信访件数。",
        "en": "Cases received in the period that are flagged first-time (first letter or first visit).",
    },
    "metric.group_visits.label": {"zh": "集体访", "en": "Group visits"},
    "metric.group_visits.help": {
        "zh": "期间内收到的来访件中，来访人数在5人及以上的件数。",
        "en": "Cases received in the period by visit with 5 or more people.",
    },
    "metric.repeat_share.label": {"zh": "重复信访率", "en": "Repeat share"},
    "metric.repeat_share.help": {
        "zh": "期间内收到的信访件中，重复信访件所占比例。",
        "en": "Cases received in the period flagged repeat, divided by cases received.",
    },
    "metric.concluded.label": {"zh": "办结件", "en": "Concluded"},
    "metric.concluded.help": {
        "zh": "办结日期在期间内的信访件数，无论何时收到。",
        "en": "Cases with a conclusion date in the period, whenever received.",
    },
    "metric.resolution_rate.label": {"zh": "化解率", "en": "Resolution rate"},
    "metric.resolution_rate.help": {
        "zh": "期间内收到且在期末前办结的信访件中，结果为已化解的比例。",
        "en": "Among cases received in the period and concluded by its end, the share resolved.",
    },
    "metric.first_time_resolution_rate.label": {"zh": "初信初访化解率", "en": "First-time resolution"},
    "metric.first_time_resolution_rate.help": {
        "zh": "期间内收到且在期末前办结的初信初访件中，结果为已化解的比例。",
        "en": "Among first-time cases received in the period and concluded by its end, the share resolved.",
    },
    "metric.first_letter_resolution_rate.label": {"zh": "初信化解率", "en": "First-letter resolution rate"},
    "metric.first_letter_resolution_rate.help": {
        "zh": "初信初访化解率中仅计初信（非到访渠道）的部分。",
        "en": "The first-time resolution rate restricted to first letters (channels other than in person).",
    },
    "metric.first_visit_resolution_rate.label": {"zh": "初访化解率", "en": "First-visit resolution rate"},
    "metric.first_visit_resolution_rate.help": {
        "zh": "初信初访化解率中仅计初访（来访和领导接访）的部分。",
        "en": "The first-time resolution rate restricted to first visits (visit and leader reception).",
    },
    "metric.on_time_rate.label": {"zh": "按期办结率", "en": "On-time rate"},
    "metric.on_time_rate.help": {
        "zh": "法定办结期限（受理后60日，延期再加30日；无受理日期按收到后15日计受理）落在期间内的信访件中，"
        "按期办结的比例；超期未结件计为未按期。",
        "en": "Among cases whose statutory due date (acceptance + 60 days, + 30 if extended; acceptance taken "
        "as receipt + 15 days when missing) falls in the period, the share concluded by it; overdue open "
        "cases count as late.",
    },
    "metric.on_time_rate_3_7_21.label": {"zh": "3-7-21 达标率", "en": "3-7-21 on-time rate"},
    "metric.on_time_rate_3_7_21.help": {
        "zh": "21日期限落在期间内的初信初访件中，3日内见面、7日内反馈、21日内办结的比例；缺少日期计为未达标。",
        "en": "Among first-time cases whose 21-day deadline falls in the period, the share met within 3 days, "
        "answered within 7 and concluded within 21; a missing date counts as late.",
    },
    "metric.overdue_open.label": {"zh": "超期未结", "en": "Overdue open"},
    "metric.overdue_open.help": {
        "zh": "期末仍未办结、且法定办结期限早于期末的信访件数。",
        "en": "Cases open at the period's end whose statutory due date is before the period's end.",
    },
    "metric.backlog.label": {"zh": "积案", "en": "Backlog"},
    "metric.backlog.help": {
        "zh": "期末仍未办结、且收到时间早于期末90日以上的信访件数，每件由县领导包案。",
        "en": "Cases open at the period's end that were received more than 90 days before it; "
        "each is owned by a county leader.",
    },
    "metric.satisfaction_rate_office.label": {"zh": "满意率", "en": "Satisfaction"},
    "metric.satisfaction_rate_office.help": {
        "zh": "期间内办结并参评的信访件中，对信访部门评价为满意或基本满意的比例。",
        "en": "Among cases concluded in the period and rated, the share rating the petition office "
        "satisfied or basically satisfied.",
    },
    "metric.satisfaction_rate_unit.label": {"zh": "责任单位满意率", "en": "Unit satisfaction"},
    "metric.satisfaction_rate_unit.help": {
        "zh": "期间内办结并参评的信访件中，对责任单位评价为满意或基本满意的比例。",
        "en": "Among cases concluded in the period and rated, the share rating the responsible unit "
        "satisfied or basically satisfied.",
    },
    "metric.rating_rate.label": {"zh": "参评率", "en": "Rating rate"},
    "metric.rating_rate.help": {
        "zh": "期间内办结的信访件中，对信访部门作出评价的比例。",
        "en": "Cases concluded in the period with a petition-office rating, divided by cases concluded.",
    },
    # --- overview page -----------------------------------------------------
    "overview.heading": {"zh": "信访总览", "en": "Petition overview"},
    "overview.compared": {
        "zh": "环比：与{previous}相比；同比：与{earlier}相比。",
        "en": "“vs prev.” compares with {previous}; “vs last year” with {earlier}.",
    },
    "overview.trend.title": {"zh": "近13个月趋势", "en": "Last 13 months"},
    "overview.trend.month": {"zh": "月份", "en": "Month"},
    "overview.trend.received": {"zh": "信访总量（件）", "en": "Cases received"},
    "overview.trend.rate": {"zh": "初信初访化解率", "en": "First-time resolution rate"},
    "overview.top_townships.title": {"zh": "信访量最多的乡镇（街道）", "en": "Townships with most petitions"},
    "overview.top_parks.title": {"zh": "信访量最多的工业园区", "en": "Industrial parks with most petitions"},
    "overview.top.received": {"zh": "信访总量（件）", "en": "Cases received"},
    "overview.top.empty": {"zh": "所选期间内没有数据。", "en": "No data in the selected period."},
    # --- map page (分布地图) -------------------------------------------------
    "page.map": {"zh": "分布地图", "en": "Map"},
    "map.heading": {"zh": "信访分布地图", "en": "Where petitions come from"},
    "map.measure": {"zh": "地图显示", "en": "Colour the map by"},
    "map.measure.received": {"zh": "信访总量（件）", "en": "Cases received"},
    "map.measure.per_10k": {"zh": "每万人信访量", "en": "Per 10,000 residents"},
    "map.measure.change_mom": {"zh": "环比增减（件）", "en": "Change vs prev."},
    "map.measure.change_yoy": {"zh": "同比增减（件）", "en": "Change vs year ago"},
    "map.measure.first_time_share": {"zh": "初信初访占比", "en": "First-time share"},
    "map.measure.overdue_open": {"zh": "超期未结（件）", "en": "Overdue open"},
    "map.measure.backlog": {"zh": "积案（件）", "en": "Backlog"},
    "map.measure.received.help": {
        "zh": "期间内登记（收到）的信访件数，按信访件所属乡镇或园区统计。",
        "en": "Cases with a received date in the period, by the case's township or park.",
    },
    "map.measure.per_10k.help": {
        "zh": "信访总量 ÷ 常住人口 × 10000。工业园区没有常住人口，园区只显示件数。",
        "en": "Cases received ÷ residents × 10,000. Industrial parks have no residents: "
        "they show the count only.",
    },
    "map.measure.change_mom.help": {
        "zh": "本期信访总量减去上一个等长期间的信访总量（件数之差）。",
        "en": "Cases received in the period minus those in the previous period of the same length.",
    },
    "map.measure.change_yoy.help": {
        "zh": "本期信访总量减去上年同期的信访总量（件数之差）。",
        "en": "Cases received in the period minus those in the same period a year earlier.",
    },
    "map.measure.first_time_share.help": {
        "zh": "期间内收到的信访件中，初信初访件所占比例；没有信访件时显示“—”。",
        "en": "First-time cases ÷ cases received in the period; “—” when nothing was received.",
    },
    "map.measure.overdue_open.help": {
        "zh": "期末仍未办结、且法定办结期限早于期末的信访件数。",
        "en": "Cases open at the period's end whose statutory due date is before the period's end.",
    },
    "map.measure.backlog.help": {
        "zh": "期末仍未办结、且收到时间早于期末90日以上的信访件数。",
        "en": "Cases open at the period's end that were received more than 90 days before it.",
    },
    "map.legend.no_data": {"zh": "无数据或已筛除", "en": "No data / filtered out"},
    "map.legend.park": {"zh": "工业园区（斜线）", "en": "Industrial park (hatched)"},
    "map.legend.point": {"zh": "接访点", "en": "Reception point"},
    "map.legend.hot_spot": {"zh": "热点（规则见地图下方）", "en": "Hot spot (rule below the map)"},
    "map.legend.park_no_population": {
        "zh": "园区无常住人口，园区标注为信访件数。",
        "en": "Parks have no residents: their labels show the count.",
    },
    "map.hot_spot": {"zh": "热点", "en": "Hot spot"},
    "map.no_boundaries": {
        "zh": "数据库中还没有乡镇边界，请先导入边界文件。",
        "en": "No township boundaries in the database yet: import a boundary file first.",
    },
    "map.level.township": {"zh": "乡镇（街道）", "en": "Township"},
    "map.level.park": {"zh": "工业园区", "en": "Industrial park"},
    "map.hotspots.title": {"zh": "热点", "en": "Hot spots"},
    "map.hotspots.rule": {
        "zh": "判定规则：以该地前{months}个月（同样的筛选条件）月均信访量乘以本期月数作为预期值 λ；"
        "本期信访量满足单侧泊松检验 P(X ≥ 本期件数 | λ) < {alpha}，且比预期至少多{excess}件时，标为热点。"
        "数据库中最早信访件之前的月份不计入。",
        "en": "Rule: the expected count λ is the area's mean monthly count over the previous {months} months "
        "(same filters) times the months in the period; an area is a hot spot when the one-sided Poisson "
        "test gives P(X ≥ observed | λ) < {alpha} and the observed count is at least {excess} above λ. "
        "Months before the first case in the database do not count.",
    },
    "map.hotspots.none": {"zh": "本期没有热点。", "en": "No hot spot in this period."},
    "map.hotspots.area": {"zh": "地区", "en": "Area"},
    "map.hotspots.level": {"zh": "类型", "en": "Kind"},
    "map.hotspots.observed": {"zh": "本期（件）", "en": "Observed"},
    "map.hotspots.expected": {"zh": "预期（件）", "en": "Expected"},
    "map.hotspots.p_value": {"zh": "P 值", "en": "P-value"},
    "map.panel.prompt": {
        "zh": "点击地图上的乡镇或工业园区，在此查看详情。",
        "en": "Click a township or an industrial park on the map for its details here.",
    },
    "map.panel.outside_filter": {
        "zh": "该地区不在当前筛选范围内。",
        "en": "This area is outside the current filter.",
    },
    "map.panel.area": {"zh": "地区", "en": "Area"},
    "map.panel.choose": {"zh": "选择乡镇或园区…", "en": "Choose a township or park…"},
    "map.panel.here": {"zh": "本地", "en": "Here"},
    "map.panel.average.township": {"zh": "全县乡镇平均", "en": "County average"},
    "map.panel.average.park": {"zh": "园区平均", "en": "Average park"},
    "map.panel.average.help": {
        "zh": "件数为各乡镇（园区）的平均值；每万人信访量为全县合计 ÷ 全县人口；初信初访占比为合计之比。",
        "en": "Counts: the mean over the townships (parks). Per 10,000: the county's total over its "
        "population. First-time share: the ratio of the totals.",
    },
    "map.panel.categories": {"zh": "问题类别构成", "en": "Issue categories"},
    "map.panel.trend": {"zh": "近13个月信访量", "en": "Cases received, last 13 months"},
    "map.panel.overdue": {"zh": "超期未结件", "en": "Overdue open cases"},
    "map.panel.backlog": {"zh": "积案", "en": "Backlog cases"},
    "map.panel.no_cases": {"zh": "无。", "en": "None."},
    "map.panel.leaders": {"zh": "挂点县领导", "en": "Linked county leaders (挂点)"},
    "map.panel.no_leader": {"zh": "未设挂点县领导。", "en": "No county leader is linked to this area."},
    "map.panel.leader_last": {"zh": "最近在此接访：{date}", "en": "last received petitioners here: {date}"},
    "map.panel.leader_never": {"zh": "截至期末未在此接访", "en": "no reception here by the period's end"},
    "map.panel.last_reception": {
        "zh": "最近一次领导接访：{date}，{leader}（{title}），{kind}，{place}，接待群众{people}人次。",
        "en": "Last leader reception here: {date}, {leader} ({title}), {kind}, {place}, "
        "{people} petitioners received.",
    },
    "map.panel.no_reception": {
        "zh": "截至期末，没有县领导在此接访的记录。",
        "en": "No county leader reception recorded here by the period's end.",
    },
    "map.session.monthly_15th": {"zh": "每月15日接访", "en": "15th-of-month reception"},
    "map.session.township_point": {"zh": "乡镇接访点接访", "en": "township reception point"},
    "map.session.outreach": {"zh": "下访", "en": "outreach visit"},
    "map.session.appointment": {"zh": "约访", "en": "appointment"},
    "map.case.case_number": {"zh": "信访件编号", "en": "Case number"},
    "map.case.received_on": {"zh": "登记日期", "en": "Received"},
    "map.case.township": {"zh": "乡镇", "en": "Township"},
    "map.case.park": {"zh": "园区", "en": "Park"},
    "map.case.category": {"zh": "问题类别", "en": "Category"},
    "map.case.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "map.case.owner_leader": {"zh": "包案领导", "en": "Owner leader"},
    "map.case.due_on": {"zh": "法定办结期限", "en": "Statutory due date"},
    "map.case.days_open": {"zh": "已历时（天）", "en": "Days open"},
    # --- monthly trends page (月度趋势, issue 12) ------------------------------
    "page.trends": {"zh": "月度趋势", "en": "Monthly trends"},
    "trends.heading": {"zh": "月度趋势", "en": "Monthly trends"},
    "trends.latest": {
        "zh": "最新月份：{month}（筛选期间的最后一个月）。环比与上月相比，同比与上年同月相比。",
        "en": "Latest month: {month} (the last month of the filter's period). “vs prev.” compares with the "
        "month before, “vs last year” with the same month a year earlier.",
    },
    "trends.section": {"zh": "内容", "en": "Section"},
    "trends.section.received": {"zh": "信访量", "en": "Cases received"},
    "trends.section.rates": {"zh": "办理质效", "en": "Rates"},
    "trends.section.rising": {"zh": "异常上升", "en": "Rising issues"},
    "trends.section.hot_words": {"zh": "热词", "en": "Hot words"},
    "trends.split": {"zh": "分组", "en": "Split by"},
    "trends.style": {"zh": "图形", "en": "Chart"},
    "trends.style.stacked": {"zh": "堆叠柱状图", "en": "Stacked bars"},
    "trends.style.multiples": {"zh": "分组小图", "en": "Small multiples"},
    "trends.window": {"zh": "月数", "en": "Months"},
    "trends.window.months": {"zh": "近{n}个月", "en": "Last {n} months"},
    "trends.window.period": {"zh": "筛选期间", "en": "The filter's period"},
    "trends.received.title": {"zh": "信访量（按{split}）", "en": "Cases received by {split}"},
    "trends.received.caption": {
        "zh": "{start}至{end}；前{top}项单列，其余合为“其他”。{year_earlier}",
        "en": "{start} – {end}; the top {top} shown apart, the rest as “Other”. {year_earlier}",
    },
    "trends.received.year_earlier.stacked": {
        "zh": "虚线为上年同期合计。",
        "en": "The dotted line is the total a year earlier.",
    },
    "trends.received.year_earlier.multiples": {
        "zh": "每张小图中虚线为上年同期。",
        "en": "In each small chart the dotted line is the same months a year earlier.",
    },
    "trends.received.no_park": {
        "zh": "不在工业园区的信访件不计入。",
        "en": "Cases outside any industrial park are not counted.",
    },
    "trends.received.empty": {"zh": "所选期间内没有信访件。", "en": "No cases in the selected months."},
    "trends.other": {"zh": "其他", "en": "Other"},
    "trends.total": {"zh": "合计", "en": "Total"},
    "trends.changes.title": {"zh": "{month}环比、同比", "en": "{month}: change on the month before and on a year earlier"},
    "trends.changes.received": {"zh": "本月（件）", "en": "This month"},
    "trends.changes.previous": {"zh": "上月（件）", "en": "Month before"},
    "trends.changes.year_earlier": {"zh": "上年同月（件）", "en": "A year earlier"},
    "trends.rates.title": {"zh": "比率逐月", "en": "Rates month by month"},
    "trends.rates.caption": {
        "zh": "空心点：当月分母不足{n}件，仅供参考，不连线；断开处：当月没有分母（—）。鼠标悬停可看分子/分母。",
        "en": "A hollow marker: fewer than {n} cases in the month's denominator, read with care, not joined "
        "into the line; a gap: no denominator (—). Hover for numerator and denominator.",
    },
    "trends.rates.parts": {"zh": "{numerator}/{denominator} 件", "en": "{numerator} of {denominator}"},
    "trends.rates.tile.parts": {"zh": "分子/分母：{parts}", "en": "Numerator/denominator: {parts}"},
    "trends.rates.tile.sparse": {"zh": "分母不足{n}件，仅供参考", "en": "Fewer than {n} cases: read with care"},
    "trends.rising.title": {"zh": "异常上升的问题", "en": "Rising issues"},
    "trends.rising.rule": {"zh": "判断规则", "en": "The rule"},
    "trends.rising.short_history": {
        "zh": "历史数据只有{months}个月（不足{needed}个月），估计不出季节和春节规律，本月使用简化规则（见下）。",
        "en": "Only {months} months of history (fewer than {needed}): the seasons and Spring Festival cannot be "
        "estimated, so this month uses the simpler rule below.",
    },
    "trends.rising.no_history": {
        "zh": "历史数据只有{months}个月，不足以判断异常上升。",
        "en": "Only {months} months of history: too little to judge rising issues.",
    },
    "trends.rising.none": {
        "zh": "{month}没有异常上升的问题（共检验{tested}项）。",
        "en": "No rising issue in {month} ({tested} series tested).",
    },
    "trends.rising.found": {
        "zh": "{month}有{n}项异常上升（共检验{tested}项），按显著程度排序。",
        "en": "{n} rising in {month} ({tested} series tested), strongest first.",
    },
    "trends.rising.loading": {"zh": "正在计算异常上升……", "en": "Finding rising issues…"},
    "trends.rising.county": {"zh": "全县", "en": "County-wide"},
    "trends.rising.in_park": {"zh": "{name}（园区）", "en": "{name} (park)"},
    "trends.rising.col.rank": {"zh": "排名", "en": "Rank"},
    "trends.rising.col.category": {"zh": "问题类别", "en": "Issue category"},
    "trends.rising.col.area": {"zh": "范围", "en": "Where"},
    "trends.rising.col.received": {"zh": "本月（件）", "en": "This month"},
    "trends.rising.col.expected": {"zh": "预期（件）", "en": "Expected"},
    "trends.rising.col.band": {"zh": "预期区间", "en": "Expected band"},
    "trends.rising.col.months": {"zh": "连续高于预期（月）", "en": "Months above expected"},
    "trends.rising.col.since": {"zh": "开始上升", "en": "Rising since"},
    "trends.rising.col.strength": {"zh": "显著程度", "en": "Strength"},
    "trends.rising.strength.help": {
        "zh": "显著程度 = −log10（按预期水平，出现不少于本月件数的概率）：3 表示千分之一，6 表示百万分之一。",
        "en": "Strength = −log10 of the chance of at least this month's count at the expected level: "
        "3 is one in a thousand, 6 one in a million.",
    },
    "trends.rising.evidence": {"zh": "依据：{category} · {area}", "en": "Evidence: {category} · {area}"},
    "trends.rising.evidence.caption": {
        "zh": "本月{received}件，预期{expected}件（区间{lower}–{upper}）；自{since}起连续{months}个月高于预期。",
        "en": "{received} this month against {expected} expected (band {lower}–{upper}); above the expected "
        "level for {months} months, since {since}.",
    },
    "trends.rising.more": {
        "zh": "另有{n}项的依据未画出，见上表或下载数据。",
        "en": "{n} more are not drawn: see the table, or download the data.",
    },
    "rising.rule.seasonal": {
        "zh": "怎样算“异常上升”：把每类问题（全县，以及每个乡镇、每个工业园区内）本月的信访量，与按它自己过去"
        "（最多{history}个）月的规律推算出的“预期水平”相比。推算时考虑长期趋势、季节和春节：春节前{weeks}周是欠薪高峰，"
        "按每年春节的实际日期计算（有的年份落在1月，有的在2月），每个乡镇、园区有自己的节前高峰，"
        "所以每年节前的正常高峰不算异常。本月数超过预期区间的上沿（按以往规律出现这么多件的概率不到{alpha}），"
        "并且比预期多{excess}件以上，才标为异常上升。越不可能出现的排得越前。",
        "en": "What counts as a rising issue: each issue category (county-wide, and within each township and "
        "industrial park) is compared with the level expected from its own past months (up to {history}). The expectation "
        "follows the long-term trend, the seasons and Spring Festival: the {weeks} weeks before the festival are "
        "the wage-arrears peak, counted from each year's actual festival date (in January some years, February "
        "others), and each township and park has its own pre-festival peak, so the ordinary peak is not a rise. "
        "A category is flagged when this month's count is above the upper edge of the expected band (a chance "
        "below {alpha} if nothing had changed) and at least {excess} cases above the expected level. The less "
        "likely the count, the higher it ranks.",
    },
    "rising.rule.simple": {
        "zh": "历史数据不足{needed}个月，估计不出季节和春节规律，因此用简化规则：预期水平取最近（最多{recent}个）月"
        "的平均数；本月数超过按此平均数计算的上沿（出现概率不到{alpha}）并且多出{excess}件以上，即标为异常上升。"
        "春节前的正常高峰也可能被标出。",
        "en": "Fewer than {needed} months of history: the seasons and Spring Festival cannot be estimated, so a "
        "simpler rule is used. The expected level is the mean of the last (up to {recent}) months; a category is "
        "flagged when this month is above the upper edge for that mean (a chance below {alpha}) and at least "
        "{excess} cases above it. The ordinary pre-festival peak may be flagged too.",
    },
    "rising.rule.none": {
        "zh": "历史数据不足{needed}个月，不判断异常上升。",
        "en": "Fewer than {needed} months of history: no rising issues are judged.",
    },
    "trends.hot.title": {"zh": "热词", "en": "Hot words"},
    "trends.hot.rule": {
        "zh": "从本月信访事项摘要中切分出的词：同一信访人一个月内只计一次，人名、地名、数字和常用套话不计。"
        "本月至少{min_count}人提到、并且比前{months}个月的平均人数增加最多的词排在前面。",
        "en": "Words cut from this month's case summaries: each petitioner counts once a month, and names, places, "
        "numbers and stock phrases never count. Words used by at least {min_count} petitioners this month that "
        "rose most against the mean of the {months} months before come first.",
    },
    "trends.hot.loading": {
        "zh": "正在统计热词（需读取本月及前{months}个月的摘要）……",
        "en": "Counting hot words (reading the summaries of this month and the {months} before)…",
    },
    "trends.hot.none": {"zh": "{month}没有热词。", "en": "No hot words in {month}."},
    "trends.hot.word": {"zh": "查看某个词涉及的信访件", "en": "Cases behind a word"},
    "trends.hot.word.placeholder": {"zh": "选择一个词", "en": "Choose a word"},
    "trends.hot.cases": {
        "zh": "“{word}”：本月{n}件（只显示编号和登记日期）。",
        "en": "“{word}”: {n} cases this month (case number and date only).",
    },
    "trends.hot.cases.limit": {"zh": "只列出最早的{n}件。", "en": "Only the first {n} are listed."},
    "trends.hot.col.case_number": {"zh": "信访件编号", "en": "Case number"},
    "trends.hot.col.received_on": {"zh": "登记日期", "en": "Received"},
    # Chart text of dashboard/charts/trends.py (legends, axes, hover).
    "trends.chart.received": {"zh": "信访量（件）", "en": "Cases received"},
    "trends.chart.year_earlier": {"zh": "{label}（上年同期）", "en": "{label} (a year earlier)"},
    "trends.chart.year_earlier_total": {"zh": "上年同期合计", "en": "Total a year earlier"},
    "trends.chart.rate": {"zh": "比率", "en": "Rate"},
    "trends.chart.sparse": {"zh": "{label}（样本不足）", "en": "{label} (too few cases)"},
    "trends.chart.sparse_legend": {"zh": "空心点：分母不足{n}件", "en": "Hollow: fewer than {n} cases"},
    "trends.chart.year_earlier_line": {"zh": "虚线：上年同期", "en": "Dotted: a year earlier"},
    "trends.chart.expected": {"zh": "预期水平", "en": "Expected level"},
    "trends.chart.band": {"zh": "预期区间", "en": "Expected band"},
    "trends.chart.rise": {"zh": "比前三个月平均多（人）", "en": "Rise on the mean of the 3 months before"},
    "trends.chart.word_text": {"zh": "{rise}（本月{count}人）", "en": "{rise} ({count} this month)"},
    "trends.chart.word_hover": {
        "zh": "本月{count}人，前三个月平均{previous}人",
        "en": "{count} petitioners this month, {previous} a month in the 3 months before",
    },
    # Table and workbook columns.
    "trends.col.month": {"zh": "月份", "en": "Month"},
    "trends.col.split": {"zh": "分组", "en": "Split"},
    "trends.col.received": {"zh": "信访量", "en": "Received"},
    "trends.col.received_year_earlier": {"zh": "上年同期", "en": "A year earlier"},
    "trends.col.rate": {"zh": "指标", "en": "Measure"},
    "trends.col.numerator": {"zh": "分子", "en": "Numerator"},
    "trends.col.denominator": {"zh": "分母", "en": "Denominator"},
    "trends.col.value": {"zh": "比率", "en": "Rate"},
    "trends.col.sparse": {"zh": "样本不足", "en": "Too few cases"},
    "trends.col.expected": {"zh": "预期水平", "en": "Expected"},
    "trends.col.lower": {"zh": "区间下沿", "en": "Band, lower"},
    "trends.col.upper": {"zh": "区间上沿", "en": "Band, upper"},
    "trends.col.word": {"zh": "词", "en": "Word"},
    "trends.col.count": {"zh": "本月（人）", "en": "This month (petitioners)"},
    "trends.col.previous": {"zh": "前三月平均（人）", "en": "Mean of the 3 months before"},
    "trends.col.rise": {"zh": "增加", "en": "Rise"},
    # Downloads of a chart (every page that offers them).
    "download.chart_xlsx": {"zh": "数据（Excel）", "en": "Data (Excel)"},
    "download.png.make": {"zh": "生成图片（PNG）", "en": "Make a picture (PNG)"},
    "download.png.rendering": {"zh": "正在生成图片，需要几秒钟……", "en": "Drawing the picture, a few seconds…"},
    "download.png.get": {"zh": "下载图片（PNG）", "en": "Download the picture (PNG)"},
    "download.png.failed": {"zh": "图片生成失败：{reason}", "en": "The picture could not be made: {reason}"},
    "download.help": {
        "zh": "下载会记入审计日志。",
        "en": "Downloads are recorded in the audit log.",
    },
    # --- case outcomes page (办理成效, issue 10) -------------------------------
    "page.outcomes": {"zh": "办理成效", "en": "Case outcomes"},
    "outcomes.heading": {"zh": "办理成效", "en": "Case outcomes"},
    "outcomes.leader_filter": {"zh": "包案领导", "en": "Owner leader"},
    "outcomes.leader_filter.help": {
        "zh": "只看这些县领导包案的信访件（本页筛选，其他页面不受影响）。",
        "en": "Only the cases owned by these county leaders (this page only).",
    },
    "outcomes.fraction": {"zh": "{n} / {d} 件", "en": "{n} of {d}"},
    "outcomes.at": {"zh": "截至 {date}", "en": "at {date}"},
    "outcomes.until": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "outcomes.yes": {"zh": "是", "en": "Yes"},
    "outcomes.no": {"zh": "否", "en": "No"},
    # steps of a case
    "outcomes.step.received": {"zh": "收到", "en": "Received"},
    "outcomes.step.accepted": {"zh": "受理", "en": "Accepted"},
    "outcomes.step.first_meeting": {"zh": "见面", "en": "First meeting"},
    "outcomes.step.feedback": {"zh": "反馈", "en": "Feedback"},
    "outcomes.step.concluded": {"zh": "办结", "en": "Concluded"},
    # 1. pipeline
    "outcomes.pipeline.title": {"zh": "办理流程", "en": "Pipeline"},
    "outcomes.pipeline.caption": {
        "zh": "见面、反馈两步只计初信初访件（兴国 3-7-21）；间隔天数为距本件上一步的天数；滞留件截至 {date}。",
        "en": "First meeting and feedback are steps of first-time cases only (the 3-7-21 rule); days are "
        "counted from the case's previous step; stuck as of {date}.",
    },
    "metric.step_taken.label": {"zh": "本期办理", "en": "Taken in the period"},
    "metric.step_taken.help": {
        "zh": "该步骤日期落在期间内的信访件数（见面、反馈只计初信初访件）。",
        "en": "Cases whose date for this step falls in the period (first meeting and feedback: first-time "
        "cases only).",
    },
    "metric.step_days_median.label": {"zh": "间隔天数（中位数）", "en": "Days from previous step (median)"},
    "metric.step_days_median.help": {
        "zh": "期间内完成该步骤的信访件中，距本件上一步日期的天数的中位数（两个日期都有的才计）。",
        "en": "Among the cases that took this step in the period, the median number of days since the "
        "case's previous step (where both dates exist).",
    },
    "metric.step_days_p90.label": {"zh": "间隔天数（90%分位）", "en": "Days from previous step (90th pct.)"},
    "metric.step_days_p90.help": {
        "zh": "同上天数的第90百分位数（按排位线性插值）：九成信访件不超过此天数。",
        "en": "The 90th percentile of the same days (linear between ranks): nine cases in ten took no longer.",
    },
    "metric.stuck.label": {"zh": "当前滞留", "en": "Stuck now"},
    "metric.stuck.help": {
        "zh": "统计日仍未办结、且此步骤是其尚未完成的第一步的信访件数；每件未结件恰在一步滞留。",
        "en": "Cases open at the reference date for which this is the first step not yet reached; every "
        "open case is stuck at exactly one step.",
    },
    # 2. deadlines
    "outcomes.deadlines.title": {"zh": "办理时限", "en": "Deadlines"},
    "outcomes.deadlines.as_of": {
        "zh": "清单截至 {date}（所选期间已结束的按期末，否则按今天）。点列名可排序。",
        "en": "Lists as of {date} (the period's end once it is over, else today). Click a heading to sort.",
    },
    "outcomes.rules.statutory": {"zh": "法定时限（信访工作条例）", "en": "Statutory (Regulation on Petitions)"},
    "outcomes.rules.statutory.caption": {
        "zh": "收到后{acceptance}日内决定受理，受理后{conclusion}日内办结，延期一次不超过{extension}日。",
        "en": "Decide on acceptance within {acceptance} days of receipt, conclude within {conclusion} days of "
        "acceptance, one extension of at most {extension} days.",
    },
    "outcomes.rules.3_7_21": {"zh": "初信初访 3-7-21", "en": "First petitions: 3-7-21"},
    "outcomes.rules.3_7_21.caption": {
        "zh": "收到后{meeting}日内见面、{feedback}日内反馈、{first_conclusion}日内办结。",
        "en": "Meet the petitioner within {meeting} days of receipt, feed back within {feedback}, conclude "
        "within {first_conclusion}.",
    },
    "outcomes.rule_set.statutory": {"zh": "法定", "en": "Statutory"},
    "outcomes.rule_set.3_7_21": {"zh": "3-7-21", "en": "3-7-21"},
    "metric.overdue_now.label": {"zh": "当前超期", "en": "Overdue now"},
    "metric.overdue_now.help": {
        "zh": "统计日（期末或今天，取较早者）仍未办结、且法定办结期限已过的信访件数；按期末统计即超期未结。",
        "en": "Cases open at the reference date (the period's end or today, whichever is earlier) whose "
        "statutory due date has passed; at the period's end these are the overdue open cases.",
    },
    "metric.overdue_now_3_7_21.help": {
        "zh": "统计日仍未办结的初信初访件中，下一步（见面3日、反馈7日、办结21日）期限已过的件数。",
        "en": "First-time cases open at the reference date whose next step (meeting in 3 days, feedback in "
        "7, conclusion in 21) is past its deadline.",
    },
    "metric.due_soon.label": {"zh": "7日内到期", "en": "Due within 7 days"},
    "metric.due_soon.help": {
        "zh": "统计日仍未办结、法定办结期限在统计日起7日内（含当天）的信访件数。",
        "en": "Cases open at the reference date whose statutory due date falls within the next 7 days "
        "(that day included).",
    },
    "metric.due_soon_3_7_21.help": {
        "zh": "统计日仍未办结的初信初访件中，下一步的 3-7-21 期限在统计日起7日内（含当天）的件数。",
        "en": "First-time cases open at the reference date whose next 3-7-21 deadline falls within the "
        "next 7 days (that day included).",
    },
    "outcomes.list.overdue": {"zh": "超期清单（{n}）", "en": "Overdue ({n})"},
    "outcomes.list.due_soon": {"zh": "7日内到期（{n}）", "en": "Due within 7 days ({n})"},
    "outcomes.list.overdue.none": {"zh": "没有超期的信访件。", "en": "No case is overdue."},
    "outcomes.list.due_soon.none": {"zh": "没有7日内到期的信访件。", "en": "No case falls due within 7 days."},
    "outcomes.list.truncated": {
        "zh": "共 {total} 条，列出最紧急的 {shown} 条。",
        "en": "{total} in all; the {shown} most urgent are listed.",
    },
    "outcomes.list.hint": {
        "zh": "点选一行（行首方框）可在下方查看该件详情；信访人信息已脱敏。",
        "en": "Select a row (the box at its start) to see the case's detail below; personal data is masked.",
    },
    "outcomes.col.case_number": {"zh": "信访件编号", "en": "Case number"},
    "outcomes.col.rule_set": {"zh": "时限规则", "en": "Rule set"},
    "outcomes.col.step": {"zh": "环节", "en": "Step"},
    "outcomes.col.step_due": {"zh": "待办环节", "en": "Step due"},
    "outcomes.col.township": {"zh": "乡镇（街道）", "en": "Township"},
    "outcomes.col.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "outcomes.col.owner_leader": {"zh": "包案领导", "en": "Owner leader"},
    "outcomes.col.received_on": {"zh": "收到日期", "en": "Received"},
    "outcomes.col.due_on": {"zh": "期限", "en": "Due"},
    "outcomes.col.days_over": {"zh": "超期天数", "en": "Days over"},
    "outcomes.col.days_left": {"zh": "剩余天数", "en": "Days left"},
    # 3. backlog
    "outcomes.backlog.title": {"zh": "积案和超期（按包案领导）", "en": "Backlog and overdue by owner leader"},
    "outcomes.backlog.caption": {
        "zh": "积案 = 上期末积案 − 本期化解 + 本期新增；按积案在期末已办理的天数分段。",
        "en": "Backlog = backlog at the previous end − cleared + joined; age bands count days open at the "
        "period's end.",
    },
    "outcomes.no_leader": {"zh": "（未确定包案领导）", "en": "(no owner leader)"},
    "outcomes.band.range": {"zh": "{low}–{high}天", "en": "{low}–{high} days"},
    "outcomes.band.over": {"zh": "超过{days}天", "en": "over {days} days"},
    "metric.backlog_previous.label": {"zh": "上期末积案", "en": "Backlog at previous end"},
    "metric.backlog_previous.help": {
        "zh": "上一期末（期间开始前一天）的积案数。",
        "en": "The backlog at the previous period's end (the day before the period starts).",
    },
    "metric.backlog_cleared.label": {"zh": "本期化解积案", "en": "Cleared"},
    "metric.backlog_cleared.help": {
        "zh": "上期末是积案、且在本期内办结的信访件数。",
        "en": "Cases in the backlog at the previous period's end and concluded in the period.",
    },
    "metric.backlog_joined.label": {"zh": "本期新增积案", "en": "Joined"},
    "metric.backlog_joined.help": {
        "zh": "上期末不是积案、本期末成为积案的信访件数。",
        "en": "Cases not in the backlog at the previous period's end and in it at this period's end.",
    },
    "metric.backlog_age_band.label": {"zh": "积案时长段", "en": "Backlog age band"},
    "metric.backlog_age_band.help": {
        "zh": "期末积案中，自收到之日起已满该天数段（期末日减收到日）的件数。",
        "en": "Backlog cases at the period's end whose days since receipt (end minus received) fall in this band.",
    },
    "outcomes.trend.title": {"zh": "近12个月（月末）", "en": "Last 12 months (at each month's end)"},
    "outcomes.trend.axis": {"zh": "件数", "en": "Cases"},
    # 4. outcomes
    "outcomes.results.title": {"zh": "化解成效", "en": "Resolution and satisfaction"},
    "outcomes.satisfaction_office": {"zh": "信访部门满意率", "en": "Satisfaction (petition office)"},
    "outcomes.levels.title": {"zh": "化解层级", "en": "Where cases were resolved"},
    "outcomes.col.level": {"zh": "层级", "en": "Level"},
    "outcomes.col.resolved": {"zh": "化解件数", "en": "Resolved"},
    "outcomes.col.share": {"zh": "占比", "en": "Share"},
    "outcomes.level.village": {"zh": "村（社区）", "en": "Village"},
    "outcomes.level.township": {"zh": "乡镇（街道）", "en": "Township"},
    "outcomes.level.county": {"zh": "县", "en": "County"},
    "outcomes.level.none": {"zh": "未记录", "en": "Not recorded"},
    "metric.resolution_level.label": {"zh": "化解层级", "en": "Resolution level"},
    "metric.resolution_level.help": {
        "zh": "化解率分子（期间内收到、期末前办结且已化解的件）按化解所在层级（村、乡镇、县）分列；各层级相加等于分子。",
        "en": "The resolution rate's resolved cases (received in the period, concluded by its end, resolved) "
        "by the level where they were resolved; the levels add up to them.",
    },
    # 5. league
    "outcomes.league.title": {"zh": "排名", "en": "League table"},
    "outcomes.league.by": {"zh": "排名对象", "en": "Rank"},
    "outcomes.league.rank_by": {"zh": "排名依据", "en": "Ranked by"},
    "outcomes.league.download": {"zh": "下载 Excel（将记入审计日志）", "en": "Download as Excel (logged)"},
    "outcomes.league.denominator": {"zh": "{rate}（分母）", "en": "{rate} (n)"},
    "outcomes.league.denominator.help": {
        "zh": "左侧比率的分母（件）；少于门槛件数的比率显示为灰色、不参加排名。",
        "en": "The denominator of the rate on its left; a rate with fewer cases than the threshold is "
        "greyed and not ranked.",
    },
    "metric.league_rank.label": {"zh": "排名", "en": "Rank"},
    "metric.league_rank.help": {
        "zh": "按所选比率由高到低排名，并列者名次相同；分母不足门槛的不排名。",
        "en": "By the chosen rate, highest first, ties sharing a rank; rows whose denominator is under the "
        "threshold are not ranked.",
    },
    "league.sheet": {"zh": "排名", "en": "League"},
    "league.rank": {"zh": "排名", "en": "Rank"},
    "league.name.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "league.name.leader": {"zh": "包案领导", "en": "Owner leader"},
    "league.name.township": {"zh": "乡镇（街道）", "en": "Township"},
    "league.name.category": {"zh": "问题类别", "en": "Category"},
    "league.received": {"zh": "信访量", "en": "Received"},
    "league.on_time_rate": {"zh": "按期办结率", "en": "On-time rate"},
    "league.resolution_rate": {"zh": "化解率", "en": "Resolution rate"},
    "league.satisfaction_rate_office": {"zh": "信访部门满意率", "en": "Satisfaction: office"},
    "league.satisfaction_rate_unit": {"zh": "责任单位满意率", "en": "Satisfaction: unit"},
    "league.numerator": {"zh": "{rate}（分子）", "en": "{rate} (numerator)"},
    "league.denominator": {"zh": "{rate}（分母）", "en": "{rate} (denominator)"},
    "league.overdue_open": {"zh": "超期未结", "en": "Overdue open"},
    "league.not_ranked": {"zh": "不排名", "en": "not ranked"},
    "league.note": {
        "zh": "分母少于 {n} 件的比率不排名（灰色）；“—”表示分母为零。",
        "en": "Rates with a denominator under {n} are not ranked (grey); \"—\" means a zero denominator.",
    },
    # 6. one case
    "outcomes.case.title": {"zh": "案件详情", "en": "Case detail"},
    "outcomes.case.pick": {"zh": "信访件编号", "en": "Case number"},
    "outcomes.case.placeholder": {"zh": "从清单点选，或输入编号", "en": "Pick from a list, or type a number"},
    "outcomes.case.hint": {
        "zh": "在上面的清单中点选一行，或在此输入信访件编号。",
        "en": "Select a row in a list above, or type a case number here.",
    },
    "outcomes.case.not_found": {
        "zh": "没有找到该信访件，或它不在您的查看范围内。",
        "en": "No such case, or it is not within what you may see.",
    },
    "outcomes.case.caption": {
        "zh": "期限：法定（受理为收到后15日，办结为法定办结期限）和 3-7-21（初信初访，自收到日起）。",
        "en": "Deadlines: statutory (acceptance 15 days after receipt, conclusion the statutory due date) "
        "and 3-7-21 (first-time cases, counted from receipt).",
    },
    "outcomes.case.field": {"zh": "项目", "en": "Field"},
    "outcomes.case.value": {"zh": "内容", "en": "Value"},
    "outcomes.case.case_number": {"zh": "信访件编号", "en": "Case number"},
    "outcomes.case.received_on": {"zh": "收到日期", "en": "Received"},
    "outcomes.case.channel": {"zh": "信访形式", "en": "Channel"},
    "outcomes.case.first_time": {"zh": "初信初访", "en": "First-time"},
    "outcomes.case.township": {"zh": "乡镇（街道）", "en": "Township"},
    "outcomes.case.park": {"zh": "工业园区", "en": "Industrial park"},
    "outcomes.case.category": {"zh": "问题类别", "en": "Category"},
    "outcomes.case.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "outcomes.case.owner_leader": {"zh": "包案领导", "en": "Owner leader"},
    "outcomes.case.extension": {"zh": "已延期", "en": "Extended"},
    "outcomes.case.outcome": {"zh": "化解情况", "en": "Outcome"},
    "outcomes.case.level": {"zh": "化解层级", "en": "Resolved at"},
    "outcomes.case.satisfaction_office": {"zh": "对信访部门评价", "en": "Rating of the petition office"},
    "outcomes.case.satisfaction_unit": {"zh": "对责任单位评价", "en": "Rating of the responsible unit"},
    "outcomes.case.days_open": {"zh": "已办理天数", "en": "Days open"},
    "outcomes.case.closed": {"zh": "已办结", "en": "Concluded"},
    "outcomes.col.on": {"zh": "日期", "en": "Date"},
    "outcomes.col.days_from_previous": {"zh": "距上一步（天）", "en": "Days from previous"},
    "outcomes.col.days_from_received": {"zh": "距收到（天）", "en": "Days from receipt"},
    "outcomes.col.statutory_due_on": {"zh": "法定期限", "en": "Statutory deadline"},
    "outcomes.col.statutory_status": {"zh": "法定", "en": "Statutory"},
    "outcomes.col.due_3_7_21_on": {"zh": "3-7-21 期限", "en": "3-7-21 deadline"},
    "outcomes.col.status_3_7_21": {"zh": "3-7-21", "en": "3-7-21"},
    "outcomes.status.on_time": {"zh": "按期", "en": "On time"},
    "outcomes.status.late": {"zh": "逾期完成", "en": "Late"},
    "outcomes.status.missing": {"zh": "无记录", "en": "Not recorded"},
    "outcomes.status.overdue": {"zh": "已超期", "en": "Overdue"},
    "outcomes.status.pending": {"zh": "未到期", "en": "Not yet due"},
    "outcomes.outcome.resolved": {"zh": "已化解", "en": "Resolved"},
    "outcomes.outcome.unresolved": {"zh": "未化解", "en": "Not resolved"},
    "outcomes.satisfaction.satisfied": {"zh": "满意", "en": "Satisfied"},
    "outcomes.satisfaction.basically_satisfied": {"zh": "基本满意", "en": "Basically satisfied"},
    "outcomes.satisfaction.dissatisfied": {"zh": "不满意", "en": "Dissatisfied"},
    "reveal.heading_case": {"zh": "查看信访人信息（{case}）", "en": "Petitioner's details ({case})"},
    # --- log-in, accounts, personal data, audit (issue 5) -------------------
    "page.login": {"zh": "登录", "en": "Log in"},
    "error.insecure_configuration": {
        "zh": "系统配置不安全（生产环境缺少密钥或使用默认密钥），已拒绝启动。请管理员查看服务器日志。",
        "en": "The configuration is unsafe (production without a secret, or with a default one): "
        "the dashboard refuses to start. The administrator will find the reason in the server log.",
    },
    "page.audit": {"zh": "审计日志", "en": "Audit log"},
    "login.heading": {"zh": "请登录", "en": "Please log in"},
    "login.username": {"zh": "用户名", "en": "User name"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Log in"},
    "login.failed": {
        "zh": "用户名或密码不正确，或账号已停用。",
        "en": "Wrong user name or password, or the account is disabled.",
    },
    "login.locked": {
        "zh": "登录失败次数过多，账号已锁定，请约 {minutes} 分钟后再试或联系管理员。",
        "en": "Too many failed log-ins: the account is locked. Try again in about {minutes} min or ask the administrator.",
    },
    "login.throttled": {
        "zh": "本地址登录失败次数过多，请稍后再试。",
        "en": "Too many failed log-ins from this address. Try again later.",
    },
    "login.notice.idle": {
        "zh": "长时间未操作，已自动退出，请重新登录。",
        "en": "You were logged out after a period without activity. Please log in again.",
    },
    "login.notice.expired": {
        "zh": "登录已超过最长时限，请重新登录。",
        "en": "Your session reached its maximum length. Please log in again.",
    },
    "login.notice.logged_out": {"zh": "已退出登录。", "en": "You have logged out."},
    "login.demo_again": {"zh": "进入演示（免登录）", "en": "Enter the demo (no log-in)"},
    "account.signed_in_as": {"zh": "{username}（{role}）", "en": "{username} ({role})"},
    "account.logout": {"zh": "退出登录", "en": "Log out"},
    # --- the front door: log-in cookie, wall screen, Streamlit's own words (issue 14) ---
    "login.redirecting": {"zh": "登录成功，正在进入……", "en": "Logged in, opening the dashboard…"},
    "login.sso_again": {"zh": "通过统一身份认证登录", "en": "Log in through single sign-on"},
    "wall.previous": {"zh": "上一个页面", "en": "Previous page"},
    "wall.next": {"zh": "下一个页面", "en": "Next page"},
    "wall.play": {"zh": "轮播", "en": "Play"},
    "wall.pause": {"zh": "暂停轮播", "en": "Pause"},
    "wall.playlist": {"zh": "轮播设置", "en": "Playlist"},
    "wall.playlist.pages": {"zh": "轮播页面", "en": "Pages to play"},
    "wall.playlist.every": {"zh": "每页停留", "en": "Each page for"},
    "wall.playlist.start": {"zh": "开始轮播", "en": "Start"},
    "wall.seconds": {"zh": "{n} 秒", "en": "{n} s"},
    "streamlit.uploader.button": {"zh": "选择文件", "en": "Upload"},
    "streamlit.uploader.limit": {"zh": "单个文件不超过 {mb} MB", "en": "{mb}MB per file"},
    "streamlit.skip_to_content": {"zh": "跳到主要内容", "en": "Skip to main content"},
    "role.leader": {"zh": "县领导", "en": "County leader"},
    "role.office": {"zh": "联席办", "en": "Joint-meeting office"},
    "role.township": {"zh": "乡镇（街道）", "en": "Township officer"},
    "role.projection": {"zh": "投屏", "en": "Wall screen"},
    "access.denied": {"zh": "您的账号无权查看此页面。", "en": "Your account may not see this page."},
    "download.xlsx": {"zh": "下载 Excel（将被记录）", "en": "Download Excel (this is logged)"},
    "reveal.heading": {"zh": "查看信访人信息", "en": "Petitioner's details"},
    "reveal.case": {"zh": "信访件编号", "en": "Case number"},
    "reveal.masked": {"zh": "默认脱敏显示", "en": "Masked by default"},
    "reveal.button": {"zh": "显示完整信息（将被记录）", "en": "Show in full (this is logged)"},
    "reveal.logged": {
        "zh": "已显示完整信息，本次查看已记入审计日志。",
        "en": "Shown in full; this look has been written to the audit log.",
    },
    "reveal.denied": {"zh": "无权查看该信访件的个人信息。", "en": "You may not see this case's personal data."},
    "reveal.none": {"zh": "该信访件没有信访人信息。", "en": "This case has no petitioner details."},
    "reveal.field": {"zh": "项目", "en": "Field"},
    "reveal.value": {"zh": "内容", "en": "Value"},
    "reveal.field.name": {"zh": "姓名", "en": "Name"},
    "reveal.field.id_number": {"zh": "身份证号", "en": "ID number"},
    "reveal.field.phone": {"zh": "电话", "en": "Phone"},
    "reveal.field.address": {"zh": "住址", "en": "Address"},
    "audit.heading": {"zh": "审计日志", "en": "Audit log"},
    "audit.caption": {
        "zh": "登录、退出、锁定、查看个人信息、导出下载、导入、排班和交办修改、用户管理的记录；只增不改，至少保留184天。时间为北京时间。",
        "en": "Log-ins, log-outs, lock-outs, reveals of personal data, exports and downloads, imports, schedule "
        "and dispatch edits, user administration; append-only, kept at least 184 days. Times are Beijing time.",
    },
    "audit.since": {"zh": "起始日期", "en": "From"},
    "audit.until": {"zh": "截止日期", "en": "To"},
    "audit.username": {"zh": "用户名", "en": "User name"},
    "audit.action": {"zh": "操作", "en": "Action"},
    "audit.limit": {"zh": "最多显示条数", "en": "At most"},
    "audit.empty": {"zh": "没有符合条件的记录。", "en": "No entries match."},
    "audit.count": {"zh": "共 {count} 条（最新在前）", "en": "{count} entries, newest first"},
    "audit.col.at": {"zh": "时间", "en": "Time"},
    "audit.col.username": {"zh": "用户", "en": "User"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.object": {"zh": "对象", "en": "Object"},
    "audit.col.outcome": {"zh": "结果", "en": "Outcome"},
    "audit.col.client_addr": {"zh": "客户端地址", "en": "Client address"},
    "audit.action.login": {"zh": "登录", "en": "Log-in"},
    "audit.action.logout": {"zh": "退出", "en": "Log-out"},
    "audit.action.lockout": {"zh": "账号锁定", "en": "Lock-out"},
    "audit.action.session_expired": {"zh": "会话过期", "en": "Session expired"},
    "audit.action.reveal_personal_data": {"zh": "查看个人信息", "en": "Personal data shown"},
    "audit.action.export": {"zh": "导出", "en": "Export"},
    "audit.action.download": {"zh": "下载", "en": "Download"},
    "audit.action.import": {"zh": "导入", "en": "Import"},
    "audit.action.edit_schedule": {"zh": "修改接访安排", "en": "Schedule edit"},
    "audit.action.edit_dispatch": {"zh": "修改交办事项", "en": "Dispatch edit"},
    "audit.action.user_admin": {"zh": "用户管理", "en": "User administration"},
    "audit.action.demo": {"zh": "生成演示数据", "en": "Demo data built"},
    "audit.outcome.success": {"zh": "成功", "en": "Success"},
    "audit.outcome.failure": {"zh": "失败", "en": "Failure"},
    "audit.outcome.denied": {"zh": "拒绝", "en": "Denied"},
    "audit.outcome.locked": {"zh": "已锁定", "en": "Locked"},
    "audit.outcome.throttled": {"zh": "限流", "en": "Throttled"},
    "audit.outcome.disabled": {"zh": "账号已停用", "en": "Account disabled"},
    "audit.outcome.expired": {"zh": "已过期", "en": "Expired"},
    # --- data import page (数据导入) ---------------------------------------
    "page.data_import": {"zh": "数据导入", "en": "Data import"},
    "import.heading": {"zh": "数据导入", "en": "Data import"},
    "import.caption": {
        "zh": "导入信访管理系统导出的信访件表格，以及国土部门提供的乡镇（街道）、园区边界。",
        "en": "Import case exports from the petition management system, and township and park boundaries.",
    },
    "import.tab.cases": {"zh": "信访件", "en": "Cases"},
    "import.tab.boundaries": {"zh": "边界", "en": "Boundaries"},
    "import.too_large": {"zh": "文件超过 {mb} MB", "en": "the file is larger than {mb} MB"},
    "import.cases.upload": {"zh": "上传信访件导出表（.xlsx、.xls、.csv）", "en": "Upload a case export (.xlsx, .xls, .csv)"},
    "import.cases.mapping": {
        "zh": "列名对照文件（可选，JSON 或 TOML）",
        "en": "Column mapping file (optional, JSON or TOML)",
    },
    "import.cases.help": {
        "zh": "表头可在标题行之下；日期可为日期格式、文本（2024-03-05、2024/3/5、2024年3月5日）或 Excel 序列号；"
        "同一文件重复导入不会改变数据。",
        "en": "The header may sit below a title line; dates may be date cells, text (2024-03-05, 2024/3/5, "
        "2024年3月5日) or Excel serial numbers; importing the same file twice changes nothing.",
    },
    "import.cases.unreadable": {"zh": "无法读取该文件：{reason}", "en": "The file cannot be read: {reason}"},
    "import.cases.rows": {
        "zh": "共 {n} 行数据，表头在第 {header} 行。",
        "en": "{n} data rows; the header is on row {header}.",
    },
    "import.cases.columns": {"zh": "识别出的列", "en": "Recognised columns"},
    "import.cases.col.field": {"zh": "字段", "en": "Field"},
    "import.cases.col.source": {"zh": "文件中的列", "en": "Column in the file"},
    "import.cases.not_found": {"zh": "（未找到）", "en": "(not found)"},
    "import.cases.unrecognised": {
        "zh": "未识别的列（不导入）：{names}",
        "en": "Columns not recognised (not imported): {names}",
    },
    "import.cases.preview": {"zh": "前 {n} 行预览（个人信息已遮蔽）", "en": "First {n} rows (personal data masked)"},
    "import.cases.run": {"zh": "开始导入", "en": "Import"},
    "import.cases.progress": {"zh": "正在导入…… {done}/{total}", "en": "Importing… {done}/{total}"},
    "import.cases.done": {"zh": "导入完成。", "en": "Import finished."},
    "import.count.rows": {"zh": "数据行", "en": "Rows"},
    "import.count.imported": {"zh": "新增", "en": "New"},
    "import.count.updated": {"zh": "更新", "en": "Updated"},
    "import.count.unchanged": {"zh": "未变", "en": "Unchanged"},
    "import.count.duplicates": {"zh": "重复行", "en": "Duplicates"},
    "import.count.quarantined": {"zh": "未导入", "en": "Quarantined"},
    "import.count.flagged": {"zh": "待核对", "en": "Flagged"},
    "import.cases.created.categories": {"zh": "新建问题类别：{names}", "en": "New categories: {names}"},
    "import.cases.created.units": {"zh": "新建责任单位：{names}", "en": "New responsible units: {names}"},
    "import.cases.created.leaders": {"zh": "新建包案领导：{names}", "en": "New owner leaders: {names}"},
    "import.cases.flagged_help": {
        "zh": "部分信访件的身份证号校验位错误或电话号码不规范：已导入并标记，请核对。",
        "en": "Some cases have an ID number failing its checksum or an implausible phone: stored and flagged for checking.",
    },
    "import.cases.quarantine": {"zh": "未导入的行", "en": "Rows not imported"},
    "import.cases.quarantine.none": {"zh": "所有行均已导入。", "en": "Every row was imported."},
    "import.cases.col.row": {"zh": "行号", "en": "Row"},
    "import.cases.col.column": {"zh": "列", "en": "Column"},
    "import.cases.col.reason": {"zh": "原因", "en": "Reason"},
    "import.cases.download": {
        "zh": "下载错误清单（Excel，个人信息已遮蔽）",
        "en": "Download the error list (Excel, personal data masked)",
    },
    "import.bounds.layer": {"zh": "图层", "en": "Layer"},
    "import.bounds.layer.township": {"zh": "乡镇（街道）", "en": "Townships"},
    "import.bounds.layer.park": {"zh": "工业园区", "en": "Industrial parks"},
    "import.bounds.upload": {
        "zh": "上传边界文件（GeoJSON、压缩的 Shapefile、GeoPackage）",
        "en": "Upload boundaries (GeoJSON, zipped Shapefile, GeoPackage)",
    },
    "import.bounds.options": {"zh": "高级选项", "en": "Options"},
    "import.bounds.name_field": {"zh": "名称字段（留空自动识别）", "en": "Name field (blank: detect)"},
    "import.bounds.code_field": {"zh": "代码字段（留空自动识别）", "en": "Code field (blank: detect)"},
    "import.bounds.encoding": {"zh": "属性编码，如 GBK（留空自动识别）", "en": "Attribute encoding, e.g. GBK (blank: detect)"},
    "import.bounds.crs": {
        "zh": "文件无坐标系时使用的坐标系，如 EPSG:4528",
        "en": "CRS to assume when the file has none, e.g. EPSG:4528",
    },
    "import.bounds.unreadable": {"zh": "无法导入边界文件：{reason}", "en": "The boundaries cannot be imported: {reason}"},
    "import.bounds.summary": {
        "zh": "共 {n} 个区域；坐标系 {crs}；编码 {encoding}；名称字段 {name_field}；代码字段 {code_field}。请核对地图后确认导入。",
        "en": "{n} areas; CRS {crs}; encoding {encoding}; name field {name_field}; code field {code_field}. "
        "Check the map, then confirm.",
    },
    "import.bounds.confirm": {"zh": "确认导入", "en": "Confirm import"},
    "import.bounds.done": {
        "zh": "边界已导入：新增 {created}，更新 {updated}，未变 {unchanged}。",
        "en": "Boundaries imported: {created} new, {updated} updated, {unchanged} unchanged.",
    },
    "import.bounds.col.name": {"zh": "名称", "en": "Name"},
    "import.bounds.col.code": {"zh": "代码", "en": "Code"},
    "import.bounds.missing": {
        "zh": "信访数据中有、但尚无边界的乡镇（街道）",
        "en": "Townships in the case data without a boundary",
    },
    "import.bounds.missing.none": {"zh": "信访数据中的乡镇都有边界。", "en": "Every township in the case data has a boundary."},
    # --- leaders' receptions page (领导接访, issue 11) -------------------------
    "page.receptions": {"zh": "领导接访", "en": "Leader receptions"},
    "receptions.heading": {"zh": "县领导接访", "en": "County leaders' receptions"},
    "receptions.tab.calendar": {"zh": "月历", "en": "Calendar"},
    "receptions.tab.agenda": {"zh": "安排列表", "en": "Agenda"},
    "receptions.tab.records": {"zh": "领导接访包案情况", "en": "Leaders' records"},
    "receptions.tab.next": {"zh": "下一步去哪里", "en": "Where next"},
    "receptions.tab.record": {"zh": "登记接访", "en": "Record a session"},
    "receptions.tab.rules": {"zh": "接访规则", "en": "Schedule rules"},
    "receptions.month": {"zh": "月份", "en": "Month"},
    "receptions.month.help": {
        "zh": "月历和安排列表显示的月份；领导接访包案情况按侧栏的期间和筛选统计。",
        "en": "The month of the calendar and the agenda; the leaders' records follow the sidebar's period and filters.",
    },
    "receptions.month.this": {"zh": "（本月）", "en": " (this month)"},
    "receptions.month.next": {"zh": "（下月）", "en": " (next month)"},
    "receptions.filter.leader": {"zh": "接访领导", "en": "Leader"},
    "receptions.filter.place": {"zh": "接访地点", "en": "Place"},
    "receptions.filter.kind": {"zh": "接访类型", "en": "Kind"},
    "receptions.kind.monthly": {"zh": "定期接访", "en": "Monthly reception"},
    "receptions.kind.township_point": {"zh": "乡镇接访点接访", "en": "Township reception point"},
    "receptions.kind.visit": {"zh": "下访", "en": "Outreach visit"},
    "receptions.kind.appointment": {"zh": "约访", "en": "Appointment"},
    "receptions.kind.follow_up": {"zh": "回访", "en": "Follow-up visit"},
    "receptions.status.planned": {"zh": "计划", "en": "Planned"},
    "receptions.status.held": {"zh": "已接访", "en": "Held"},
    "receptions.status.cancelled": {"zh": "已取消", "en": "Cancelled"},
    "receptions.status.moved": {"zh": "已调整", "en": "Moved"},
    "receptions.weekday.0": {"zh": "星期一", "en": "Mon"},
    "receptions.weekday.1": {"zh": "星期二", "en": "Tue"},
    "receptions.weekday.2": {"zh": "星期三", "en": "Wed"},
    "receptions.weekday.3": {"zh": "星期四", "en": "Thu"},
    "receptions.weekday.4": {"zh": "星期五", "en": "Fri"},
    "receptions.weekday.5": {"zh": "星期六", "en": "Sat"},
    "receptions.weekday.6": {"zh": "星期日", "en": "Sun"},
    "receptions.provisional": {"zh": "暂定", "en": "provisional"},
    "receptions.provisional.mark": {"zh": "（暂定）", "en": " (provisional)"},
    "receptions.provisional.notice": {
        "zh": "标注“暂定”的日期所在年份的节假日安排尚未公布，暂按双休日安排，待国务院办公厅公布后再行确定。",
        "en": "Days marked provisional fall in a year whose public holidays are not announced yet: they were "
        "planned on weekends alone and may move once the State Council's notice is out.",
    },
    "receptions.calendar.today": {"zh": "今天", "en": "today"},
    "receptions.calendar.moved": {"zh": "（已调整）", "en": " (moved)"},
    "receptions.calendar.legend": {
        "zh": "每格：接访领导 · 接访地点。✓ 已接访；划线为已取消；“已调整”为改期后的日期；“暂定”见上方说明。",
        "en": "Each day: leader · place. ✓ held; struck through: cancelled; “moved”: the new day of a moved "
        "session; “provisional”: see the note above.",
    },
    "receptions.agenda.empty": {"zh": "所选月份没有接访安排。", "en": "No sessions in the chosen month."},
    "receptions.agenda.col.date": {"zh": "日期", "en": "Date"},
    "receptions.agenda.col.weekday": {"zh": "星期", "en": "Day"},
    "receptions.agenda.col.leader": {"zh": "接访领导", "en": "Leader"},
    "receptions.agenda.col.title": {"zh": "职务", "en": "Title"},
    "receptions.agenda.col.kind": {"zh": "类型", "en": "Kind"},
    "receptions.agenda.col.place": {"zh": "接访地点", "en": "Place"},
    "receptions.agenda.col.status": {"zh": "状态", "en": "Status"},
    "receptions.agenda.col.reason": {"zh": "调整原因", "en": "Reason for the change"},
    "receptions.agenda.col.petitioners_received": {"zh": "接待群众（人次）", "en": "People received"},
    "receptions.agenda.col.cases_taken": {"zh": "受理件数", "en": "Cases taken"},
    "receptions.download.xlsx": {"zh": "下载接访安排表（Excel）", "en": "Download the schedule (Excel)"},
    "receptions.download.ics": {"zh": "下载日历文件（iCalendar）", "en": "Download for calendars (iCalendar)"},
    "receptions.download.xlsx.file": {"zh": "接访安排表-{month}.xlsx", "en": "reception-schedule-{month}.xlsx"},
    "receptions.download.ics.file": {"zh": "接访安排-{month}.ics", "en": "receptions-{month}.ics"},
    "receptions.download.help": {
        "zh": "所选月份、按上方筛选的接访安排；下载记入审计日志。",
        "en": "The chosen month's sessions, as filtered above; the download is written to the audit log.",
    },
    "receptions.adjust.heading": {"zh": "调整安排（改期或取消）", "en": "Move or cancel a session"},
    "receptions.adjust.none": {"zh": "所选月份没有尚未接访的安排。", "en": "No session left to hold in the chosen month."},
    "receptions.adjust.session": {"zh": "安排", "en": "Session"},
    "receptions.adjust.new_date": {"zh": "改期至", "en": "Move to"},
    "receptions.adjust.reason": {"zh": "调整原因（必填）", "en": "Reason (required)"},
    "receptions.adjust.move": {"zh": "改期", "en": "Move"},
    "receptions.adjust.cancel": {"zh": "取消该次接访", "en": "Cancel the session"},
    "receptions.adjust.reason_required": {"zh": "请填写调整原因。", "en": "Give the reason for the change."},
    "receptions.adjust.date_required": {"zh": "请选择改期后的日期。", "en": "Choose the new day."},
    "receptions.adjust.moved": {
        "zh": "已将{leader} {date} 的接访改期至 {new_date}，原因已记录。",
        "en": "{leader}'s session of {date} moved to {new_date}; the reason is kept.",
    },
    "receptions.adjust.cancelled": {
        "zh": "已取消{leader} {date} 的接访，原因已记录。",
        "en": "{leader}'s session of {date} cancelled; the reason is kept.",
    },
    "receptions.edit.refused": {"zh": "未保存：{reason}", "en": "Not saved: {reason}"},
    "receptions.records.caption": {
        "zh": "统计期间：{period}（侧栏选择）。包案件为县领导包案的信访件，接访受理件为在其接访中受理的信访件。",
        "en": "Period: {period} (chosen in the sidebar). Owned cases are those a leader owns (包案); cases "
        "taken are those taken at their sessions.",
    },
    "receptions.records.county": {"zh": "全县", "en": "County "},
    "receptions.records.township": {"zh": "本辖区", "en": "Township "},
    "receptions.records.basis": {"zh": "信访件口径", "en": "Cases counted"},
    "receptions.records.basis.owned": {"zh": "包案件", "en": "Owned (包案)"},
    "receptions.records.basis.taken": {"zh": "接访受理件", "en": "Taken at sessions"},
    "receptions.records.basis.help": {
        "zh": "包案件：由该领导包案的信访件；接访受理件：在该领导接访中登记受理的信访件。",
        "en": "Owned: the cases the leader owns (包案). Taken: the cases recorded as taken at the leader's sessions.",
    },
    "receptions.records.versus": {"zh": "较全县", "en": "vs county"},
    "receptions.records.versus.help": {
        "zh": "该领导的比率减去全县（乡镇账号为本乡镇）同一比率，单位为百分点；任一方分母为零时显示“—”。",
        "en": "The leader's rate minus the county's (for a township officer, the township's) same rate, in "
        "percentage points; “—” when either has a zero denominator.",
    },
    "receptions.records.col.leader": {"zh": "领导", "en": "Leader"},
    "receptions.records.col.title": {"zh": "职务", "en": "Title"},
    "receptions.records.col.sessions_planned": {"zh": "计划场次", "en": "Planned"},
    "receptions.records.col.sessions_held": {"zh": "已接访场次", "en": "Held"},
    "receptions.records.col.sessions_cancelled": {"zh": "取消场次", "en": "Cancelled"},
    "receptions.records.col.petitioners_received": {"zh": "接待群众", "en": "People received"},
    "receptions.records.col.cases_taken": {"zh": "接访受理件", "en": "Cases taken"},
    "receptions.records.col.received.owned": {"zh": "新收包案件", "en": "Owned cases received"},
    "receptions.records.col.received.taken": {"zh": "新收受理件", "en": "Taken cases received"},
    "receptions.records.col.concluded": {"zh": "办结", "en": "Concluded"},
    "receptions.records.col.resolution_rate": {"zh": "化解率", "en": "Resolution rate"},
    "receptions.records.col.resolution_rate_versus": {"zh": "化解率较全县", "en": "Resolution vs county"},
    "receptions.records.col.satisfaction_rate_office": {"zh": "满意率", "en": "Satisfaction"},
    "receptions.records.col.satisfaction_rate_office_versus": {"zh": "满意率较全县", "en": "Satisfaction vs county"},
    "receptions.records.col.open": {"zh": "未结", "en": "Open"},
    "receptions.records.col.overdue_open": {"zh": "超期未结", "en": "Overdue open"},
    "receptions.records.col.backlog": {"zh": "积案", "en": "Backlog"},
    "receptions.records.detail": {"zh": "单个领导", "en": "One leader"},
    "receptions.records.leader": {"zh": "领导", "en": "Leader"},
    "receptions.records.backlog": {"zh": "{name}包案的积案（按积压时间从长到短）", "en": "Backlog cases {name} owns, oldest first"},
    "receptions.records.backlog.none": {"zh": "期末没有该领导包案的积案。", "en": "No backlog case of this leader at the period's end."},
    "receptions.backlog.col.case_number": {"zh": "信访件编号", "en": "Case number"},
    "receptions.backlog.col.received_on": {"zh": "登记日期", "en": "Received"},
    "receptions.backlog.col.days_open": {"zh": "已积压（天）", "en": "Days open"},
    "receptions.backlog.col.township": {"zh": "乡镇（街道）", "en": "Township"},
    "receptions.backlog.col.park": {"zh": "工业园区", "en": "Park"},
    "receptions.backlog.col.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "receptions.backlog.age": {
        "zh": "期末日期减去登记日期的天数。",
        "en": "Days from receipt to the period's end.",
    },
    "receptions.next.rule": {
        "zh": "乡镇和工业园区按近{months}个月（含本月至今）的信访量从多到少排列；有信访、但超过{quiet_days}天"
        "（或从未）有县领导在当地接访点接访或到当地下访的，标为“待走访”。",
        "en": "Townships and industrial parks are ranked by the petitions received in the last {months} months "
        "(this month so far included), most first; a place with petitions where no county leader has "
        "received petitioners at a reception point there or visited it for more than {quiet_days} days "
        "(or ever) is marked due for a visit.",
    },
    "receptions.next.as_of": {"zh": "截至 {date}（侧栏所选期间的最后一天）。", "en": "As of {date} (the last day of the sidebar's period)."},
    "receptions.next.none": {"zh": "没有可显示的乡镇或园区。", "en": "No township or park to show."},
    "receptions.next.due.yes": {"zh": "待走访", "en": "Due"},
    "receptions.next.col.level": {"zh": "类别", "en": "Level"},
    "receptions.next.col.name": {"zh": "名称", "en": "Name"},
    "receptions.next.col.received": {"zh": "信访量", "en": "Petitions"},
    "receptions.next.col.rank": {"zh": "排名", "en": "Rank"},
    "receptions.next.col.last_visited_on": {"zh": "最近县领导接访", "en": "Last leader session"},
    "receptions.next.col.last_visit_leader": {"zh": "接访领导", "en": "By"},
    "receptions.next.col.days_since_visit": {"zh": "距今（天）", "en": "Days since"},
    "receptions.next.col.due": {"zh": "待走访", "en": "Due"},
    "receptions.next.col.next_planned_on": {"zh": "已计划", "en": "Next planned"},
    "receptions.next.col.linked_leaders": {"zh": "挂点领导", "en": "Linked leaders"},
    "receptions.next.received.help": {
        "zh": "近{months}个月收到的信访件数（按侧栏筛选）。",
        "en": "Cases received in the last {months} months (with the sidebar's filters).",
    },
    "receptions.next.plan": {"zh": "安排下访", "en": "Plan a visit"},
    "receptions.next.area": {"zh": "去哪里", "en": "Where"},
    "receptions.next.leader": {"zh": "哪位领导", "en": "Who"},
    "receptions.next.leader.linked": {"zh": "挂点领导（默认）", "en": "The linked leader (default)"},
    "receptions.next.date": {"zh": "日期", "en": "Day"},
    "receptions.next.submit": {"zh": "安排下访", "en": "Plan the visit"},
    "receptions.next.no_linked": {"zh": "该地没有挂点领导，请选择一位领导。", "en": "No leader is linked to this place: choose one."},
    "receptions.next.done": {"zh": "已安排{leader}于 {date} 到{place}下访。", "en": "{leader} will visit {place} on {date}."},
    "receptions.place_level.point": {"zh": "接访点", "en": "reception point"},
    "receptions.place_level.centre": {"zh": "县接待中心", "en": "county centre"},
    "receptions.place_level.township": {"zh": "乡镇", "en": "township"},
    "receptions.place_level.park": {"zh": "工业园区", "en": "industrial park"},
    "receptions.record.caption": {
        "zh": "登记一次已经举行的接访：与计划同日、同领导、同类型的安排会改为“已接访”。受理的信访件须已在系统中。",
        "en": "Record a session that took place: a planned session of the same leader and kind on that day "
        "becomes the held one. The cases taken must already be in the system.",
    },
    "receptions.record.no_reference": {"zh": "尚无县领导或接访地点。", "en": "No county leader or place yet."},
    "receptions.record.date": {"zh": "接访日期", "en": "Date"},
    "receptions.record.leader": {"zh": "接访领导", "en": "Leader"},
    "receptions.record.kind": {"zh": "接访类型", "en": "Kind"},
    "receptions.record.place": {"zh": "接访地点", "en": "Place"},
    "receptions.record.people": {"zh": "接待群众（人次）", "en": "People received"},
    "receptions.record.cases": {"zh": "受理的信访件编号", "en": "Case numbers taken"},
    "receptions.record.cases.help": {
        "zh": "多个编号用逗号、顿号、空格或换行分隔；可不填。",
        "en": "Separate several numbers with commas, spaces or new lines; may be left empty.",
    },
    "receptions.record.submit": {"zh": "保存接访记录", "en": "Save the session"},
    "receptions.record.unknown": {
        "zh": "未找到信访件编号：{numbers}。请核对编号，本次接访记录未保存。",
        "en": "No case with the number {numbers}. Check the number: the session was not saved.",
    },
    "receptions.record.done": {
        "zh": "已登记{leader} {date} 的接访：接待群众{people}人次，受理信访件{cases}件。",
        "en": "Recorded {leader}'s session of {date}: {people} people received, {cases} cases taken.",
    },
    "receptions.rule.caption": {
        "zh": "每位领导一条规则：每月固定日期在固定地点接访，或每月固定日期在乡镇接访点之间轮转，或不排。遇周末或节假日按规则顺延、提前或不调整。",
        "en": "One rule per leader: monthly on a day at one place, monthly on a day rotating over township "
        "reception points, or none. A day off moves to the next or previous working day, or stays.",
    },
    "receptions.rule.col.leader": {"zh": "领导", "en": "Leader"},
    "receptions.rule.col.title": {"zh": "职务", "en": "Title"},
    "receptions.rule.col.kind": {"zh": "规则", "en": "Rule"},
    "receptions.rule.col.day": {"zh": "日期", "en": "Day"},
    "receptions.rule.col.where": {"zh": "地点（轮转顺序）", "en": "Place (rotation order)"},
    "receptions.rule.col.shift": {"zh": "遇节假日", "en": "On a day off"},
    "receptions.rule.col.from": {"zh": "起始", "en": "From"},
    "receptions.rule.col.hours": {"zh": "时间", "en": "Hours"},
    "receptions.rule.kind": {"zh": "规则", "en": "Rule"},
    "receptions.rule.kind.monthly": {"zh": "每月定点接访", "en": "Monthly at one place"},
    "receptions.rule.kind.rotation": {"zh": "乡镇接访点轮转", "en": "Rotation over township points"},
    "receptions.rule.kind.none": {"zh": "不排", "en": "None"},
    "receptions.rule.day_value": {"zh": "每月{day}日", "en": "day {day}"},
    "receptions.rule.shift.next_working_day": {"zh": "顺延至下一个工作日", "en": "Next working day"},
    "receptions.rule.shift.previous_working_day": {"zh": "提前至上一个工作日", "en": "Previous working day"},
    "receptions.rule.shift.keep": {"zh": "不调整", "en": "Keep the day"},
    "receptions.rule.edit": {"zh": "修改规则", "en": "Edit a rule"},
    "receptions.rule.leader": {"zh": "领导", "en": "Leader"},
    "receptions.rule.day": {"zh": "每月几日", "en": "Day of the month"},
    "receptions.rule.day.help": {"zh": "当月没有该日（如31日）时取当月最后一天。", "en": "In a shorter month, its last day."},
    "receptions.rule.shift": {"zh": "遇周末或节假日", "en": "On a weekend or public holiday"},
    "receptions.rule.from": {"zh": "起始日期", "en": "Starts on"},
    "receptions.rule.from.help": {
        "zh": "轮转从该日所在（或之后第一个）月份的第一个接访点开始；可不填。",
        "en": "A rotation starts at its first point in the month of this day (or the next one); may be left empty.",
    },
    "receptions.rule.place": {"zh": "接访地点（每月定点）", "en": "Place (monthly)"},
    "receptions.rule.place.help": {"zh": "仅“每月定点接访”使用。", "en": "Used by the monthly rule only."},
    "receptions.rule.points": {"zh": "轮转接访点（按所选顺序）", "en": "Rotation points (in the order chosen)"},
    "receptions.rule.points.help": {
        "zh": "仅“乡镇接访点轮转”使用：每月一个，按所选顺序循环。",
        "en": "Used by the rotation only: one a month, in the order chosen, then again from the first.",
    },
    "receptions.rule.start_time": {"zh": "开始时间", "en": "From"},
    "receptions.rule.end_time": {"zh": "结束时间", "en": "Until"},
    "receptions.rule.submit": {"zh": "保存规则", "en": "Save the rule"},
    "receptions.rule.need_place": {"zh": "每月定点接访需要选择接访地点。", "en": "A monthly rule needs its place."},
    "receptions.rule.need_points": {"zh": "轮转需要至少选择一个乡镇接访点。", "en": "A rotation needs at least one township point."},
    "receptions.rule.done": {"zh": "已保存{leader}的接访规则。", "en": "{leader}'s rule is saved."},
    # The reception plan's files (queries/reception_exports.py): the 接访安排表 sheet and the iCalendar file.
    "receptions.export.sheet": {"zh": "接访安排表", "en": "Reception schedule"},
    "receptions.export.title": {"zh": "县领导接访安排表", "en": "County leaders' reception schedule"},
    "receptions.export.provisional_note": {
        "zh": "注：标注“（暂定）”的日期所在年份的节假日安排尚未公布，暂按双休日安排，待国务院办公厅公布后再行确定。",
        "en": "Note: days marked provisional fall in a year whose public holidays are not announced yet; "
        "they were planned on weekends alone and may change once the State Council's notice is out.",
    },
    "receptions.export.calendar_name": {"zh": "县领导接访安排", "en": "County leaders' receptions"},
    "receptions.export.leader": {"zh": "接访领导", "en": "Leader"},
    "receptions.export.place": {"zh": "接访地点", "en": "Place"},
    "receptions.export.linked": {"zh": "联系乡镇", "en": "Linked townships"},
    "receptions.export.moved": {"zh": "已调整", "en": "Moved"},
    # Definitions of the figures of each leader's record (a hover away on the receptions page).
    "metric.sessions_planned.label": {"zh": "计划接访场次", "en": "Sessions planned"},
    "metric.sessions_planned.help": {
        "zh": "期间内排定给该领导的接访、下访、约访和回访场次，含已接访、已调整和已取消的。",
        "en": "The leader's sessions (receptions, visits, appointments, follow-ups) on the plan in the period, "
        "held, moved and cancelled ones included.",
    },
    "metric.sessions_held.label": {"zh": "已接访场次", "en": "Sessions held"},
    "metric.sessions_held.help": {
        "zh": "期间内已登记为已接访的场次。",
        "en": "Sessions in the period recorded as held.",
    },
    "metric.sessions_cancelled.label": {"zh": "取消场次", "en": "Sessions cancelled"},
    "metric.sessions_cancelled.help": {
        "zh": "期间内已取消的场次（原因见安排列表）。",
        "en": "Sessions in the period that were cancelled (the reason is in the agenda).",
    },
    "metric.petitioners_received.label": {"zh": "接待群众人次", "en": "People received"},
    "metric.petitioners_received.help": {
        "zh": "期间内已接访场次登记的接待群众人次之和。",
        "en": "The people received, summed over the sessions held in the period.",
    },
    "metric.cases_taken.label": {"zh": "接访受理件", "en": "Cases taken"},
    "metric.cases_taken.help": {
        "zh": "期间内已接访场次中登记受理的信访件数。",
        "en": "Cases recorded as taken at the sessions held in the period.",
    },
    "metric.leader_received_owned.label": {"zh": "新收包案件", "en": "Owned cases received"},
    "metric.leader_received_owned.help": {
        "zh": "期间内收到、由该领导包案的信访件数。",
        "en": "Cases received in the period that the leader owns (包案).",
    },
    "metric.leader_received_taken.label": {"zh": "新收受理件", "en": "Taken cases received"},
    "metric.leader_received_taken.help": {
        "zh": "期间内收到、在该领导接访中受理的信访件数。",
        "en": "Cases received in the period that were taken at the leader's sessions.",
    },
    "metric.leader_concluded.label": {"zh": "领导信访件办结", "en": "Leader's cases concluded"},
    "metric.leader_concluded.help": {
        "zh": "该领导的信访件中，办结日期在期间内的件数，无论何时收到。",
        "en": "The leader's cases with a conclusion date in the period, whenever received.",
    },
    "metric.leader_open.label": {"zh": "领导信访件未结", "en": "Leader's cases open"},
    "metric.leader_open.help": {
        "zh": "该领导的信访件中，期末仍未办结的件数。",
        "en": "The leader's cases open at the period's end.",
    },
    "metric.leader_overdue_open.label": {"zh": "领导信访件超期未结", "en": "Leader's cases overdue"},
    "metric.leader_overdue_open.help": {
        "zh": "该领导的信访件中，期末仍未办结且法定办结期限早于期末的件数。",
        "en": "The leader's cases open at the period's end whose statutory due date is before it.",
    },
    "metric.leader_backlog.label": {"zh": "领导信访件积案", "en": "Leader's backlog"},
    "metric.leader_backlog.help": {
        "zh": "该领导的信访件中，期末仍未办结且收到时间早于期末90日以上的件数（积案）。",
        "en": "The leader's cases open at the period's end that were received more than 90 days before it (backlog).",
    },
    "metric.leader_resolution_rate.label": {"zh": "领导信访件化解率", "en": "Leader's resolution rate"},
    "metric.leader_resolution_rate.help": {
        "zh": "该领导的信访件中，期间内收到且在期末前办结的，结果为已化解的比例；分母为零时显示“—”。",
        "en": "Among the leader's cases received in the period and concluded by its end, the share resolved; "
        "“—” when there are none.",
    },
    "metric.leader_satisfaction_rate_office.label": {"zh": "领导信访件满意率", "en": "Leader's satisfaction rate"},
    "metric.leader_satisfaction_rate_office.help": {
        "zh": "该领导的信访件中，期间内办结并参评的，对信访部门评价为满意或基本满意的比例；分母为零时显示“—”。",
        "en": "Among the leader's cases concluded in the period and rated, the share rating the petition office "
        "satisfied or basically satisfied; “—” when there are none.",
    },
    # --- why an imported row was quarantined (data/importing/reasons.py) ---
    "reason.missing_case_number": {"zh": '缺少信访件编号', "en": 'no case number'},
    "reason.too_long": {"zh": '“{column}”过长（最多 {other} 个字符）', "en": '“{column}” is too long (at most {other} characters)'},
    "reason.missing_value": {"zh": '缺少“{column}”', "en": '“{column}” is empty'},
    "reason.date_unreadable": {"zh": '日期无法识别：“{value}”（可写作 2024-03-05、2024/3/5、2024年3月5日）', "en": 'date cannot be read: “{value}” (write 2024-03-05, 2024/3/5 or 2024年3月5日)'},
    "reason.date_impossible": {"zh": '日期不存在：“{value}”', "en": 'no such date: “{value}”'},
    "reason.received_in_future": {"zh": '登记日期 {value} 晚于今天', "en": 'received date {value} is in the future'},
    "reason.date_in_future": {"zh": '“{column}” {value} 晚于今天', "en": '“{column}” {value} is in the future'},
    "reason.concluded_before_received": {"zh": '办结日期 {value} 早于登记日期 {other}', "en": 'concluded {value}, before it was received {other}'},
    "reason.unknown_township": {"zh": '未知乡镇（街道）：“{value}”{hint}', "en": 'unknown township: “{value}”{hint}'},
    "reason.unknown_park": {"zh": '未知园区：“{value}”{hint}', "en": 'unknown park: “{value}”{hint}'},
    "reason.unknown_channel": {"zh": '未知信访形式：“{value}”（应为 来信、来访、网上信访、电话、领导接访）', "en": 'unknown channel: “{value}” (来信, 来访, 网上信访, 电话 or 领导接访)'},
    "reason.bad_yes_no": {"zh": '“{column}”应为 是 或 否：“{value}”', "en": '“{column}” must be yes or no: “{value}”'},
    "reason.bad_outcome": {"zh": '化解情况应为 已化解 或 未化解：“{value}”', "en": 'outcome must be 已化解 or 未化解: “{value}”'},
    "reason.bad_satisfaction": {"zh": '“{column}”应为 满意、基本满意、不满意 或 未评价：“{value}”', "en": '“{column}” must be 满意, 基本满意, 不满意 or 未评价: “{value}”'},
    "reason.bad_number": {"zh": '“{column}”应为人数（正整数）：“{value}”', "en": '“{column}” must be a whole number of people: “{value}”'},
    "reason.duplicate_conflict": {"zh": '信访件编号“{value}”在本文件第 {rows} 行重复出现，内容不同', "en": 'case number “{value}” appears on rows {rows} of this file with different contents'},
    "reason.hint.suggest": {"zh": '，是否为：{names}？', "en": ' — did you mean: {names}?'},
    "reason.hint.empty": {"zh": '，请先导入乡镇和园区边界', "en": ' — import the boundaries first'},
    # --- monthly review (月度研判, issue 13) --------------------------------------
    "page.review": {"zh": "月度研判", "en": "Monthly review"},
    "review.title.county": {"zh": "{month}信访形势研判", "en": "Petition review, {month}"},
    "review.title.township": {"zh": "{township}{month}信访形势研判", "en": "Petition review, {township}, {month}"},
    "review.scope.county": {"zh": "全县", "en": "the county"},
    "review.loading": {"zh": "正在汇总本月研判数据……", "en": "Gathering the month's review…"},
    "review.caption": {
        "zh": "环比：与{previous}相比；同比：与{earlier}相比。本次研判的交办事项于{handed}下发。",
        "en": "“vs prev.” compares with {previous}; “vs last year” with {earlier}. This review's list is "
        "handed out in {handed}.",
    },
    "review.range_note": {
        "zh": "研判按月进行：显示所选期间最后一个月（{month}）的研判。",
        "en": "A review covers one month: this is the review of the period's last month ({month}).",
    },
    "review.tab.analysis": {"zh": "研判分析", "en": "Analysis"},
    "review.tab.dispatch": {"zh": "交办事项", "en": "Dispatch list"},
    "review.tab.export": {"zh": "报告与简报", "en": "Report and briefing"},
    "review.rule": {"zh": "判定规则", "en": "The rule"},
    "review.none_named": {"zh": "（未指定）", "en": "(none recorded)"},
    "review.section.summary": {"zh": "一、总体情况", "en": "1. Summary"},
    "review.section.headline": {"zh": "二、主要指标", "en": "2. Headline figures"},
    "review.section.trend": {"zh": "近13个月", "en": "Last 13 months"},
    "review.section.issues": {"zh": "三、突出问题", "en": "3. Prominent issues"},
    "review.section.top_volume": {"zh": "信访量最多的问题", "en": "Issues with most cases"},
    "review.section.top_rise": {"zh": "环比上升最多的问题", "en": "Issues rising most on last month"},
    "review.section.signals": {"zh": "四、异常上升问题和热点地区", "en": "4. Rising issues and hot spots"},
    "review.section.rising": {"zh": "异常上升的问题", "en": "Rising issues"},
    "review.section.hot_spots": {"zh": "热点地区", "en": "Hot spots"},
    "review.section.states": {"zh": "五、超期未结和积案", "en": "5. Overdue and backlog cases"},
    "review.section.by_unit": {"zh": "按责任单位", "en": "By responsible unit"},
    "review.section.by_leader": {"zh": "按包案领导", "en": "By owner leader"},
    "review.section.receptions": {"zh": "六、县领导接访", "en": "6. County leaders' reception days"},
    "review.section.dispatch_previous": {
        "zh": "七、上次交办事项办理情况", "en": "7. Items handed out last time, and how they were done"},
    "review.section.dispatch_current": {"zh": "八、本次交办事项（交办单）", "en": "8. This review's dispatch list"},
    "review.col.metric": {"zh": "指标", "en": "Figure"},
    "review.col.value": {"zh": "本月", "en": "This month"},
    "review.col.mom": {"zh": "环比", "en": "vs prev."},
    "review.col.yoy": {"zh": "同比", "en": "vs last year"},
    "review.col.raw": {"zh": "数值", "en": "Value"},
    "review.col.numerator": {"zh": "分子", "en": "Numerator"},
    "review.col.denominator": {"zh": "分母", "en": "Denominator"},
    "review.col.rank": {"zh": "序号", "en": "No."},
    "review.col.month": {"zh": "月份", "en": "Month"},
    "review.col.township": {"zh": "乡镇（街道）", "en": "Township"},
    "review.col.category": {"zh": "问题类别", "en": "Category"},
    "review.col.place": {"zh": "地区", "en": "Place"},
    "review.col.level": {"zh": "类型", "en": "Kind"},
    "review.col.received": {"zh": "本月件数", "en": "Received"},
    "review.col.expected": {"zh": "预期件数", "en": "Expected"},
    "review.col.rising_months": {"zh": "连续上升月数", "en": "Months rising"},
    "review.col.concluded": {"zh": "月末已办结", "en": "Concluded by month end"},
    "review.col.resolved": {"zh": "已化解", "en": "Resolved"},
    "review.col.open": {"zh": "未办结", "en": "Open"},
    "review.col.overdue_open": {"zh": "超期未结", "en": "Overdue open"},
    "review.col.backlog": {"zh": "积案", "en": "Backlog"},
    "review.col.backlog_change": {"zh": "积案较上月末", "en": "Backlog vs last month end"},
    "review.col.first_time_resolution_rate": {"zh": "初信初访化解率", "en": "First-time resolution"},
    "review.col.on_time_rate": {"zh": "按期办结率", "en": "On-time rate"},
    "review.col.unit": {"zh": "责任单位", "en": "Responsible unit"},
    "review.col.leader": {"zh": "县领导", "en": "Leader"},
    "review.col.title": {"zh": "职务", "en": "Title"},
    "review.col.sessions_planned": {"zh": "计划接访", "en": "Sessions planned"},
    "review.col.sessions_held": {"zh": "实际接访", "en": "Sessions held"},
    "review.col.petitioners": {"zh": "接待群众（人次）", "en": "Petitioners received"},
    "review.col.taken_cases": {"zh": "受理件数", "en": "Cases taken"},
    "review.col.taken_concluded": {"zh": "月末已办结", "en": "Concluded by month end"},
    "review.col.taken_open": {"zh": "仍在办理", "en": "Still open"},
    "review.col.owned_backlog": {"zh": "包案积案", "en": "Backlog owned"},
    "review.col.issue": {"zh": "交办事项", "en": "Issue"},
    "review.col.due_on": {"zh": "办理时限", "en": "Due"},
    "review.col.closed_on": {"zh": "办结日期", "en": "Done on"},
    "review.col.state": {"zh": "办理情况", "en": "Status"},
    "review.col.source": {"zh": "来源", "en": "Source"},
    "review.col.note": {"zh": "备注", "en": "Note"},
    "review.sheet.headline": {"zh": "主要指标", "en": "Headline"},
    "review.sheet.trend": {"zh": "近13个月", "en": "13 months"},
    "review.sheet.top_volume": {"zh": "突出问题（按件数）", "en": "Issues by volume"},
    "review.sheet.top_rise": {"zh": "突出问题（按上升）", "en": "Issues by rise"},
    "review.sheet.rising": {"zh": "异常上升", "en": "Rising issues"},
    "review.sheet.hot_spots": {"zh": "热点地区", "en": "Hot spots"},
    "review.sheet.by_unit": {"zh": "按责任单位", "en": "By unit"},
    "review.sheet.by_leader": {"zh": "按包案领导", "en": "By owner leader"},
    "review.sheet.receptions": {"zh": "县领导接访", "en": "Receptions"},
    "review.sheet.dispatch_previous": {"zh": "上次交办办理情况", "en": "Last list"},
    "review.sheet.dispatch_current": {"zh": "本次交办单", "en": "This list"},
    "review.empty.headline": {"zh": "没有数据。", "en": "No data."},
    "review.empty.trend": {"zh": "没有数据。", "en": "No data."},
    "review.empty.top_volume": {"zh": "本月没有信访件。", "en": "No case this month."},
    "review.empty.top_rise": {"zh": "本月没有比上月增加的问题。", "en": "No issue rose on last month."},
    "review.empty.rising": {"zh": "本月没有异常上升的问题。", "en": "No issue rose abnormally this month."},
    "review.empty.hot_spots": {"zh": "本月没有热点地区。", "en": "No hot spot this month."},
    "review.empty.states": {"zh": "月末没有超期未结件和积案。", "en": "No overdue or backlog case at the month's end."},
    "review.empty.by_unit": {"zh": "月末没有超期未结件和积案。", "en": "No overdue or backlog case at the month's end."},
    "review.empty.by_leader": {"zh": "月末没有超期未结件和积案。", "en": "No overdue or backlog case at the month's end."},
    "review.empty.receptions": {"zh": "本月没有县领导接访记录。", "en": "No leader's reception this month."},
    "review.empty.dispatch_previous": {"zh": "上次研判没有交办事项。", "en": "The last review handed out nothing."},
    "review.empty.dispatch_current": {"zh": "本次研判还没有交办事项。", "en": "This review has handed out nothing yet."},
    "review.words.up": {"zh": "增加{n}件", "en": "up {n}"},
    "review.words.down": {"zh": "减少{n}件", "en": "down {n}"},
    "review.words.same": {"zh": "持平", "en": "unchanged"},
    "review.summary.received": {
        "zh": "{month}，{scope}共受理信访事项{received}件，环比{mom}，同比{yoy}；其中初信初访{first_time}件，"
        "集体访{group_visits}件。",
        "en": "In {month}, {scope} received {received} cases, {mom} on the previous month and {yoy} on a year "
        "earlier; {first_time} were first-time cases and {group_visits} group visits.",
    },
    "review.summary.outcomes": {
        "zh": "当月办结{concluded}件，化解率{resolution}，初信初访化解率{first_time}，按期办结率{on_time}，"
        "满意率{satisfaction}。",
        "en": "{concluded} cases were concluded; the resolution rate was {resolution}, first-time resolution "
        "{first_time}, on-time conclusion {on_time} and satisfaction {satisfaction}.",
    },
    "review.summary.states": {
        "zh": "月末超期未结{overdue}件，积案{backlog}件，积案较上月末{change}。",
        "en": "At the month's end {overdue} cases were overdue and {backlog} in the backlog ({change} on the "
        "previous month's end).",
    },
    "review.summary.top": {"zh": "信访量最多的问题是{issue}（{n}件）", "en": "The issue with most cases was {issue} ({n})"},
    "review.summary.rise": {"zh": "，比上月增加最多的是{issue}（增加{n}件）。",
                            "en": "; the largest rise on last month was {issue} (up {n})."},
    "review.summary.rising": {"zh": "经研判，{n}个问题异常上升：{names}。",
                              "en": "{n} issues rose abnormally: {names}."},
    "review.summary.no_rising": {"zh": "本月没有异常上升的问题。", "en": "No issue rose abnormally."},
    "review.summary.hot_spots": {"zh": "热点地区：{names}。", "en": "Hot spots: {names}."},
    "review.summary.receptions": {
        "zh": "县领导接访{sessions}场，接待群众{petitioners}人次，受理信访事项{taken}件，月末已办结{concluded}件。",
        "en": "County leaders held {sessions} reception sessions, received {petitioners} petitioners and took "
        "{taken} cases, {concluded} of them concluded by the month's end.",
    },
    "review.summary.dispatch": {
        "zh": "上次交办事项{total}项，按期办结{done}项，逾期办结{late}项，未办结{open}项。",
        "en": "Of the {total} items handed out last time, {done} were done on time, {late} late and {open} "
        "are open.",
    },
    "review.summary.dispatch_current": {
        "zh": "本次交办{total}项（其中结转{carried}项），涉及{units}个责任单位。",
        "en": "This review hands out {total} items ({carried} carried forward) to {units} units.",
    },
    "review.dispatch.state.done": {"zh": "按期办结", "en": "Done on time"},
    "review.dispatch.state.late": {"zh": "逾期办结", "en": "Done late"},
    "review.dispatch.state.open": {"zh": "未办结", "en": "Open"},
    "review.dispatch.state.late_days": {"zh": "逾期办结（{days}天）", "en": "Done {days} days late"},
    "review.dispatch.state.overdue_days": {"zh": "未办结，已超期{days}天", "en": "Open, {days} days overdue"},
    "review.dispatch.carried_from": {"zh": "结转（{month}交办）", "en": "Carried (handed out {month})"},
    "review.dispatch.new": {"zh": "新交办", "en": "New"},
    "review.dispatch.counts": {
        "zh": "共{total}项：按期办结{done}项，逾期办结{late}项，未办结{open}项（其中已超期{overdue}项）。",
        "en": "{total} items: {done} done on time, {late} done late, {open} open ({overdue} of them overdue).",
    },
    "review.dispatch.current_caption": {
        "zh": "{month}下发：本次新交办的事项和此前未办结、结转的事项；办理情况截至{as_of}。",
        "en": "Handed out in {month}: the new items and those carried forward, not yet done; status as of {as_of}.",
    },
    "review.dispatch.add_heading": {"zh": "新增交办事项", "en": "Add an item"},
    "review.dispatch.manage_heading": {"zh": "办理情况登记", "en": "Record progress"},
    "review.dispatch.pick": {"zh": "从排名中选取，或自拟", "en": "Pick from the ranking, or write one"},
    "review.dispatch.own": {"zh": "自拟事项", "en": "Write my own"},
    "review.dispatch.pick_volume": {"zh": "件数第{rank}：{issue}（{n}件）", "en": "Most cases #{rank}: {issue} ({n})"},
    "review.dispatch.pick_rise": {"zh": "上升第{rank}：{issue}（增加{n}件）",
                                  "en": "Largest rise #{rank}: {issue} (up {n})"},
    "review.dispatch.draft": {
        "zh": "{month}{township}{category}类信访{n}件（环比{change}件），月末未办结{open}件、超期未结{overdue}件，"
        "请牵头研判化解，按期报送办理情况。",
        "en": "{category} in {township}, {month}: {n} cases ({change} on last month), {open} still open and "
        "{overdue} overdue at the month's end. Please lead the response and report back by the due date.",
    },
    "review.dispatch.choose_unit": {"zh": "选择责任单位", "en": "Choose the unit"},
    "review.dispatch.any": {"zh": "（不限）", "en": "(any)"},
    "review.dispatch.add": {"zh": "加入交办单", "en": "Add to the list"},
    "review.dispatch.added": {"zh": "已加入交办单。", "en": "Added to the list."},
    "review.dispatch.incomplete": {"zh": "请填写交办事项并选择责任单位。", "en": "Write the issue and choose the unit."},
    "review.dispatch.refused": {"zh": "未保存：{reason}", "en": "Not saved: {reason}"},
    "review.dispatch.item": {"zh": "交办事项", "en": "Item"},
    "review.dispatch.closed_on": {"zh": "办结日期", "en": "Done on"},
    "review.dispatch.mark_done": {"zh": "登记办结", "en": "Mark done"},
    "review.dispatch.reopen": {"zh": "重新打开", "en": "Reopen"},
    "review.dispatch.withdraw": {"zh": "撤销", "en": "Withdraw"},
    "review.dispatch.edit": {"zh": "修改事项", "en": "Edit the item"},
    "review.dispatch.save": {"zh": "保存", "en": "Save"},
    "review.dispatch.saved": {"zh": "已保存。", "en": "Saved."},
    "review.dispatch.slip_unit": {"zh": "打印交办单的责任单位", "en": "Unit whose slip to print"},
    "review.dispatch.slip": {"zh": "下载交办单（Word）", "en": "Download its dispatch slip (Word)"},
    "review.export.lead": {
        "zh": "一键生成本月研判报告（Word，含图表、交办单和落款，可直接打印或修改）和全部数据表（Excel）。",
        "en": "The month's review in one click: a Word report (charts, dispatch list, signature block; ready to "
        "print or edit) and every table behind it (Excel).",
    },
    "review.export.docx": {"zh": "下载研判报告（Word）", "en": "Download the report (Word)"},
    "review.export.xlsx": {"zh": "下载数据表（Excel）", "en": "Download the tables (Excel)"},
    "review.export.cli": {
        "zh": "命令行：`python -m dashboard review --month {month} --out 目录`",
        "en": "Command line: `python -m dashboard review --month {month} --out DIR`",
    },
    "review.chart.received": {"zh": "信访量（件）", "en": "Cases received"},
    "review.chart.rate": {"zh": "初信初访化解率", "en": "First-time resolution rate"},
    "review.chart.overdue": {"zh": "超期未结（件）", "en": "Overdue open"},
    "review.chart.top_issues": {"zh": "图2 信访量最多的问题", "en": "Figure 2. Issues with most cases"},
    "review.chart.overdue_by_unit": {"zh": "图3 超期未结最多的责任单位", "en": "Figure 3. Units with most overdue cases"},
    "review.chart.trend_caption": {"zh": "图1 近13个月信访量和初信初访化解率",
                                   "en": "Figure 1. Cases received and first-time resolution, last 13 months"},
    "review.doc.office": {"zh": "县信访工作联席会议办公室", "en": "County joint-meeting office on petitions"},
    "review.doc.date": {"zh": "{year}年{month}月{day}日", "en": "{year}-{month:02d}-{day:02d}"},
    "review.doc.period": {"zh": "统计期间：{start}至{end}　范围：{scope}", "en": "Period: {start} to {end}. Scope: {scope}."},
    "review.doc.headline_note": {
        "zh": "注：数字与系统“月度研判”页面和 report 命令一致；比率保留一位小数，分母为零记为“—”。"
        "环比为与上月之差，同比为与上年同月之差（比率为百分点）。",
        "en": "The figures equal those of the dashboard and of the report command; rates to one decimal, "
        "“—” where the denominator is zero. Changes are differences (percentage points for rates).",
    },
    "review.doc.issue_note": {
        "zh": "突出问题按“乡镇×问题类别”统计；月末已办结、已化解、未办结指本月受理件的办理情况，超期未结含以前月份受理件。",
        "en": "Issues are township × category; concluded, resolved and open count this month's cases at the "
        "month's end; overdue open includes older cases.",
    },
    "review.doc.receptions_note": {
        "zh": "受理件数为本月实际接访中登记的信访件（本人可见范围内）及其在月末的办理情况；包案积案为月末该领导包案的积案件数。",
        "en": "Cases taken are those recorded at this month's held sessions (within the viewer's scope) and "
        "their state at the month's end; backlog owned is the leader's backlog at the month's end.",
    },
    "review.doc.signature": {"zh": "签发：　　　　　　审核：　　　　　　拟稿：",
                             "en": "Signed off by: ________   Checked by: ________   Drafted by: ________"},
    "review.slip.title": {"zh": "信访事项交办单", "en": "Dispatch slip"},
    "review.slip.number": {"zh": "〔{year}〕{month}月交办 第{unit_id}号",
                           "en": "No. {year}-{month:02d}/{unit_id}"},
    "review.slip.body": {
        "zh": "经县信访工作联席会议{title}，现将以下{n}项事项交你单位办理。",
        "en": "Following the joint meeting's {title}, the following {n} items are handed to your unit.",
    },
    "review.slip.request": {
        "zh": "请按照“谁主管、谁负责”的要求，认真研究、依法化解，并于办理时限前将办理情况书面报送县联席办。",
        "en": "Please handle them as the unit in charge and report back in writing to the office by the due dates.",
    },
    "review.slip.receipt": {"zh": "签收人：　　　　　　签收时间：　　　年　　月　　日",
                            "en": "Received by: ________   On: ________"},
    "review.slide.title": {"zh": "月度研判", "en": "Monthly review"},
    "review.slide.scope": {"zh": "范围：{scope}", "en": "Scope: {scope}"},
    "review.slide.count": {"zh": "{n} 件", "en": "{n}"},
    "review.slide.states": {"zh": "超期未结和积案", "en": "Overdue and backlog"},
    "review.slide.states_message": {"zh": "超期未结 {overdue} 件 · 积案 {backlog} 件",
                                    "en": "{overdue} overdue · {backlog} backlog"},
    "review.slide.issue_line": {"zh": "{issue}　{n} 件", "en": "{issue}: {n}"},
    "review.slide.rising": {"zh": "{n} 个问题异常上升", "en": "{n} issues rising abnormally"},
    "review.slide.hot_spots": {"zh": "{n} 个热点地区", "en": "{n} hot spots"},
    "review.slide.by_unit": {"zh": "超期未结最多的责任单位", "en": "Units with most overdue cases"},
    "review.slide.unit_line": {"zh": "{unit}　{n} 件", "en": "{unit}: {n}"},
    "review.slide.receptions": {"zh": "接访 {sessions} 场 · 接待 {petitioners} 人次",
                                "en": "{sessions} sessions · {petitioners} petitioners"},
    "review.slide.receptions_cases": {"zh": "受理 {taken} 件，月末已办结 {concluded} 件，仍在办理 {open} 件",
                                      "en": "{taken} cases taken, {concluded} concluded, {open} still open"},
    "review.slide.dispatch_previous": {"zh": "{total} 项中按期办结 {done} 项", "en": "{done} of {total} done on time"},
    "review.slide.dispatch_rest": {"zh": "逾期办结 {late} 项，未办结 {open} 项",
                                   "en": "{late} done late, {open} open"},
    "review.slide.dispatch_current": {"zh": "交办 {total} 项（结转 {carried} 项）",
                                      "en": "{total} items ({carried} carried forward)"},
    "review.slide.unit_items": {"zh": "{unit}　{n} 项", "en": "{unit}: {n}"},
    "review.briefing.previous": {"zh": "上一页", "en": "Previous"},
    "review.briefing.next": {"zh": "下一页", "en": "Next"},
    "review.briefing.position": {"zh": "第 {i} / {n} 页（← → 翻页）", "en": "{i} / {n} (← → to turn)"},
    "review.briefing.auto": {"zh": "自动翻页", "en": "Turn by itself"},
    "review.briefing.interval": {"zh": "翻页间隔", "en": "Interval"},
    "review.briefing.seconds": {"zh": "每 {n} 秒", "en": "every {n} s"},
    "review.briefing.start": {"zh": "开始简报（投屏模式）", "en": "Start the briefing (projection mode)"},
}


# Where the current language is read from: the app shell registers a function
# that reads the session's choice; it returns None outside a session.
_language_source: Callable[[], str | None] | None = None


def set_language_source(source: Callable[[], str | None] | None) -> None:
    """Register how the current language is found (the app shell reads its session state)."""
    global _language_source
    _language_source = source


def current_language() -> str:
    """The session's language inside the app, else the default."""
    lang = _language_source() if _language_source is not None else None
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str, **fmt) -> str:
    """The text of ``key`` in ``lang``; a missing key raises KeyError (tests catch it)."""
    text = TRANSLATIONS[key].get(lang) or TRANSLATIONS[key][DEFAULT_LANGUAGE]
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt) -> str:
    """The text of ``key`` in the session's language, with ``fmt`` filled in."""
    return translate(key, current_language(), **fmt)


def has(key: str) -> bool:
    return key in TRANSLATIONS


def metric_label(name: str) -> str:
    return t(f"metric.{name}.label")


def metric_help(name: str) -> str:
    return t(f"metric.{name}.help")


def channel_name(channel: str) -> str:
    key = f"channel.{channel}"
    return t(key) if key in TRANSLATIONS else channel


_CATEGORY_KEYS_BY_CHINESE_NAME = {
    entry["zh"]: key for key, entry in TRANSLATIONS.items() if key.startswith("category.")
}


def category_name(code: str | None, db_name: str | None) -> str:
    """Chinese: the database's name; English: the translation by code or by Chinese name, else the database's name.

    Imported categories get codes of their own, so the standard categories are
    also recognised by their Chinese name (征地拆迁, 劳动社保, …).
    """
    lang = current_language()
    key = f"category.{code}"
    if lang != DEFAULT_LANGUAGE:
        if key in TRANSLATIONS:
            return translate(key, lang)
        by_name = _CATEGORY_KEYS_BY_CHINESE_NAME.get((db_name or "").strip())
        if by_name:
            return translate(by_name, lang)
    if db_name:
        return db_name
    return translate(key, lang) if key in TRANSLATIONS else (code or DASH)
