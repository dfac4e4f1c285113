"""Readers of a rendered page, as a person or a screen reader meets it: by its text, its roles and its labels,
never by CSS classes, so that a restyle does not break the tests.

Each reader takes a Django test response (or the page's HTML as a string) and parses it with the standard
library's HTML parser; the text of an element is its words with white space collapsed (tags separate words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_SHOWN = {"script", "style", "template"}


@dataclass
class Element:
    """One element of the page: its tag, attributes and content (text pieces and elements, in order)."""

    tag: str
    attrs: dict[str, str]
    content: list = field(default_factory=list)

    def text(self) -> str:
        """The element's words, white space collapsed; scripts and styles are not text."""
        pieces: list[str] = []
        self._collect(pieces)
        return " ".join(" ".join(pieces).split())

    def _collect(self, pieces: list[str]) -> None:
        for part in self.content:
            if isinstance(part, str):
                pieces.append(part)
            elif part.tag not in NOT_SHOWN:
                part._collect(pieces)

    def all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """The elements inside this one (depth first) with the tag and attribute values given."""
        found = []
        for part in self.content:
            if isinstance(part, Element):
                if (tag is None or part.tag == tag) and all(part.attrs.get(k) == v for k, v in attrs.items()):
                    found.append(part)
                found.extend(part.all(tag, **attrs))
        return found

    def first(self, tag: str | None = None, **attrs: str) -> Element | None:
        """The first element inside this one with the tag and attribute values given, or None."""
        found = self.all(tag, **attrs)
        return found[0] if found else None


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value if value is not None else "" for name, value in attrs})
        self.open[-1].content.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].content.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        # An end tag closes the nearest open element of its kind (and any left open inside it).
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].content.append(data)


def parse(page) -> Element:
    """The page (a response, HTML text, or an element already read) as a tree of elements."""
    if isinstance(page, Element):
        return page
    html = page if isinstance(page, str) else page.content.decode()
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def words(page) -> str:
    """The page's visible text, white space collapsed."""
    return parse(page).text()


def main_words(page) -> str:
    """The text of the page's main region (``<main>``) only."""
    main = parse(page).first("main")
    return main.text() if main else ""


def messages(page) -> list[str]:
    """What the page tells the reader: each message of its status regions and each alert, in page order."""
    said = []
    for element in parse(page).all():
        role = element.attrs.get("role")
        if role == "alert":
            said.append(element.text())
        elif role == "status":
            items = [part for part in element.content if isinstance(part, Element)]
            said.extend(item.text() for item in items) if items else said.append(element.text())
    return [text for text in said if text]


def field_error(page, name: str) -> str:
    """The error text tied to the form field ``name`` through its aria-describedby ("" when it has none)."""
    root = parse(page)
    for control in root.all(name=name):
        described = control.attrs.get("aria-describedby", "").split()
        errors = [root.first(id=id_) for id_ in described if id_.endswith("error")]
        if any(errors):
            return " ".join(error.text() for error in errors if error)
    return ""


def links(page) -> list[tuple[str, str]]:
    """(text, address) of each link of the page."""
    return [(link.text(), link.attrs["href"]) for link in parse(page).all("a") if "href" in link.attrs]


def addresses(page) -> list[str]:
    """The address of each link of the page."""
    return [href for _text, href in links(page)]


def headings(page, level: int | None = None) -> list[str]:
    """The text of each heading of the page (of one level, h1 to h6, if given), in order."""
    tags = {f"h{level}"} if level else {"h1", "h2", "h3", "h4", "h5", "h6"}
    return [element.text() for element in parse(page).all() if element.tag in tags]


def list_items(page) -> list[str]:
    """The text of each item of the page's lists."""
    return [item.text() for item in parse(page).all("li")]


def table(page, caption: str) -> Element:
    """The table whose caption begins with ``caption``."""
    for found in parse(page).all("table"):
        named = found.first("caption")
        if named and named.text().startswith(caption):
            return found
    raise AssertionError(f"no table captioned {caption!r}")


def labels(page) -> list[str]:
    """The text of each form label and legend of the page."""
    return [element.text() for element in parse(page).all() if element.tag in {"label", "legend"}]


def control(page, label: str) -> Element:
    """The form control named by the label (or the group named by the legend) with this text."""
    root = parse(page)
    for element in root.all("label"):
        if element.text() == label and element.attrs.get("for"):
            found = root.first(id=element.attrs["for"])
            if found:
                return found
    for fieldset in root.all("fieldset"):
        legend = fieldset.first("legend")
        if legend and legend.text() == label:
            return fieldset
    raise AssertionError(f"no control labelled {label!r}")


def options(page, label: str) -> dict[str, str]:
    """The choices of the select labelled ``label``, as {value: text}."""
    return {
        option.attrs.get("value", option.text()): option.text()
        for option in control(page, label).all("option")
    }


def selected(page, label: str) -> list[str]:
    """The values chosen in the control labelled ``label``: its selected options, or its ticked boxes."""
    found = control(page, label)
    chosen = [
        option.attrs.get("value", option.text())
        for option in found.all("option")
        if "selected" in option.attrs
    ]
    ticked = [box.attrs.get("value", "on") for box in found.all("input") if "checked" in box.attrs]
    return chosen + ticked


def value(page, label: str) -> str:
    """The value the input (or text area) labelled ``label`` holds."""
    found = control(page, label)
    return found.text() if found.tag == "textarea" else found.attrs.get("value", "")
