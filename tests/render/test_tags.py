"""Hexo tag plugins and Hugo shortcodes (render/tags.py): each rule, line counts, diagnostics, and the
HTML Python-Markdown (md_in_html, fenced_code, tables) makes of the result."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from papernotes.render.tags import expand_tags

POSTS = {"hello-world": ("/posts/hello-world/", "Hello *World*"), "spaced": ("/posts/a b/", "Spaced")}


def expand(text: str, first_line: int = 1):
    result = expand_tags(text, "notes/a.md", first_line, POSTS.get)
    assert result.text.count("\n") == text.count("\n")
    return result


def messages(result) -> list[tuple[int, str]]:
    return [(d.line, d.message) for d in result.diagnostics]


def html(text: str, *extensions: str) -> BeautifulSoup:
    out = markdown.markdown(expand(text).text, extensions=["md_in_html", "fenced_code", "tables", *extensions])
    return BeautifulSoup(out, "html.parser")


# -- the fast path and code ----------------------------------------------------------


@pytest.mark.parametrize("text", ["", "plain *prose*\n\n- a list", "{ not a tag } {{ jinja }} % {", "a\r\nb\r\n"])
def test_text_without_tags_comes_back_unchanged(text):
    result = expand_tags(text, "a.md")
    assert (result.text, result.diagnostics, result.links) == (text, [], ())


@pytest.mark.parametrize(
    "text",
    [
        "```\n{% note %}\n```",
        "~~~~ python\n{% youtube x %}\n~~~~~",
        "   ```js\n{{< tweet >}}\n   ```",
        "use `{% post_link x %}` or ``{{< figure >}}``",
        "a code span `{% note %}\nover two lines` ends",
        "- item\n\n      ```\n      {% foo %}\n      ```",
    ],
)
def test_code_is_not_touched(text):
    result = expand(text)
    assert (result.text, result.diagnostics, result.links) == (text, [], ())


def test_unclosed_fences_and_spans_are_prose():
    result = expand("```\n{% foo %}\n\n`span {% bar %}\n\n{% baz %}`")
    assert [m for _, m in messages(result)] == [
        "unknown tag {% foo %}",
        "unknown tag {% bar %}",
        "unknown tag {% baz %}",
    ]


def test_escaped_backtick_opens_no_code_span():
    assert [m for _, m in messages(expand(r"\`{% a %}` and \``{% b %}`"))] == ["unknown tag {% a %}"]


def test_tag_after_a_fence_is_expanded():
    assert expand("```\nx\n```\n{% asset_path a.pdf %}").text == "```\nx\n```\na.pdf"


# -- raw ---------------------------------------------------------------------------------


def test_raw_markers_are_removed_and_content_kept():
    assert expand("{% raw %}{% note %}{{< x >}}{% endraw %} then").text == "{% note %}{{< x >}} then"
    assert expand("a\n{% raw %}\n{% youtube x %}\n{% endraw %}\nb").text == "a\n\n{% youtube x %}\n\nb"
    assert expand("{%- raw -%}x{%endraw%}").text == "x"


# -- assets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("{% asset_img diagram.png %}", "![](diagram.png)"),
        ("{% asset_img diagram.png A diagram %}", '![A diagram](diagram.png "A diagram")'),
        ('{% asset_img diagram.png "Title text" "Alt text" %}', '![Alt text](diagram.png "Title text")'),
        ("{% asset_img diagram.png \"Title text 'Alt text'\" %}", '![Alt text](diagram.png "Title text")'),
        ('{% asset_img diagram.png \'"Title text" "Alt text"\' %}', '![Alt text](diagram.png "Title text")'),
        ('{% asset_img "spaced asset.jpg" "spaced title" %}', '![spaced title](<spaced asset.jpg> "spaced title")'),
        ("{% asset_img fig(1).png %}", "![](<fig(1).png>)"),
        ("{% asset_img diagram.png Fig. 1 *b* %}", '![Fig. 1 &#42;b&#42;](diagram.png "Fig. 1 &#42;b&#42;")'),
        (
            '{% asset_img left wide d.png 300 200 "T" "A <b>" %}',
            '<img class="left wide" src="d.png" width="300" height="200" alt="A &lt;b&gt;" title="T">',
        ),
        ("{% asset_img d.png 300 %}", '<img src="d.png" width="300">'),
        ("{% img /images/x.png Caption %}", '![Caption](/images/x.png "Caption")'),
    ],
)
def test_asset_img(tag, expected):
    assert expand(tag).text == expected


def test_asset_path_and_asset_link():
    assert expand("[pdf]({% asset_path paper.pdf %})").text == "[pdf](paper.pdf)"
    assert expand("{% asset_link paper.pdf %}").text == "[paper.pdf](paper.pdf)"
    assert expand("{% asset_link paper.pdf The *paper* %}").text == "[The &#42;paper&#42;](paper.pdf)"
    assert expand("{% asset_link paper.pdf The *paper* false %}").text == "[The *paper*](paper.pdf)"
    assert expand('{% asset_link "my paper.pdf" "My paper" %}').text == "[My paper](<my paper.pdf>)"


# -- post_link ---------------------------------------------------------------------------


def test_post_link_uses_the_post_title_and_records_what_it_asked():
    result = expand("See {% post_link hello-world %} and {% post_link spaced 'Other *one*' %}.")
    assert result.text == "See [Hello &#42;World&#42;](/posts/hello-world/) and [Other &#42;one&#42;](</posts/a b/>)."
    assert result.links == (("hello-world", POSTS["hello-world"]), ("spaced", POSTS["spaced"]))
    assert result.diagnostics == []
    assert expand("{% post_link hello-world <b>Bold</b> false %}").text == "[<b>Bold</b>](/posts/hello-world/)"


def test_post_link_to_a_missing_post_warns_and_keeps_the_text():
    result = expand("x\n{% post_link nope %} and {% post_link gone The title %}", first_line=10)
    assert result.text == "x\nnope and The title"
    assert messages(result) == [(11, "post_link: no post named 'nope'"), (11, "post_link: no post named 'gone'")]
    assert result.links == (("nope", None), ("gone", None))


# -- note, blockquote --------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag, opening",
    [
        ("{% note %}", '<div class="note note-default" markdown="1">'),
        ("{% note warning %}", '<div class="note note-warning" markdown="1">'),
        ("{% note info no-icon %}", '<div class="note note-info no-icon" markdown="1">'),
        ("{%- note custom -%}", '<div class="note note-custom" markdown="1">'),
    ],
)
def test_note(tag, opening):
    assert expand(f"{tag}\ntext\n{{% endnote %}}").text == f"{opening}\ntext\n</div>"


@pytest.mark.parametrize(
    "args, footer",
    [
        ("", "</blockquote>"),
        (" David Levithan, Wide Awake", "<footer>— <strong>David Levithan</strong>, <cite>Wide Awake</cite></footer>"),
        (
            " Seth Godin http://sethgodin.typepad.com/x.html Welcome to Island Marketing",
            '<footer>— <strong>Seth Godin</strong>, <cite><a href="http://sethgodin.typepad.com/x.html">'
            "Welcome to Island Marketing</a></cite></footer>",
        ),
    ],
)
def test_blockquote(args, footer):
    result = expand(f"{{% blockquote{args} %}}\nQuote\n{{% endblockquote %}}")
    assert result.text == '<blockquote markdown="1">\nQuote\n' + footer.removesuffix("</blockquote>") + "</blockquote>"


# -- codeblock ---------------------------------------------------------------------------


def test_codeblock_becomes_a_fence_and_its_content_is_untouched():
    text = "{% codeblock lang:python %}\nprint('{% note %}', `x`)\n{% endcodeblock %}"
    assert expand(text).text == "```python\nprint('{% note %}', `x`)\n```"
    assert expand("{% code %}\n{{< tweet >}}\n{% endcode %}").text == "```\n{{< tweet >}}\n```"


def test_codeblock_fence_is_longer_than_any_backtick_run_inside():
    assert expand("{% codeblock lang:md %}\n````\nx\n````\n{% endcodeblock %}").text == "`````md\n````\nx\n````\n`````"


def test_codeblock_caption_rides_on_the_fence_and_url_is_dropped():
    text = "  {% codeblock _.compact http://underscorejs.org/#compact Underscore.js %}\n_.compact([0])\n  {% endcodeblock %}"
    assert expand(text).text == '  ```{filename="_.compact"}\n_.compact([0])\n  ```'
    text = '{% codeblock "Array map" lang:js line_number:false mark:1 %}\nx\n{% endcodeblock %}'
    assert expand(text).text == '```{.js filename="Array map"}\nx\n```'


def test_codeblock_with_code_on_its_tag_lines_becomes_an_escaped_pre():
    result = expand("See {% codeblock lang:js %}a = `*b*`;\n# c{% endcodeblock %} ok")
    assert (
        result.text == 'See <pre><code class="language-js">a &#61; &#96;&#42;b&#42;&#96;&#59;\n&#35; c</code></pre> ok'
    )


# -- Hugo --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, expected",
    [
        ('{{< details "Summary" >}}', '<details markdown="1"><summary markdown="span">Summary</summary>'),
        ('{{< details "Summary" open >}}', '<details markdown="1" open><summary markdown="span">Summary</summary>'),
        (
            '{{% details summary="A <b>" open=true %}}',
            '<details markdown="1" open><summary markdown="span">A &lt;b></summary>',
        ),
        (
            "{{< details title=Why class=faq >}}",
            '<details class="faq" markdown="1"><summary markdown="span">Why</summary>',
        ),
        ("{{<details>}}", '<details markdown="1"><summary markdown="span">Details</summary>'),
    ],
)
def test_details(opening, expected):
    assert expand(f"{opening}\nbody\n{{{{< /details >}}}}").text == f"{expected}\nbody\n</details>"


def test_figure():
    tag = '{{< figure src="img/a b.png" alt="A" title="T" caption="Cap & co" link="https://x.org" class="wide" />}}'
    assert expand(tag).text == (
        '<figure class="wide"><a href="https://x.org"><img src="img/a b.png" alt="A"></a>'
        "<figcaption><h4>T</h4><p>Cap &amp; co</p></figcaption></figure>"
    )
    assert expand('{{< figure src="a.png" >}}').text == '<figure><img src="a.png"></figure>'


# -- what is kept as written -------------------------------------------------------------


def test_unknown_unclosed_and_stray_tags_stay_visible_with_one_warning_each():
    text = (
        "intro\n{% youtube dQw4w9WgXcQ %} and {% foo *x* %}\n{{< tweet 123 >}} {{<tweet>}}\n{% endnote %}\n{% note %}"
    )
    result = expand(text, first_line=5)
    assert result.text == (
        "intro\n{% youtube dQw4w9WgXcQ %} and {% foo &#42;x&#42; %}\n"
        "{{&#60; tweet 123 &#62;}} {{&#60;tweet&#62;}}\n{% endnote %}\n{% note %}"
    )
    assert messages(result) == [
        (6, "unknown tag {% youtube %}"),
        (6, "unknown tag {% foo %}"),
        (7, "unknown shortcode {{< tweet >}}"),
        (7, "unknown shortcode {{< tweet >}}"),
        (8, "stray tag {% endnote %}"),
        (9, "unclosed tag {% note %}"),
    ]
    shown = html("{% youtube x %} {{<tweet>}} {{% tip %}} {% foo *x* %}").get_text()
    assert shown.strip() == "{% youtube x %} {{<tweet>}} {{% tip %}} {% foo *x* %}"


def test_unclosed_literal_blocks_and_missing_arguments():
    result = expand("{% raw %}\n{% codeblock %}\n{% asset_img %}\n{{< figure alt=x >}}")
    assert result.text == "{% raw %}\n{% codeblock %}\n{% asset&#95;img %}\n{{&#60; figure alt=x &#62;}}"
    assert messages(result) == [
        (1, "unclosed tag {% raw %}"),
        (2, "unclosed tag {% codeblock %}"),
        (3, "asset_img: no image given"),
        (4, "figure: no src given"),
    ]


# -- nesting -----------------------------------------------------------------------------


def test_nested_blocks():
    text = "{{< details Why >}}\n{% note info %}\n{% codeblock lang:sh %}\necho {% endnote %}\n{% endcodeblock %}\n{% endnote %}\n{{< /details >}}"
    assert expand(text).text == (
        '<details markdown="1"><summary markdown="span">Why</summary>\n<div class="note note-info" markdown="1">\n'
        "```sh\necho {% endnote %}\n```\n</div>\n</details>"
    )


def test_an_unclosed_inner_block_is_kept_and_the_outer_one_still_closes():
    result = expand("{% note %}\n{{< details >}}\n{% blockquote %}\nx\n{% endnote %}", first_line=3)
    assert result.text.splitlines()[0] == '<div class="note note-default" markdown="1">'
    assert result.text.splitlines()[-1] == "</div>"
    assert messages(result) == [(4, "unclosed shortcode {{< details >}}"), (5, "unclosed tag {% blockquote %}")]


def test_tags_in_a_table_cell_keep_the_table():
    page = html("| a | b |\n|---|---|\n| {% post_link nope x|y %} | {% asset_link f.pdf %} |")
    assert [td.get_text() for td in page.find_all("td")] == ["x|y", "f.pdf"]


def test_windows_line_endings():
    assert (
        expand("{% note %}\r\nx\r\n{% endnote %}\r\n").text
        == '<div class="note note-default" markdown="1">\r\nx\r\n</div>\r\n'
    )


# -- end to end: what Python-Markdown makes of it ----------------------------------------


def test_note_without_blank_lines_renders_its_markdown():
    page = html("Intro\n{% note warning %}\n**Careful**:\n\n- one\n- two\n{% endnote %}\nAfter")
    box = page.find("div", class_="note")
    assert box["class"] == ["note", "note-warning"] and not box.has_attr("markdown")
    assert box.find("strong").get_text() == "Careful"
    assert [li.get_text() for li in box.find_all("li")] == ["one", "two"]
    assert [p.get_text() for p in page.find_all("p", recursive=False)] == ["Intro", "After"]


def test_details_renders_summary_and_body():
    page = html('Text\n{{< details "Show *more*" >}}\n| a | b |\n|---|---|\n| 1 | 2 |\n{{< /details >}}')
    details = page.find("details")
    assert details.summary.find("em").get_text() == "more"
    assert [td.get_text() for td in details.find_all("td")] == ["1", "2"]


def test_codeblock_in_a_note_renders_as_code_with_its_language():
    page = html("{% note %}\n{% codeblock lang:python %}\nx = '*{% y %}*'\n{% endcodeblock %}\n{% endnote %}")
    code = page.find("div", class_="note").find("pre").code
    assert code["class"] == ["language-python"] and code.get_text() == "x = '*{% y %}*'\n"


def test_codeblock_caption_shows_with_codehilite():
    text = "{% codeblock Array.map lang:js %}\nmap(f)\n{% endcodeblock %}"
    out = markdown.markdown(
        expand(text).text,
        extensions=["fenced_code", "codehilite"],
        extension_configs={"codehilite": {"guess_lang": False}},
    )
    assert BeautifulSoup(out, "html.parser").find("span", class_="filename").get_text() == "Array.map"


def test_escaped_pre_renders_the_code_as_written():
    page = html("{% codeblock lang:js %}a = `*b*` < $c$;\n# d{% endcodeblock %}")
    assert page.find("pre").code.get_text() == "a = `*b*` < $c$;\n# d"


def test_image_and_links_render():
    page = html('{% asset_img "my fig.png" "The title" "The alt" %} {% post_link hello-world %} {% post_link nope %}')
    img = page.find("img")
    assert (img["src"], img["alt"], img["title"]) == ("my fig.png", "The alt", "The title")
    link = page.find("a")
    assert (link["href"], link.get_text()) == ("/posts/hello-world/", "Hello *World*")
    assert page.get_text().strip().endswith("nope")


def test_blockquote_renders_with_its_footer():
    page = html("Before\n{% blockquote Seth, Book %}\nA *quote*\n{% endblockquote %}\nAfter")
    quote = page.find("blockquote")
    assert quote.p.em.get_text() == "quote"
    assert quote.footer.get_text() == "— Seth, Book"


# -- properties --------------------------------------------------------------------------

PIECES = [
    "{% note info %}", "{% endnote %}", "{% raw %}", "{% endraw %}", "{% codeblock lang:py %}", "{% endcodeblock %}",
    "{% asset_img a.png T %}", "{% post_link hello-world %}", "{% blockquote A, B %}", "{% endblockquote %}",
    "{{< details x >}}", "{{< /details >}}", "{{% details %}}", "{{< figure src=a >}}", "{% youtube %}", "{%", "%}",
    "{{<", ">}}", "```", "~~~", "`", "``", "\n", "\n\n", "\r\n", " ", "text", "- item", "    ", '"', "'", "\\",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_any_text_keeps_its_line_count(pieces):
    text = "".join(pieces)
    result = expand_tags(text, "a.md", 1, POSTS.get)
    assert result.text.count("\n") == text.count("\n")
    assert all(1 <= d.line <= text.count("\n") + 1 for d in result.diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="{"), max_size=200))
def test_text_without_braces_comes_back_unchanged(text):
    assert expand_tags(text, "a.md").text == text


@pytest.mark.parametrize(
    "text",
    [
        "{%" * 50_000,
        "{{<" * 35_000,
        "{{%" * 35_000,
        "{% " * 30_000 + "%}",
        "{% raw %}" * 10_000,
        "`" * 2_000 + " {% a %} " + "``` " * 20_000,
        "```x\n" * 20_000 + "``",
        "{% asset_img " + '"' * 50_000 + " %}",
        "{{< figure " + "a=" * 30_000 + " >}}",
    ],
    ids=["hexo", "hugo", "hugo-percent", "one-long-tag", "unclosed-raw", "backtick-runs", "fences", "quotes", "keys"],
)
def test_pathological_lines_finish(text):
    """Linear-time inputs: each would take minutes with a quadratic scan (no wall-clock assertion here)."""
    assert expand_tags(text, "a.md").text.count("\n") == text.count("\n")
