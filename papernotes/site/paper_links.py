"""Where a paper can be read, on its page: every link its sources give, each once.

arXiv (abstract and PDF), DOI, the Hugging Face papers page when the arXiv id is known, the listing's own
URL, and the code (GitHub / GitLab URLs in a listing or written in an abstract), then a Google Scholar
search by title, so that no paper is a dead end. Two URLs are the same link when they name the same thing:
`abs/2203.08422v2` is `abs/2203.08422`, `dx.doi.org/10.1/X` is `doi.org/10.1/x`, `github.com/A/B.git/`
is `github.com/a/b`."""

from __future__ import annotations

import re
from urllib.parse import quote_plus, urlsplit

from ..model.paper import Paper
from ..sources.bibtex import arxiv_from

# A code URL in running text: it ends at a space, a closing bracket or quote; sentence punctuation after it
# (and a TeX group's closing brace, `\emph{https://github.com/a/b.}`) is not part of it.
_CODE_URL = re.compile(r"https?://(?:www\.)?(?:github\.com|gitlab\.com)/[^\s()<>\[\]{}\"'，。；、]+", re.I)
_TRAILING = ".,;:!?'\"`~"
_HOSTS = {  # a listing URL's label, by host
    "openaccess.thecvf.com": "CVF Open Access",
    "openreview.net": "OpenReview",
    "proceedings.neurips.cc": "NeurIPS Proceedings",
    "papers.nips.cc": "NeurIPS Proceedings",
    "proceedings.mlr.press": "PMLR",
    "dl.acm.org": "ACM DL",
    "ieeexplore.ieee.org": "IEEE Xplore",
    "link.springer.com": "Springer",
    "www.ecva.net": "ECVA",
    "ojs.aaai.org": "AAAI",
    "www.ijcai.org": "IJCAI",
    "aclanthology.org": "ACL Anthology",
    "paperswithcode.com": "Papers with Code",
    "www.semanticscholar.org": "Semantic Scholar",
}


def identity(url: str) -> tuple[str, str]:
    """What a URL names, for deduplication: (kind, id)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if host in ("arxiv.org", "export.arxiv.org") and (arxiv := arxiv_from(url)):
        return ("arxiv-pdf" if path.startswith("/pdf/") else "arxiv-abs"), arxiv
    if host in ("doi.org", "dx.doi.org"):
        return "doi", path.lstrip("/").lower()
    if host in ("github.com", "gitlab.com"):
        return "code", host + path.lower().removesuffix(".git")
    if host == "huggingface.co" and path.startswith("/papers/"):
        return "hf", path.removeprefix("/papers/")
    return "url", host + path + (f"?{parts.query}" if parts.query else "")


def code_urls(texts) -> list[str]:
    """The GitHub / GitLab URLs written in these texts (abstracts), in order, cleaned of what follows them."""
    found = []
    for text in texts:
        for m in _CODE_URL.finditer(text or ""):
            url = m.group(0).rstrip(_TRAILING)
            if url.count("/") >= 3:  # a host alone is no repository
                found.append(url)
    return found


def paper_links(paper: Paper) -> list[dict]:
    """The links of a paper's page, in a fixed order: {label, href, kind}."""
    urls = list(paper.links) + ([paper.url] if paper.url else [])
    arxiv = paper.arxiv or next((i for k, i in map(identity, urls) if k.startswith("arxiv-")), None)
    links: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, href: str, kind: str) -> None:
        ident = identity(href)
        if ident not in seen:
            seen.add(ident)
            links.append({"label": label, "href": href, "kind": kind})

    if arxiv:
        add("arXiv", f"https://arxiv.org/abs/{arxiv}", "arxiv")
        add("PDF", f"https://arxiv.org/pdf/{arxiv}", "pdf")
    if paper.doi:
        add("DOI", f"https://doi.org/{paper.doi}", "doi")
    if arxiv:
        add("HF Papers", f"https://huggingface.co/papers/{arxiv}", "hf")
    for url in urls:
        if url.startswith(("http://", "https://")):
            kind, _ = identity(url)
            label = {"arxiv-abs": "arXiv", "arxiv-pdf": "PDF", "doi": "DOI", "hf": "HF Papers"}.get(kind)
            if kind == "code":
                add(_code_label(url), url, "code")
            else:
                add(label or _HOSTS.get(urlsplit(url).netloc.lower(), "原文"), url, "source")
    for url in code_urls(r.abstract for r in paper.records):
        add(_code_label(url), url, "code")
    if paper.title:
        add("Google Scholar", "https://scholar.google.com/scholar?q=" + quote_plus(paper.title), "search")
    return links


def _code_label(url: str) -> str:
    return "Code (GitLab)" if "gitlab.com" in url.lower() else "Code"


def citation_meta(paper: Paper, links: list[dict], venue: tuple[str, bool]) -> list[tuple[str, str]]:
    """Highwire Press tags (what Google Scholar indexes): `venue` is citation.venue_name's (full name, journal)."""
    meta = [("citation_title", paper.title)] + [("citation_author", a) for a in paper.authors]
    if paper.date or paper.year:
        meta.append(("citation_publication_date", (paper.date or str(paper.year)).replace("-", "/")))
    if paper.venue:
        meta.append(("citation_journal_title" if venue[1] else "citation_conference_title", venue[0]))
    if paper.doi:
        meta.append(("citation_doi", paper.doi))
    meta += [("citation_pdf_url", link["href"]) for link in links if link["kind"] == "pdf"]
    if paper.arxiv:
        meta.append(("citation_arxiv_id", paper.arxiv))
    return meta


def json_ld(paper: Paper, links: list[dict], venue: tuple[str, bool], url: str) -> dict:
    """schema.org's ScholarlyArticle: the paper, its authors, venue, identifiers and the pages it is on."""
    data: dict = {"@context": "https://schema.org", "@type": "ScholarlyArticle", "headline": paper.title, "url": url}
    data["author"] = [{"@type": "Person", "name": a} for a in paper.authors]
    if paper.year:
        data["datePublished"] = paper.date or str(paper.year)
    if paper.venue:
        data["isPartOf"] = {"@type": "Periodical" if venue[1] else "PublicationEvent", "name": venue[0]}
    ids = [("DOI", paper.doi), ("arXiv", paper.arxiv)]
    data["identifier"] = [{"@type": "PropertyValue", "propertyID": k, "value": v} for k, v in ids if v]
    data["sameAs"] = [link["href"] for link in links if link["kind"] in ("arxiv", "doi", "source")]
    if paper.title_zh:
        data["alternativeHeadline"] = paper.title_zh
    return data
