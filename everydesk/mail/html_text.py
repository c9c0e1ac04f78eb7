"""Readable plain text from an HTML mail body, with the stdlib HTML parser.

Block elements become line breaks, list items get a dash, and blockquotes get "> " prefixes so
the quote folding in quotes.py treats an HTML-only reply the same as a plain-text one.
"""

import contextlib
from html.parser import HTMLParser

# Deriving text from more than this is slow and nobody reads it; the HTML itself is kept.
MAX_HTML_FOR_TEXT = 1_000_000
# Hostile HTML nests thousands of blockquotes; a prefix per level would grow quadratically.
MAX_QUOTE_DEPTH = 20

_SKIP = {"script", "style", "head", "title", "template", "xml"}
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}
_PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "pre"}
_BLOCK = _PARAGRAPH | {
    "address", "article", "aside", "blockquote", "center", "dd", "div", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "header", "hr", "li", "main", "nav", "section",
    "tr", "tbody", "thead", "tfoot", "caption",
}  # fmt: skip


class _TextBuilder(HTMLParser):
    """Collects text lines and, for each, the offset in the source where its markup starts."""

    def __init__(self, source: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.offsets: list[int] = []
        self.line: list[str] = []
        self.line_start: int | None = None
        self.quote_depth = 0
        self.skip_depth = 0
        self.pre_depth = 0
        # Offsets are only wanted for folding; plain conversion skips the bookkeeping.
        self.source_lines = [0]
        newline = source.find("\n")
        while newline != -1:
            self.source_lines.append(newline + 1)
            newline = source.find("\n", newline + 1)

    def _here(self) -> int:
        line, column = self.getpos()
        return self.source_lines[line - 1] + column if line <= len(self.source_lines) else 0

    def _mark(self) -> None:
        if self.line_start is None:
            self.line_start = self._here()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self._break()
        elif tag in _BLOCK:
            self._break(blank=tag in _PARAGRAPH)
            self._mark()
            if tag == "blockquote":
                self.quote_depth += 1
            elif tag == "pre":
                self.pre_depth += 1
            elif tag == "li":
                self.line.append("- ")
            elif tag == "hr":
                self.line.append("---")
                self._break()
        elif tag in ("td", "th") and self.line:
            self.line.append("  ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in _BLOCK:
            self._break(blank=tag in _PARAGRAPH or tag == "blockquote")
            if tag == "blockquote":
                self.quote_depth = max(0, self.quote_depth - 1)
            elif tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if data.strip():
            self._mark()
        if self.pre_depth:
            first, *rest = data.replace("\r\n", "\n").split("\n")
            self.line.append(first)
            for segment in rest:
                self._break()
                self.line.append(segment)
            return
        words = " ".join(data.split())
        if not words:
            if data and self.line and not self.line[-1].endswith(" "):
                self.line.append(" ")
            return
        lead = " " if data[0].isspace() and self.line else ""
        trail = " " if data[-1].isspace() else ""
        self.line.append(lead + words + trail)

    def _break(self, blank: bool = False) -> None:
        prefix = "> " * min(self.quote_depth, MAX_QUOTE_DEPTH)
        text = "".join(self.line)
        text = text.rstrip() if self.pre_depth else text.strip()
        if text:
            self.lines.append(prefix + text.replace("\xa0", " "))
            self.offsets.append(self._here() if self.line_start is None else self.line_start)
            self.line_start = None
        self.line = []
        if blank and self.lines and self.lines[-1].strip("> "):
            self.lines.append(prefix.rstrip())
            self.offsets.append(self._here())

    def result(self) -> tuple[list[str], list[int]]:
        self._break()
        lines: list[str] = []
        offsets: list[int] = []
        for line, offset in zip(self.lines, self.offsets, strict=True):
            if not line.strip("> ") and (not lines or not lines[-1].strip("> ")):
                continue  # one blank line between blocks is enough, none at the start
            lines.append(line)
            offsets.append(offset)
        while lines and not lines[-1].strip("> "):
            lines.pop()
            offsets.pop()
        return lines, offsets


def _read(html: str, track: bool) -> tuple[list[str], list[int]]:
    builder = _TextBuilder(html if track else "")
    # html.parser has raised AssertionError on odd markup in past releases: keep what was read.
    with contextlib.suppress(Exception):
        builder.feed(html[:MAX_HTML_FOR_TEXT])
        builder.close()
    return builder.result()


def html_to_text(html: str) -> str:
    """The readable text of an HTML body; never raises (the stdlib parser is lenient)."""
    return "\n".join(_read(html, track=False)[0])


def html_lines(html: str) -> tuple[list[str], list[int]]:
    """The text lines of an HTML body and, for each, where its markup starts in `html`."""
    return _read(html, track=True)
