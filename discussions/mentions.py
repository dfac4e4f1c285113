"""Mentions in plain-text posts: ``@`` followed by a person's email address, e.g.
``@lucas.moreau@unodc.example.org``.

Bodies are plain text. Rendering escapes everything, turns line breaks into paragraphs and ``<br>``, and
turns the mention of a known person into a link to their directory profile — nothing else becomes markup,
so no HTML a poster writes ever reaches a reader's page.
"""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Not preceded by a character of an address (so "name@host" alone is no mention); the domain ends with
# letters, so a full stop closing a sentence is left out.
MENTION = re.compile(
    r"(?<![\w.%+@-])@([A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
)
PARAGRAPHS = re.compile(r"\n\s*\n")


def mentioned_emails(text: str) -> list[str]:
    """The addresses mentioned in the text, lower-cased, once each, in order of first mention."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def render(text: str, people: dict[str, object]) -> SafeString:
    """The text as safe HTML: escaped, paragraphs and line breaks kept, mentions of ``people`` (by
    lower-cased email) linked to their profile; a mention of anyone else stays plain text."""
    paragraphs = []
    for paragraph in PARAGRAPHS.split((text or "").replace("\r\n", "\n").strip()):
        lines = [_render_line(line, people) for line in paragraph.split("\n")]
        paragraphs.append("<p>" + "<br>".join(lines) + "</p>")
    return mark_safe("\n".join(paragraphs))  # noqa: S308 -- every piece is escaped above


def _render_line(line: str, people: dict[str, object]) -> str:
    out, position = [], 0
    for match in MENTION.finditer(line):
        person = people.get(match.group(1).lower())
        if person is None:
            continue
        out.append(escape(line[position : match.start()]))
        out.append(
            format_html(
                '<a class="mention" href="{}">@{}</a>',
                reverse("directory:person", kwargs={"pk": person.pk}),
                person.full_name or person.email,
            )
        )
        position = match.end()
    out.append(escape(line[position:]))
    return "".join(out)
