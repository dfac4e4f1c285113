"""Form fuzzing: read the forms a page renders as a browser would, and submit them with hostile values.

``forms_and_links(html, url)`` finds every ``<form>`` of a page (its controls, the values the page rendered,
the options it offers) and, as GET forms too, the links that carry a query string (pagination, the
calendar's previous/next, facet links): a parameter in a link is as easy to edit as a field.
``Fuzzer`` submits them — each option alone, then each hostile value in one field at a time, the others as
the page rendered them — and collects every answer that is a server error or, for a POST, a bare error page.

Only the standard library's ``html.parser`` is used: the platform's pages are well-formed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve, reverse

#: Values that have broken form handling somewhere: empty, negative, a digit ``int()`` refuses though
#: ``str.isdigit()`` accepts it, long text, markup, an encoded and a real NUL byte (PostgreSQL refuses NUL
#: in text), the ends of the calendar, a float overflow, digits of another script, a path.
HOSTILE = (
    "",
    "-1",
    "²",
    "x" * 3000,
    "'\"<x>",
    "%00",
    "\x00",
    "0001-01-01",
    "9999-12-31",
    "1e309",
    "١٢٣",
    "../",
)

#: What a choice (a select, tick boxes, radio buttons) is sent in place of one of its options: every choice
#: field parses its value the same way (the form field's ``to_python`` and a lookup among its choices), so
#: the values that test number parsing and text storage once per form need not be repeated for each.
CHOICE_HOSTILE = ("", "-1", "²", "x" * 3000, "\x00")

#: The few values sent to a form fuzzed in full elsewhere (see ``Fuzzer``).
LIGHT = ("", "²", "\x00", "9999-12-31")

#: The ends of the calendar in the formats of other date controls, added for controls of that format.
EDGE_DATES = {
    "month": ("0001-01", "9999-12"),
    "week": ("0001-W01", "9999-W52"),
    "datetime-local": ("0001-01-01T00:00", "9999-12-31T23:59"),
}
SHAPES = {"month": "0000-00", "week": "0000-W00", "datetime-local": "0000-00-00T00:00"}

#: What a person would type in a required field the page left empty, by the control's type, so that the
#: hostile value in the field under test is the only thing wrong with the submission.
TYPED = {
    "email": "fuzz@example.org",
    "url": "https://example.org/",
    "number": "1",
    "date": "2030-06-14",
    "datetime-local": "2030-06-14T09:00",
    "month": "2030-06",
    "time": "09:00",
    "password": "Fuzz-password-2030!",
}

#: A form of this many fields or more is "big" (see ``Fuzzer``).
BIG_FORM = 6

#: Options tried one at a time in a GET form: all of a short list; of a long one (193 Member States,
#: ~250 organisations, 554 time zones) the first, the last and evenly spaced ones between, always the same.
OPTION_SAMPLE = 6

#: How a page says a form has errors, whatever its styling: an alert, or a field marked invalid for screen
#: readers (``includes/form_fields.html``, allauth's elements, the calendar's filters).
ERROR_MARKUP = ('role="alert"', 'aria-invalid="true"')


@dataclass
class Control:
    """One named form control as the page rendered it."""

    name: str
    kind: str  # an input's type, or "select", "textarea", "submit" (a named button)
    value: str = ""
    checked: bool = False
    required: bool = False
    multiple: bool = False
    options: list[str] = field(default_factory=list)  # a select's
    selected: list[str] = field(default_factory=list)

    def submitted(self) -> list[str]:
        """What a browser sends for this control (a button: only when it is the one pressed)."""
        if self.kind in ("checkbox", "radio"):
            return [self.value or "on"] if self.checked else []
        if self.kind == "select":
            chosen = self.selected or self.options[:1]
            if self.required and not any(chosen):
                chosen = [option for option in self.options if option][:1]
            return chosen if self.multiple else chosen[:1]
        if self.kind in ("submit", "file"):
            return []
        if self.required and not self.value:
            return [TYPED.get(self.kind, "Fuzz")]
        return [self.value]


@dataclass
class Form:
    method: str
    action: str  # an absolute path, with the query string the page gave it
    controls: list[Control] = field(default_factory=list)
    link: bool = False  # a link with a query string, submitted as a GET form

    def names(self) -> list[str]:
        """Each control name once, in page order (the CSRF token is no field to fuzz)."""
        return list(dict.fromkeys(c.name for c in self.controls if c.name != "csrfmiddlewaretoken"))

    def kinds(self, name: str) -> set[str]:
        return {c.kind for c in self.controls if c.name == name}

    def options(self, name: str) -> list[str]:
        """The values a person can choose for ``name``: a select's options, its checkboxes' or radios'."""
        values = []
        for control in self.controls:
            if control.name == name and control.kind == "select":
                values += control.options
            elif control.name == name and control.kind in ("checkbox", "radio"):
                values.append(control.value or "on")
        return list(dict.fromkeys(values))

    def defaults(self) -> list[tuple[str, str]]:
        """What a browser sends when the form is submitted as rendered, with its first named button; a
        required field left empty holds what a person would type (``TYPED``)."""
        data = [(c.name, value) for c in self.controls for value in c.submitted()]
        buttons = [(c.name, c.value) for c in self.controls if c.kind == "submit"]
        return data + buttons[:1]

    def signature(self) -> tuple:
        """Forms with the same target and fields are fuzzed once: the sign-out button of every page, the
        buttons repeated on each row of a table, a pagination link to another page number."""
        path = urlsplit(self.action).path
        try:
            target = resolve(path).url_name or path
        except Resolver404:
            target = path
        return (self.method, self.link, target, tuple(sorted(self.names())))


class _FormParser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.url = url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.form: Form | None = None
        self.select: Control | None = None
        self.option: tuple[str | None, list[str]] | None = None  # (its value attribute, its text)
        self.textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: "" if value is None else value for key, value in attrs}
        name, required = attrs.get("name"), "required" in attrs
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        elif tag == "form":
            self.form = Form(attrs.get("method", "get").lower(), urljoin(self.url, attrs.get("action", "")))
        elif self.form is None or "disabled" in attrs or not (name or tag == "option"):
            return
        elif tag == "input" and attrs.get("type", "text").lower() not in ("button", "reset"):
            kind = attrs.get("type", "text").lower().replace("image", "submit")
            control = Control(
                name, kind, attrs.get("value", ""), checked="checked" in attrs, required=required
            )
            self.form.controls.append(control)
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            self.form.controls.append(Control(name, "submit", attrs.get("value", "")))
        elif tag == "select":
            self.select = Control(name, "select", required=required, multiple="multiple" in attrs)
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = (attrs.get("value"), [])
            if "selected" in attrs:
                self.option[1].append("")  # marks it selected; its value is known at its end tag
        elif tag == "textarea":
            self.textarea = Control(name, "textarea", required=required)
            self.form.controls.append(self.textarea)

    def handle_data(self, data):
        if self.option is not None:
            self.option[1].append(data)
        elif self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "option" and self.option is not None:
            value, text = self.option
            value = "".join(text).strip() if value is None else value
            self.select.options.append(value)
            if text[:1] == [""]:
                self.select.selected.append(value)
            self.option = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # A textarea's content starts after one leading newline, as browsers read it.
            self.textarea.value = self.textarea.value.removeprefix("\n")
            self.textarea = None


def forms_and_links(html: str, url: str) -> list[Form]:
    """The page's forms, then its links with a query string to a page of the platform, as GET forms."""
    parser = _FormParser(url)
    parser.feed(html)
    parser.close()
    forms = [form for form in parser.forms if urlsplit(form.action).path.startswith("/")]
    for href in parser.links:
        target = urlsplit(urljoin(url, href))
        if target.query and target.netloc in ("", "testserver") and target.path.startswith("/"):
            controls = [Control(name, "hidden", value) for name, value in parse_qsl(target.query, True)]
            forms.append(Form("get", target.path, controls, link=True))
    return forms


def sample(values: list[str]) -> list[str]:
    """The options tried one at a time: all of a short list, a bounded deterministic spread of a long one."""
    if len(values) <= OPTION_SAMPLE:
        return values
    step = (len(values) - 1) / (OPTION_SAMPLE - 1)
    return [values[round(i * step)] for i in range(OPTION_SAMPLE)]


def _date_format(control: Control) -> str | None:
    """The date format a control takes beyond a plain date: by its type, or by the shape of the value it
    was rendered with (a hidden ``month=2026-05``)."""
    if control.kind in EDGE_DATES:
        return control.kind
    shape = "".join("0" if character.isdecimal() else character for character in control.value)
    return next((kind for kind, rendered in SHAPES.items() if rendered == shape), None)


def hostile_values(form: Form, name: str) -> tuple[str, ...]:
    """``HOSTILE`` (``CHOICE_HOSTILE`` for a field a person only chooses), and the ends of the calendar in the
    field's own format when it is a month, a week or a date and time."""
    if form.kinds(name) <= {"select", "checkbox", "radio"}:
        return CHOICE_HOSTILE
    formats = {_date_format(control) for control in form.controls if control.name == name} - {None}
    return HOSTILE + tuple(value for kind in sorted(formats) for value in EDGE_DATES[kind])


def replaced(data: list[tuple[str, str]], name: str, value) -> list[tuple[str, object]]:
    """``data`` with ``name`` holding ``value`` instead (added if the form did not send it)."""
    return [(key, kept) for key, kept in data if key != name] + [(name, value)]


@dataclass
class Failure:
    role: str
    page: str
    method: str
    action: str
    name: str
    value: str
    status: int
    problem: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) < 40 else f"{self.value[:12]}…({len(self.value)} chars)"
        return (
            f"[{self.role}] {self.method.upper()} {self.action} {self.name}={shown!r} "
            f"(form of {self.page}): {self.status} {self.problem}"
        )


@dataclass
class Fuzzer:
    """Fuzzes every form of the given pages as one identity.

    ``sign_in`` is called before each page, so that a POST which ended the session (or changed the person)
    cannot spoil the pages after it; ``before_post`` before each POST. How much each form gets keeps the
    run bounded, the big forms costing a full page each time they answer:

    - ``full``: each hostile value in one field at a time (and, in a GET form, each option alone);
    - ``light``: the ``LIGHT`` values in one field at a time, for a big form whose fields this identity
      already fuzzed in full at another address (an edit form after its creation form: every answer of
      those re-renders hundreds of options);
    - ``batch``: each ``LIGHT`` value in every field at once, for a form ``fuzzed_elsewhere(url)`` names:
      another identity fuzzes it in full.
    """

    client: object
    role: str
    sign_in: Callable[[], None]
    before_post: Callable[[], None]
    fuzzed_elsewhere: Callable[[str], set]
    #: URL names whose forms are never submitted: signing out ends the session the run needs.
    skip_actions: tuple[str, ...] = ("account_logout",)
    failures: list[Failure] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    requests: int = 0
    pages: int = 0
    forms: int = 0
    seconds: float = 0.0
    #: Pages that did not open (an earlier submission changed the world): their forms went unfuzzed.
    unopened: list[str] = field(default_factory=list)

    def run(self, urls: list[str]) -> None:
        started, seen, fuzzed_fields = time.monotonic(), set(), set()
        self.client.raise_request_exception = False
        for url in urls:
            self.sign_in()
            response = read(self.client.get(url))
            if response.status_code != 200:
                self.unopened.append(f"{url} ({response.status_code})")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue  # a download has no forms
            self.pages += 1
            elsewhere = None
            for form in forms_and_links(response.content.decode(), url):
                if form.signature() in seen or self._never_submitted(form) or not form.names():
                    continue
                seen.add(form.signature())
                if elsewhere is None:
                    elsewhere = self.fuzzed_elsewhere(url)
                fields = (form.method, tuple(sorted(form.names())))
                if form.signature() in elsewhere:
                    mode = "batch"
                elif fields in fuzzed_fields and len(form.names()) >= BIG_FORM:
                    mode = "light"
                else:
                    mode = "full"
                    fuzzed_fields.add(fields)
                self.forms += 1
                self._fuzz(url, form, mode)
        self.seconds = time.monotonic() - started

    def _never_submitted(self, form: Form) -> bool:
        return any(urlsplit(form.action).path == reverse(name) for name in self.skip_actions)

    def _fuzz(self, page: str, form: Form, mode: str) -> None:
        submit = self._post if form.method == "post" else self._get
        defaults = form.defaults()
        if mode == "batch":
            names = form.names()
            for value in LIGHT:
                data = [(key, kept) for key, kept in defaults if key not in names] + [
                    (n, value) for n in names
                ]
                submit(page, form, "(every field)", value, data)
            return
        for name in form.names():
            if form.kinds(name) == {"file"}:
                # No real upload: a tiny text file stands for any file (the upload rules have their tests).
                upload = SimpleUploadedFile("note.txt", b"A short note.\n", content_type="text/plain")
                submit(page, form, name, "<note.txt>", replaced(defaults, name, upload))
                continue
            if mode == "light":
                values = LIGHT
            elif form.method == "get":
                values = (*sample(form.options(name)), *hostile_values(form, name))
            else:
                values = hostile_values(form, name)
            for value in values:
                submit(page, form, name, value, replaced(defaults, name, value))

    def _get(self, page, form, name, value, data) -> None:
        response = self.client.get(urlsplit(form.action).path, _query(data))
        self._check(page, form, name, value, response)

    def _post(self, page, form, name, value, data) -> None:
        self.before_post()
        response = self.client.post(form.action, _query(data))
        if self._check(page, form, name, value, response) and not _answered(response, form, name):
            self._fail(page, form, name, value, response, "a bare error page, not the form with its message")

    def _check(self, page, form, name, value, response) -> bool:
        self.requests += 1
        self.statuses[response.status_code] += 1
        read(response)
        if response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
            # The submission ended the session (or the person's rights to it): sign in again.
            self.statuses["to sign-in"] += 1
            self.sign_in()
        if response.status_code < 500:
            return True
        error = response.exc_info[1] if response.exc_info else None
        self._fail(page, form, name, value, response, f"{type(error).__name__}: {error}"[:300])
        return False

    def _fail(self, page, form, name, value, response, problem) -> None:
        action = f"{form.action} (a link)" if form.link else form.action
        self.failures.append(
            Failure(self.role, page, form.method, action, name, value, response.status_code, problem)
        )

    def report(self) -> str:
        return (
            f"{self.role}: {self.pages} pages, {self.forms} forms, {self.requests} requests "
            f"in {self.seconds:.1f} s, {len(self.failures)} failures; answers: {dict(self.statuses)}"
            + (f"; pages that did not open: {', '.join(self.unopened)}" if self.unopened else "")
        )


def _answered(response, form: Form, name: str) -> bool:
    """A POST is answered with a redirect (with its message) or the page with the form and its errors.
    A 404 is the platform's answer to a row's posted id that is no choice (``core.forms.chosen``), accepted
    for hidden fields and buttons, which nobody types; 429 is the sign-in pages' rate limit."""
    status, html = response.status_code, response.content.decode(errors="replace")
    if 300 <= status < 400 or status == 429:
        return True
    if status == 200:
        return "html" in response.get("Content-Type", "")
    if status == 400:
        return "<form" in html and any(markup in html for markup in ERROR_MARKUP)
    return status == 404 and form.kinds(name) <= {"hidden", "submit"}


def _query(data) -> dict[str, list]:
    query: dict[str, list] = {}
    for key, value in data:
        query.setdefault(key, []).append(value)
    return query


def read(response):
    """The response, read to its end if it streams a file (the client then closes the file)."""
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def signatures(client, url: str) -> set:
    """The signatures of the forms ``client`` finds on the page at ``url``."""
    response = read(client.get(url))
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return set()
    return {form.signature() for form in forms_and_links(response.content.decode(), url)}
