"""The demo county 示范县: a clearly fictional county with the structure real petition data has.

``build_demo(engine, cases=N, seed=S)`` wipes the tables it fills and writes,
in one transaction: 15 townships and sub-districts and 3 industrial parks
(boundaries from :mod:`geo.demo_boundaries`), 20 county departments, 13 issue
categories, 12 county leaders with their 挂点 links, the reception points,
three years of leaders' reception sessions, the joint-meeting office's monthly
dispatch lists, and N cases with one petitioner row each (fake people: names
from a list, checksum-valid ID numbers in the non-existent region 990101,
random mobile numbers). ``data_version.is_demo`` is set, so every screen can
say 演示数据.

What makes it look like real data (issue 2 §2):
- seasonality: 劳动社保 wage-arrears complaints surge in the six weeks before
  Spring Festival (dates from the ``holidays`` package) and cluster in the
  industrial parks; 征地拆迁 follows the spring and autumn construction
  seasons; fewer cases on weekends and holidays; a slow improving trend;
- townships differ in population and in category mix (urban sub-districts
  complain about housing and services, hill 乡 about land and farming);
- channels, first-time versus repeat petitions, group visits (≥5 people),
  rare escalations above the county;
- durations that follow the statutory deadlines (60 days from acceptance, +30
  when extended) and the first-petition 3-7-21 rule, with a tail of overdue
  and long-open backlog cases; recent cases are more often still open, and no
  date lies after ``today``;
- outcomes, where a case was resolved, two satisfaction ratings (or none);
- leaders' reception sessions (see :func:`_sessions`): the county party
  secretary and the county head on the 15th of every month, moved to a working
  day by ``reception_day_rule``; the other leaders rotating through township
  reception points; ad-hoc visits to last month's hot spots; appointments and
  follow-ups. Cases of channel ``leader_reception`` point at the session they
  came from and are owned by that leader. Sessions dated after ``today`` are
  the next two months' *scheduled* 15th-of-month sessions (0 received).

Same (seed, today, number of cases) ⇒ the same rows, byte for byte. Generation
is vectorised with numpy; rows are written in large batches (raw executemany on
SQLite, COPY on PostgreSQL), so a million cases take well under two minutes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as time_of_day

import numpy as np
from sqlalchemy import Engine, func, insert, inspect, select, text

from config.clock import local_today
from config.settings import DeadlineRules
from data import models
from data.db import migrate
from data.reception_calendar import (
    RECEPTION_DAY_OF_MONTH,
    is_working_day,
    monthly_reception_day,
    spring_festival,
)
from geo.demo_boundaries import (
    COUNTY_CODE,
    COUNTY_NAME,
    build_demo_geography,
    display_geometry,
    geojson_text,
    label_point,
)
from services.writes import Actor, write

DEFAULT_SEED = 1
CASES_PER_YEAR = 4_000
DEMO_MONTHS = 36  # "the three years up to the current month"
SCHEDULED_MONTHS_AHEAD = 2
CASE_NUMBER_PREFIX = "SF"
BATCH_ROWS = 50_000
# Share of cases that come from a leader's reception session (channel leader_reception).
LEADER_RECEPTION_SHARE = 0.04
# Wage-arrears season: the six weeks before the lunar new year.
SURGE_DAYS = 42

ProgressFn = Callable[[str, float], None]

# --- reference data -----------------------------------------------------------------------------

UNITS = (
    ("U01", "县人社局"),
    ("U02", "县自然资源局"),
    ("U03", "县住建局"),
    ("U04", "县农业农村局"),
    ("U05", "县生态环境局"),
    ("U06", "县教育局"),
    ("U07", "县卫健局"),
    ("U08", "县民政局"),
    ("U09", "县公安局"),
    ("U10", "县司法局"),
    ("U11", "县人民法院"),
    ("U12", "县交通运输局"),
    ("U13", "县市场监管局"),
    ("U14", "县纪委监委"),
    ("U15", "县征收安置服务中心"),
    ("U16", "县水利局"),
    ("U17", "县城市管理局"),
    ("U18", "县医保局"),
    ("U19", "县林业局"),
    ("U20", "县退役军人事务局"),
)


@dataclass(frozen=True)
class _CategorySpec:
    code: str
    name: str
    share: float  # of ordinary intake, before seasonality
    units: tuple[tuple[str, float], ...]  # responsible units and how often each gets the case
    season: tuple[float, ...] = (1.0,) * 12  # by calendar month
    # Relative weight by township kind: subdistrict, town, township.
    kind_mix: tuple[float, float, float] = (1.0, 1.0, 1.0)
    park_share: float = 0.05  # of its cases in a township that has a park
    group_share: float = 0.03  # of its visits that are group visits
    first_time: float = 0.72
    hard: float = 1.0  # multiplier on the chance of a long-open case
    # Where it was resolved: village, township, county.
    levels: tuple[float, float, float] = (0.35, 0.45, 0.20)
    # (what the petitioner reports, what they ask for): summaries are made from these.
    issues: tuple[tuple[str, str], ...] = ()
    is_accusation: bool = False


CATEGORIES = (
    _CategorySpec(
        "land_acquisition", "征地拆迁", 0.11, (("U15", 0.6), ("U02", 0.3), ("U03", 0.1)),
        season=(0.6, 0.7, 1.3, 1.5, 1.4, 1.0, 0.8, 0.8, 1.3, 1.5, 1.3, 0.8),
        kind_mix=(1.3, 1.1, 0.7), park_share=0.12, group_share=0.22, first_time=0.55, hard=2.5,
        levels=(0.12, 0.45, 0.43),
        issues=(
            ("征地补偿标准偏低", "要求按政策足额补偿"),
            ("安置房迟迟未交付", "要求尽快落实安置"),
            ("征地补偿款分配不均", "要求公开补偿明细"),
            ("临时安置费未按时发放", "要求按时足额发放"),
            ("青苗补偿未到位", "要求落实青苗补偿"),
        ),
    ),
    _CategorySpec(
        "labour_social_security", "劳动社保", 0.13, (("U01", 0.85), ("U18", 0.1), ("U03", 0.05)),
        season=(1.1, 0.9, 1.0, 0.9, 0.9, 1.1, 1.0, 0.9, 0.9, 0.9, 1.0, 1.2),
        kind_mix=(1.1, 1.1, 0.6), park_share=0.45, group_share=0.18, first_time=0.78,
        levels=(0.1, 0.5, 0.4),
        issues=(
            ("企业拖欠工资", "要求督促企业支付欠薪"),
            ("未依法缴纳社会保险", "要求依法补缴社保"),
            ("工伤待遇未落实", "要求落实工伤待遇"),
            ("解除劳动合同未支付经济补偿", "要求依法支付经济补偿"),
        ),
    ),
    _CategorySpec(
        "urban_rural_construction", "城乡建设", 0.16, (("U03", 0.65), ("U17", 0.25), ("U02", 0.1)),
        season=(0.9, 0.8, 1.0, 1.0, 1.0, 1.1, 1.2, 1.2, 1.0, 1.0, 0.9, 0.9),
        kind_mix=(2.2, 0.9, 0.4), group_share=0.1,
        levels=(0.2, 0.55, 0.25),
        issues=(
            ("小区物业服务不到位", "要求督促物业整改"),
            ("商品房逾期交房", "要求督促开发商按期交房"),
            ("房屋质量存在渗漏", "要求维修并赔偿"),
            ("老旧小区改造施工扰民", "要求规范施工时间"),
            ("不动产证办理迟缓", "要求尽快办理"),
        ),
    ),
    _CategorySpec(
        "agriculture_rural", "农业农村", 0.10, (("U04", 0.75), ("U16", 0.15), ("U19", 0.1)),
        season=(0.8, 0.8, 1.2, 1.2, 1.0, 1.0, 1.0, 1.0, 1.2, 1.1, 0.9, 0.8),
        kind_mix=(0.2, 1.1, 1.8), group_share=0.08,
        levels=(0.55, 0.35, 0.10),
        issues=(
            ("村集体收益分配不公开", "要求公开收支明细"),
            ("土地承包经营权纠纷", "要求调处纠纷"),
            ("宅基地审批缓慢", "要求加快审批"),
            ("惠农补贴未发放到户", "要求核实发放"),
            ("灌溉水渠年久失修", "要求尽快维修"),
        ),
    ),
    _CategorySpec(
        "natural_resources", "自然资源", 0.07, (("U02", 0.7), ("U19", 0.2), ("U16", 0.1)),
        kind_mix=(0.3, 1.1, 1.6), first_time=0.65, hard=1.5,
        levels=(0.3, 0.45, 0.25),
        issues=(
            ("违法占用耕地", "要求依法查处"),
            ("山林权属纠纷", "要求确权处理"),
            ("采石破坏植被", "要求责令停止并修复"),
            ("地质灾害隐患未治理", "要求尽快治理"),
        ),
    ),
    _CategorySpec(
        "ecology_environment", "生态环境", 0.07, (("U05", 0.85), ("U17", 0.15)),
        season=(0.7, 0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.1, 0.9, 0.8, 0.7),
        kind_mix=(1.0, 1.1, 0.8), park_share=0.25,
        levels=(0.25, 0.45, 0.30),
        issues=(
            ("企业废气异味扰民", "要求依法查处"),
            ("河道污水直排", "要求限期整改"),
            ("养殖场污染", "要求加强监管"),
            ("夜间施工噪声扰民", "要求停止夜间施工"),
        ),
    ),
    _CategorySpec(
        "education", "教育", 0.06, (("U06", 1.0),),
        season=(0.8, 0.9, 1.0, 0.9, 0.9, 1.1, 1.2, 1.6, 1.5, 0.8, 0.7, 0.7),
        kind_mix=(1.6, 1.0, 0.6),
        levels=(0.1, 0.4, 0.5),
        issues=(
            ("子女入学学位紧张", "要求妥善安排入学"),
            ("校外培训机构退费难", "要求协调退费"),
            ("学校食堂管理不规范", "要求加强管理"),
            ("校车接送安排不便", "要求调整线路"),
        ),
    ),
    _CategorySpec(
        "health", "卫生健康", 0.05, (("U07", 0.7), ("U18", 0.3)),
        kind_mix=(1.3, 1.0, 0.8),
        levels=(0.1, 0.4, 0.5),
        issues=(
            ("医疗纠纷赔偿", "要求依法处理"),
            ("医保报销比例", "要求作出解释"),
            ("卫生院服务态度", "要求整改"),
            ("药品价格偏高", "要求核查价格"),
        ),
    ),
    _CategorySpec(
        "civil_affairs", "民政", 0.06, (("U08", 0.85), ("U20", 0.15)),
        kind_mix=(0.9, 1.0, 1.3),
        levels=(0.4, 0.45, 0.15),
        issues=(
            ("低保资格认定不公", "要求重新核定"),
            ("特困供养待遇未落实", "要求落实待遇"),
            ("养老机构服务差", "要求加强监管"),
            ("残疾人补贴未发放", "要求核实发放"),
        ),
    ),
    _CategorySpec(
        "law_litigation", "涉法涉诉", 0.07, (("U11", 0.45), ("U10", 0.35), ("U09", 0.2)),
        kind_mix=(1.2, 1.0, 0.9), first_time=0.5, hard=2.5,
        levels=(0.05, 0.25, 0.70),
        issues=(
            ("判决执行不到位", "要求督促执行"),
            ("对案件处理结果不服", "要求重新调查"),
            ("邻里纠纷调解未果", "要求再次调解"),
            ("民间借贷纠纷", "要求依法处理"),
        ),
    ),
    _CategorySpec(
        "transport", "交通运输", 0.04, (("U12", 0.9), ("U09", 0.1)),
        kind_mix=(1.0, 1.1, 0.9),
        levels=(0.2, 0.5, 0.3),
        issues=(
            ("道路建设占地补偿", "要求落实补偿"),
            ("公交线路调整不便", "要求恢复原线路"),
            ("农村公路破损", "要求尽快修复"),
            ("货车超载扰民", "要求加强管理"),
        ),
    ),
    _CategorySpec(
        "market_supervision", "市场监管", 0.04, (("U13", 1.0),),
        kind_mix=(1.8, 0.9, 0.5), park_share=0.15,
        levels=(0.15, 0.5, 0.35),
        issues=(
            ("食品安全问题", "要求依法查处"),
            ("商家虚假宣传", "要求查处并退款"),
            ("预付卡退款难", "要求协调退款"),
            ("产品质量问题", "要求退换赔偿"),
        ),
    ),
    _CategorySpec(
        "discipline_inspection", "纪检监察", 0.03, (("U14", 1.0),),
        kind_mix=(0.8, 1.0, 1.2), first_time=0.65,
        levels=(0.05, 0.25, 0.70), is_accusation=True,
        issues=(
            ("村干部优亲厚友", "要求调查核实"),
            ("干部作风问题", "要求严肃处理"),
            ("村务财务不公开", "要求公开账目"),
            ("公职人员违规操办宴席", "要求调查处理"),
        ),
    ),
)
LABOUR = 1  # index of labour_social_security in CATEGORIES
# Pseudo-category for generation only: the pre-Spring-Festival wage-arrears
# surge, stored as 劳动社保 but drawn with its own time and place pattern.
SURGE = len(CATEGORIES)
SURGE_ISSUES = (
    ("春节前企业拖欠工资", "要求节前兑付欠薪"),
    ("春节前工程项目拖欠农民工工资", "要求督促总包单位支付工资"),
    ("年底劳务费未结清", "要求督促企业结清"),
)

# (rank, title, name): invented people. Rank 1 and 2 hold the 15th-of-month reception.
LEADERS = (
    (1, "县委书记", "陈立远"),
    (2, "县长", "王启明"),
    (3, "县委副书记", "张晓岚"),
    (4, "常务副县长", "刘建平"),
    (5, "县委常委、政法委书记", "黄志诚"),
    (6, "县委常委、组织部部长", "周雅琴"),
    (7, "县委常委、宣传部部长", "吴振华"),
    (8, "副县长", "郑国栋"),
    (9, "副县长", "孙丽萍"),
    (10, "副县长、公安局局长", "马骏"),
    (11, "县人大常委会副主任", "朱德明"),
    (12, "县政协副主席", "胡秀英"),
)
COUNTY_CENTRE_NAME = "县群众来访接待中心"

CHANNELS = models.CHANNEL_VALUES  # letter, visit, online, phone, leader_reception
LEADER_RECEPTION = CHANNELS.index("leader_reception")
VISIT = CHANNELS.index("visit")
# Ordinary channels (leader_reception comes only from sessions) by township kind.
_CHANNEL_MIX = {
    "subdistrict": (0.12, 0.22, 0.52, 0.14),
    "town": (0.16, 0.30, 0.40, 0.14),
    "township": (0.22, 0.38, 0.26, 0.14),
}
_KIND_INDEX = {"subdistrict": 0, "town": 1, "township": 2}

_SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文")
_GIVEN = tuple(
    "伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 华 建国 建华 志强 春梅 海燕 "
    "文 斌 宇 浩 凯 鹏 辉 玲 燕 红 梅 莉 兰 凤 琴 云 丹 萍 鑫 婷 雪 慧 颖 倩 佳 欣 晨 阳 波 宁 亮 林 峰 "
    "国华 永红 金花 德胜 福生 玉兰 桂芳 建平 志勇 海波 小红 晓东 晓燕 丽华 春生 秋菊 冬梅 瑞 祥 坤 斐 琳".split()
)
_VILLAGE_NAMES = tuple(
    "上坪 下洋 后垄 东坑 前岭 溪口 新厝 岭头 桥头 塘下 山后 竹林 石门 枫岭 樟坑 南垅 北坪 西洋 湖头 岩下 "
    "坑口 大坪 小溪 洋尾 田中 沙堤 松坑 柿林 长岭 茶园".split()
)
_COMMUNITY_NAMES = tuple("金桥 滨河 文昌 锦绣 和平 新华 康乐 翠苑 阳光 丰泽 东门 南门".split())
# 18-digit resident ID (GB 11643-1999): weights and check characters of ISO 7064 MOD 11-2.
_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)


def id_number_checksum(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID number."""
    total = sum(int(d) * int(w) for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11]


class RealDataPresent(RuntimeError):
    """The database holds cases that are not demo data: building the demo would destroy them."""

    def __init__(self, count: int):
        super().__init__(f"the database holds {count:,} cases that are not demo data")
        self.count = count


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    first_day: date
    last_day: date
    townships: int
    parks: int
    units: int
    categories: int
    leaders: int
    reception_points: int
    sessions: int
    cases: int
    dispatch_items: int
    seconds: float


# --- calendar ------------------------------------------------------------------------------------


class _Calendar:
    """Every day from the first demo month to ``today``, as indexes, with what each day is."""

    def __init__(self, today: date):
        year, month = today.year, today.month - (DEMO_MONTHS - 1)
        while month < 1:
            year, month = year - 1, month + 12
        self.start = date(year, month, 1)
        self.today = today
        self.n_days = (today - self.start).days + 1
        self.days = [self.start + timedelta(days=i) for i in range(self.n_days)]
        self.working = np.array([is_working_day(d) for d in self.days])
        self.month = np.array([(d.year - year) * 12 + d.month - month for d in self.days], dtype=np.int32)
        self.month_of_year = np.array([d.month - 1 for d in self.days], dtype=np.int32)
        self.year = np.array([d.year for d in self.days], dtype=np.int32)
        self.n_months = int(self.month[-1]) + 1
        self.month_starts = [date(year + (month - 1 + k) // 12, (month - 1 + k) % 12 + 1, 1) for k in range(
            self.n_months + SCHEDULED_MONTHS_AHEAD)]
        # Days before each lunar new year that fall in the wage-arrears surge,
        # 0 outside it, 1..SURGE_DAYS inside (1 = the eve).
        self.days_to_festival = np.zeros(self.n_days, dtype=np.int32)
        for festival_year in range(self.start.year, today.year + 2):
            festival = (spring_festival(festival_year) - self.start).days
            lo, hi = max(festival - SURGE_DAYS, 0), min(festival, self.n_days)
            if lo < hi:
                self.days_to_festival[lo:hi] = festival - np.arange(lo, hi)
        # ISO text of every day, and None at index -1 for a missing date.
        self.text = np.array([d.isoformat() for d in self.days] + [None], dtype=object)

    def index(self, day: date) -> int:
        return (day - self.start).days

    def working_days_of_month(self, month_index: int, upto: date | None = None) -> list[date]:
        first = self.month_starts[month_index]
        nxt = self.month_starts[month_index + 1] if month_index + 1 < len(self.month_starts) else None
        last = (nxt - timedelta(days=1)) if nxt else first + timedelta(days=27)
        if upto is not None:
            last = min(last, upto)
        out = []
        day = first
        while day <= last:
            if is_working_day(day):
                out.append(day)
            day += timedelta(days=1)
        return out


def default_case_count(today: date) -> int:
    """About 4,000 cases a year over the demo's three years up to ``today``."""
    cal_days = _Calendar(today).n_days
    return int(round(CASES_PER_YEAR * cal_days / 365.25))


# --- generation ----------------------------------------------------------------------------------


def _pick_rows(rng: np.random.Generator, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Draw one column index per element of ``rows`` from the probability rows ``probs[rows]``."""
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    u = rng.random(rows.size)
    return (u[:, None] > cum[rows]).sum(axis=1).astype(np.int16)


def _per_group_choice(rng, groups: np.ndarray, n_groups: int, weights: np.ndarray) -> np.ndarray:
    """For each element, an index drawn from ``weights[group]`` (one weight row per group)."""
    out = np.zeros(groups.size, dtype=np.int16)
    for group in range(n_groups):
        where = np.flatnonzero(groups == group)
        if where.size:
            p = weights[group] / weights[group].sum()
            out[where] = rng.choice(p.size, size=where.size, p=p)
    return out


@dataclass
class _Place:
    """The geography the generator needs, as arrays indexed like the townships and parks."""

    population: np.ndarray
    kind: np.ndarray  # 0 subdistrict, 1 town, 2 township
    park_of_township: np.ndarray  # park index or -1
    township_of_park: np.ndarray
    leader_of_township: np.ndarray  # 挂点 leader index
    leader_of_park: np.ndarray


def _main_cases(rng, cal: _Calendar, place: _Place, count: int) -> dict[str, np.ndarray]:
    """Ordinary intake: day, category and place drawn from seasonal, local weights."""
    n_cat = len(CATEGORIES)
    years = np.arange(cal.n_days) / 365.25
    day_weight = np.where(cal.working, 1.0, 0.3) * np.exp(-0.10 * years)
    month_noise = rng.lognormal(0.0, 0.07, size=cal.n_months)
    day_weight *= month_noise[cal.month]
    weights = np.empty((cal.n_days, n_cat + 1))
    season_noise = rng.lognormal(0.0, 0.08, size=(cal.n_months, n_cat))
    for c, spec in enumerate(CATEGORIES):
        season = np.array(spec.season)[cal.month_of_year]
        weights[:, c] = spec.share * season * season_noise[cal.month, c] * day_weight
    # The surge ramps up towards the eve: about 2.2 times labour's ordinary
    # intake on average over the six weeks, highest in the last days.
    ramp = np.where(cal.days_to_festival > 0, 0.4 + 1.2 * (SURGE_DAYS - cal.days_to_festival) / SURGE_DAYS, 0.0)
    weights[:, SURGE] = CATEGORIES[LABOUR].share * 2.2 * ramp * day_weight
    flat = weights.ravel() / weights.sum()
    drawn = rng.choice(flat.size, size=count, p=flat)
    day = (drawn // (n_cat + 1)).astype(np.int32)
    pcat = (drawn % (n_cat + 1)).astype(np.int16)

    # Township given category: population x the category's weight for the
    # township's kind x a per-township taste (fixed by the seed).
    n_town = place.population.size
    taste = rng.lognormal(0.0, 0.3, size=(n_town, n_cat))
    # Some places simply petition more per head than others (hot spots).
    taste *= rng.lognormal(0.0, 0.3, size=(n_town, 1))
    kind_mix = np.array([spec.kind_mix for spec in CATEGORIES])  # [cat, kind]
    town_weight = place.population[None, :] * kind_mix[:, place.kind] * taste.T  # [cat, town]
    has_park = place.park_of_township >= 0
    surge_weight = town_weight[LABOUR] * np.where(has_park, 6.0, 1.0)
    town = _per_group_choice(rng, pcat, n_cat + 1, np.vstack([town_weight, surge_weight]))

    park_share = np.array([spec.park_share for spec in CATEGORIES] + [0.85])
    in_park = has_park[town] & (rng.random(count) < park_share[pcat])
    park = np.where(in_park, place.park_of_township[town], -1).astype(np.int16)

    channel_probs = np.array([_CHANNEL_MIX[k] for k in ("subdistrict", "town", "township")])
    channel = _pick_rows(rng, channel_probs, place.kind[town])
    return {"day": day, "pcat": pcat, "town": town, "park": park, "channel": channel}


def _sessions(rng, cal: _Calendar, place: _Place, geo, main: dict[str, np.ndarray], rule: str) -> list[dict]:
    """Leaders' reception sessions (four kinds of 霞浦's 四门四访, plus the 15th-of-month one).

    - ``monthly_15th``: leaders of rank 1 and 2 at the county centre on the
      15th, moved by ``rule``; also for the next two months, as scheduled
      sessions with nobody received yet;
    - ``township_point``: every other leader, most months, at a township's
      reception point, rotating through the townships;
    - ``outreach`` (下访): the two townships and the park with most petitions
      in the previous month, visited by the leader linked to them;
    - ``appointment`` (约访) and ``follow_up`` (回访): one or two a month.
    """
    n_town = place.population.size
    n_leaders = len(LEADERS)
    sessions: list[dict] = []
    by_month_town = np.zeros((cal.n_months, n_town), dtype=np.int64)
    np.add.at(by_month_town, (cal.month[main["day"]], main["town"]), 1)
    n_parks = place.township_of_park.size
    by_month_park = np.zeros((cal.n_months, n_parks), dtype=np.int64)
    in_park = main["park"] >= 0
    np.add.at(by_month_park, (cal.month[main["day"][in_park]], main["park"][in_park]), 1)
    town_names = [t.name for t in geo.townships]
    park_names = [p.name for p in geo.parks]

    def add(leader, day, kind, place_name, point, town=None, park=None):
        sessions.append(
            {"leader": leader, "day": day, "kind": kind, "place": place_name, "point": point, "town": town, "park": park}
        )

    for m, month_start in enumerate(cal.month_starts):
        scheduled = m >= cal.n_months
        for leader in (0, 1):
            day = monthly_reception_day(month_start.year, month_start.month, rule)
            if day >= cal.start:
                add(leader, day, "monthly_15th", COUNTY_CENTRE_NAME, 0)
        if scheduled:
            continue
        workdays = cal.working_days_of_month(m, upto=cal.today)
        if not workdays:
            continue
        for leader in range(2, n_leaders):
            if rng.random() < 0.85:
                town = (leader * 3 + m) % n_town
                day = workdays[rng.integers(len(workdays))]
                add(leader, day, "township_point", f"{town_names[town]}群众接访点", town + 1, town=town)
        if m > 0:
            hot_towns = np.argsort(-by_month_town[m - 1], kind="stable")[:2]
            for town in hot_towns.tolist():
                day = workdays[rng.integers(len(workdays))]
                add(int(place.leader_of_township[town]), day, "outreach", town_names[town], None, town=town)
            hot_park = int(np.argmax(by_month_park[m - 1]))
            day = workdays[rng.integers(len(workdays))]
            add(int(place.leader_of_park[hot_park]), day, "outreach", park_names[hot_park], None,
                town=int(place.township_of_park[hot_park]), park=hot_park)
        for _ in range(int(rng.integers(1, 3))):
            day = workdays[rng.integers(len(workdays))]
            add(int(rng.integers(2, n_leaders)), day, "appointment", COUNTY_CENTRE_NAME, 0)
        for _ in range(int(rng.integers(1, 3))):
            town = int(rng.choice(n_town, p=place.population / place.population.sum()))
            day = workdays[rng.integers(len(workdays))]
            add(int(rng.integers(2, n_leaders)), day, "follow_up", town_names[town], town + 1, town=town)

    sessions.sort(key=lambda s: (s["day"], s["leader"], s["kind"], s["place"]))
    return sessions


def _session_cases(rng, cal: _Calendar, place: _Place, sessions: list[dict], total: int) -> dict[str, np.ndarray]:
    """The cases taken at past sessions; fills each session's petitioners_received and cases_taken."""
    kind_weight = {"monthly_15th": 4.0, "township_point": 1.5, "outreach": 2.5, "appointment": 1.0, "follow_up": 0.3}
    extra_people = {"monthly_15th": 3.0, "township_point": 1.5, "outreach": 4.0, "appointment": 0.5, "follow_up": 1.0}
    held = [i for i, s in enumerate(sessions) if s["day"] <= cal.today]
    for s in sessions:
        s["cases_taken"] = 0
        s["received"] = 0
    if held and total > 0:
        w = np.array([kind_weight[sessions[i]["kind"]] for i in held])
        taken = rng.multinomial(total, w / w.sum())
    else:
        taken = np.zeros(len(held), dtype=np.int64)
        total = 0
    for i, k in zip(held, taken.tolist(), strict=True):
        s = sessions[i]
        s["cases_taken"] = k
        s["received"] = k + int(rng.poisson(extra_people[s["kind"]])) + (1 if s["kind"] == "follow_up" else 0)

    session_index = np.repeat(np.array(held, dtype=np.int32), taken).astype(np.int32)
    n = session_index.size
    day = np.array([cal.index(sessions[i]["day"]) for i in held], dtype=np.int32)
    day = np.repeat(day, taken)
    fixed_town = np.repeat(np.array([-1 if sessions[i]["town"] is None else sessions[i]["town"] for i in held]), taken)
    fixed_park = np.repeat(np.array([-1 if sessions[i]["park"] is None else sessions[i]["park"] for i in held]), taken)
    leader = np.repeat(np.array([sessions[i]["leader"] for i in held], dtype=np.int16), taken)
    pop = place.population / place.population.sum()
    town = np.where(fixed_town >= 0, fixed_town, rng.choice(pop.size, size=n, p=pop)).astype(np.int16)
    # Leaders hear the hard matters: land, wages, lawsuits weigh more than in ordinary intake.
    shares = np.array([spec.share for spec in CATEGORIES])
    shares[[0, LABOUR, 9]] *= 1.6
    pcat = rng.choice(shares.size, size=n, p=shares / shares.sum()).astype(np.int16)
    park = np.where(fixed_park >= 0, fixed_park, -1).astype(np.int16)
    pcat = np.where((park >= 0) & (rng.random(n) < 0.5), LABOUR, pcat).astype(np.int16)
    return {
        "day": day,
        "pcat": pcat,
        "town": town,
        "park": park,
        "channel": np.full(n, LEADER_RECEPTION, dtype=np.int16),
        "session": session_index,
        "owner": leader,
    }


def _case_details(rng, cal: _Calendar, place: _Place, c: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Everything after intake: flags, dates, outcome, ratings, unit, owner leader."""
    n = c["day"].size
    cat = np.where(c["pcat"] == SURGE, LABOUR, c["pcat"]).astype(np.int16)
    surge = c["pcat"] == SURGE
    spec_arr = {
        name: np.array([getattr(spec, name) for spec in CATEGORIES])
        for name in ("group_share", "first_time", "hard")
    }
    years = c["day"] / 365.25
    # Repeat petitions become rarer as first petitions get resolved (the trend leaders watch).
    p_first = np.clip(spec_arr["first_time"][cat] + 0.04 * years + np.where(surge, 0.1, 0.0), 0.0, 0.97)
    p_first = np.where(c["channel"] == LEADER_RECEPTION, 0.45, p_first)
    first = rng.random(n) < p_first
    repeat = ~first

    visit = c["channel"] == VISIT
    p_group = spec_arr["group_share"][cat] * np.where(surge, 1.7, 1.0)
    group = visit & (rng.random(n) < p_group)
    headcount = np.ones(n, dtype=np.int32)
    headcount[group] = np.minimum(5 + rng.geometric(0.12, size=int(group.sum())) - 1, 200)
    small_party = visit & ~group & (rng.random(n) < 0.15)
    headcount[small_party] = rng.integers(2, 5, size=int(small_party.sum()))

    # Escalation above the county: rare, more for repeat petitions and land/lawsuits.
    p_esc = 0.012 * np.where(repeat, 3.0, 1.0) * np.where(np.isin(cat, (0, 9)), 2.0, 1.0)
    escalated = rng.random(n) < p_esc
    escalation = np.where(escalated, rng.choice(3, size=n, p=(0.75, 0.2, 0.05)), -1).astype(np.int16)

    today_idx = cal.n_days - 1
    room = today_idx - c["day"]  # days between receipt and today

    # 受理: decided within a few days of receipt (legal limit 15), some late, some not recorded.
    accept_lag = rng.geometric(0.4, size=n) - 1
    late = rng.random(n) < 0.03
    accept_lag[late] = rng.integers(16, 31, size=int(late.sum()))
    accepted = np.where((rng.random(n) < 0.04) | (accept_lag > room), -1, accept_lag)

    # 3-7-21 (first petitions): meet within 3 days, feed back within 7, most of the time.
    meet = np.where(rng.random(n) < 0.96, rng.integers(0, 4, size=n), rng.integers(4, 13, size=n))
    feed = np.where(rng.random(n) < 0.95, rng.integers(1, 8, size=n), rng.integers(8, 21, size=n))
    feed = np.maximum(feed, meet)

    # Duration groups: fast (within 21 days of receipt), normal (within the
    # statutory 60 days of acceptance), extended (+30), overdue, hard (backlog).
    probs_first = np.array([0.78, 0.135, 0.045, 0.03, 0.01])
    probs_repeat = np.array([0.15, 0.60, 0.12, 0.09, 0.04])
    base = np.where(first[:, None], probs_first[None, :], probs_repeat[None, :])
    # The 3-7-21 rule takes hold: first petitions close within 21 days more often each year.
    base[:, 0] += np.where(first, 0.025 * years, 0.0)
    base[:, 4] *= spec_arr["hard"][cat]
    base[:, 1] = 1.0 - base[:, [0, 2, 3, 4]].sum(axis=1)
    group_kind = _pick_rows(rng, base, np.arange(n))
    acc = accept_lag
    duration = np.empty(n, dtype=np.int64)
    g = group_kind
    duration[g == 0] = rng.integers(3, 22, size=int((g == 0).sum()))
    duration[g == 1] = acc[g == 1] + np.clip(np.rint(rng.gamma(2.2, 11.0, size=int((g == 1).sum()))), 5, 60)
    duration[g == 2] = acc[g == 2] + rng.integers(61, 91, size=int((g == 2).sum()))
    overdue_ext = rng.random(n) < 0.4
    over = g == 3
    duration[over] = (
        acc[over] + 60 + np.where(overdue_ext[over], 30, 0) + 1 + np.rint(rng.exponential(35.0, size=int(over.sum())))
    )
    duration[g == 4] = acc[g == 4] + 120 + np.rint(rng.exponential(300.0, size=int((g == 4).sum())))
    duration = np.maximum(duration, np.maximum(acc, np.where(first, feed, 0)))
    extension = (g == 2) | (over & overdue_ext)
    concluded = np.where(duration > room, -1, duration)
    is_concluded = concluded >= 0
    # A meeting or feedback cannot come after the conclusion, nor after today.
    cap = np.where(is_concluded, concluded, room)
    meet = np.where(first & (rng.random(n) < 0.985) & (meet <= room), np.minimum(meet, cap), -1)
    feed = np.where(first & (rng.random(n) < 0.985) & (feed <= room), np.minimum(feed, cap), -1)
    meet = np.where(feed >= 0, np.minimum(meet, feed), meet)

    p_resolved = np.array([0.97, 0.94, 0.86, 0.75, 0.5])[g] - np.where(repeat, 0.08, 0.0)
    resolved = is_concluded & (rng.random(n) < p_resolved)
    outcome = np.where(is_concluded, np.where(resolved, 0, 1), -1).astype(np.int16)
    levels = np.array([spec.levels for spec in CATEGORIES])
    level = np.where(resolved, _pick_rows(rng, levels, cat), -1).astype(np.int16)

    # Ratings, on concluded cases only: 满意 / 基本满意 / 不满意, or unrated.
    sat_probs = np.array([[0.74, 0.20, 0.06], [0.12, 0.30, 0.58]])
    office_draw = _pick_rows(rng, sat_probs, (~resolved).astype(np.int16))
    office_rated = is_concluded & (rng.random(n) < np.where(resolved, 0.87, 0.80))
    sat_office = np.where(office_rated, office_draw, -1).astype(np.int16)
    unit_draw = np.where(rng.random(n) < 0.85, office_draw, _pick_rows(rng, sat_probs, (~resolved).astype(np.int16)))
    unit_rated = is_concluded & np.where(office_rated, rng.random(n) < 0.96, rng.random(n) < 0.3)
    sat_unit = np.where(unit_rated, unit_draw, -1).astype(np.int16)

    unit_codes = [code for code, _ in UNITS]
    unit_weights = np.zeros((len(CATEGORIES), len(UNITS)))
    for i, spec in enumerate(CATEGORIES):
        for code, w in spec.units:
            unit_weights[i, unit_codes.index(code)] = w
    unit = _per_group_choice(rng, cat, len(CATEGORIES), unit_weights)

    # 包案: "谁挂点谁包案" — the leader linked to the place owns the hard,
    # big and long-open cases; a reception case stays with its leader.
    open_long = ~is_concluded & (room > 90)
    important = (g == 4) | open_long | group | (escalation >= 1) | ((g == 3) & (rng.random(n) < 0.5))
    link_leader = np.where(c["park"] >= 0, place.leader_of_park[np.maximum(c["park"], 0)],
                           place.leader_of_township[c["town"]])
    owner = np.where(c["owner"] >= 0, c["owner"], np.where(important, link_leader, -1)).astype(np.int16)

    return {
        "cat": cat,
        "first": first,
        "repeat": repeat,
        "headcount": headcount,
        "escalation": escalation,
        "accepted": accepted,
        "meet": meet,
        "feed": feed,
        "concluded": concluded,
        "extension": extension,
        "outcome": outcome,
        "level": level,
        "sat_office": sat_office,
        "sat_unit": sat_unit,
        "unit": unit,
        "owner": owner,
    }


def _summary_pool(rng, geo, n_villages: int = 6, per_place: int = 24):
    """Short invented summaries, ``per_place`` per (township or park, pseudo-category); no personal data."""
    pool: list[str] = []
    villages = []
    for township in geo.townships:
        names = _COMMUNITY_NAMES if township.kind == "subdistrict" else _VILLAGE_NAMES
        suffix = "社区" if township.kind == "subdistrict" else "村"
        chosen = rng.choice(len(names), size=n_villages, replace=False)
        villages.append([names[i] + suffix for i in chosen])
    texts = [spec.issues for spec in CATEGORIES] + [SURGE_ISSUES]
    for t, township in enumerate(geo.townships):
        who = "居民" if township.kind == "subdistrict" else "村民"
        for issues in texts:
            for _ in range(per_place):
                village = villages[t][rng.integers(n_villages)]
                issue, demand = issues[rng.integers(len(issues))]
                pool.append(f"{township.name}{village}{who}反映{issue}，{demand}。")
    for park in geo.parks:
        for issues in texts:
            for _ in range(per_place):
                issue, demand = issues[rng.integers(len(issues))]
                pool.append(f"{park.name}企业职工反映{issue}，{demand}。")
    return np.array(pool, dtype=object), villages, per_place


# --- writing -------------------------------------------------------------------------------------

_CASE_COLUMNS = (
    "id", "case_number", "received_on", "accepted_on", "first_meeting_on", "feedback_on", "concluded_on",
    "channel", "is_first_time", "is_repeat", "township_id", "park_id", "category_id", "unit_id",
    "owner_leader_id", "reception_session_id", "headcount", "extension_granted", "outcome",
    "resolution_level", "escalation", "satisfaction_office", "satisfaction_unit", "accuses_official",
    "summary", "is_demo",
)
_PETITIONER_COLUMNS = ("case_id", "name", "id_number", "phone", "address", "id_number_invalid", "phone_invalid")
_FILLED_TABLES = (
    "petitioners", "cases", "dispatch_items", "reception_sessions", "reception_rule_points", "reception_rules",
    "leader_links", "reception_points",
    "leaders", "parks", "units", "categories", "townships",
)
_REFERENCE_TABLES = ("townships", "parks", "units", "categories", "leaders", "reception_points")


def _ids_or_none(values: np.ndarray) -> list:
    """0-based indexes (-1 = none) to 1-based ids (None)."""
    out = (values.astype(np.int64) + 1).astype(object)
    out[values < 0] = None
    return out.tolist()


def _labels_or_none(labels, values: np.ndarray) -> list:
    table = np.array([*labels, None], dtype=object)
    return table[values].tolist()  # -1 picks the None at the end


class _Writer:
    """Batched inserts: raw executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, conn):
        self.conn = conn
        self.postgres = conn.dialect.name == "postgresql"
        self.raw = conn.connection.driver_connection

    def rows(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        column_list = ", ".join(columns)
        if self.postgres:
            with self.raw.cursor() as cursor, cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cursor = self.raw.cursor()
            try:
                cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({marks})", rows)  # noqa: S608
            finally:
                cursor.close()


def _dependants(conn) -> list[tuple[str, str, str]]:
    """(table, column, referenced table) for foreign keys from tables this module does not fill."""
    inspector = inspect(conn)
    found = []
    for table in inspector.get_table_names():
        if table in _FILLED_TABLES:
            continue
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] in _FILLED_TABLES and len(fk["constrained_columns"]) == 1:
                found.append((table, fk["constrained_columns"][0], fk["referred_table"]))
    return found


def _wipe(conn) -> list[tuple[str, str, str, list[tuple[int, str]]]]:
    """Empty the tables this module fills; detach rows of other tables that point at them.

    A user bound to a township (issue 5) keeps that binding across a rebuild:
    the reference is remembered by the township's *name* and restored after the
    new townships are written (see :func:`_restore`). Rows of other tables that
    describe cases themselves are deleted with the cases.
    """
    remembered = []
    for table, column, referred in _dependants(conn):
        if referred in _REFERENCE_TABLES:
            rows = conn.execute(
                text(
                    f"SELECT d.id, r.name FROM {table} d JOIN {referred} r ON r.id = d.{column}"  # noqa: S608
                )
            ).all()
            remembered.append((table, column, referred, [(row[0], row[1]) for row in rows]))
            conn.execute(text(f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL"))  # noqa: S608
        else:
            conn.execute(text(f"DELETE FROM {table} WHERE {column} IS NOT NULL"))  # noqa: S608
    if conn.dialect.name == "postgresql":
        # TRUNCATE refuses a table that another table's foreign key points at
        # (users -> townships), even when no row does: DELETE those instead.
        referenced = {referred for _, _, referred in _dependants(conn)}
        fast = [t for t in _FILLED_TABLES if t not in referenced]
        conn.execute(text(f"TRUNCATE {', '.join(fast)}"))
        for table in _FILLED_TABLES:
            if table in referenced:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    else:
        for table in _FILLED_TABLES:
            conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608
    return remembered


def _restore(conn, remembered) -> int:
    """Re-point detached rows at the new rows of the same name; returns how many found none."""
    lost = 0
    for table, column, referred, rows in remembered:
        for row_id, name in rows:
            new_id = conn.execute(text(f"SELECT id FROM {referred} WHERE name = :n"), {"n": name}).scalar()  # noqa: S608
            if new_id is None:
                lost += 1
                continue
            conn.execute(text(f"UPDATE {table} SET {column} = :v WHERE id = :i"), {"v": new_id, "i": row_id})  # noqa: S608
    return lost


# The big tables: loading them is faster with their secondary indexes (and,
# on PostgreSQL, their foreign keys) built once afterwards than maintained
# row by row. Definitions are read from the database, so an index another
# migration adds comes back exactly as it was.
_BULK_TABLES = ("cases", "petitioners")


def _drop_bulk_constraints(conn) -> list[str]:
    """Drop the big tables' secondary indexes (and PostgreSQL foreign keys); returns the DDL that restores them."""
    restore: list[str] = []
    if conn.dialect.name == "postgresql":
        tables = {"tables": list(_BULK_TABLES)}
        fks = conn.execute(
            text(
                "SELECT c.conname, t.relname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace"
                " WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ANY(:tables)"
                " ORDER BY t.relname, c.conname"
            ),
            tables,
        ).all()
        indexes = conn.execute(
            text(
                "SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
                " ORDER BY i.tablename, i.indexname"
            ),
            tables,
        ).all()
        for name, _table, definition in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
            restore.append(definition)
        # Re-adding a foreign key validates every row in one join, instead of
        # one trigger call per row during COPY.
        for name, table, definition in fks:
            conn.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
            restore.append(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    else:
        marks = ", ".join(f"'{t}'" for t in _BULK_TABLES)
        indexes = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
                f" AND tbl_name IN ({marks}) ORDER BY name"
            )
        ).all()
        for name, definition in indexes:
            conn.execute(text(f'DROP INDEX "{name}"'))
            restore.append(definition)
    return restore


def _restore_bulk_constraints(conn, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def _reset_sequences(conn) -> None:
    """Explicit ids leave PostgreSQL's serial counters behind: move them past the new rows."""
    if conn.dialect.name != "postgresql":
        return
    for table in _FILLED_TABLES:
        if table == "petitioners":
            continue  # keyed by case_id, no sequence
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _real_case_count(engine: Engine) -> int:
    with engine.connect() as conn:
        found = conn.execute(select(models.Case.id).where(models.Case.is_demo.is_(False)).limit(1)).first()
        if found is None:
            return 0
        return conn.execute(
            select(func.count()).select_from(models.Case).where(models.Case.is_demo.is_(False))
        ).scalar_one()


def build_demo(
    engine: Engine,
    *,
    cases: int | None = None,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    reception_day_rule: str = "next_working_day",
    progress: ProgressFn | None = None,
    replace_real_data: bool = False,
    rules: DeadlineRules | None = None,
    actor: Actor | None = None,
) -> DemoSummary:
    """(Re)build 示范县 in the database behind ``engine``; returns what was written.

    Migrates the schema first, then in one transaction empties the tables it
    fills and writes everything anew, sets ``data_version.is_demo`` and bumps
    the data version. ``cases`` defaults to about 4,000 a year over the 36
    months up to ``today`` (default: today in Asia/Shanghai); a given number is
    spread over the same months. The same ``seed``, ``today`` and ``cases``
    give the same rows.

    Raises :class:`RealDataPresent` when the database holds cases that are not
    demo data (imported ones), unless ``replace_real_data`` is set: one
    mistyped ``--db`` must not wipe a county's records.
    """
    started = time.perf_counter()
    report = progress or (lambda _stage, _fraction: None)
    today = today or local_today()
    if cases is not None and cases < 0:
        raise ValueError("the number of cases cannot be negative")
    migrate(engine)
    if not replace_real_data:
        real = _real_case_count(engine)
        if real:
            raise RealDataPresent(real)

    report("generating", 0.0)
    cal = _Calendar(today)
    n_cases = default_case_count(today) if cases is None else int(cases)
    rng = np.random.default_rng([seed, 0xD3_30])
    geo = build_demo_geography(seed)
    n_town, n_parks = len(geo.townships), len(geo.parks)

    # 挂点: the party secretary takes the poorest hill 乡, the county head the
    # first park; the other leaders share the rest in turn.
    leader_of_township = np.zeros(n_town, dtype=np.int16)
    leader_of_park = np.zeros(n_parks, dtype=np.int16)
    leader_of_township[n_town - 1] = 0
    leader_of_park[0] = 1
    rest = [("t", i) for i in range(n_town - 1)] + [("p", i) for i in range(1, n_parks)]
    for k, (what, i) in enumerate(rest):
        (leader_of_township if what == "t" else leader_of_park)[i] = 2 + k % (len(LEADERS) - 2)
    park_of_township = np.full(n_town, -1, dtype=np.int16)
    for p, park in enumerate(geo.parks):
        park_of_township[park.township_index] = p
    place = _Place(
        population=np.array([t.population for t in geo.townships], dtype=float),
        kind=np.array([_KIND_INDEX[t.kind] for t in geo.townships], dtype=np.int16),
        park_of_township=park_of_township,
        township_of_park=np.array([p.township_index for p in geo.parks], dtype=np.int16),
        leader_of_township=leader_of_township,
        leader_of_park=leader_of_park,
    )

    n_session_cases = min(n_cases, int(round(LEADER_RECEPTION_SHARE * n_cases)))
    main = _main_cases(rng, cal, place, n_cases - n_session_cases)
    main["session"] = np.full(main["day"].size, -1, dtype=np.int32)
    main["owner"] = np.full(main["day"].size, -1, dtype=np.int16)
    sessions = _sessions(rng, cal, place, geo, main, reception_day_rule)
    from_sessions = _session_cases(rng, cal, place, sessions, n_session_cases)
    intake = {key: np.concatenate([main[key], from_sessions[key]]) for key in main}
    # Case ids follow the order of receipt (ties broken at random, seeded).
    order = np.lexsort((rng.random(n_cases), intake["day"]))
    intake = {key: value[order] for key, value in intake.items()}
    details = _case_details(rng, cal, place, intake)
    pool, villages, per_place = _summary_pool(rng, geo)
    n_pcat = len(CATEGORIES) + 1
    place_row = np.where(intake["park"] >= 0, n_town + intake["park"], intake["town"])
    summary_idx = (place_row * n_pcat + intake["pcat"]) * per_place + rng.integers(0, per_place, size=n_cases)

    # Case numbers: SF<year>-<serial within the year, in order of receipt>.
    year = cal.year[intake["day"]]
    year_start = np.searchsorted(year, year, side="left")
    serial = np.arange(n_cases) - year_start + 1
    width = max(6, len(str(int(serial.max()) if n_cases else 0)))

    dispatch = _dispatch_items(rng, cal, intake, details)
    report("generating", 1.0)

    with write(engine, actor=actor or Actor.command_line(), action="demo", target=f"demo:seed={seed},cases={n_cases}",
               rules=rules or DeadlineRules(), demo=True, bulk_load=True, report=report) as change:
        conn = change.conn
        report("clearing", 0.0)
        remembered = _wipe(conn)
        deferred = _drop_bulk_constraints(conn)
        writer = _Writer(conn)
        _write_reference(conn, geo, place, sessions, cal, dispatch)
        _write_reception_rules(conn, n_town, cal, reception_day_rule)
        lost = _restore(conn, remembered)
        if lost:
            report(f"{lost} user binding(s) pointed at a place the demo no longer has and were cleared", 1.0)
        for start in range(0, n_cases, BATCH_ROWS):
            stop = min(start + BATCH_ROWS, n_cases)
            report("writing cases", start / max(n_cases, 1))
            s = slice(start, stop)
            writer.rows("cases", _CASE_COLUMNS,
                        _case_rows(s, cal, intake, details, pool, summary_idx, year, serial, width))
            writer.rows("petitioners", _PETITIONER_COLUMNS,
                        _petitioner_rows(np.random.default_rng([seed, 0x9E7, start]), s, geo, villages, intake))
        report("writing cases", 1.0)
        report("indexing", 0.0)
        _restore_bulk_constraints(conn, deferred)
        if conn.dialect.name == "sqlite":
            # The bulk load ran without row-by-row key checks: check every key at once.
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken is not None:
                raise RuntimeError(f"demo data breaks a foreign key: {tuple(broken)}")
        report("indexing", 1.0)
        _reset_sequences(conn)
    report("analysing", 0.0)
    # Fresh statistics so the planner uses the indexes on a table that grew from nothing.
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    report("analysing", 1.0)

    return DemoSummary(
        seed=seed,
        first_day=cal.start,
        last_day=today,
        townships=n_town,
        parks=n_parks,
        units=len(UNITS),
        categories=len(CATEGORIES),
        leaders=len(LEADERS),
        reception_points=n_town + 1,
        sessions=len(sessions),
        cases=n_cases,
        dispatch_items=len(dispatch),
        seconds=time.perf_counter() - started,
    )


def _case_rows(s, cal, intake, d, pool, summary_idx, year, serial, width) -> list[tuple]:
    numbers = [f"{CASE_NUMBER_PREFIX}{y}-{n:0{width}d}" for y, n in zip(year[s].tolist(), serial[s].tolist(),
                                                                          strict=True)]
    day = intake["day"][s].astype(np.int64)

    def on(offset):
        offset = offset[s]
        return cal.text[np.where(offset >= 0, day + offset, -1)].tolist()

    ids = np.arange(s.start + 1, s.stop + 1)
    accusation = np.array([spec.is_accusation for spec in CATEGORIES])
    columns = [
        ids.tolist(),
        numbers,
        cal.text[day].tolist(),
        on(d["accepted"]),
        on(d["meet"]),
        on(d["feed"]),
        on(d["concluded"]),
        _labels_or_none(CHANNELS, intake["channel"][s]),
        d["first"][s].tolist(),
        d["repeat"][s].tolist(),
        _ids_or_none(intake["town"][s]),
        _ids_or_none(intake["park"][s]),
        _ids_or_none(d["cat"][s]),
        _ids_or_none(d["unit"][s]),
        _ids_or_none(d["owner"][s]),
        _ids_or_none(intake["session"][s]),
        d["headcount"][s].tolist(),
        d["extension"][s].tolist(),
        _labels_or_none(models.OUTCOME_VALUES, d["outcome"][s]),
        _labels_or_none(models.RESOLUTION_LEVEL_VALUES, d["level"][s]),
        _labels_or_none(models.ESCALATION_VALUES, d["escalation"][s]),
        _labels_or_none(models.SATISFACTION_VALUES, d["sat_office"][s]),
        _labels_or_none(models.SATISFACTION_VALUES, d["sat_unit"][s]),
        accusation[d["cat"][s]].tolist(),
        pool[summary_idx[s]].tolist(),
        [True] * (s.stop - s.start),
    ]
    return list(zip(*columns, strict=True))


def _digits(rng, n: int, count: int) -> np.ndarray:
    return rng.integers(0, 10, size=(n, count), dtype=np.int64)


def _petitioner_rows(rng, s, geo, villages, intake) -> list[tuple]:
    """Fake people: listed names, ID numbers in region 990101 (no such place) with a valid check digit."""
    n = s.stop - s.start
    surname = np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), size=n)]
    given = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), size=n)]
    names = (surname + given).tolist()

    born = np.datetime64("1945-01-01") + rng.integers(0, (date(2006, 12, 31) - date(1945, 1, 1)).days, size=n)
    ymd = np.char.replace(np.datetime_as_string(born, unit="D"), "-", "")  # 'YYYYMMDD'
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, :6] = np.array([int(ch) for ch in COUNTY_CODE])
    digits[:, 6:14] = ymd.astype("S8").view(np.uint8).reshape(n, 8) - ord("0")
    digits[:, 14:17] = _digits(rng, n, 3)
    check = _ID_CHECK[(digits * _ID_WEIGHTS).sum(axis=1) % 11]
    id_bytes = np.empty((n, 18), dtype=np.uint8)
    id_bytes[:, :17] = digits + ord("0")
    id_bytes[:, 17] = check
    id_numbers = id_bytes.view("S18").ravel().astype("U18").tolist()

    phone_bytes = np.empty((n, 11), dtype=np.uint8)
    phone_bytes[:, 0] = ord("1")
    phone_bytes[:, 1] = np.frombuffer(b"35789", dtype=np.uint8)[rng.integers(0, 5, size=n)]
    phone_bytes[:, 2:] = _digits(rng, n, 9) + ord("0")
    phones = phone_bytes.view("S11").ravel().astype("U11").tolist()

    town = intake["town"][s]
    village = rng.integers(0, len(villages[0]), size=n)
    house = rng.integers(1, 200, size=n)
    prefixes = np.array(
        [[f"{COUNTY_NAME}{t.name}{villages[i][v]}" for v in range(len(villages[i]))] for i, t in
         enumerate(geo.townships)],
        dtype=object,
    )
    addresses = [f"{p}{h}号" for p, h in zip(prefixes[town, village].tolist(), house.tolist(), strict=True)]
    case_ids = range(s.start + 1, s.stop + 1)
    return list(zip(case_ids, names, id_numbers, phones, addresses, [False] * n, [False] * n, strict=True))


def _dispatch_items(rng, cal: _Calendar, intake, details) -> list[dict]:
    """联席办交办: at each month's analysis meeting, the previous month's top issues go to their departments."""
    n_cat = len(CATEGORIES)
    counts = np.zeros((cal.n_months, n_cat), dtype=np.int64)
    np.add.at(counts, (cal.month[intake["day"]], details["cat"]), 1)
    items = []
    for m in range(1, cal.n_months):
        month_start = cal.month_starts[m]
        previous = cal.month_starts[m - 1]
        # Complaints about officials go to the discipline commission, not on a department's list.
        ranked = [c for c in np.argsort(-counts[m - 1], kind="stable").tolist() if not CATEGORIES[c].is_accusation]
        for c in ranked[: int(rng.integers(3, 6))]:
            spec = CATEGORIES[c]
            unit_code = spec.units[0][0]
            unit_name = dict(UNITS)[unit_code]
            issue_text = spec.issues[int(rng.integers(len(spec.issues)))][0]
            due = month_start + timedelta(days=28)
            issue = (
                f"{previous.year}年{previous.month}月{spec.name}类信访{counts[m - 1, c]}件，"
                f"突出反映{issue_text}等问题，请{unit_name}牵头研判化解，按期报送办理情况。"
            )
            if due < cal.today:
                roll = rng.random()
                if roll < 0.8:
                    status, closed = "done", due - timedelta(days=int(rng.integers(0, 20)))
                elif roll < 0.92:
                    late = due + timedelta(days=int(rng.integers(1, 20)))
                    # Not done by today: open (overdue is read from the dates, never stored).
                    status, closed = ("done", late) if late <= cal.today else ("open", None)
                else:
                    status, closed = "open", None
            else:
                closed_early = month_start + timedelta(days=int(rng.integers(5, 28)))
                if rng.random() < 0.35 and closed_early <= cal.today:
                    status, closed = "done", closed_early
                else:
                    status, closed = "open", None
            items.append(
                {
                    "month": month_start,
                    "issue": issue,
                    "unit_id": [code for code, _ in UNITS].index(unit_code) + 1,
                    "category_id": c + 1,
                    "due_on": due,
                    "status": status,
                    "closed_on": closed,
                }
            )
    return items


def _write_reference(conn, geo, place: _Place, sessions: list[dict], cal: _Calendar, dispatch: list[dict]) -> None:
    townships = []
    for i, t in enumerate(geo.townships):
        point = label_point(t.geometry)
        townships.append(
            {
                "id": i + 1, "code": t.code, "name": t.name, "kind": t.kind, "population": t.population,
                "boundary": geojson_text(t.geometry), "boundary_display": geojson_text(display_geometry(t.geometry)),
                "centroid_lon": round(point.x, 6), "centroid_lat": round(point.y, 6),
            }
        )
    conn.execute(insert(models.Township), townships)
    parks = []
    for i, p in enumerate(geo.parks):
        point = label_point(p.geometry)
        parks.append(
            {
                "id": i + 1, "code": p.code, "name": p.name, "township_id": p.township_index + 1,
                "boundary": geojson_text(p.geometry), "boundary_display": geojson_text(display_geometry(p.geometry)),
                "centroid_lon": round(point.x, 6), "centroid_lat": round(point.y, 6),
            }
        )
    conn.execute(insert(models.Park), parks)
    conn.execute(insert(models.Unit), [{"id": i + 1, "code": code, "name": name} for i, (code, name) in
                                       enumerate(UNITS)])
    conn.execute(
        insert(models.Category),
        [{"id": i + 1, "code": s.code, "name": s.name, "is_accusation": s.is_accusation} for i, s in
         enumerate(CATEGORIES)],
    )
    conn.execute(
        insert(models.Leader),
        [{"id": i + 1, "name": name, "title": title, "rank": rank} for i, (rank, title, name) in enumerate(LEADERS)],
    )
    links = [{"leader_id": int(leader) + 1, "township_id": t + 1, "park_id": None} for t, leader in
             enumerate(place.leader_of_township.tolist())]
    links += [{"leader_id": int(leader) + 1, "township_id": None, "park_id": p + 1} for p, leader in
              enumerate(place.leader_of_park.tolist())]
    conn.execute(insert(models.LeaderLink), [{"id": i + 1, **link} for i, link in enumerate(links)])

    # The county centre stands in the county seat, in the sub-district that holds it.
    seat_township = min(range(len(geo.townships)), key=lambda i: geo.townships[i].geometry.distance(geo.seat))
    points = [
        {"id": 1, "name": COUNTY_CENTRE_NAME, "kind": "county_centre", "township_id": seat_township + 1,
         "lon": round(geo.seat.x, 6), "lat": round(geo.seat.y, 6)}
    ]
    for i, t in enumerate(geo.townships):
        point = label_point(t.geometry)
        points.append({"id": i + 2, "name": f"{t.name}群众接访点", "kind": "township_point", "township_id": i + 1,
                       "lon": round(point.x, 6), "lat": round(point.y, 6)})
    conn.execute(insert(models.ReceptionPoint), points)

    session_rows = []
    for i, s in enumerate(sessions):
        session_rows.append(
            {
                "id": i + 1, "leader_id": s["leader"] + 1, "held_on": s["day"], "kind": s["kind"],
                "place": s["place"], "reception_point_id": None if s["point"] is None else s["point"] + 1,
                "township_id": None if s["town"] is None else s["town"] + 1,
                "park_id": None if s["park"] is None else s["park"] + 1,
                "petitioners_received": s["received"], "cases_taken": s["cases_taken"],
                # Issue 11: a session after today is only planned; a 15th-of-month one stands for its rule's 15th.
                "status": "planned" if s["day"] > cal.today else "held",
                "rule_date": s["day"].replace(day=RECEPTION_DAY_OF_MONTH) if s["kind"] == "monthly_15th" else None,
            }
        )
    if session_rows:
        conn.execute(insert(models.ReceptionSession), session_rows)
    if dispatch:
        conn.execute(insert(models.DispatchItem), [{"id": i + 1, **item} for i, item in enumerate(dispatch)])


def _write_reception_rules(conn, n_town: int, cal: _Calendar, shift: str) -> None:
    """霞浦's schedule rules (issue 11), as the office would enter them.

    The county party secretary and the county head: the 15th of every month
    at the county centre, moved by ``shift`` (the demo's reception_day_rule),
    since the demo's first month (the 15th-of-month sessions above are theirs).
    Every other leader: from next month, a township reception point a month
    on a day of their own (5th, 7th, … 23rd), next working day, continuing the
    rotation :func:`_sessions` gave them (township ``(leader * 3 + month) mod
    15``). Morning hours for the 15th; the rotation days are all-day.
    """
    next_month = cal.month_starts[cal.n_months]
    rules, stops = [], []
    for leader in range(len(LEADERS)):
        rule_id = leader + 1
        if leader < 2:
            rules.append({"id": rule_id, "leader_id": leader + 1, "kind": "monthly",
                          "day_of_month": RECEPTION_DAY_OF_MONTH, "reception_point_id": 1, "shift": shift,
                          "starts_on": cal.start, "start_time": time_of_day(8, 30),
                          "end_time": time_of_day(11, 30)})
            continue
        rules.append({"id": rule_id, "leader_id": leader + 1, "kind": "rotation",
                      "day_of_month": 5 + 2 * (leader - 2), "reception_point_id": None,
                      "shift": "next_working_day", "starts_on": next_month, "start_time": None, "end_time": None})
        for position in range(n_town):
            town = (leader * 3 + cal.n_months + position) % n_town
            stops.append({"id": len(stops) + 1, "rule_id": rule_id, "position": position,
                          "reception_point_id": town + 2})  # point 1 is the county centre
    conn.execute(insert(models.ReceptionRule), rules)
    conn.execute(insert(models.ReceptionRulePoint), stops)


__all__ = [
    "CATEGORIES",
    "COUNTY_CENTRE_NAME",
    "DEFAULT_SEED",
    "LEADERS",
    "UNITS",
    "DemoSummary",
    "RealDataPresent",
    "build_demo",
    "default_case_count",
    "id_number_checksum",
]
