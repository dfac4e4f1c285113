"""The translation catalogs (``locale/<language>/LC_MESSAGES/django.po``): what is left to translate, filling
translations in, checking them and compiling them for Django. Pure Python (Babel), so no gettext tools are
needed on the machine that runs the platform.

    python scripts/catalogs.py status                 # per language: translated, fuzzy, untranslated
    python scripts/catalogs.py todo fr --limit 200    # the next untranslated or fuzzy messages, as JSON
    python scripts/catalogs.py fill fr done.json      # write translations in (checked like `check`)
    python scripts/catalogs.py check                  # every translation keeps its placeholders and markup
    python scripts/catalogs.py compile                # django.po -> django.mo, for every language

``done.json`` is a list of {"n": 12, "msgstr": "..."} or {"n": 13, "msgstr_plural": [...]}, ``n`` being
the number ``todo`` gave the message.

The terms follow docs/glossary.md. After ``manage.py makemessages`` adds or changes messages, ``todo`` lists
them (a changed message comes back as fuzzy and must be looked at again).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "locale"

# What a translation must carry over from its message: Python's placeholders, str.format fields, HTML tags
# (with their attributes: an href or a class is not translated) and character references.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[\w.]*\}|<[^<>]+>|&[#\w]+;")


def catalog_paths() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def write(path: Path, catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=79, sort_output=False, ignore_obsolete=True)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(message, plural_forms: int) -> list[str]:
    """Why the message's translation would break a page or lose information: an empty form, a placeholder
    or tag added or left out. A plural form may leave out a placeholder (Arabic says "one document", not
    "1 document") but never add one, which would fail when the page is drawn."""
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    found = []
    if isinstance(message.id, tuple) and len(strings) != plural_forms:
        found.append(f"{len(strings)} plural forms, the language has {plural_forms}")
    wanted = placeholders(ids[-1])
    for index, text in enumerate(strings):
        if not text:
            found.append(f"form {index} is empty")
            continue
        have = placeholders(text)
        if isinstance(message.id, tuple):
            extra = set(have) - set(placeholders(ids[0])) - set(wanted)
            if extra:
                found.append(f"form {index} adds {sorted(extra)}")
            missing_markup = [p for p in wanted if p.startswith("<") and p not in have]
            if missing_markup:
                found.append(f"form {index} leaves out {missing_markup}")
        elif have != wanted:
            found.append(f"placeholders {have} instead of {wanted}")
    return found


def key(message) -> str:
    return json.dumps([message.context, message.id], ensure_ascii=False)


def pending(catalog) -> list:
    return [
        m
        for m in catalog
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
    ]


def status(_arguments) -> int:
    for path in catalog_paths():
        catalog = read(path)
        messages = [m for m in catalog if m.id]
        fuzzy = sum(1 for m in messages if m.fuzzy)
        untranslated = len(pending(catalog)) - fuzzy
        print(f"{path.parent.parent.name:8} {len(messages)} messages, {untranslated} to do, {fuzzy} fuzzy")
    return 0


def todo(arguments) -> int:
    path = LOCALE / arguments.language / "LC_MESSAGES" / "django.po"
    catalog = read(path)
    items = []
    numbers = {key(message): number for number, message in enumerate(m for m in catalog if m.id)}
    for message in pending(catalog)[: arguments.limit]:
        item = {"n": numbers[key(message)], "msgid": message.id}
        if message.context:
            item["msgctxt"] = message.context
        if isinstance(message.id, tuple):
            item = {
                **item,
                "msgid": message.id[0],
                "msgid_plural": message.id[1],
                "forms": catalog.num_plurals,
            }
        if message.auto_comments:
            item["note"] = " ".join(message.auto_comments)
        item["where"] = [f"{file}:{line}" for file, line in message.locations[:2]]
        items.append(item)
    json.dump(items, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def fill(arguments) -> int:
    path = LOCALE / arguments.language / "LC_MESSAGES" / "django.po"
    catalog = read(path)
    entries = json.loads(Path(arguments.file).read_text(encoding="utf-8"))
    by_number = [m for m in catalog if m.id]
    errors, done = [], 0
    for entry in entries:
        if "n" in entry:  # the message's number in `todo`'s listing (the catalog is not changed meanwhile)
            message = by_number[entry["n"]] if 0 <= entry["n"] < len(by_number) else None
        else:
            msgid = (entry["msgid"], entry["msgid_plural"]) if "msgid_plural" in entry else entry["msgid"]
            message = catalog.get(msgid, context=entry.get("msgctxt"))
        if message is None:
            errors.append(f"not in the catalog: {entry}")
            continue
        label = message.id[0] if isinstance(message.id, tuple) else message.id
        before = message.string, message.flags.copy()
        message.string = tuple(entry["msgstr_plural"]) if "msgstr_plural" in entry else entry["msgstr"]
        found = problems(message, catalog.num_plurals)
        if found:
            message.string = before[0]
            errors.append(f"n={by_number.index(message)} {label[:60]!r}: {'; '.join(found)}")
            continue
        message.flags.discard("fuzzy")
        # The message a fuzzy guess was made from ("#| msgid", which Babel reads as a comment): stale now.
        message.user_comments = [line for line in message.user_comments if not line.startswith("| ")]
        done += 1
    write(path, catalog)
    print(f"{done} translations written, {len(errors)} refused")
    for error in errors:
        print("  " + error)
    return 1 if errors else 0


def check(_arguments) -> int:
    failed = 0
    for path in catalog_paths():
        catalog = read(path)
        for message in catalog:
            if (
                message.id
                and not message.fuzzy
                and all(message.string if isinstance(message.string, tuple) else [message.string])
            ):
                for problem in problems(message, catalog.num_plurals):
                    failed += 1
                    print(f"{path}: {key(message)[:80]}: {problem}")
    return 1 if failed else 0


def compile_all(_arguments) -> int:
    for path in catalog_paths():
        catalog = read(path)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status").set_defaults(run=status)
    listing = commands.add_parser("todo")
    listing.add_argument("language")
    listing.add_argument("--limit", type=int, default=100)
    listing.set_defaults(run=todo)
    filling = commands.add_parser("fill")
    filling.add_argument("language")
    filling.add_argument("file")
    filling.set_defaults(run=fill)
    commands.add_parser("check").set_defaults(run=check)
    commands.add_parser("compile").set_defaults(run=compile_all)
    arguments = parser.parse_args()
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
