"""Hexo tag plugins and Hugo shortcodes -> plain Markdown/HTML, before Python-Markdown runs.

Pure: `{% asset_img %}`, `{% post_link %}`, `{% note %}`, `{% codeblock %}`, `{{< details >}}`,
`{{< figure >}}` … become Markdown, or HTML marked `markdown="1"` that `md_in_html` still renders inside.
- As many lines out as in: a tag is replaced on its own line, so later `path:line`s stay right.
- Fenced code (``` / ~~~, any indentation, closed: the rule of render/math.py), code spans and
  the content of `{% raw %}` / `{% codeblock %}` are not touched.
- Unknown, unclosed and stray tags stay visible as written, with one warning each.
- Left to later stages: asset slugs (resolved against the post's asset folder), math, highlighting,
  and all of Markdown. Linear time: every search moves forward or is remembered.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from itertools import accumulate

from papernotes.diagnostics import Diagnostic, warning

from .math import fence_ends as find_fence_ends

PostResolver = Callable[[str], "tuple[str, str] | None"]


@dataclass(frozen=True)
class TagResult:
    text: str
    diagnostics: list[Diagnostic]
    links: tuple[tuple[str, tuple[str, str] | None], ...]  # every post_link name asked and what resolve_post gave


def expand_tags(text: str, path: str, first_line: int = 1, resolve_post: PostResolver = lambda name: None) -> TagResult:
    """Expand the tags of a Markdown body; `resolve_post(name)` gives `(url, post title)` or None."""
    if "{%" not in text and "{{<" not in text and "{{%" not in text:
        return TagResult(text, [], ())
    return _Expander(text, path, first_line, resolve_post).run()


# -- the tokenizer: tags in prose, left to right ----------------------------------

_FENCE_OPEN = re.compile(r"[ \t]*+(`{3,}|~{3,})(.*)")
_NEXT_THING = re.compile(r"`+|\{\{[<%]|\{%")
_CLOSER = {"{%": "%}", "{{<": ">}}", "{{%": "%}}"}
_LITERAL_BLOCKS = {"raw": "endraw", "codeblock": "endcodeblock", "code": "endcode"}  # content is not scanned
_LITERAL_END = {name: re.compile(r"\{%-?[ \t]*" + end + r"[ \t]*-?%\}") for name, end in _LITERAL_BLOCKS.items()}


@dataclass(frozen=True)
class _Tag:
    start: int
    end: int
    line: int  # 0-based index of the line holding it
    opener: str  # "{%", "{{<" or "{{%"
    name: str
    args: str
    close: re.Match | None  # the end tag of a literal block (raw, codeblock)
    hugo: bool


def _scan(text: str) -> Iterator[_Tag]:
    lines = text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    fence_ends = find_fence_ends(lines)  # render/math.py's rule: closed fences only
    # A code span stops at a blank line or a fence line, as a paragraph does.
    breaks = [s for s, line in zip(starts, lines) if not line.strip() or _FENCE_OPEN.match(line)]
    runs: dict[int, list[int]] = defaultdict(list)
    for m in re.finditer(r"`+", text):
        runs[len(m.group())].append(m.start())
    literal_ends: dict[str, tuple[int, re.Match | None]] = {}  # name -> (searched from, found)
    line, pos, line_start, missing = 0, 0, True, set()  # missing: closers absent from the rest of the line
    while line < len(lines):
        line_end = starts[line] + len(lines[line])
        if line_start and line in fence_ends:
            m, line = None, fence_ends[line]  # code stays as it is: go on after its closing line
        else:
            m = _NEXT_THING.search(text, pos, line_end)
        if m is None:
            line, line_start, missing = line + 1, True, set()
            pos = starts[line] if line < len(lines) else len(text)
            continue
        line_start, found = False, m.group()
        if found[0] == "`":
            pos = _code_span_end(text, m.start(), len(found), runs, breaks)
        elif (close := -1 if _CLOSER[found] in missing else text.find(_CLOSER[found], m.end(), line_end)) == -1:
            missing.add(_CLOSER[found])
            pos = m.start() + 1  # `{{%` without its `%}}` may still hold a `{% … %}`
            continue
        else:
            pos = close + len(_CLOSER[found])
            name, args = _name_and_args(text[m.end() : close], found != "{%")
            end = None
            if found == "{%" and name in _LITERAL_BLOCKS:
                searched, end = literal_ends.get(name, (len(text) + 1, None))
                if not (searched <= pos and (end is None or end.start() >= pos)):
                    end = _LITERAL_END[name].search(text, pos)
                    literal_ends[name] = (pos, end)
            yield _Tag(m.start(), pos, line, found, name, args, end, found != "{%")
            pos = end.end() if end else pos
        if (moved := bisect_right(starts, pos) - 1) != line:
            line, missing = moved, set()


def _code_span_end(text: str, pos: int, size: int, runs: dict[int, list[int]], breaks: list[int]) -> int:
    """Where the code span opened by the backtick run at pos ends (the run's end if it opens none)."""
    slashes = 0
    while pos - slashes > 0 and text[pos - slashes - 1] == "\\":
        slashes += 1
    if slashes % 2:  # an escaped backtick is text; the rest of the run may still open a span
        pos, size = pos + 1, size - 1
        if not size:
            return pos
    same, b = runs.get(size, []), bisect_right(breaks, pos)
    k, limit = bisect_right(same, pos), breaks[b] if b < len(breaks) else len(text)
    return same[k] + size if k < len(same) and same[k] < limit else pos + size


def _name_and_args(body: str, hugo: bool) -> tuple[str, str]:
    if not hugo:  # nunjucks whitespace control: `{%- … -%}`
        body = body[1 if body.startswith("-") else 0 : -1 if body.endswith("-") else None]
    body = body.strip()
    if hugo and body.endswith("/"):
        body = body[:-1].rstrip()  # {{< figure … />}}
    parts = body.split(None, 1)
    return (parts[0], parts[1] if len(parts) > 1 else "") if parts else ("", "")


@dataclass(frozen=True)
class _Arg:
    value: str
    quoted: bool
    key: str | None = None  # Hugo's `key=value`


# Linear: a quote without its closing one fails once, and then no later one of that kind can match.
_ARG = re.compile(r"""()(?:"([^"]*)"|'([^']*)'|(\S+))""")  # `()`: the groups of _NAMED_ARG, no key
_NAMED_ARG = re.compile(r"""(?:([A-Za-z_][\w-]*)=)?(?:"([^"]*)"|'([^']*)'|(\S+))""")


def _split_args(s: str, named: bool = False) -> list[_Arg]:
    """Words, with "…" / '…' quoting as nunjucks and Hugo read it; `key=value` pairs when named."""
    out = []
    for m in (_NAMED_ARG if named else _ARG).finditer(s):
        key, double, single, word = m.groups()
        value = word if word is not None else double if double is not None else single
        out.append(_Arg(value, word is None, key or None))
    return out


def _words(s: str) -> list[str]:
    return [a.value for a in _split_args(s)]


_LITERAL = str.maketrans({c: f"&#{ord(c)};" for c in '&<>`*_[]\\$"|'})


def _literal(s: str) -> str:
    """Text Markdown shows as written: entities, so no emphasis, code, link, HTML or math."""
    return s.translate(_LITERAL)


def _code_literal(s: str) -> str:
    """Every ASCII punctuation mark as an entity: safe even where Markdown looks at line starts."""
    return "".join(f"&#{ord(c)};" if c.isascii() and not c.isalnum() and not c.isspace() else c for c in s)


def _md_url(url: str) -> str:
    return url if url and not set(url) & set(" \t()<>") else "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"


def _attrs(**values: str | None) -> str:
    return "".join(f' {k.rstrip("_")}="{escape(v, quote=True)}"' for k, v in values.items() if v)


def _escape_flag(words: list[str]) -> tuple[list[str], bool]:
    """Hexo's trailing `true`/`false` after the slug: escape the link text (the default) or not."""
    if len(words) > 1 and words[-1] in ("true", "false"):
        return words[:-1], words[-1] == "true"
    return words, True


def _url_index(words: list[str]) -> int | None:
    """The first http(s) URL after at least one other word (Hexo's `caption url [title]`)."""
    return next((i for i, w in enumerate(words) if i and w.startswith(("http://", "https://"))), None)


class _Expander:
    """One document: a table of handlers, the edits they make, the diagnostics and links they find."""

    def __init__(self, text: str, path: str, first_line: int, resolve_post: PostResolver):
        self.text, self.path, self.first_line, self.resolve_post = text, path, first_line, resolve_post
        self.edits: list[tuple[int, int, str]] = []
        self.diagnostics: list[Diagnostic] = []
        self.links: list[tuple[str, tuple[str, str] | None]] = []
        self.opened: Counter[tuple[bool, str]] = Counter()  # open block tags by name, to find a stray end at once
        # Handlers return the replacement, or None to keep the tag as written (having said why).
        hexo = dict(asset_img=self.image, asset_image=self.image, img=self.image, asset_path=self.asset_path)
        hexo |= dict(asset_link=self.asset_link, post_link=self.post_link)
        self.inline = {(False, name): handler for name, handler in hexo.items()} | {(True, "figure"): self.figure}
        # Block handlers return (opening HTML, closing HTML); what is between is expanded as usual.
        blocks = dict(note=self.note, blockquote=self.blockquote, quote=self.blockquote)
        self.blocks = {(False, name): handler for name, handler in blocks.items()} | {(True, "details"): self.details}

    def run(self) -> TagResult:
        stack: list[_Tag] = []  # open block tags
        for tag in _scan(self.text):
            if not tag.hugo and tag.name in _LITERAL_BLOCKS:
                self.literal_block(tag)
            elif (tag.hugo, tag.name) in self.blocks:
                stack.append(tag)
                self.opened[tag.hugo, tag.name] += 1
            elif tag.name.startswith("/" if tag.hugo else "end"):
                self.close_block(tag, tag.name[1:] if tag.hugo else tag.name[3:], stack)
            elif (handler := self.inline.get((tag.hugo, tag.name))) is not None:
                new = handler(tag)
                self.edit(tag, _literal(self.text[tag.start : tag.end]) if new is None else new)
            else:
                self.keep(tag, "unknown")
        for tag in stack:
            self.keep(tag, "unclosed")
        pieces, done = [], 0
        for start, end, new in sorted(self.edits):
            pieces += [self.text[done:start], new]
            done = end
        pieces.append(self.text[done:])
        return TagResult("".join(pieces), sorted(self.diagnostics, key=lambda d: d.line), tuple(self.links))

    def edit(self, tag: _Tag, new: str) -> None:
        self.edits.append((tag.start, tag.end, new))

    def warn(self, tag: _Tag, message: str) -> None:
        self.diagnostics.append(warning(self.path, self.first_line + tag.line, message))

    def keep(self, tag: _Tag, why: str) -> None:
        """Leave the tag visible as written: `unknown tag {% youtube %}`, `unclosed shortcode {{< details >}}`."""
        self.warn(tag, f"{why} {'shortcode' if tag.hugo else 'tag'} {tag.opener} {tag.name} {_CLOSER[tag.opener]}")
        self.edit(tag, _literal(self.text[tag.start : tag.end]))

    def close_block(self, tag: _Tag, name: str, stack: list[_Tag]) -> None:
        if not self.opened[tag.hugo, name]:
            known = (tag.hugo, name) in self.blocks or not tag.hugo and name in _LITERAL_BLOCKS
            self.keep(tag, "stray" if known else "unknown")
            return
        while ((opening := stack.pop()).hugo, opening.name) != (tag.hugo, name):  # blocks left open inside
            self.opened[opening.hugo, opening.name] -= 1
            self.keep(opening, "unclosed")
        self.opened[tag.hugo, name] -= 1
        start_html, end_html = self.blocks[opening.hugo, name](opening)
        self.edit(opening, start_html)
        self.edit(tag, end_html)

    def on_own_line(self, start: int, end: int) -> bool:
        line_end = self.text.find("\n", end)
        after = self.text[end : None if line_end == -1 else line_end]
        return not self.text[self.text.rfind("\n", 0, start) + 1 : start].strip() and not after.strip()

    def literal_block(self, tag: _Tag) -> None:
        if (close := tag.close) is None:
            self.keep(tag, "unclosed")
            return
        if tag.name == "raw":
            self.edits += [(tag.start, tag.end, ""), (close.start(), close.end(), "")]
            return
        content, (lang, caption) = self.text[tag.end : close.start()], _code_args(tag.args)
        if "\n" in content and self.on_own_line(tag.start, tag.end) and self.on_own_line(*close.span()):
            fence = "`" * max(3, 1 + max((len(m.group()) for m in re.finditer(r"`+", content)), default=0))
            info = lang
            if caption:  # Pygments (codehilite) shows `filename` above the code; without it, it is dropped
                info = "{" + (f".{lang} " if lang else "") + f'filename="{caption}"' + "}"
            self.edits += [(tag.start, tag.end, fence + info), (close.start(), close.end(), fence)]
            return
        # Code on the tag lines leaves no room for fences: an HTML block that Markdown cannot reach into.
        code = f"<code{_attrs(class_=f'language-{lang}' if lang else None)}>{_code_literal(content)}</code>"
        self.edits.append((tag.start, close.end(), f"<pre{_attrs(title=caption)}>{code}</pre>"))

    # -- inline tags --

    def image(self, tag: _Tag) -> str | None:
        args = _split_args(tag.args)
        if not args:
            return self.warn(tag, f"{tag.name}: no image given")
        at = next((i for i, a in enumerate(args) if re.search(r"\.\w+$|/", a.value)), 0)  # the file: after classes
        classes, src, rest = " ".join(a.value for a in args[:at]), args[at].value, args[at + 1 :]
        size = []
        while rest and len(size) < 2 and rest[0].value.isdigit():
            size.append(rest.pop(0).value)
        title, alt = _title_and_alt(rest)
        if classes or size:
            width, height = (size + [None, None])[:2]
            return f"<img{_attrs(class_=classes, src=src, width=width, height=height, alt=alt, title=title)}>"
        title_part = f' "{_literal(title)}"' if title else ""
        return f"![{_literal(alt or '')}]({_md_url(src)}{title_part})"

    def asset_path(self, tag: _Tag) -> str | None:
        words = _words(tag.args)
        return words[0] if words else self.warn(tag, "asset_path: no file given")

    def asset_link(self, tag: _Tag) -> str | None:
        words, escape_text = _escape_flag(_words(tag.args))
        if not words:
            return self.warn(tag, "asset_link: no file given")
        text = " ".join(words[1:]) or words[0]
        return f"[{_literal(text) if escape_text else text}]({_md_url(words[0])})"

    def post_link(self, tag: _Tag) -> str | None:
        words, escape_text = _escape_flag(_words(tag.args))
        if not words:
            return self.warn(tag, "post_link: no post given")
        found = self.resolve_post(words[0])
        self.links.append((words[0], found))
        text = " ".join(words[1:]) or (found[1] if found else words[0])
        if found is None:
            self.warn(tag, f"post_link: no post named {words[0]!r}")
            return _literal(text)
        return f"[{_literal(text) if escape_text else text}]({_md_url(found[0])})"

    def figure(self, tag: _Tag) -> str | None:
        get = {a.key: a.value for a in _split_args(tag.args, named=True) if a.key}.get
        if not get("src"):
            return self.warn(tag, "figure: no src given")
        img = f"<img{_attrs(src=get('src'), alt=get('alt'), width=get('width'), height=get('height'))}>"
        if get("link"):
            img = f"<a{_attrs(href=get('link'))}>{img}</a>"
        caption = "".join(f"<{el}>{escape(get(k))}</{el}>" for k, el in (("title", "h4"), ("caption", "p")) if get(k))
        caption = caption and f"<figcaption>{caption}</figcaption>"
        return f"<figure{_attrs(class_=get('class'))}>{img}{caption}</figure>"

    # -- block tags --

    def note(self, tag: _Tag) -> tuple[str, str]:
        words = _words(tag.args)
        no_icon = "no-icon" in words[:2]
        words = [w for w in words[:2] if w != "no-icon"] + words[2:]
        cls = words.pop(0) if words and re.fullmatch(r"[\w-]+", words[0]) else "default"
        classes = f"note note-{cls}" + (" no-icon" if no_icon else "")
        return f'<div class="{classes}" markdown="1">', "</div>"

    def blockquote(self, tag: _Tag) -> tuple[str, str]:
        words = _words(tag.args)
        if (at := _url_index(words)) is not None:
            author, link, title = " ".join(words[:at]), words[at], " ".join(words[at + 1 :])
            cite = f"<a{_attrs(href=link)}>{escape(title or link.split('://', 1)[1].rstrip('/'))}</a>"
        else:
            author, _, source = " ".join(words).partition(",")
            cite = escape(source.strip())
        footer = f"<strong>{escape(author.strip())}</strong>" if author.strip() else ""
        footer += (", " if footer and cite else "") + (f"<cite>{cite}</cite>" if cite else "")
        return '<blockquote markdown="1">', f"<footer>— {footer}</footer></blockquote>" if footer else "</blockquote>"

    def details(self, tag: _Tag) -> tuple[str, str]:
        args = _split_args(tag.args, named=True)
        named = {a.key: a.value for a in args if a.key}
        positional = [a.value for a in args if not a.key]
        summary = named.get("summary") or named.get("title") or next((w for w in positional if w != "open"), "Details")
        is_open = "open" in positional or named.get("open") in ("true", "open")
        attrs = _attrs(class_=named.get("class"), name=named.get("name")) + ' markdown="1"' + " open" * is_open
        return f'<details{attrs}><summary markdown="span">{summary.replace("<", "&lt;")}</summary>', "</details>"


def _title_and_alt(rest: list[_Arg]) -> tuple[str | None, str | None]:
    """Hexo's `[title text [alt text]]`: `"title" "alt"`, or `"title text 'alt text'"` in one argument."""
    if len(rest) >= 2 and all(a.quoted for a in rest):  # hexo-tag-img's form
        return rest[0].value, rest[1].value
    joined = " ".join(a.value for a in rest).strip()
    if len(joined) > 1 and joined[-1] in "\"'":
        opening = joined.rfind(joined[-1], 0, len(joined) - 1)
        if opening != -1 and (opening == 0 or joined[opening - 1].isspace()):
            return joined[:opening].strip().strip("\"'").strip() or None, joined[opening + 1 : -1]
    return joined or None, joined or None  # the alt text defaults to the title


def _code_args(args: str) -> tuple[str, str]:
    """Hexo's `[title] [lang:language] [url] [link text] [options]` -> (language, caption)."""
    lang, words = "", []
    for word in _words(args):
        if word.startswith("lang:"):
            lang = re.sub(r"[^\w#.+-]", "", word[5:])
        elif not re.match(r"[a-z_]+:(?!//)", word):  # line_number:false, mark:1,3 … (a URL is a word)
            words.append(word)
    at = _url_index(words)
    return lang, " ".join(words[:at]).replace('"', "'").replace("`", "'")
