"""Site → RSS/Atom feeds: the whole archive and one per section, as {docs/ path: XML}.

Dates come from the issues (the first day of the issue's month, UTC), never from the clock,
so two builds of the same input give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator

from generator.model import Article, Issue
from generator.site import Site, article_path, url_of

FEED_SIZE = 50  # newest articles per feed

# XML 1.0 has no place for C0 controls (tab and line breaks aside), U+FFFE/U+FFFF or lone
# surrogates, and lxml refuses the whole feed for one: a title exported with a U+0007 (which
# read.py reports as control-characters) loses only that character here.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def issue_date(issue: Issue) -> datetime:
    masthead = issue.masthead
    return datetime(max(masthead.year, 1970), max(masthead.month, 1), 1, tzinfo=UTC)


def render_feed(
    title: str,
    page_url: str,
    feed_url: str,
    entries: Sequence[tuple[Issue, Article, str]],
    atom: bool = False,
) -> str:
    """One feed; `entries` are (issue, article, summary), newest first; URLs are absolute."""
    feed = FeedGenerator()
    feed.id(page_url)
    feed.title(title)
    feed.link(href=feed_url, rel="self")
    feed.link(href=page_url, rel="alternate")  # last, so RSS's <link> is the page
    feed.language("zh-CN")
    feed.description(f"{title}：《天堂之芯》集成电路产业月刊存档")
    feed.generator("tiantang")
    newest = issue_date(entries[0][0]) if entries else datetime(1970, 1, 1, tzinfo=UTC)
    feed.updated(newest)
    feed.lastBuildDate(newest)
    # feedgen prepends each entry: add oldest first so the feed reads newest first
    for issue, article, summary in reversed(list(entries)[:FEED_SIZE]):
        entry = feed.add_entry()
        absolute = _join(feed_url, url_of(article_path(article)))
        entry.id(absolute)
        entry.guid(absolute, permalink=True)
        entry.title(_xml(article.toc_title))
        entry.link(href=absolute)
        entry.summary(_xml(summary or article.toc_title))
        entry.category(term=_xml(article.section))
        entry.published(issue_date(issue))
        entry.updated(issue_date(issue))
    text = feed.atom_str(pretty=True) if atom else feed.rss_str(pretty=True)
    return text.decode("utf-8")


def _join(feed_url: str, site_path: str) -> str:
    """An absolute URL for a site path, relative to the site root that holds `feeds/`."""
    root = feed_url.split("/feeds/", 1)[0]
    return root + site_path


def render_feeds(site: Site, base_url: str, summary: Callable[[Article], str]) -> dict[str, str]:
    """`feeds/rss.xml`, `feeds/atom.xml` and `feeds/sections/<slug>.xml`."""
    base = base_url.rstrip("/")
    everything = [
        (issue, article, summary(article)) for issue in site.issues for article in issue.articles
    ]
    feeds = {
        "feeds/rss.xml": render_feed("天堂之芯", base + "/", base + "/feeds/rss.xml", everything),
        "feeds/atom.xml": render_feed(
            "天堂之芯", base + "/", base + "/feeds/atom.xml", everything, atom=True
        ),
    }
    for section in site.sections:
        path = f"feeds/sections/{section.slug}.xml"
        entries = [(issue, article, summary(article)) for issue, article in section.articles]
        feeds[path] = render_feed(
            f"天堂之芯 · {section.name}",
            f"{base}/sections/{section.slug}/",
            f"{base}/{path}",
            entries,
        )
    return feeds
