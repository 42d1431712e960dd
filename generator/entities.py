"""Companies, organisations and policies: registry names plus discovery → mentions on raw lines.

In: the curated registry (`registry/companies.yml`, `organisations.yml`, `policies.yml`, read by
`read.read_registry` and parsed here by `parse_registry`), and every issue and document with its
raw lines. Out: `Entities` — every company, organisation and policy (registry entries and names
the discovery rules found), each mention with its raw line, the review queue of discovered names
(`registry/candidates.yml`), and the problems (registry errors, ambiguous short names).

How a name is recognised:
- one Aho-Corasick pass over the *match keys* of each line (width, script, case and punctuation
  folded; `keys.match_key`), with a map from each key character back to its raw line and column;
- the longest name wins where names overlap (`士兰集昕` is not `士兰微`, `炎黄国芯` is not `国芯`);
- no match inside another word: a registry entry's `not:` list (`中国芯` is no 国芯), and for
  CJK a small list of characters that glue onto a name's first or last character to make a
  common word (`扩大基金`, `本地芯片`, `高通用`), for Latin names the letters around them;
- a short name shared by several entries (`国芯`: 杭州国芯 or 苏州国芯) takes the entry named
  unambiguously in the same article; otherwise it is reported as `entity-ambiguous`, never merged.

Discovery (names not in the registry): legal names (…有限公司, …集团, …研究院), `X（以下简称“Y”）`
alias declarations, company names heading 芯企业 titles and printed as 来源, company columns of
tables; policies by 文号 (`浙政办发〔2023〕17号`, any bracket) and 《…》 titles that end like a
policy (通知, 意见, 办法, 规划, 方案, 措施, 政策…), and the policy articles themselves.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

import ahocorasick
import yaml

from generator.keys import match_key
from generator.model import Article, Block, Document, Issue, Line, Problem

if TYPE_CHECKING:
    from generator.read import RegistryTexts
    from generator.site import Site

EntityKind = Literal["company", "organisation", "policy"]
Level = Literal["national", "provincial", "city", "district"]
Place = Literal["article", "toc", "source", "document", "masthead", "other"]

LEVELS: tuple[Level, ...] = ("national", "provincial", "city", "district")
ORGANISATION_TYPES = (
    "fund",
    "agency",
    "association",
    "institute",
    "university",
    "media",
    "park",
    "other",
)
REGISTRY_FILES: dict[str, EntityKind] = {
    "companies.yml": "company",
    "organisations.yml": "organisation",
    "policies.yml": "policy",
}


# --- vocabulary -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entity:
    """A company, organisation or policy: the registry's entry, or what discovery found."""

    id: str  # ASCII slug, stable: the page is companies/<id>/ or policies/<id>/
    kind: EntityKind
    name: str  # the canonical name (a policy: its title), as an editor writes it
    full_names: tuple[str, ...] = ()  # legal names: 杭州士兰微电子股份有限公司
    aliases: tuple[str, ...] = ()  # short, English and former names; a policy's short titles
    not_names: tuple[str, ...] = ()  # longer words containing a name that are not this entity
    type: str | None = None  # organisation: fund, agency, association, institute, media…
    city: str | None = None
    code: str | None = None  # listed code, e.g. 600460.SH
    website: str | None = None
    parent: str | None = None  # id of the group a subsidiary belongs to
    doc_number: str | None = None  # policy: 文号 as printed, e.g. 财税〔2023〕17号
    issuer: str | None = None  # policy: who issued it
    level: Level | None = None  # policy: national, provincial, city, district
    date: str | None = None  # policy: "2023-04-21", "2023-04" or "2023"
    document: str | None = None  # policy: id of the document or article holding its full text
    discovered: bool = False  # found by the discovery rules, not (yet) in the registry
    path: str = ""  # registry file, or the input file of the first evidence
    line: int | None = None  # its line there

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the entity goes by, canonical first; for a policy its 文号 too."""
        found = [self.name, *self.full_names, *self.aliases]
        if self.doc_number:
            found.append(self.doc_number)
        return tuple(dict.fromkeys(n for n in found if n))


@dataclass(frozen=True, slots=True)
class Mention:
    """One place an input names an entity."""

    entity: str  # Entity.id
    path: str  # input file, e.g. "issues/2020-03.txt"
    line: int  # raw line of the name's first character
    column: int  # 0-based offset of that character in the raw line
    text: str  # the name as printed (without a line break when a page break split it)
    place: Place  # where the line is: article text, TOC, 来源 line, document…
    article: str | None = None  # the article the line belongs to (a TOC line: the one it lists)
    document: str | None = None  # the document the line belongs to
    last: int = 0  # raw line of the name's last character (a name split by a page break)

    @property
    def lines(self) -> tuple[int, ...]:
        return (self.line,) if self.last <= self.line else (self.line, self.last)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A discovered name for the review queue: promote, merge or reject it in the registry."""

    entity: str  # the id its page got on the site
    name: str
    kind: EntityKind
    rule: str  # which rule found it: legal-name, alias-declaration, title, source, table…
    evidence: tuple[tuple[str, int], ...]  # (input file, raw line) where the rules saw it
    aliases: tuple[str, ...] = ()  # suggested short names
    doc_number: str | None = None
    issuer: str | None = None
    level: Level | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """The first mention of an entity in an article's text, as an offset into one block."""

    article: str
    block: int  # index into Article.blocks
    start: int  # character offsets into Block.text
    end: int
    entity: str


@dataclass(frozen=True, slots=True)
class Registry:
    """The curated entries, in file order, and what was wrong with the files."""

    entities: tuple[Entity, ...] = ()
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Entities:
    """What recognition found over the whole archive."""

    entities: tuple[Entity, ...]  # registry entries and discovered names, by kind then id
    mentions: tuple[Mention, ...]  # by file, line, column
    links: tuple[Link, ...] = ()  # first mention of each entity per article, for the pages
    candidates: tuple[Candidate, ...] = ()  # the review queue, by kind then name
    problems: tuple[Problem, ...] = ()


# --- registry ---------------------------------------------------------------------------------

_LIST_KEYS = ("full_names", "aliases", "short_titles", "not")
_COMMON_KEYS = ("name", "id", "aliases", "not", "note")
_KEYS: dict[EntityKind, tuple[str, ...]] = {
    "company": (*_COMMON_KEYS, "full_names", "city", "code", "website", "parent"),
    "organisation": (*_COMMON_KEYS, "full_names", "type", "city", "website", "parent"),
    "policy": (
        "name",
        "id",
        "short_titles",
        "not",
        "note",
        "doc_number",
        "issuer",
        "level",
        "date",
        "document",
    ),
}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"(19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
_EXAMPLE: dict[EntityKind, str] = {
    "company": "- name: 士兰微\n  full_names: [杭州士兰微电子股份有限公司]\n  aliases: [Silan]",
    "organisation": "- name: 大基金\n  type: fund\n  full_names: [国家集成电路产业投资基金]",
    "policy": "- name: 关于…的通知\n  doc_number: 财税〔2023〕17号\n  level: national",
}


def parse_registry(files: Sequence[tuple[str, str]]) -> Registry:
    """The registry from (path, YAML text) pairs; the file name says what kind each entry is.

    An entry with an error is left out and reported with its file:line; the rest still load.
    """
    entities: list[Entity] = []
    problems: list[Problem] = []
    for path, text in files:
        kind = REGISTRY_FILES.get(path.rsplit("/", 1)[-1])
        if kind is None:
            continue
        found, found_problems = parse_registry_file(path, text, kind)
        entities.extend(found)
        problems.extend(found_problems)
    entities, link_problems = _check_registry(entities)
    return Registry(tuple(entities), tuple(problems) + tuple(link_problems))


def parse_registry_file(
    path: str, text: str, kind: EntityKind
) -> tuple[list[Entity], list[Problem]]:
    """The entries of one registry file: a YAML list of mappings, one per entity."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        return [], [_yaml_problem(path, exc)]
    if root is None or (isinstance(root, yaml.ScalarNode) and root.tag.endswith(":null")):
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [
            _registry_problem(
                path,
                root,
                "bad-value",
                "the file must be a list of entries, one per “- name:”",
                f"write it like\n{_EXAMPLE[kind]}",
            )
        ]
    entities: list[Entity] = []
    problems: list[Problem] = []
    for item in root.value:
        entity, item_problems = _parse_entry(path, item, kind)
        problems.extend(item_problems)
        if entity is not None:
            entities.append(entity)
    return entities, problems


def _parse_entry(
    path: str, node: yaml.Node, kind: EntityKind
) -> tuple[Entity | None, list[Problem]]:
    if not isinstance(node, yaml.MappingNode):
        return None, [
            _registry_problem(
                path,
                node,
                "bad-value",
                f"an entry must be a mapping with a name, not {_shown(node)}",
                f"write it like\n{_EXAMPLE[kind]}",
            )
        ]
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if key not in _KEYS[kind]:
            close = difflib.get_close_matches(str(key), _KEYS[kind], n=1)
            hint = f"did you mean “{close[0]}”? " if close else ""
            problems.append(
                _registry_problem(
                    path,
                    key_node,
                    "unknown-key",
                    f"unknown key “{key}”; it is ignored",
                    f"{hint}the keys are: {', '.join(_KEYS[kind])}",
                    severity="warning",
                )
            )
            continue
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            continue
        if key in _LIST_KEYS:
            items = _text_list(value_node)
            if items is None:
                problems.append(
                    _registry_problem(
                        path,
                        value_node,
                        "bad-value",
                        f"“{key}” must be a list of names, not {_shown(value_node)}",
                        f"write it like `{key}: [名称一, 名称二]`",
                    )
                )
                continue
            values[key] = items
        elif isinstance(value_node, yaml.ScalarNode) and value_node.value.strip():
            values[key] = value_node.value.strip()
        else:
            problems.append(
                _registry_problem(
                    path,
                    value_node,
                    "bad-value",
                    f"“{key}” must be text, not {_shown(value_node)}",
                    f"write it like `{key}: …` on one line",
                )
            )
    line = node.start_mark.line + 1
    name = values.get("name")
    if not isinstance(name, str) or not match_key(name):
        problems.append(
            Problem(
                path,
                line,
                "missing-name",
                "the entry has no name, so it is left out",
                f"add `name:` with the name readers know, e.g.\n{_EXAMPLE[kind]}",
                "error",
            )
        )
        return None, problems
    checks = _entry_checks(path, node, kind, values)
    problems.extend(checks)
    if any(p.severity == "error" for p in checks):
        return None, problems
    entity_id = values.get("id")
    if not isinstance(entity_id, str):
        entity_id = _default_id(kind, name, _str(values.get("doc_number")))
    entity = Entity(
        id=entity_id,
        kind=kind,
        name=name,
        full_names=_strs(values.get("full_names")),
        aliases=_strs(values.get("aliases")) + _strs(values.get("short_titles")),
        not_names=_strs(values.get("not")),
        type=_str(values.get("type")),
        city=_str(values.get("city")),
        code=_str(values.get("code")),
        website=_str(values.get("website")),
        parent=_str(values.get("parent")),
        doc_number=_str(values.get("doc_number")),
        issuer=_str(values.get("issuer")),
        level=_str(values.get("level")),  # type: ignore[arg-type]  # checked in _entry_checks
        date=_str(values.get("date")),
        document=_str(values.get("document")),
        path=path,
        line=line,
    )
    return entity, problems


def _entry_checks(
    path: str, node: yaml.MappingNode, kind: EntityKind, values: Mapping[str, object]
) -> list[Problem]:
    """Values that have a fixed form: id, level, type, date."""
    nodes = {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    problems: list[Problem] = []
    entity_id = values.get("id")
    if isinstance(entity_id, str) and not _ID.fullmatch(entity_id):
        problems.append(
            _registry_problem(
                path,
                nodes["id"],
                "bad-value",
                f"id must be lower-case ASCII words joined by hyphens, not “{entity_id}”",
                "write it like `id: shi-lan-wei`, or delete it to use the name's pinyin",
            )
        )
    for key, allowed, example in (
        ("level", LEVELS, "write e.g. `level: provincial` for a 省 policy"),
        ("type", ORGANISATION_TYPES, "write e.g. `type: fund` for an investment fund"),
    ):
        value = values.get(key)
        if value is not None and value not in allowed:
            problems.append(
                _registry_problem(
                    path,
                    nodes[key],
                    "bad-value",
                    f"{key} must be one of {', '.join(allowed)}, not “{value}”",
                    example,
                )
            )
    date = values.get("date")
    if date is not None and not _DATE.fullmatch(str(date)):
        problems.append(
            _registry_problem(
                path,
                nodes["date"],
                "bad-value",
                f"date must be YYYY, YYYY-MM or YYYY-MM-DD, not “{date}”",
                "write e.g. `date: 2023-04-21`",
            )
        )
    return problems


def _check_registry(entities: list[Entity]) -> tuple[list[Entity], list[Problem]]:
    """Unique ids (a clash gets -2), parents resolved to ids, names claimed twice reported."""
    problems: list[Problem] = []
    used: dict[str, Entity] = {}
    unique: list[Entity] = []
    for entity in entities:
        if entity.id in used:
            first = used[entity.id]
            new_id = _free_id(entity.id, used)
            problems.append(
                Problem(
                    entity.path,
                    entity.line,
                    "duplicate-id",
                    f"“{entity.name}” gets the id “{entity.id}” that “{first.name}” has"
                    f" ({first.path}:{first.line}); it is published as “{new_id}”",
                    "give one of them its own `id:`, or merge them if they are the same",
                )
            )
            entity = replace(entity, id=new_id)
        used[entity.id] = entity
        unique.append(entity)
    by_name = {match_key(n): e for e in unique for n in e.names}
    resolved: list[Entity] = []
    for entity in unique:
        if entity.parent:
            parent = used.get(entity.parent) or by_name.get(match_key(entity.parent))
            if parent is None or parent.id == entity.id:
                problems.append(
                    Problem(
                        entity.path,
                        entity.line,
                        "unknown-parent",
                        f"the parent “{entity.parent}” of “{entity.name}” is no registry entry",
                        "write the parent's name or id as the registry has it, or add the parent",
                    )
                )
                entity = replace(entity, parent=None)
            else:
                entity = replace(entity, parent=parent.id)
        resolved.append(entity)
    owners: dict[str, list[Entity]] = defaultdict(list)
    for entity in resolved:
        for name in entity.full_names:
            owners[match_key(name)].append(entity)
    for key, claimed in owners.items():
        if len(claimed) > 1:
            names = "、".join(f"“{e.name}”" for e in claimed)
            problems.append(
                Problem(
                    claimed[1].path,
                    claimed[1].line,
                    "duplicate-name",
                    f"the full name “{key}” belongs to {names}; a legal name has one owner",
                    "keep the full name under one entry (a short name may be shared)",
                )
            )
    return resolved, problems


def _free_id(entity_id: str, used: Mapping[str, object]) -> str:
    suffix = 2
    while f"{entity_id}-{suffix}" in used:
        suffix += 1
    return f"{entity_id}-{suffix}"


def _default_id(kind: EntityKind, name: str, doc_number: str | None) -> str:
    from generator.site import slugify

    # A 文号 makes a short, stable address for a policy: policies/cai-shui-2023-17-hao/; else
    # the title without issuer and 关于…的通知, so long titles do not clash once cut to length.
    if kind == "policy":
        return slugify(doc_number) if doc_number else slugify(policy_core(name) or name)
    return slugify(name)


def _text_list(node: yaml.Node) -> tuple[str, ...] | None:
    if isinstance(node, yaml.ScalarNode) and node.value.strip():
        return (node.value.strip(),)  # `aliases: Silan` is a list of one
    if not isinstance(node, yaml.SequenceNode):
        return None
    items = []
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
            return None
        items.append(item.value.strip())
    return tuple(items)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _strs(value: object) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _shown(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return f"“{node.value}”"
    return "a list" if isinstance(node, yaml.SequenceNode) else "a mapping"


def _registry_problem(
    path: str, node: yaml.Node, code: str, message: str, fix: str, severity: str = "error"
) -> Problem:
    return Problem(
        path=path,
        line=node.start_mark.line + 1,
        code=code,
        message=message,
        fix=fix,
        severity=severity,  # type: ignore[arg-type]
        column=node.start_mark.column + 1,
    )


def _yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    line = column = None
    problem = "malformed"
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        line, column = exc.problem_mark.line + 1, exc.problem_mark.column + 1
        problem = exc.problem or problem
    return Problem(
        path,
        line,
        "yaml-syntax",
        f"the registry file is not valid YAML: {problem}",
        "one `- name: …` per entry, keys indented under it; quote values containing “: ” or “#”",
        "error",
        column,
    )


# --- match keys with a way back to the raw text ----------------------------------------------


@functools.lru_cache(maxsize=32768)
def _char_key(char: str) -> str:
    return match_key(char)


class _CharTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character: the per-character folds
    below run over every line of the archive, and translate does them in C."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self.fold = fold

    def __missing__(self, code: int) -> str:
        folded = self[code] = self.fold(chr(code))
        return folded


_KEY_TABLE = _CharTable(_char_key)


def name_key(text: str) -> str:
    """The key a name is matched by: character by character, so it lines up with `_origin`."""
    return text.translate(_KEY_TABLE)


def _key_width(char: str) -> str:
    return chr(min(len(_char_key(char)), 2))


# Each raw character as how many key characters it gives: "\0" none, "\1" one, "\2" more.
_WIDTH_TABLE = _CharTable(_key_width)


def _origin(text: str) -> list[int]:
    """For each character of `name_key(text)`, the index of the raw character it is from."""
    widths = text.translate(_WIDTH_TABLE)
    if "\2" not in widths:  # the usual case, done in C: the indices of the characters kept
        return list(itertools.compress(range(len(text)), widths.encode("latin-1")))
    # A character whose key is longer than one (NFKC: `㍿` → 株式会社) repeats its index.
    return [index for index, char in enumerate(text) for _ in _char_key(char)]


# --- word boundaries --------------------------------------------------------------------------

# x in _GLUE_BEFORE[c]: "x" + "c" is a common word, so a name starting with c right after x
# is inside that word: 扩大基金 (大基金), 中国芯片 (国芯), 本地芯片 (地芯), 提高通过 (高通),
# 上海思立 (海思).
_GLUE_BEFORE: dict[str, str] = {
    "国": "中全美各我外本韩德法英泰两祖强大出回归王帝诸邻",
    "大": "扩最加重巨强伟较远宏庞广壮盛放长高宽做",
    "地": "本各当外基土产内两陆落属此该场用园腹天驻",
    "高": "提最较升增崇拔抬调",
    "中": "其集空之从当期高初心正适居眼暗途",
    "华": "中精繁豪才升光年风",
    "通": "交普沟开流联互贯畅打疏融相连精",
    "海": "上大沿东南北渤黄航出",
    "先": "率领首事优争原抢",
    "长": "增成延队省市院部校董家生",
    "芯": "核铁笔灯机砂",
    "新": "创更全清最崭重革刷翻",
    "立": "建成独设确树创起站自",
    "士": "人博院护战女绅勇",
    "微": "细轻稍略卑低显式精",
}
# x in _GLUE_AFTER[c]: "c" + "x" is a common word, so a name ending in c right before x is inside
# it: 中国芯片 (国芯), 中国芯谷, 高通用, 高通过.
_GLUE_AFTER: dict[str, str] = {
    "芯": "片谷粒",
    "通": "用过信讯知报常道话行胀货",
    "微": "信博软",
    "视": "频觉野角察",
}
_LATIN = re.compile(r"[0-9a-z]")
_SPACE = frozenset(" \t\u3000\u00a0")


def _glued(name: str, before: str, after: str) -> bool:
    """Whether a name (its key) printed between the raw characters `before` and `after` is part
    of a longer word rather than a name of its own."""
    first, last = name[0], name[-1]
    before_key, after_key = _char_key(before) if before else "", _char_key(after) if after else ""
    if _LATIN.match(first) and before_key and _LATIN.match(before_key[-1]):
        return True  # `ST` in `STMicro`
    if _LATIN.match(last) and after_key and _LATIN.match(after_key[0]):
        return True
    if before_key and before_key[-1] in _GLUE_BEFORE.get(first, ""):
        return True
    return bool(after_key and after_key[0] in _GLUE_AFTER.get(last, ""))


def _neighbour(text: str, index: int, step: int) -> str:
    """The raw character next to `index` going `step`, spaces skipped for CJK (`中 国芯片`)."""
    index += step
    while 0 <= index < len(text) and text[index] in _SPACE:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _raw_neighbour(text: str, index: int, step: int) -> str:
    index += step
    return text[index] if 0 <= index < len(text) else ""


# --- the matcher ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hit:
    """A name found in a text: raw offsets [start, end) and the entities it may be."""

    start: int
    end: int
    owners: tuple[str, ...]  # entity ids; more than one when a short name is shared


class Matcher:
    """Every name and alias of every entity in one Aho-Corasick automaton over match keys."""

    def __init__(self, entities: Iterable[Entity], extra: Mapping[str, Iterable[str]] = {}) -> None:
        owners: dict[str, set[str]] = defaultdict(set)
        blocked: dict[str, set[str]] = defaultdict(set)
        punctuated: set[str] = set()  # names printed with a 、 of their own: 研究院、企业研究院
        for entity in entities:
            for name in (*entity.names, *extra.get(entity.id, ())):
                key = name_key(name)
                if _worth_matching(key):
                    owners[key].add(entity.id)
                    if _CLAUSE_MARKS.search(name):
                        punctuated.add(key)
            for name in entity.not_names:
                key = name_key(name)
                if key:
                    blocked[key].add(entity.id)
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for key in sorted(set(owners) | set(blocked)):
            record = (
                len(key),
                tuple(sorted(owners.get(key, ()))),
                tuple(sorted(blocked.get(key, ()))),
                key in punctuated,
            )
            self.automaton.add_word(key, record)
            self.size += 1
        if self.size:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """The names in `text`, longest first where they overlap, none inside another word."""
        if not self.size:
            return []
        key = name_key(text)
        if not key:
            return []
        found: list[tuple[int, int, tuple[str, ...]]] = []
        blocks: list[tuple[int, int, tuple[str, ...]]] = []
        punctuated: set[tuple[int, int]] = set()
        for end, (length, owners, blocked, marks) in self.automaton.iter(key):
            start = end - length + 1
            if blocked:
                blocks.append((start, end + 1, blocked))
            if owners:
                found.append((start, end + 1, owners))
            if marks:
                punctuated.add((start, end + 1))
        if not found:
            return []
        origin = _origin(text)
        kept: list[tuple[int, int, tuple[str, ...]]] = []
        rejected: list[tuple[int, int]] = []
        for start, end, owners in found:
            for b_start, b_end, blocked in blocks:
                if b_start <= start and end <= b_end and (b_start, b_end) != (start, end):
                    owners = tuple(o for o in owners if o not in blocked)
            if not owners:
                rejected.append((start, end))
                continue
            raw_start, raw_end = origin[start], origin[end - 1] + 1
            if _splits(text[raw_start:raw_end], (start, end) in punctuated):
                rejected.append((start, end))
                continue
            latin = bool(_LATIN.match(key[start])) or bool(_LATIN.match(key[end - 1]))
            look = _raw_neighbour if latin else _neighbour
            before, after = look(text, raw_start, -1), look(text, raw_end - 1, 1)
            if _glued(key[start:end], before, after):
                rejected.append((start, end))
                continue
            kept.append((start, end, owners))
        # A name inside a longer word that was turned away is no name either (`通` of `高通用`).
        if rejected:
            kept = [
                hit
                for hit in kept
                if not any(
                    r_start <= hit[0] and hit[1] <= r_end and (r_end - r_start) > (hit[1] - hit[0])
                    for r_start, r_end in rejected
                )
            ]
        kept.sort(key=lambda hit: (hit[0], hit[0] - hit[1]))
        hits: list[Hit] = []
        reach = 0
        for start, end, owners in kept:
            if start >= reach:  # leftmost, then longest: 士兰微电子 over 士兰微
                hits.append(Hit(origin[start], origin[end - 1] + 1, owners))
                reach = end
        return hits


_CLAUSE_MARKS = re.compile(r"[，。、；：！？,;!?…]")


def _splits(printed: str, punctuated: bool = False) -> bool:
    """Whether a name's printed characters cross a clause (`其中，芯片` is no 中芯) or a bracket
    they do not close (`县（市）经信局` is no 市经信局)."""
    if not punctuated and _CLAUSE_MARKS.search(printed):
        return True
    depth = 0
    for char in printed:
        if char in "（(《":
            depth += 1
        elif char in "）)》":
            depth -= 1
            if depth < 0:
                return True
    return False


def _worth_matching(key: str) -> bool:
    # One CJK character or two Latin letters names nothing reliably; the registry may still
    # list them for display.
    if not key:
        return False
    if _LATIN.fullmatch(key[0]) and len(key) < 3:
        return False
    return len(key) >= 2


# --- the texts: every line with what it is ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """One raw line inside a scan unit, at character `offset` of the unit's joined text."""

    line: int
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class _Unit:
    """Lines scanned as one text: a line, or a sentence a page break split over two lines."""

    path: str
    place: Place
    article: str | None
    document: str | None
    pieces: tuple[_Piece, ...]
    text: str  # the pieces' texts joined: what discovery and recognition scan

    def locate(self, offset: int) -> tuple[int, int]:
        """(raw line, column) of a character offset into `text`."""
        for piece in reversed(self.pieces):
            if offset >= piece.offset:
                return piece.line, offset - piece.offset
        return self.pieces[0].line, offset


# Lines the block stage rejoined into one paragraph (a sentence a page break cut) are scanned
# as one text, so a name split over them is still found: 2020-03 lines 510/512.
_JOINED_KINDS = ("paragraph", "caption")


def _paragraphs(blocks: Iterable[Block]) -> dict[int, int]:
    """Raw line → the first line of the rejoined paragraph it is part of."""
    joined: dict[int, int] = {}
    for block in blocks:
        if block.kind in _JOINED_KINDS and block.span.last > block.span.first:
            for line in range(block.span.first, block.span.last + 1):
                joined[line] = block.span.first
    return joined


def _places(issue: Issue) -> dict[int, tuple[Place, str | None]]:
    """Raw line → (what it is, the article it belongs to), for every line in a region."""
    toc_article: dict[int, str] = {}
    if issue.toc is not None:
        by_title: dict[str, list[Article]] = defaultdict(list)
        for article in issue.articles:
            by_title[article.toc_title].append(article)
        for entry in issue.toc.entries:
            listed = by_title.get(entry.title)
            if listed:
                article = listed.pop(0)
                for line in range(entry.span.first, entry.span.last + 1):
                    toc_article[line] = article.id
    sources = {s.line for article in issue.articles for s in article.sources}
    places: dict[int, tuple[Place, str | None]] = {}
    for region in issue.regions:
        for line in range(region.span.first, region.span.last + 1):
            if region.kind == "article":
                places[line] = ("source" if line in sources else "article", region.label)
            elif region.kind == "toc":
                places[line] = ("toc", toc_article.get(line))
            elif region.kind == "masthead":
                places[line] = ("masthead", None)
            else:
                places[line] = ("other", None)
    return places


def _units(
    path: str,
    lines: Sequence[Line],
    places: Mapping[int, tuple[Place, str | None]],
    paragraphs: Mapping[int, int],
    document: str | None = None,
) -> list[_Unit]:
    units: list[_Unit] = []
    pending: list[_Piece] = []
    pending_key: tuple[Place, str | None, int | None] = ("other", None, None)
    offset = 0
    elsewhere: tuple[Place, str | None] = ("document", None) if document else ("other", None)
    for line in lines:
        if not line.text.strip():
            continue
        place, article = places.get(line.no, elsewhere)
        key = (place, article, paragraphs.get(line.no))
        if pending and (key != pending_key or key[2] is None):
            units.append(_unit(path, pending_key, document, pending))
            pending, offset = [], 0
        pending.append(_Piece(line.no, offset, line.text))
        offset += len(line.text)
        pending_key = key
    if pending:
        units.append(_unit(path, pending_key, document, pending))
    return units


def _unit(
    path: str,
    key: tuple[Place, str | None, int | None],
    document: str | None,
    pieces: Sequence[_Piece],
) -> _Unit:
    text = pieces[0].text if len(pieces) == 1 else "".join(piece.text for piece in pieces)
    return _Unit(path, key[0], key[1], document, tuple(pieces), text)


def issue_units(issue: Issue) -> list[_Unit]:
    """The issue's lines as scan units, each with its place and article."""
    paragraphs = _paragraphs(block for article in issue.articles for block in article.blocks)
    return _units(issue.path, issue.lines, _places(issue), paragraphs)


def document_units(document: Document) -> list[_Unit]:
    return _units(document.path, document.lines, {}, _paragraphs(document.blocks), document.id)


# --- discovery: companies ---------------------------------------------------------------------

_LEGAL_SUFFIX = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团公司|集团|研究院|研究所|（有限合伙）|\(有限合伙\)"
    r"|Co\.,\s*Ltd\.?|Inc\.|Corporation)"
)
_ORGANISATION_SUFFIX = ("研究院", "研究所")
# Characters a name is made of; anything else (punctuation, digits outside brackets, spaces,
# quotes) ends the run a legal name is looked for in.
_NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z·&（）()]")


def _words(text: str) -> tuple[str, ...]:
    """A word list written as one string: the lists below are read, not edited, as prose."""
    return tuple(text.split())


class _WordList:
    """Words looked up by length, longest first: which word a text starts or ends with costs a
    set lookup per length, not a `startswith` per word (it is asked at every character of every
    name candidate)."""

    def __init__(self, text: str) -> None:
        self.words = frozenset(_words(text))
        self.by_length = tuple(
            (length, frozenset(w for w in self.words if len(w) == length))
            for length in sorted({len(w) for w in self.words}, reverse=True)
        )

    def starting(self, text: str, start: int = 0) -> int:
        """The length of the longest word `text` has at `start`; 0 when there is none."""
        for length, words in self.by_length:
            if text[start : start + length] in words:
                return length
        return 0

    def ending(self, text: str) -> int:
        """The length of the longest word `text` ends with; 0 when there is none."""
        for length, words in self.by_length:
            if text[-length:] in words:
                return length
        return 0


# Words after which a name starts, so it cannot begin before them: `法人代表是广州南沙开发建设集团
# 有限公司`, `拟购买广东先导稀材股份有限公司`. One-character words only where no company name starts
# with them (not 和: 和辉光电; not 为: 华为 is cut at 为 only if 技术有限公司 were a company).
_CUT_CHARS = frozenset("的是了与及向对由在将被从据其该即把给暨或并于兼任原可且均为和")
# …but a name may start with these two (和辉光电), and 为 may sit inside one (华为): they only cut
# when what follows them is a company on its own.
_NAME_CHARS_TOO = frozenset("为和")
_CUT_WORDS = _WordList(
    "以及 根据 依据 按照 包括 通过 成立 收购 并购 投资 控股 入股 联合 携手 "
    "旗下 宣布 公告 发布 表示 签署 签约 合资 注册 设立 认为 指出 来自 位于 "
    "作为 担任 出任 加入 引进 引入 子公司 母公司 前身 更名 获得 完成 参与 领投 "
    "跟投 股东 董事长 总经理 创始人 全资 例如 比如 包含 除了 还有 拟 据悉 "
    "资料显示 显示 近日 日前 今年 去年 当天 上午 下午 晚间 消息 简介 介绍 代表 "
    "见证 整合 发挥 构成 落成 购买 辞去 带领 批准 降低 出售 转让 参股 对接 "
    "走访 考察 调研 拜访 联手 牵手 助力 赋能 服务 支持 推动 引领 打造 依托 "
    "围绕 聚焦 面向 对标 深化 加强 强化 推进 开展 举办 主办 承办 协办 指导 "
    "邀请 受邀 出席 参加 落户 入驻 签下 中标 供应 采购 选择 称 此次 本次 "
    "该项目 项目 上述 共组 共同 申报 纳入 取消 负责 鼓励 落实"
)
# Place names that start a legal name (the registered seat).
_PLACES = _WordList(
    "中国 中华 北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 "
    "福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 "
    "台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 杭州 宁波 温州 嘉兴 湖州 绍兴 "
    "金华 衢州 舟山 台州 丽水 义乌 海宁 海盐 嘉善 平湖 桐乡 余姚 慈溪 诸暨 "
    "上虞 萧山 余杭 临平 滨江 钱塘 富阳 临安 建德 桐庐 淳安 镇海 北仑 鄞州 "
    "奉化 象山 宁海 苏州 无锡 常州 南京 南通 扬州 镇江 泰州 徐州 盐城 淮安 "
    "连云港 宿迁 昆山 张家港 江阴 合肥 芜湖 蚌埠 厦门 福州 泉州 济南 青岛 烟台 "
    "武汉 长沙 株洲 郑州 广州 深圳 珠海 佛山 东莞 中山 惠州 汕头 成都 绵阳 "
    "西安 昆明 贵阳 南宁 太原 忻州 大同 石家庄 沈阳 大连 长春 哈尔滨 南昌 兰州 "
    "银川 呼和浩特 乌鲁木齐 拉萨 西宁 海口 三亚 南沙 浦东 临港 张江 海淀 中关村 "
    "亦庄 下沙 江东 新加坡 美国 日本 韩国 德国 荷兰 英国 法国 欧洲 马来西亚 "
    "印度 泰国 越南 台北 新竹 高雄"
)
_ADMIN = re.compile(r"^(?:省|市|区|县|自治区|特别行政区)")
# Words that say what line of business a company is in, not which company it is.
_TRADE_WORDS = _WordList(
    "科技 技术 电子 半导体 集成电路 新材料 材料 信息 智能 网络 软件 通信 通讯 "
    "光电 传感 电子科技 信息技术 信息科技 投资 控股 管理 发展 实业 产业 制造 "
    "设备 装备 系统 工业 精密 合金 电工 股份 开发 建设 私募基金 基金 咨询 服务 "
    "集团 企业 数据 计算 合伙企业 合伙 芯片 晶圆 封装 测试 化学 化工 能源 动力 "
    "汽车 机器人 物联网 互联网 数字 控制 自动化 仪器 仪表 光学 激光 真空 电气 "
    "电器 电力 电路 器件 元件 模块 科学 研究 工程 创新 创业 孵化器 孵化 设计 "
    "应用 商贸 贸易 资本 资产 金融 证券 银行 保险 交通 中心 研发 生产 销售 "
    "经营 人力资源 总"
)
# What a name's distinctive part may not be or start with (上市公司, 龙头企业, 重点企业研究院).
GENERIC_NAMES = frozenset(
    _words(
        "上市 龙头 专精特新 小巨人 关联 合资 相关 国有 民营 外资 重点 骨干 "
        "领军 头部 链主 新势力 独角兽 准独角兽 瞪羚 初创 创新型 高新技术 "
        "科技型 中小 小微 大型 中型 小型 其他 其它 上述 以上 下列 本土 国内 "
        "国外 境内 境外 海外 全球 世界 知名 领先 主要 重要 优质 规上 "
        "规模以上 省级 市级 国家级 区级 县级 这家 那家 各类 相应 有关 专业 "
        "行业 战略 合作"
    )
)
_GENERIC_START = re.compile(
    r"^(?:[该本子母某其此个家名位第一二三四五六七八九十百千万几多各每\d]|这|那|"
    + "|".join(sorted(GENERIC_NAMES, key=len, reverse=True))
    + ")"
)
_ANONYMOUS = re.compile(r"^(?:公司|客户|供应商|客戶|供應商)\s*[A-Z](?:\s*\d+)?$|^本公司$")
_GENERIC_END = re.compile("(?:" + "|".join(sorted(GENERIC_NAMES, key=len, reverse=True)) + ")$")
# Sentence words inside what looks like a legal name: `公司改制为股份有限公司`, `上年度集团`.
_PROSE = re.compile(r"公司(?!第)|年度|方案|改制|共组|共組|构成|整合|股东|股東")
# A bare …集团 or …研究院 (no 有限公司) in running text is often a phrase: `可有效整合集团内部
# 资源`, `落成不仅是集团…`; a name of that shape has none of these characters.
_FUNCTION_CHARS = frozenset("不仅是了的在将可以有被把让使得着过也都还就才又再很最更太需其该这那此")


def _simplified_char(char: str) -> str:
    if char.isascii():
        return char
    key = _char_key(char)
    return key if len(key) == 1 else char


_SIMPLIFIED_TABLE = _CharTable(_simplified_char)


def _simplified(text: str) -> str:
    """`text` with each traditional character folded, length and Latin case kept."""
    return text.translate(_SIMPLIFIED_TABLE)


def _run_before(text: str, end: int) -> int:
    """Start of the run of name characters that ends at `end` (brackets kept balanced)."""
    start = end
    depth = 0
    while start > 0:
        char = text[start - 1]
        if char in "）)":
            depth += 1
        elif char in "（(":
            if depth == 0:
                break
            depth -= 1
        elif not _NAME_CHAR.match(char) and not (depth > 0 and char.isalnum()):
            break
        start -= 1
    return start


def _strip_places(text: str) -> str:
    """`text` without the seat it starts with: `浙江省杭州市滨江区…` → `…`."""
    # A place that is the whole text is no seat: `中山` stays.
    while width := _PLACES.starting(text[:-1]):
        text = text[width:]
        admin = _ADMIN.match(text)  # the 省 of 浙江省, the 市 of 杭州市
        if admin:
            text = text[admin.end() :]
    return text


def _strip_trade(text: str) -> str:
    """`text` without the trade words it ends in; empty when it is nothing but trade words."""
    while text and (width := _TRADE_WORDS.ending(text)):
        text = text[:-width]
    return text


_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _body(name: str) -> str:
    """A name without brackets and legal form: `格科微电子（上海）有限公司` → `格科微电子`."""
    return _LEGAL_SUFFIX.sub("", _BRACKETED.sub("", name)).strip()


def company_core(name: str) -> str:
    """The distinctive part of a company name: no seat, no bracketed region, no legal form, no
    line of business. `杭州朗迅科技有限公司` → `朗迅`; `格科微电子（上海）有限公司` → `格科微`;
    a name that is a place and trade words keeps its place: `广州南沙开发建设集团` → `南沙`."""
    body = _simplified(_body(name))
    traded = _strip_trade(body)
    core = _strip_places(traded)
    if core == traded or core:
        return core
    return traded


def company_seat(name: str) -> str:
    """The place a legal name starts with (`杭州`, `浙江`), or "" when it starts with its brand."""
    body = _simplified(_body(name))
    return body[: len(body) - len(_strip_places(body))]


def is_generic(name: str) -> bool:
    """Whether a name says what a company is rather than which one: 上市公司, 龙头企业, 公司A,
    技术有限公司, 省重点农业企业研究院 — nothing distinctive is left once the line of business,
    the legal form and the seat are taken off."""
    name = name.strip()
    if _ANONYMOUS.match(name) or not name:
        return True
    body = _simplified(_body(name))
    traded = _strip_trade(body)
    if not traded:
        return True  # 技术有限公司, 集团公司
    core = _strip_places(traded)
    if core and (core in GENERIC_NAMES or _GENERIC_START.match(core) or _GENERIC_END.search(core)):
        return True  # 重点企业, 企业依托省重点企业研究院
    if _GENERIC_START.match(traded) or _ADMIN.match(traded) or (core and core[-1] in "省市区县"):
        return True  # 个省级企业研究院, 市融担集团, 申报省企业研究院
    return len(core or traded) < 2 and not re.search(r"[A-Za-z]{2}", core or traded)


def find_legal_names(text: str) -> list[tuple[int, int]]:
    """Offsets of names with a legal form in `text`: …有限公司, …集团, …研究院."""
    found: list[tuple[int, int]] = []
    matches = list(_LEGAL_SUFFIX.finditer(text))
    simple = _simplified(text) if matches else text  # most lines name no legal form
    for match in matches:
        end = match.end()
        if match.group().startswith(("（", "(")) and not text[: match.start()].endswith(
            ("企业", "合伙")
        ):
            continue
        # `…集团有限公司` is one name: the run before 有限公司 already covers 集团.
        if found and found[-1][1] == match.start():
            found[-1] = (found[-1][0], end)
            continue
        run = _run_before(text, match.start())
        if found and run < found[-1][1] < match.start() and simple[found[-1][1]] in "和与及、暨":
            run = found[-1][1] + 1  # `…有限公司和浙江富乐德…有限公司`: two names
        start = _trim_start(simple, run, match.start())
        name = text[start:end]
        bare = match.group() in ("集团", "集团公司", "研究院", "研究所")
        if bare and (
            _FUNCTION_CHARS & set(simple[start : match.start()]) or match.start() - start > 14
        ):
            continue
        if (
            start < match.start()
            and len(name) <= 40
            and not is_generic(name)
            and not _starts_with_cut(simple[start:end])
            and not _PROSE.search(simple[start : match.start()])
            and "）" not in text[start : start + 1] + _BRACKETED.sub("", text[start:end])
            and ")" not in _BRACKETED.sub("", text[start:end])
        ):
            while found and start <= found[-1][0]:
                found.pop()  # 中国电子科技集团公司 inside 中国电子科技集团公司第二研究所
            found.append((start, end))
    return found


def _starts_with_cut(text: str) -> bool:
    return (text[:1] in _CUT_CHARS and text[:1] not in _NAME_CHARS_TOO) or bool(
        _CUT_WORDS.starting(text)
    )


def _trim_start(simple: str, start: int, suffix: int) -> int:
    """Move `start` past the words that cannot open a name, as long as a company is left."""
    best = start
    seated = bool(_PLACES.starting(simple, start))
    for index in range(start, suffix):
        if simple[index] in _NAME_CHARS_TOO and (index == start or seated):
            continue  # 和辉光电; 杭州大和热磁电子有限公司
        width = 1 if simple[index] in _CUT_CHARS else _CUT_WORDS.starting(simple, index)
        if (
            width
            and index + width < suffix
            and not is_generic(simple[index + width : suffix] + "有限公司")
        ):
            best = index + width
    # A seat after a few words of sentence is where the name starts: `此次浙江富乐德…`.
    head = simple[best:suffix]
    for offset in range(1, min(7, len(head))):
        if _PLACES.starting(head, offset) and not any(
            _PLACES.starting(head[:offset], index) for index in range(offset)
        ):
            rest = head[offset:] + "有限公司"
            if not is_generic(rest) and company_core(rest) not in _PLACES.words:
                return best + offset
            break
    return best


_ALIAS_DECLARATION = re.compile(
    r"[（(]\s*(?:以下简称|以下称|下称|简称|以下称为|下称为)\s*[:：]?\s*[“\"「『]?"
    r"(?P<alias>[^”\"」』（）()，,。]{2,20}?)[”\"」』]?\s*[）)]"
)
_QUOTED_ALIAS = re.compile(r"[（(]\s*[“\"「](?P<alias>[^”\"」（）()]{2,20})[”\"」]\s*[）)]")
_ORGANISATION_END = re.compile(
    r"(?:厅|局|部|委员会|委|办公室|协会|学会|联盟|研究院|研究所|大学|学院|中心|政府)$"
)


@dataclass
class _Found:
    """A name the discovery rules saw, before merging."""

    name: str
    kind: EntityKind
    rule: str
    path: str
    line: int
    aliases: list[str] = field(default_factory=list)
    doc_number: str | None = None
    issuer: str | None = None
    level: Level | None = None
    date: str | None = None
    document: str | None = None


def discover_in_unit(unit: _Unit) -> list[_Found]:
    """Legal names and alias declarations on the lines of one unit."""
    text = unit.text
    found: list[_Found] = []
    names = find_legal_names(text)
    for start, end in names:
        name = text[start:end].strip()
        line, _ = unit.locate(start)
        kind: EntityKind = "organisation" if name.endswith(_ORGANISATION_SUFFIX) else "company"
        found.append(_Found(name, kind, "legal-name", unit.path, line))
    for pattern in (_ALIAS_DECLARATION, _QUOTED_ALIAS):
        for match in pattern.finditer(text):
            alias = match["alias"].strip()
            if not alias or is_generic(alias):
                continue
            owner = next(((s, e) for s, e in names if e == match.start()), None)
            if owner is not None:
                name = text[owner[0] : owner[1]]
                kind = "organisation" if name.endswith(_ORGANISATION_SUFFIX) else "company"
            elif pattern is _ALIAS_DECLARATION:
                start = _trim_start(text, _run_before(text, match.start()), match.start())
                name = text[start : match.start()]
                if not _ORGANISATION_END.search(name) or len(name) < 3:
                    continue  # `中试验证平台（以下简称中试平台）` names no organisation
                kind = "organisation"
            else:
                continue
            line, _ = unit.locate(match.start())
            found.append(_Found(name.strip(), kind, "alias-declaration", unit.path, line, [alias]))
    return found


_COMPANY_WORD = re.compile(
    r"(?:科技|半导体|电子|微电子|集团|新材料|材料|股份|计算|集成|微|芯|通信|智能|光电|技术|电科|"
    r"创新|时空|天下|国际)$"
)
_NOT_A_COMPANY_END = re.compile(
    r"(?:园|基地|中心|平台|项目|会|院士|大学|学院|部|局|厅|署|委|网|社|报)$"
)
_TITLE_SUBJECT = re.compile(r"^\s*(?P<name>[\u4e00-\u9fffA-Za-z0-9·&]{2,16}?)\s*[:：]")


def discover_in_issue(issue: Issue) -> list[_Found]:
    """Names in titles of company news, printed as 来源, or in a company column of a table."""
    found: list[_Found] = []
    lines = {line.no: line.text for line in issue.lines}
    for section in issue.sections:
        company_news = "企业" in section.name
        for article in section.articles:
            subject = _TITLE_SUBJECT.match(article.body_title)
            if company_news and subject and _looks_like_company(subject["name"]):
                found.append(
                    _Found(subject["name"], "company", "title", issue.path, article.span.first)
                )
            body_key = ""  # the article's key, made once a source needs it
            for source in article.sources:
                name = source.name.strip()
                # A source that is also named in the article is the company the news is about
                # (宇视科技, 芯象半导体); one that is not is the outlet it was copied from (集微网).
                if not _looks_like_company(name) or name.endswith(
                    ("观察", "发布", "研究", "纵横", "芯闻")
                ):
                    continue
                body_key = body_key or _article_key(article)
                if name_key(name) in body_key:
                    found.append(_Found(name, "company", "source", issue.path, source.line))
            for block in article.blocks:
                if block.kind == "table":
                    found.extend(_table_names(issue.path, block, lines))
    return found


def _article_key(article: Article) -> str:
    body = "".join(
        block.text or "".join(block.items) for block in article.blocks if block.kind != "source"
    )
    return name_key(body + article.body_title)


def discover_in_document(document: Document) -> list[_Found]:
    found: list[_Found] = []
    for table in document.tables:
        columns = [i for i, c in enumerate(table.columns) if _names_companies(c)]
        for row_index, row in enumerate(table.rows):
            for column in columns:
                if column < len(row) and _looks_like_table_name(row[column]):
                    line = table.span.first + row_index  # nearest raw line we know
                    found.append(
                        _Found(_table_name(row[column])[0], "company", "table", document.path, line)
                    )
    return found


def _names_companies(header: str) -> bool:
    header = header.strip()
    return bool(re.search(r"企业|公司|厂商|单位", header)) and not re.search(
        r"项目|数|额|量|率|收入|营收|地址|类型|性质|分类", header
    )


def _table_names(path: str, block: Block, lines: Mapping[int, str]) -> list[_Found]:
    if not block.rows:
        return []
    header = block.rows[0]
    columns = [i for i, cell in enumerate(header) if _names_companies(cell)]
    found: list[_Found] = []
    for row in block.rows[1:]:
        for column in columns:
            if column >= len(row) or not _looks_like_table_name(row[column]):
                continue
            name, aliases = _table_name(row[column])
            line = next(
                (
                    no
                    for no in range(block.span.first, block.span.last + 1)
                    if row[column] in lines.get(no, "")
                ),
                block.span.first,
            )
            found.append(_Found(name, "company", "table", path, line, aliases))
    return found


_TABLE_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9·&（）() .\-]{2,24}$")
_LATIN_TAIL = re.compile(
    r"^(?P<cjk>[\u4e00-\u9fff]{2,}[\u4e00-\u9fff0-9]*)\s*(?P<latin>[A-Za-z][A-Za-z .&\-]{1,20})$"
)
_LATIN_HEAD = re.compile(
    r"^(?P<latin>[A-Za-z][A-Za-z .&\-]{1,20}?)\s*(?P<cjk>[\u4e00-\u9fff]{2,})$"
)
# A cell the column shifted into: a product or a project, not a company (2020-03 lines 642, 674).
_NOT_A_TABLE_NAME = re.compile(r"项目|建设中|炉$|^(?:其他|合计|总计|小计|全球合计|前十大合计)$")


def _looks_like_table_name(cell: str) -> bool:
    cell = cell.strip()
    return (
        bool(_TABLE_NAME.match(cell))
        and bool(re.search(r"[\u4e00-\u9fff]{2}|[A-Za-z]{3}", cell))
        and not re.search(r"\d{2,}|[年月日%]", cell)
        and not is_generic(cell)
        and not _NOT_A_TABLE_NAME.search(_simplified(cell))
    )


def _table_name(cell: str) -> tuple[str, list[str]]:
    """A table's company cell as (name, aliases): `苏州瑞红(晶瑞股份)`, `安靠Amkor`."""
    cell = cell.strip()
    aliases: list[str] = []
    bracket = re.match(r"^(?P<name>[^（(]+)[（(](?P<alias>[^）)]+)[）)]$", cell)
    if bracket:
        cell, aliases = bracket["name"].strip(), [bracket["alias"].strip()]
    latin = _LATIN_TAIL.match(cell) or _LATIN_HEAD.match(cell)
    if latin:
        cell, aliases = latin["cjk"], [*aliases, latin["latin"].strip()]
    return cell, aliases


def _looks_like_company(name: str) -> bool:
    name = name.strip()
    return (
        2 <= len(name) <= 16
        and not is_generic(name)
        and not _NOT_A_COMPANY_END.search(name)
        and (bool(_COMPANY_WORD.search(name)) or len(company_core(name)) >= 2)
    )


# --- discovery: policies ----------------------------------------------------------------------

_BRACKET_YEAR = r"[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]"
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fff]{1,16})\s*" + _BRACKET_YEAR + r"\s*(?P<no>\d{1,4})\s*号"
)
_POLICY_TITLE = re.compile(r"《(?P<title>[^《》]{4,120})》")
POLICY_WORDS = (
    "通知",
    "意见",
    "办法",
    "规划",
    "方案",
    "措施",
    "政策",
    "条例",
    "细则",
    "规定",
    "决定",
    "纲要",
    "举措",
)
_POLICY_END = re.compile(r"(?:" + "|".join(POLICY_WORDS) + r")(?:[（(][^（）()]{1,12}[）)])?$")
_ISSUER_END = re.compile(
    r"(?:国务院|办公厅|人民政府|政府|委员会|省委|市委|区委|县委|领导小组|总局|厅|局|部|委|办)$"
)
# What stands before a 文号's issuer abbreviation in running text: `本意见和省疫情防控〔2020〕9号`,
# `…行动方案的通知省疫情防控〔2020〕15号`. The abbreviation starts after the last of them.
_DOC_LEAD = re.compile(
    r".*(?:的|和|及|与|或|见|按|据|根据|按照|依据|依照|通知|意见|方案|办法|规定|政策)"
)


def doc_number_key(text: str) -> str:
    """A 文号 as compared: 浙政办发〔2022〕54号 = 浙政办发(2022)54号 = 浙政办发[2022]54号."""
    return name_key(text)


def find_doc_numbers(text: str) -> list[tuple[int, int]]:
    """Offsets of 文号 in `text`, the issuer abbreviation cut from the words before it."""
    if "号" not in text:
        return []  # the pattern tries a start at every CJK character: most lines have no 号
    found = []
    for match in DOC_NUMBER.finditer(text):
        start = match.start("prefix")
        lead = _DOC_LEAD.match(_simplified(match["prefix"]))
        if lead and lead.end() < len(match["prefix"]):
            start += lead.end()
        found.append((start, match.end()))
    return found


def looks_like_policy(title: str) -> bool:
    """Whether a 《…》 title names a policy: it ends like one and is more than a short title
    (《专项政策》 refers back to a title given in full before)."""
    title = title.strip()
    return bool(_POLICY_END.search(title)) and len(name_key(title)) >= 8


def split_issuer(title: str) -> tuple[str | None, str]:
    """(issuer, rest) of a policy title: `财政部 税务总局关于…的通知` → (财政部 税务总局, 关于…)."""
    title = title.strip()
    match = re.match(r"^(?P<issuer>.{2,60}?)\s*(?P<rest>(?:关于|《).*)$", title)
    if match and _ISSUER_END.search(match["issuer"].strip()):
        return match["issuer"].strip(), match["rest"].strip()
    return None, title


def policy_core(title: str) -> str:
    """The title without issuer, 关于(印发) and 的通知: what a text calls the policy in passing."""
    _, rest = split_issuer(title.strip("《》"))
    rest = rest.replace("《", "").replace("》", "")
    rest = re.sub(r"^关于(?:印发|转发)?", "", rest)
    rest = re.sub(r"的通知$", "", rest)
    rest = re.sub(r"[（(][^（）()]*稿[）)]$", "", rest)
    return rest.strip()


_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff“”])\s+(?=[\u4e00-\u9fff“”])")


def tidy_title(title: str) -> str:
    """A title as a heading printed it, without the line-break spaces inside its words
    (`关于集成电路企业 增值税…`), keeping the space between two issuers (`财政部 税务总局`)."""
    title = " ".join(title.split())
    issuer, rest = split_issuer(title)
    if issuer:
        return f"{issuer}{_CJK_GAP.sub('', rest)}"
    return _CJK_GAP.sub("", title)


def level_of(issuer: str | None, doc_number: str | None = None) -> Level | None:
    """National, provincial, city or district, from the issuer or else the 文号's prefix."""
    if issuer:
        issuer = _simplified(issuer)
        if re.search(r"区|县", issuer) and "自治区" not in issuer:
            return "district"
        if "市" in issuer:
            return "city"
        if "省" in issuer:
            return "provincial"
        if re.search(
            r"国务院|国家|中共中央|财政部|工业和信息化部|工信部|科技部|发展改革委|总局|部", issuer
        ):
            return "national"
    if doc_number:
        prefix = DOC_NUMBER.match(doc_number)
        head = _simplified(prefix["prefix"] if prefix else doc_number)
        if re.match(r"^(?:国|财|工信|发改|科|教|商务)", head):
            return "national"
        if "区" in head:
            return "district"
        if re.match(r"^(?:浙|苏|晋|粤|沪|京|皖|闽|鲁|豫|鄂|湘|川|省)", head):
            return "provincial"
        if re.match(r"^(?:杭|甬|穗|深|温|嘉|湖|绍|金|衢|舟|台|丽|市)", head):
            return "city"
    return None


_DOC_PREFIX_ISSUERS = (
    ("国发", "国务院"),
    ("国办发", "国务院办公厅"),
    ("财税", "财政部 税务总局"),
    ("浙政办", "浙江省人民政府办公厅"),
    ("浙政发", "浙江省人民政府"),
    ("浙经信", "浙江省经济和信息化厅"),
    ("浙人社", "浙江省人力资源和社会保障厅"),
    ("杭政办", "杭州市人民政府办公厅"),
    ("杭政函", "杭州市人民政府"),
    ("杭经信", "杭州市经济和信息化局"),
    ("杭财企", "杭州市财政局"),
    ("甬经信", "宁波市经济和信息化局"),
    ("省疫情防控", "浙江省新型冠状病毒肺炎疫情防控工作领导小组"),
)


def issuer_of_doc_number(doc_number: str) -> str | None:
    """The issuer a few well-known 文号 prefixes stand for (浙政办发 → 浙江省人民政府办公厅)."""
    head = DOC_NUMBER.match(doc_number)
    prefix = _simplified(head["prefix"] if head else "")
    return next((issuer for start, issuer in _DOC_PREFIX_ISSUERS if prefix.startswith(start)), None)


def discover_policies_in_unit(unit: _Unit) -> list[_Found]:
    """《…》 titles that read like policies, 文号, and a 文号 bracketed right after its title."""
    text = unit.text
    found: list[_Found] = []
    numbers = find_doc_numbers(text)
    paired: set[tuple[int, int]] = set()
    for match in _POLICY_TITLE.finditer(text):
        title = match["title"].strip()
        if not looks_like_policy(title):
            continue
        line, _ = unit.locate(match.start())
        number = None
        for span in numbers:
            if (
                text[match.end() : match.end() + 1] in "（([［【"
                and match.end() < span[0] <= match.end() + 2
            ):
                number = text[span[0] : span[1]]
                paired.add(span)
                break
        issuer, _ = split_issuer(title)
        issuer = issuer or (issuer_of_doc_number(number) if number else None)
        found.append(
            _Found(
                tidy_title(title),
                "policy",
                "title",
                unit.path,
                line,
                doc_number=number,
                issuer=issuer,
                level=level_of(issuer, number),
                date=_year_of(number),
            )
        )
    for span in numbers:
        if span in paired:
            continue
        number = text[span[0] : span[1]]
        line, _ = unit.locate(span[0])
        issuer = issuer_of_doc_number(number)
        found.append(
            _Found(
                number,
                "policy",
                "doc-number",
                unit.path,
                line,
                doc_number=number,
                issuer=issuer,
                level=level_of(issuer, number),
                date=_year_of(number),
            )
        )
    return found


def _year_of(doc_number: str | None) -> str | None:
    match = DOC_NUMBER.search(doc_number) if doc_number else None
    return match.group(2) if match else None


_DATE_LINE = re.compile(
    r"^\s*[（(]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:印发|发布)?\s*[）)]?\s*$"
)
_ISSUER_TITLE = re.compile(r"^(?P<issuer>.{2,40}?)\s*《(?P<title>[^》]+)》$")


def discover_policy_articles(issue: Issue) -> list[_Found]:
    """Articles that are a policy's own text: a title that reads like one (关于…的通知, 《…》, a
    letterhead, a place and 政策), with the issuer and 文号 printed around it."""
    lines = {line.no: line.text for line in issue.lines}
    found: list[_Found] = []
    for article in issue.articles:
        title = tidy_title(article.body_title)
        issuer, _ = split_issuer(title)
        bracketed = _ISSUER_TITLE.match(title)
        if bracketed and _ISSUER_END.search(bracketed["issuer"].strip()):
            issuer, title = bracketed["issuer"].strip(), bracketed["title"].strip()
        title = title.strip("《》")
        if not _POLICY_END.search(title):
            continue
        reads_as_text = (
            "关于" in title
            or bracketed is not None
            or article.body_title.lstrip().startswith("《")
            or bool(article.letterhead)
            or _strip_places(title) != title  # 宁波市镇海区集成电路产业发展专项政策
        )
        if not reads_as_text:
            continue  # `工信部将修订高新技术企业认定管理办法` is news about a policy
        letterhead_issuer = next(
            (
                issuer_text
                for text in article.letterhead
                if not find_doc_numbers(text)
                and _ISSUER_END.search(issuer_text := re.sub(r"\s+", "", text).removesuffix("文件"))
            ),
            None,
        )
        issuer = issuer or letterhead_issuer
        number = _printed_doc_number(article, lines)
        issuer = issuer or (issuer_of_doc_number(number) if number else None)
        found.append(
            _Found(
                title,
                "policy",
                "policy-article",
                issue.path,
                article.span.first,
                doc_number=number,
                issuer=issuer,
                level=level_of(issuer, number),
                date=_signed_date(article, lines)
                or f"{issue.masthead.year}-{issue.masthead.month:02d}",
                document=article.id,
            )
        )
    return found


def _printed_doc_number(article: Article, lines: Mapping[int, str]) -> str | None:
    """The 文号 of a policy article: in its letterhead, on a line of its own under the heading
    (2020-03 line 1005), or in the TOC's title (`…的通知（财税〔2023〕17号）`)."""
    candidates = list(article.letterhead)
    first_lines = [
        lines.get(no, "") for no in range(article.match.last + 1, article.match.last + 5)
    ]
    candidates += [text for text in first_lines if text.strip()][:2]
    candidates.append(article.toc_title)
    for text in candidates:
        for start, end in find_doc_numbers(text):
            if (
                text in article.letterhead
                or text == article.toc_title
                or len(text.strip()) <= end - start + 2
            ):
                return text[start:end]
    return None


def _signed_date(article: Article, lines: Mapping[int, str]) -> str | None:
    """The date printed under the text (`2023年4月21日印发`), or at its top (`(2020年3月13日)`)."""
    dates = []
    for no in range(article.span.first, article.span.last + 1):
        match = _DATE_LINE.match(lines.get(no, ""))
        if match:
            dates.append(f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}")
    return dates[-1] if dates else None


def discover_policy_documents(document: Document) -> list[_Found]:
    """A document in issues/documents is a policy's full text when its title reads like one."""
    if not _POLICY_END.search(document.title) and not document.title.endswith("计划"):
        return []
    level = level_of(document.issuer or document.region, document.doc_number)
    return [
        _Found(
            document.title,
            "policy",
            "document",
            document.path,
            _title_line(document),
            doc_number=document.doc_number,
            issuer=document.issuer,
            level=level,
            date=str(document.year) if document.year else None,
            document=document.id,
        )
    ]


def _title_line(document: Document) -> int:
    return next((line.no for line in document.lines if line.text.strip()), 1)


# --- merging discovered names into candidate entities -----------------------------------------


def _printed_aliases(name: str) -> list[str]:
    """Names a legal name is also printed as: without legal form, without seat (`朗迅科技`)."""
    plain = _body(name)
    aliases = [plain] if len(plain) >= 4 and not is_generic(plain) else []
    unseated = _strip_places(plain)
    if unseated != plain and len(unseated) >= 4 and not is_generic(unseated):
        aliases.append(unseated)
    return aliases


def _group_companies(items: Sequence[_Found]) -> list[list[_Found]]:
    """Names of one company together: same distinctive core and no conflicting seat
    (杭州国芯 and 杭州国芯科技股份有限公司 are one; 苏州国芯科技 is another)."""
    groups: dict[tuple[str, str], list[_Found]] = {}
    for item in items:
        # A name that is only a place and trade words (浙江省金融控股) is its own core.
        core = company_core(item.name)
        core = name_key(core if _strip_places(core) else _body(item.name) or item.name)
        groups.setdefault((core, company_seat(item.name)), []).append(item)
    seated: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for core, seat in groups:
        if seat:
            seated[core].append((core, seat))
    merged: dict[tuple[str, str], list[_Found]] = {}
    for (core, seat), members in groups.items():
        home = (core, seat)
        homes = seated.get(core, [])
        files = {member.path for member in members}
        # 芯象半导体 (来源) joins 杭州芯象半导体科技有限公司 printed in the same issue; a short
        # name from another issue may be another company (晶瑞化学 2020 vs 浙江晶瑞 2025).
        if not seat and len(homes) == 1 and files <= {m.path for m in groups[homes[0]]}:
            home = homes[0]
        merged.setdefault(home, []).extend(members)
    return list(merged.values())


def _group_policies(items: Sequence[_Found]) -> list[list[_Found]]:
    """Mentions of one policy together: the same 文号, or the same title once issuer and
    `关于印发…的通知` are set aside."""
    groups: dict[str, list[_Found]] = {}
    by_number: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for item in items:
        number_key = doc_number_key(item.doc_number) if item.doc_number else None
        title_key = name_key(policy_core(item.name)) if item.rule != "doc-number" else None
        group = (by_number.get(number_key) if number_key else None) or (
            by_title.get(title_key) if title_key else None
        )
        group = group or f"{number_key or title_key}"
        if number_key:
            by_number.setdefault(number_key, group)
        if title_key:
            by_title.setdefault(title_key, group)
        groups.setdefault(group, []).append(item)
    return list(groups.values())


def merge_found(
    found: Sequence[_Found], registry: Sequence[Entity]
) -> list[tuple[Entity, Candidate]]:
    """Discovered names grouped into candidate entities; those the registry has are dropped."""
    known = Matcher(registry)
    known_keys = {name_key(n) for e in registry for n in e.names}
    known_keys |= {
        name_key(policy_core(n)) for e in registry if e.kind == "policy" for n in e.names
    }
    groups = _group_companies([f for f in found if f.kind != "policy"])
    groups += _group_policies([f for f in found if f.kind == "policy"])
    merged = []
    for items in groups:
        if any(_is_known(item, known, known_keys) for item in items):
            continue
        entity, candidate = _candidate_entity(items)
        # A name the registry gives an entry is that entry's, not a discovered one's too.
        aliases = tuple(a for a in entity.aliases if name_key(a) not in known_keys)
        merged.append((replace(entity, aliases=aliases), candidate))
    return merged


def _is_known(item: _Found, known: Matcher, known_keys: set[str]) -> bool:
    if item.doc_number and doc_number_key(item.doc_number) in known_keys:
        return True
    if name_key(item.name) in known_keys:
        return True
    if item.kind == "policy":
        return name_key(policy_core(item.name)) in known_keys
    # A legal name whose brand the registry knows is that company: 格科微电子（香港）有限公司.
    seat = len(item.name) - len(_strip_places(item.name))
    return any(hit.start <= seat and hit.end - hit.start >= 2 for hit in known.find(item.name))


_PREFERENCE = (
    "policy-article",
    "document",
    "legal-name",
    "alias-declaration",
    "title",
    "source",
    "table",
    "doc-number",
)


def _candidate_entity(items: Sequence[_Found]) -> tuple[Entity, Candidate]:

    # The canonical name: what the texts call it (a title's or table's short name), else the
    # legal name; for a policy its fullest title.
    if items[0].kind == "policy":
        first = min(items, key=lambda i: (_PREFERENCE.index(i.rule), -len(i.name)))
    else:
        short = [i for i in items if i.rule in ("title", "source", "table")]
        first = min(short or items, key=lambda i: (_PREFERENCE.index(i.rule), len(i.name)))
    kind: EntityKind = first.kind
    if kind != "policy" and any(item.kind == "organisation" for item in items):
        kind = "organisation"
    printed = [item.name for item in items] + [a for item in items for a in item.aliases]
    suggested: list[str] = []
    if kind == "policy":
        core = policy_core(first.name)
        if len(name_key(core)) >= 8:
            printed.append(core)
        printed = [n for n in printed if not DOC_NUMBER.fullmatch(n)]
    else:
        for item in items:
            if _LEGAL_SUFFIX.search(item.name):
                printed.extend(_printed_aliases(item.name))
        cores = [company_core(n) for n in printed]
        suggested = [c for c in cores if len(c) >= 2 and _strip_places(c) and not is_generic(c)]
    full_names = tuple(
        dict.fromkeys(
            n for n in printed if kind != "policy" and _LEGAL_SUFFIX.search(n) and n != first.name
        )
    )
    aliases = tuple(
        dict.fromkeys(
            n for n in printed if n not in full_names and name_key(n) != name_key(first.name)
        )
    )
    doc_number = next((item.doc_number for item in items if item.doc_number), None)
    issuer = next((item.issuer for item in items if item.issuer), None)
    level = next((item.level for item in items if item.level), None) or level_of(issuer, doc_number)
    date = max((item.date for item in items if item.date), key=len, default=None)
    document = next((item.document for item in items if item.document), None)
    name = f"文号{first.name}" if kind == "policy" and first.rule == "doc-number" else first.name
    entity_id = _default_id(kind, name, doc_number)
    entity = Entity(
        id=entity_id,
        kind=kind,
        name=name,
        full_names=full_names,
        aliases=aliases,
        doc_number=doc_number,
        issuer=issuer,
        level=level,
        date=date,
        document=document,
        discovered=True,
        path=first.path,
        line=first.line,
    )
    candidate = Candidate(
        entity=entity_id,
        name=name,
        kind=kind,
        rule="+".join(sorted({item.rule for item in items})),
        evidence=tuple(sorted({(item.path, item.line) for item in items})),
        aliases=tuple(a for a in dict.fromkeys((*full_names, *aliases, *suggested)) if a != name),
        doc_number=doc_number,
        issuer=issuer,
        level=level,
    )
    return entity, candidate


# --- recognition over the archive -------------------------------------------------------------
#
# Three steps, so that the work on each file can run in parallel and be cached with it:
#   scan_issue / scan_document   one file alone: its scan units and what discovery saw in it;
#   archive_entities             the whole archive: discovered names merged into entities,
#                                with the registry's, under unique ids (global: a name seen in
#                                one issue is recognised in every other);
#   recognise                    one file and the archive's entities: mentions, links, problems.


@dataclass(frozen=True, slots=True)
class Scan:
    """One issue or document made ready for recognition. It depends on that file alone (not on
    the registry nor on other issues)."""

    path: str
    units: tuple[_Unit, ...]  # its lines, as recognition scans them
    in_text: tuple[_Found, ...]  # legal names, alias declarations, 文号, policy 《…》 titles
    in_layout: tuple[_Found, ...]  # 芯企业 titles, 来源, table columns, policy articles

    def summary(self) -> Scan:
        """What discovery needs of the scan, without the units (`recognise_file` remakes
        them from the file): how scans are cached and held for a whole archive."""
        return replace(self, units=())


@dataclass(frozen=True, slots=True)
class Recognised:
    """What recognition found in one file, in the order of its lines."""

    mentions: tuple[Mention, ...]
    links: tuple[Link, ...] = ()  # an issue's: first mention of each entity per article
    problems: tuple[Problem, ...] = ()


def scan_issue(issue: Issue) -> Scan:
    """An issue's scan units and the names discovery sees in its lines and its articles."""
    units = issue_units(issue)
    in_layout = (*discover_in_issue(issue), *discover_policy_articles(issue))
    return Scan(issue.path, tuple(units), _discover_in_units(units), in_layout)


def scan_document(document: Document) -> Scan:
    """A document's scan units and the names discovery sees in its lines, tables and title."""
    units = document_units(document)
    in_layout = (*discover_in_document(document), *discover_policy_documents(document))
    return Scan(document.path, tuple(units), _discover_in_units(units), in_layout)


def _discover_in_units(units: Iterable[_Unit]) -> tuple[_Found, ...]:
    found: list[_Found] = []
    for unit in units:
        if unit.place in ("masthead", "other"):
            continue  # the publisher's own mastheads and back covers repeat in every issue
        found.extend(discover_in_unit(unit))
        found.extend(discover_policies_in_unit(unit))
    return tuple(found)


def archive_entities(
    registry: Registry, scans: Sequence[Scan]
) -> tuple[list[Entity], list[Candidate]]:
    """The registry's entries and the names discovered anywhere in `scans` (issues first, then
    documents, as `find_entities` orders them), each under a unique id; and the review queue."""
    found = [item for scan in scans for item in scan.in_text]
    found += [item for scan in scans for item in scan.in_layout]
    known_entities = list(registry.entities)
    discovered = merge_found(found, known_entities)
    entities = _unique_ids(known_entities, [entity for entity, _ in discovered])
    candidates = [
        replace(candidate, entity=entity.id)
        for (_, candidate), entity in zip(discovered, entities[len(known_entities) :], strict=True)
    ]
    return entities, candidates


def recognise(
    scan: Scan, issue: Issue | None, matcher: Matcher, by_id: Mapping[str, Entity]
) -> Recognised:
    """The mentions in one scanned file of the entities `matcher` knows (`by_id`: the same
    entities by id); with its `issue`, the links of its articles too."""
    # A block of an article is mostly the text of a unit already scanned: scan each text once.
    find = functools.cache(matcher.find)
    raw_hits = [(unit, hit) for unit in scan.units for hit in find(unit.text)]
    mentions, problems = _resolve(raw_hits, by_id)
    links = _links(issue.articles, find, mentions) if issue is not None else []
    return Recognised(tuple(mentions), tuple(links), tuple(problems))


# Recognition of every scanned file: (scans, their issues or None, matcher, by_id) → one
# Recognised per scan, in order. Each file is independent: build.py runs them on every core.
RecogniseAll = Callable[
    [Sequence[Scan], Sequence["Issue | Document"], Matcher, Mapping[str, Entity]],
    Sequence[Recognised],
]


def recognise_file(
    scan: Scan, source: Issue | Document, matcher: Matcher, by_id: Mapping[str, Entity]
) -> Recognised:
    """`recognise` one issue or document. A scan kept without its units (`Scan.summary`:
    cached and held that way, they are most of its size) gets them again from its file."""
    if not scan.units:
        units = issue_units(source) if isinstance(source, Issue) else document_units(source)
        scan = replace(scan, units=tuple(units))
    return recognise(scan, source if isinstance(source, Issue) else None, matcher, by_id)


def recognise_each(
    scans: Sequence[Scan],
    sources: Sequence[Issue | Document],
    matcher: Matcher,
    by_id: Mapping[str, Entity],
) -> list[Recognised]:
    """`recognise_file` over the files one after another."""
    return [
        recognise_file(scan, source, matcher, by_id)
        for scan, source in zip(scans, sources, strict=True)
    ]


def find_entities(
    registry: Registry,
    issues: Sequence[Issue],
    documents: Sequence[Document],
    scanned: Mapping[str, Scan] | None = None,
    recognise_all: RecogniseAll = recognise_each,
) -> Entities:
    """Every entity of the registry and of discovery, and where each is named.

    `scanned` are scans made beforehand (with the parse, cached: build.py), by path; a file
    without one is scanned here.
    """
    scanned = scanned or {}
    scans = [scanned.get(issue.path) or scan_issue(issue) for issue in issues]
    scans += [scanned.get(doc.path) or scan_document(doc) for doc in documents]
    entities, candidates = archive_entities(registry, scans)
    matcher = Matcher(entities)
    by_id = {entity.id: entity for entity in entities}
    recognised = recognise_all(scans, [*issues, *documents], matcher, by_id)
    mentions = [mention for found in recognised for mention in found.mentions]
    mentions += _own_titles(entities, documents, mentions)
    ordered = sorted(entities, key=lambda e: (e.kind, e.id))
    return Entities(
        entities=tuple(ordered),
        mentions=tuple(sorted(mentions, key=lambda m: (m.path, m.line, m.column, m.entity))),
        links=tuple(link for found in recognised for link in found.links),
        candidates=tuple(sorted(candidates, key=lambda c: (c.kind, c.name))),
        problems=tuple(problem for found in recognised for problem in found.problems),
    )


def _unique_ids(known: Sequence[Entity], discovered: Sequence[Entity]) -> list[Entity]:
    used = {entity.id: entity for entity in known}
    result = list(known)
    for entity in discovered:
        if entity.id in used:
            entity = replace(entity, id=_free_id(entity.id, used))
        used[entity.id] = entity
        result.append(entity)
    return result


def _scope(unit: _Unit) -> str:
    return unit.article or (f"document:{unit.document}" if unit.document else f"file:{unit.path}")


def _resolve(
    raw_hits: Sequence[tuple[_Unit, Hit]], by_id: Mapping[str, Entity]
) -> tuple[list[Mention], list[Problem]]:
    """Mentions from hits; a shared short name takes the entry named plainly in the same article."""
    certain: dict[str, set[str]] = defaultdict(set)
    for unit, hit in raw_hits:
        if len(hit.owners) == 1:
            certain[_scope(unit)].add(hit.owners[0])
    mentions: list[Mention] = []
    problems: list[Problem] = []
    for unit, hit in raw_hits:
        owners = hit.owners
        if len(owners) > 1:
            named = [o for o in owners if o in certain[_scope(unit)]]
            if len(named) != 1:
                line, _ = unit.locate(hit.start)
                text = unit.text[hit.start : hit.end]
                who = "、".join(by_id[o].name for o in owners)
                problems.append(
                    Problem(
                        unit.path,
                        line,
                        "entity-ambiguous",
                        f"“{text}” may be {who}, and the article names none of them in full;"
                        " the mention is not linked",
                        "give the entry this line means a longer alias the line uses, or add the"
                        " phrase to the other entries' `not:` lists in registry/",
                    )
                )
                continue
            owners = (named[0],)
        line, column = unit.locate(hit.start)
        last, _ = unit.locate(hit.end - 1)
        mentions.append(
            Mention(
                entity=owners[0],
                path=unit.path,
                line=line,
                column=column,
                text=unit.text[hit.start : hit.end],
                place=unit.place,
                article=unit.article,
                document=unit.document,
                last=last,
            )
        )
    return mentions, problems


def _own_titles(
    entities: Sequence[Entity], documents: Sequence[Document], mentions: Sequence[Mention]
) -> list[Mention]:
    """A policy whose full text is a document is named by that document's title, even when the
    title is printed over several lines (山西省半导体产业集群创新生态建设 / 2020年行动计划)."""
    named = {(m.entity, m.document) for m in mentions}
    by_id = {document.id: document for document in documents}
    found = []
    for entity in entities:
        document = by_id.get(entity.document or "")
        if entity.kind == "policy" and document and (entity.id, document.id) not in named:
            line = _title_line(document)
            found.append(
                Mention(
                    entity.id,
                    document.path,
                    line,
                    0,
                    document.title,
                    "document",
                    None,
                    document.id,
                    line,
                )
            )
    return found


_LINKED_KINDS = ("paragraph", "heading", "caption", "source")


def _links(
    articles: Iterable[Article],
    find: Callable[[str], Sequence[Hit]],
    mentions: Sequence[Mention],
) -> list[Link]:
    """Per article, the first place in the shown text where each entity it mentions is named."""
    named: dict[str, set[str]] = defaultdict(set)
    for mention in mentions:
        if mention.article:
            named[mention.article].add(mention.entity)
    links: list[Link] = []
    for article in articles:
        entities = named.get(article.id, set())
        done: set[str] = set()
        for index, block in enumerate(article.blocks):
            if block.kind not in _LINKED_KINDS or not block.text:
                continue
            for hit in find(block.text):
                owners = [o for o in hit.owners if o in entities]
                if len(owners) == 1 and owners[0] not in done:
                    done.add(owners[0])
                    links.append(Link(article.id, index, hit.start, hit.end, owners[0]))
    return links


def unused_entries(entities: Sequence[Entity], mentions: Sequence[Mention]) -> list[Entity]:
    """Registry entries no input names: renamed, misspelt, or not in the archive yet."""
    named = {mention.entity for mention in mentions}
    return [e for e in entities if not e.discovered and e.id not in named]


# --- the site's linking step ------------------------------------------------------------------


def link_entities(
    site: Site,
    registry: RegistryTexts,
    scanned: Mapping[str, Scan] | None = None,
    recognise_all: RecogniseAll = recognise_each,
) -> Site:
    """The site with its companies, policies, mentions, facts and review queue filled in.

    `scanned` and `recognise_all`: see `find_entities`."""
    from generator.facts import find_facts

    parsed = parse_registry(registry.files)
    found = find_entities(parsed, site.issues, site.documents, scanned, recognise_all)
    companies = tuple(e for e in found.entities if e.kind != "policy")
    policies = tuple(e for e in found.entities if e.kind == "policy")
    facts = find_facts(
        site.issues, found.mentions, {e.id for e in found.entities if e.kind == "company"}
    )
    return replace(
        site,
        companies=companies,
        policies=policies,
        mentions=found.mentions,
        entity_links=found.links,
        facts=facts,
        candidates=found.candidates,
        problems=site.problems + tuple(registry.problems) + parsed.problems + found.problems,
    )


# --- the review queue -------------------------------------------------------------------------


def render_candidates(candidates: Sequence[Candidate]) -> str:
    """`registry/candidates.yml`: what discovery found that the registry lacks, for an editor."""
    header = (
        "# Generated by `tiantang build`: names found in the texts that the registry lacks.\n"
        "# To accept one, copy it into companies.yml, organisations.yml or policies.yml (drop\n"
        "# `rule` and `evidence`); to merge it, add its name to an entry's aliases; to reject a\n"
        "# false match, add it to the matching entry's `not:` list. This file is rewritten.\n"
    )
    records = []
    for candidate in candidates:
        record: dict[str, object] = {"name": candidate.name, "kind": candidate.kind}
        if candidate.aliases:
            record["aliases"] = list(candidate.aliases)
        for key in ("doc_number", "issuer", "level"):
            value = getattr(candidate, key)
            if value:
                record[key] = value
        record["rule"] = candidate.rule
        record["evidence"] = [f"{path}:{line}" for path, line in candidate.evidence]
        records.append(record)
    if not records:
        return header + "[]\n"
    return header + yaml.safe_dump(records, allow_unicode=True, sort_keys=False, width=1000)
