"""The six languages are complete: every catalog translates every message of the code (none untranslated,
none fuzzy, placeholders and markup kept), and no template writes words outside ``{% translate %}``."""

from __future__ import annotations

import importlib.util
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

BASE = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _catalogs_module():
    spec = importlib.util.spec_from_file_location("catalogs", BASE / "scripts" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogs = _catalogs_module()


def unfinished(path: Path) -> list[str]:
    """What a reader of the language would meet in English, or broken: messages untranslated or fuzzy, and
    translations that lose or add a placeholder or a tag."""
    catalog = catalogs.read(path)
    found = [f"untranslated or fuzzy: {message.id!r}"[:160] for message in catalogs.pending(catalog)]
    for message in catalog:
        if message.id and message not in catalogs.pending(catalog):
            found += [
                f"{message.id!r}: {problem}"[:160]
                for problem in catalogs.problems(message, catalog.num_plurals)
            ]
    return found


def test_there_is_a_catalog_for_each_language_but_english():
    folders = {path.parent.parent.name for path in catalogs.catalog_paths()}
    assert folders == {code.split("-")[0] + ("_Hans" if code == "zh-hans" else "") for code in LANGUAGES}


@pytest.mark.parametrize("path", catalogs.catalog_paths(), ids=lambda path: path.parent.parent.name)
def test_every_message_is_translated_and_keeps_its_placeholders(path):
    assert unfinished(path) == []


def test_the_catalogs_hold_every_message_of_the_code(tmp_path, settings):
    """makemessages, run on a copy of the code, finds nothing the catalogs do not translate already: a new
    or changed message in the code fails here until every language has it."""
    copy = tmp_path / "code"
    shutil.copytree(
        BASE,
        copy,
        ignore=shutil.ignore_patterns(
            ".*",
            "var",
            "media",
            "staticfiles",
            "static",
            "tests",
            "docs",
            "__pycache__",
            "*.mo",
            "node_modules",
        ),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(copy)
        locales = [path.parent.parent.name for path in catalogs.catalog_paths()]
        call_command("makemessages", locale=locales, no_obsolete=True, verbosity=0)
    found = []
    for path in sorted((copy / "locale").glob("*/LC_MESSAGES/django.po")):
        found += [f"{path.parent.parent.name}: {problem}" for problem in unfinished(path)]
    assert found == [], "run `manage.py makemessages`, then translate (scripts/catalogs.py todo)"


# --- Templates: no words outside {% translate %} ----------------------------------------------------------

#: Attributes a person reads (or hears from a screen reader).
READ_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description", "aria-roledescription"}
#: Words that are the same in every language: file formats.
NOT_WORDS = {"CSV", "XLSX", "Excel", "PDF", "DOCX", "iCalendar", "vCard"}
WORD = re.compile(r"[^\W\d_]{2,}")
#: What a template tag or variable becomes in the text checked: nothing a reader would see as a word.
TAG = "\x00"


class _Reader(HTMLParser):
    """The words of a template's text and readable attributes, template tags and variables taken out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.words: list[str] = []

    def _check(self, text: str) -> None:
        words = [word for word in WORD.findall(text.replace(TAG, " ")) if word not in NOT_WORDS]
        if words:
            self.words.append(" ".join(text.replace(TAG, "…").split()))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self._check(data)


def words_outside_translation(source: str) -> list[str]:
    """The words a template writes itself rather than through the catalogs."""
    text, inside = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            # blocktranslate's text is the catalogs'; a comment's and a setvar's (class names) are not read
            inside += name in ("blocktranslate", "blocktrans", "comment", "setvar")
            inside -= name in ("endblocktranslate", "endblocktrans", "endcomment", "endsetvar")
        # A tag inside an HTML tag (`<td{% if x %} class="y"{% endif %}>`) must not break the tag: a space.
        text.append(token.contents if token.token_type == TokenType.TEXT and not inside else f" {TAG} ")
    reader = _Reader()
    reader.feed("".join(text))
    return reader.words


TEMPLATES = sorted(path for path in BASE.glob("templates/**/*") if path.is_file())


def test_the_check_sees_words_written_outside_translation():
    assert words_outside_translation("<p>{% translate 'Saved' %}</p><p>Saved</p>") == ["Saved"]
    assert words_outside_translation('<input placeholder="Search">') == ["Search"]
    assert words_outside_translation("<p>{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}</p>") == []
    assert words_outside_translation("<td{% if a %} class='x'{% endif %}>{{ v }} CSV</td>") == []
    assert words_outside_translation("<script>const label = 'Search';</script>") == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(BASE / "templates")))
def test_templates_write_words_only_through_the_catalogs(path):
    assert words_outside_translation(path.read_text(encoding="utf-8")) == []
