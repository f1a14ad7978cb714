"""The random county (tests/random_county.py) given summaries and petitioners, for hot words.

Nobody worked its hot words out by hand: it exists so that the three ways of
counting them (the summaries cut on the request, ``case_words``, and
``word_counts``) can be compared on many cases. Built to hit what the stored
words could get wrong:

* people who write many letters, in several months, townships and channels,
  and people told apart only by their phone, only by their name (written
  with and without a blank), or not at all (no petitioner row);
* petitioners' names that are also words of other summaries (平安, and 建设,
  the given name of 李建设), and names written into summaries (王建国, 高峰);
* the county's place names, villages (桥头村), phone and ID numbers in the text;
* summaries repeated word for word, empty, or missing; and issues whose
  share changes from month to month, so that words rise and fall.
"""

from __future__ import annotations

import random

from random_county import build_random_county
from sqlalchemy import bindparam, insert, update

from data.models import Case, Petitioner

ISSUES = ("噪声扰民", "征地补偿款未到位", "拖欠工资", "养殖场异味", "物业管理混乱", "早晚高峰拥堵", "平安建设不到位",
          "宅基地纠纷", "低保资格", "学校收费", "污水直排", "工程质量", "医疗纠纷", "高峰时段停水")
ASKS = ("要求尽快处理", "要求赔偿损失", "要求调查", "请求帮助", "")
PLACES = ("镇1", "镇2", "园区1", "桥头村", "城北街道和平社区", "青山村")
# (name, ID number, phone): some share an ID in two spellings, some have only a phone or a name.
PEOPLE = (
    [("王建国", "990101198001011234", "13812345678"), ("王建国", "990101198001011234 ", None),
     ("高峰", "99010119800101123x", None), ("高峰", "99010119800101123X", None),
     ("平安", None, "13900000001"), ("李建设", None, "13900000003"), ("李 明", None, None), ("李明", None, None), ("张伟", None, None),
     (None, None, None), ("陈芳", "", "13900000002")]
    + [(f"{surname}{given}", f"ID-{i}" if i % 3 else None, f"1370000{i:04d}" if i % 2 else None)
       for i, (surname, given) in enumerate((s, g) for s in "刘赵孙周吴郑" for g in ("秀英", "强", "丽华", "海波"))]
)


def _summary(rng: random.Random, month_index: int) -> str | None:
    pick = rng.random()
    if pick < 0.04:
        return None
    if pick < 0.06:
        return ""
    # An issue whose share grows with the month, so that it rises; the others drawn evenly.
    issue = ISSUES[month_index % 5] if rng.random() < 0.3 else rng.choice(ISSUES)
    place = rng.choice(PLACES)
    who = rng.choice(("", "村民", "王建国", "高峰", "建国"))
    contact = rng.choice(("", "，电话13812345678", "，身份证990101198001011234"))
    return f"{place}{who}反映{issue}{contact}，{rng.choice(ASKS)}。"


def build_words_county(engine, n: int = 700, seed: int = 11):
    """The random county of ``n`` cases, each given a summary (or none) and most a petitioner."""
    build_random_county(engine, n=n, seed=seed)
    rng = random.Random(seed * 7 + 1)
    with engine.connect() as conn:
        cases = conn.execute(Case.__table__.select().with_only_columns(Case.id, Case.received_on)
                             .order_by(Case.id)).all()
    texts, people = [], []
    for case_id, received_on in cases:
        day = str(received_on)  # a date, or its ISO text on SQLite
        texts.append({"_id": case_id, "summary": _summary(rng, int(day[:4]) * 12 + int(day[5:7]))})
        person = rng.choice(PEOPLE) if rng.random() < 0.85 else None
        if person is not None and person != (None, None, None):
            name, id_number, phone = person
            people.append({"case_id": case_id, "name": name, "id_number": id_number, "phone": phone})
    with engine.begin() as conn:
        conn.execute(update(Case).where(Case.id == bindparam("_id")).values(summary=bindparam("summary")), texts)
        conn.execute(insert(Petitioner), people)
    return engine
