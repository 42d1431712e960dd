"""What the articles state about a company: financing rounds, investments, listings, awards and
revenue, each with the sentence, its article and raw line, and the amount normalised.

In: the site's issues (raw lines and articles) and the mentions recognition found. Out: `Fact`s,
one per sentence and company, in reading order. A fact belongs to the first company the sentence
names; a sentence naming none belongs to the company the article's title names, when the title
names exactly one (`地芯科技：获近亿元B轮融资` … `此次B轮融资后，…`).

Amounts are read as printed (`近亿元`, `447,569万元`, `1245亿美元`, `二十亿元`) and normalised to
units of their currency with cn2an for Chinese numerals; `近`, `约`, `超`, `数` mark them
approximate. Nothing is computed that the text does not print.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import cn2an

from generator.model import Issue

if TYPE_CHECKING:
    from generator.entities import Mention

FactKind = Literal["financing", "listing", "award", "revenue", "investment"]

# In the order they are tried: a sentence about a B round that also says 投资 is a financing.
_KINDS: tuple[tuple[FactKind, re.Pattern[str]], ...] = (
    ("financing", re.compile(r"(?<!金)融资|募资|募集资金|定增|定向增发|可转债|增资扩股")),
    (
        "listing",
        re.compile(
            r"IPO|首次公开发行|上市辅导|辅导备案|递表|(?:科创板|创业板|北交所|港交所|主板|上交所"
            r"|深交所)[^，。；]{0,10}(?:上市|挂牌|申请)|(?<!出让)正式挂牌(?!出让)"
        ),
    ),
    ("award", re.compile(r"获[^，。；]{0,24}奖|荣获|入选[^，。；]{0,40}(?:名单|榜单|名录)|获评")),
    ("revenue", re.compile(r"营收|营业收入|营业总收入|销售收入|净利润")),
    ("investment", re.compile(r"总投资|投资|收购|并购|入股|持股")),
)
# Any of the keywords above: most sentences have none, and one search turns them away.
_ANY_KIND = re.compile("|".join(pattern.pattern for _, pattern in _KINDS))
# Facts that need an amount or a round to say anything: `投资` alone is everywhere.
_NEEDS_FIGURE = ("financing", "revenue", "investment")
_ROUND = re.compile(
    r"(?P<round>(?:Pre-?)?[A-F][0-9]?\+?\s*轮|天使\+?\s*轮|种子轮|战略轮|新一轮|首轮|Pre-IPO\s*轮)",
    re.IGNORECASE,
)
_NUMBER = r"-?\d+(?:[,，]\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_AMOUNT = re.compile(
    r"(?P<q>不超过|不低于|超过|近|约|超|逾|高达|达|数)?\s*(?P<num>" + _NUMBER + r")?\s*"
    r"(?P<unit>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万)?\s*"
    r"(?P<cur>元人民币|人民币|美元|美金|欧元|港元|港币|日元|元)(?!\s*/)"
)
# Below this it is a price (每股45元, 报27.99元), not an amount of money raised or invested.
_SMALLEST = 10_000
# `投资150亿建12寸晶圆厂`: after 投资/融资 an amount in 亿 or 万 may go without its 元.
_BARE_AMOUNT = re.compile(
    r"(?:投资|融资|募资)\s*(?P<q>近|约|超|逾)?\s*(?P<num>" + _NUMBER + r")\s*(?P<unit>亿|万)"
    r"(?![元美欧港日人颗片个只台套件吨平])"
)
_UNITS = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "十亿": 1e9,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    None: 1.0,
}
_CURRENCIES = {
    "元人民币": "CNY",
    "人民币": "CNY",
    "元": "CNY",
    "美元": "USD",
    "美金": "USD",
    "欧元": "EUR",
    "港元": "HKD",
    "港币": "HKD",
    "日元": "JPY",
}
_APPROXIMATE = frozenset(("近", "约", "超", "超过", "逾", "数", "不超过", "不低于", "高达"))
_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
_SYMBOLS = {"CNY": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元"}


@dataclass(frozen=True, slots=True)
class Fact:
    """One thing an article states about a company, with where it says so."""

    kind: FactKind  # financing, listing, award, revenue, investment
    company: str  # entity id
    article: str  # article id
    path: str  # input file
    line: int  # raw line of the sentence
    text: str  # the sentence as printed
    round: str | None = None  # 天使轮, Pre-B轮, B轮, 新一轮…
    amount: float | None = None  # in units of `currency`
    currency: str | None = None  # CNY, USD, EUR, HKD, JPY
    approximate: bool = False  # 近, 约, 超, 数…: the amount is a bound or a guess
    amount_text: str | None = None  # the amount as printed: 近亿元

    @property
    def amount_label(self) -> str:
        """The amount for a reader: `约 1 亿元`, `44.76 亿元`, `1245 亿美元`."""
        if self.amount is None or self.currency is None:
            return ""
        symbol = _SYMBOLS.get(self.currency, self.currency)
        size = abs(self.amount)
        value, unit = (self.amount / 1e8, "亿") if size >= 1e8 else (self.amount / 1e4, "万")
        if size < 1e4:
            value, unit = self.amount, ""
        number = f"{value:.2f}".rstrip("0").rstrip(".")
        return f"{'约 ' if self.approximate else ''}{number} {unit}{symbol}"


def parse_amount(text: str) -> tuple[float, str, bool, str] | None:
    """(amount, currency, approximate, as printed) of the first amount in `text`, or None."""
    for match in _AMOUNT.finditer(text):
        if not match["num"] and not (match["unit"] and match["q"]):
            continue  # a bare 元 or （单位：亿元） is no amount; 近亿元 and 数亿元 are
        found = _amount(match["q"], match["num"], match["unit"], _CURRENCIES[match["cur"]], match)
        if found is not None and abs(found[0]) >= _SMALLEST:
            return found
    bare = _BARE_AMOUNT.search(text)
    if bare:
        return _amount(bare["q"], bare["num"], bare["unit"], "CNY", bare, "num")
    return None


def _amount(
    qualifier: str | None,
    number: str | None,
    unit: str | None,
    currency: str,
    match: re.Match[str],
    start_group: str = "q",
) -> tuple[float, str, bool, str] | None:
    value = 1.0
    if number:
        digits = number.replace(",", "").replace("，", "")
        try:
            value = float(digits) if digits[-1].isdigit() else float(cn2an.cn2an(digits, "smart"))
        except (ValueError, KeyError):
            return None
    start = match.start(start_group) if match[start_group] else match.start("num")
    if start < 0:
        start = match.start()
    printed = match.string[start : match.end()].strip()
    approximate = qualifier in _APPROXIMATE or not number
    return value * _UNITS[unit], currency, approximate, printed


def find_facts(
    issues: Sequence[Issue], mentions: Iterable[Mention], companies: Collection[str]
) -> tuple[Fact, ...]:
    """The facts every article states, each owned by the company its sentence names.

    `companies` are the ids of companies proper: a fund or an agency named in a sentence about
    an investment is the investor, not the company the fact is about.
    """
    companies_on: dict[tuple[str, int], list[Mention]] = {}
    for mention in mentions:
        if mention.article is None or mention.place == "toc":
            continue
        if mention.entity in companies:
            companies_on.setdefault((mention.path, mention.line), []).append(mention)
    facts: list[Fact] = []
    for issue in issues:
        lines = {line.no: line.text for line in issue.lines}
        for article in issue.articles:
            heading = range(article.match.line, article.match.last + 1)
            subjects = {
                m.entity
                for no in heading
                for m in companies_on.get((issue.path, no), [])
                if m.article == article.id
            }
            subject = next(iter(subjects)) if len(subjects) == 1 else None
            sources = {source.line for source in article.sources}
            seen: set[tuple[str, str, float | None, str | None]] = set()
            for no in range(article.match.last + 1, article.span.last + 1):
                text = lines.get(no, "")
                if not text.strip() or text.startswith("\t") or no in sources:
                    continue  # tables and 来源 lines state no facts in sentences
                named = companies_on.get((issue.path, no), [])
                if not named and subject is None:
                    continue  # a fact needs its company: named on the line, or the article's
                for sentence in _SENTENCE.finditer(text):
                    fact = _fact(sentence, named, subject, article.id, issue.path, no)
                    if fact is None:
                        continue
                    key = (fact.kind, fact.company, fact.amount, fact.round)
                    if key not in seen:
                        seen.add(key)
                        facts.append(fact)
    return tuple(facts)


# A sentence without the company's name is about the article's company when it says so.
_REFERS_BACK = re.compile(r"公司|其|该|本轮|此次|本次")


def _fact(
    sentence: re.Match[str],
    named: Sequence[Mention],
    subject: str | None,
    article: str,
    path: str,
    line: int,
) -> Fact | None:
    text = sentence.group()
    if not _ANY_KIND.search(text):
        return None
    offset = sentence.start()
    # A keyword inside a name is none: 浙江金控投资管理有限公司 states no investment.
    names = [(m.column - offset, m.column - offset + len(m.text)) for m in named]
    found = None
    for kind, pattern in _KINDS:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end in names):
                found = (kind, match)
                break
        if found:
            break
    if found is None:
        return None
    kind, keyword = found
    # The company is the one named before the keyword (`地芯科技完成近亿元B轮融资，由润城资本…`),
    # not an investor named after it.
    before = [m for m in named if offset <= m.column < offset + keyword.start()]
    company = before[0].entity if before else None
    if company is None and subject and _REFERS_BACK.search(text[: keyword.end()]):
        company = subject
    if company is None:
        return None
    round_match = _ROUND.search(text) if kind == "financing" else None
    amount = parse_amount(text[keyword.start() :]) or parse_amount(text)
    if kind in _NEEDS_FIGURE and amount is None and round_match is None:
        return None
    return Fact(
        kind=kind,
        company=company,
        article=article,
        path=path,
        line=line,
        text=text.strip(),
        round=re.sub(r"\s+", "", round_match["round"]) if round_match else None,
        amount=amount[0] if amount else None,
        currency=amount[1] if amount else None,
        approximate=amount[2] if amount else False,
        amount_text=amount[3] if amount else None,
    )
