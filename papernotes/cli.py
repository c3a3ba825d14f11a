"""Command line: build (default), serve, export, deploy, init, new, import."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from .commands.common import options_from, printable, project_root


def cmd_build(args) -> int:
    from .commands.build import run_build

    return run_build(options_from(args), strict=args.strict, progress=args.progress)


def cmd_export(args) -> int:
    from .commands.export import run_export

    return run_export(options_from(args), args.format, args.out)


def cmd_serve(args) -> int:
    from .commands.serve import run_serve

    return run_serve(options_from(args), host=args.host, port=args.port, open_browser=args.open)


def cmd_deploy(args) -> int:
    from .commands.deploy import run_deploy

    return run_deploy(options_from(args), push=not args.no_push, branch=args.branch, message=args.message)


def cmd_init(args) -> int:
    from .commands.scaffold import run_init

    return run_init(args.dir)


def cmd_new(args) -> int:
    from .commands.scaffold import run_new

    return run_new(project_root() / "site_src", args.kind, args.title)


def cmd_import(args) -> int:
    from .commands.import_hexo import run_import

    return run_import(args.blog, args.site or project_root(), args.keep_urls)


def _drafts(parser: argparse.ArgumentParser) -> None:
    help_text = "publish drafts too (posts in _drafts/ or with draft: true)"
    parser.add_argument("--drafts", action="store_true", help=help_text)


def _common(parser: argparse.ArgumentParser, short_output: bool = True) -> None:
    parser.add_argument("--source", type=Path, default=None, help="content folder (default: site_src/)")
    names = ("--output", "-o") if short_output else ("--output",)
    parser.add_argument(*names, type=Path, default=None, help="output folder (default: output/)")
    parser.add_argument("--base-url", default=None, help="public URL of the site, e.g. https://user.github.io/notes/")
    parser.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="skip the Pagefind search index (faster; the search page then finds nothing)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="papernotes", description="Build a static site of research notes and papers.")
    sub = parser.add_subparsers(dest="command")

    build = sub.add_parser("build", help="render site_src/ into output/ (the default)")
    _common(build)
    build.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    build.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="a line per stage (read, merge, render, pages, write, index): auto = once the build takes a few seconds",
    )
    _drafts(build)
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild and reload on save")
    _common(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    _drafts(serve)
    serve.set_defaults(func=cmd_serve)

    export = sub.add_parser("export", help="write all merged papers as JSON, CSV or BibTeX")
    _common(export, short_output=False)
    export.add_argument("--format", choices=["json", "csv", "bibtex"], default="json")
    export.add_argument("-o", "--out", default="-", help="file to write (default: standard output)")
    export.set_defaults(func=cmd_export)

    deploy = sub.add_parser("deploy", help="commit output/ to the gh-pages branch and push it")
    _common(deploy)
    deploy.add_argument("--no-push", action="store_true", help="only commit, do not push")
    deploy.add_argument("--branch", default="gh-pages")
    deploy.add_argument("--message", default="Publish site")
    deploy.set_defaults(func=cmd_deploy)

    init = sub.add_parser("init", help="write a new notes repository (site_src/, package.json, Pages workflow)")
    init.add_argument("dir", type=Path, help="the folder to create (or an empty one)")
    init.set_defaults(func=cmd_init)

    new = sub.add_parser("new", help="write site_src/notes/<slug>.md or site_src/posts/<slug>.md and print its path")
    new.add_argument("kind", choices=["note", "post"])
    new.add_argument("title", help='the title, e.g. "扩散模型笔记" (the slug is its pinyin: kuo-san-mo-xing-bi-ji)')
    new.set_defaults(func=cmd_new)

    imports = sub.add_parser("import", help="bring another blog's sources into a site")
    kinds = imports.add_subparsers(dest="kind", required=True)
    hexo = kinds.add_parser("hexo", help="a Hexo blog: source/_posts, asset folders, permalinks")
    hexo.add_argument("blog", type=Path, metavar="BLOG_DIR", help="the Hexo blog's folder (holds _config.yml)")
    hexo.add_argument("--site", type=Path, default=None, help="the notes site to import into (default: this one)")
    hexo.add_argument("--keep-urls", action="store_true", help="keep the blog's URLs (its permalink pattern)")
    hexo.set_defaults(func=cmd_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = make_parser().parse_args(argv)
    return args.func(args)


def run() -> None:
    """The console script and build.py: `main()`, then a fast exit.

    A build leaves millions of small objects (the model, the memos); freeing them one by one at
    interpreter shutdown takes longer than a warm build's rendering. Everything that must happen
    before exit (KaTeX worker stopped, files written and renamed, state saved) has happened when
    `main()` returns, so, like mypy, we flush and leave without the teardown.

    Ctrl-C and SIGTERM (what `kill`, systemd and CI runners send) stop a build the same way: the
    interrupt unwinds the build (the KaTeX worker and Pagefind are stopped on the way, the build
    state is not saved, so the next build checks every page) and we exit 130 / 143 with one line.
    """
    stopped_by = [signal.SIGINT]

    def on_terminate(signum, frame) -> None:
        stopped_by[0] = signum
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_terminate)
    try:
        code = main()
    except SystemExit as exc:  # argparse errors and --help
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if not isinstance(exc.code, int) and exc.code is not None:
            print(exc.code, file=sys.stderr)
    except KeyboardInterrupt:
        for name in ("SIGINT", "SIGTERM"):  # a second signal must not interrupt the goodbye
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        name = "SIGTERM" if stopped_by[0] == signal.SIGTERM else "interrupted"
        print(
            f"papernotes: stopped ({name}); the build state was not saved: the next build checks every page",
            file=sys.stderr,
        )
        code = 128 + int(stopped_by[0])
    except OSError as exc:  # a file-system fault no stage turned into a message: one line, no traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(printable(f"papernotes: error: {where}{exc.strerror or exc}"), file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None when the command ran with that stream closed (`export >&-`)
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
