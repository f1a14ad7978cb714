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
    "wall.previous": {"zh": "上一页", "en": "Previous"},
    "wall.next": {"zh": "下一页", "en": "Next"},
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
