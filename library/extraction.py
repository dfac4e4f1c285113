"""The text inside uploaded files, for full-text search.

Parsing a file is parsing hostile input with large C-backed libraries: a ZIP bomb, an XML entity bomb, a PDF
whose objects refer to each other in a loop. So the parsing never happens in the web or Celery process: a
child Python process (``library.extract_worker``) gets the bytes on stdin and answers in JSON on stdout,
under a hard timeout (the child is killed), an address-space limit and a CPU-time limit it sets on itself
before reading the file. Whatever the file does, the worst outcome is a status saying it could not be
read; the worker that asked carries on.

``extract`` never raises for a bad file. It does raise when the machine cannot start a process at all
(``OSError``): that is not the file's fault, and the caller's job should be retried, not the document marked
unreadable.
"""

from __future__ import annotations

import json
import logging
import math
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from library.filetypes import FileKind

logger = logging.getLogger(__name__)


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for text extraction")
    SEARCHABLE = "searchable", _("Searchable")
    NO_TEXT = "no_text", _("Not searchable: no text found (a scanned document or an image?)")
    ENCRYPTED = "encrypted", _("Not searchable: the file is password-protected")
    FAILED = "failed", _("Not searchable: the file could not be read")
    TOO_BIG = "too_big", _("Not searchable: the file took too long or too much memory to read")


@dataclass(frozen=True)
class Extraction:
    status: ExtractionStatus
    text: str
    truncated: bool


#: PostgreSQL's tsvector holds at most 1 MB; 300,000 characters keep well under it, also for scripts that
#: take several bytes a character, and are more than a long report holds.
MAX_TEXT_CHARS = 300_000
#: Seconds a file may take to read; ``settings.LIBRARY_EXTRACTION_TIMEOUT`` overrides it.
EXTRACTION_TIMEOUT = 60
#: The worker's exit status when it ran out of memory (it cannot be trusted to write JSON then).
EXIT_TOO_BIG = 3

#: Images have no text layer, and there is no OCR: no process is started for them.
IMAGE_KINDS = {FileKind.PNG, FileKind.JPEG}
#: A child killed by the kernel for its CPU-time limit, or by us, ran out of its allowance.
LIMIT_SIGNALS = {-signal.SIGXCPU, -signal.SIGKILL}
#: ``python -m library.extract_worker`` must find the project's packages whatever the caller's directory.
PROJECT_DIR = Path(__file__).resolve().parent.parent

#: The only environment variable the child gets (see ``extract``): where packages are, if set.
CHILD_ENVIRONMENT = ("PYTHONPATH",)

LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# NUL and other control characters (PostgreSQL refuses NUL in text), and lone surrogates (from broken PDF
# font maps: they cannot be encoded to UTF-8). \n and \t stay; other line breaks became \n above.
UNWANTED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
TRAILING_SPACE = re.compile(r"[ \t]+\n")
BLANK_LINES = re.compile(r"\n{3,}")

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s|[。！？]")
SPACE = re.compile(r"\s")


def extract(data: bytes, kind: FileKind, *, timeout: float | None = None) -> Extraction:
    """The text of a file of an accepted kind (see ``library.filetypes``), read in a child process."""
    kind = FileKind(kind)
    if kind in IMAGE_KINDS:
        return Extraction(ExtractionStatus.NO_TEXT, "", truncated=False)
    if timeout is None:
        timeout = getattr(settings, "LIBRARY_EXTRACTION_TIMEOUT", EXTRACTION_TIMEOUT)
    # The child also limits its own CPU time to the timeout: should this process die before killing it,
    # a child stuck in a loop still ends.
    command = [sys.executable, "-m", "library.extract_worker", kind.value, str(math.ceil(timeout))]
    try:
        done = subprocess.run(  # noqa: S603 -- fixed arguments: our interpreter, our module, a FileKind value
            command,
            input=data,
            capture_output=True,
            timeout=timeout,
            cwd=PROJECT_DIR,
            # Nothing of this process's environment (secret key, database URL) is handed to the code that
            # reads hostile files.
            env={name: os.environ[name] for name in CHILD_ENVIRONMENT if name in os.environ},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Extraction(ExtractionStatus.TOO_BIG, "", truncated=False)
    if done.returncode == EXIT_TOO_BIG or done.returncode in LIMIT_SIGNALS:
        return Extraction(ExtractionStatus.TOO_BIG, "", truncated=False)
    try:
        if done.returncode:
            raise ValueError(f"exit status {done.returncode}")
        answer = json.loads(done.stdout)
        return Extraction(ExtractionStatus(answer["status"]), str(answer["text"]), bool(answer["truncated"]))
    except (ValueError, KeyError, TypeError) as error:
        stderr = done.stderr.decode("utf-8", "replace")[-2000:]
        logger.warning("Text extraction of a %s file failed (%s): %s", kind.value, error, stderr)
        return Extraction(ExtractionStatus.FAILED, "", truncated=False)


def normalise(text: str) -> str:
    """Text as stored for search: line breaks as \\n, no control characters but \\n and \\t, no trailing
    spaces, at most one blank line in a row, no leading or trailing whitespace."""
    text = UNWANTED.sub("", LINE_BREAKS.sub("\n", text))
    return BLANK_LINES.sub("\n\n", TRAILING_SPACE.sub("\n", text)).strip()


def passages(text: str, size: int = 1500) -> list[str]:
    """The text cut into passages of at most ``size`` characters, each ending at a paragraph break if one
    falls in its second half, else at a sentence end there, else between words. Only a run of more than
    ``size`` characters without a space (a long URL, CJK text without punctuation) is cut inside."""
    found = []
    text = text.strip()
    while len(text) > size:
        cut = _cut(text, size)
        found.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        found.append(text)
    return found


def _cut(text: str, size: int) -> int:
    # The window includes the character just after ``size``: a break there ends a passage of exactly size.
    window = text[: size + 1]
    half = size // 2
    paragraph = [found.start() for found in PARAGRAPH_BREAK.finditer(window)]
    if paragraph and paragraph[-1] > half:
        return paragraph[-1]
    sentence = [found.end() for found in SENTENCE_END.finditer(window)]
    if sentence and sentence[-1] > half:
        return sentence[-1]
    space = [found.start() for found in SPACE.finditer(window)]
    if space and space[-1] > 0:
        return space[-1]
    return size
