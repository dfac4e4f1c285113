"""Pages anyone may open without signing in (the landing page's figures, the public showcase): rate-limited
per client address and cached for anonymous visitors.

**Why the cache is safe.** An anonymous visitor's page is the same for every visitor (the content it shows
is what ``visible_to`` gives an anonymous reader, the same for all), so one shared entry per page, query
string and language serves them all. A signed-in reader's page carries their own header (their name, their
menus) and is never cached or served from the cache: the cache is read and written only for anonymous
requests. Only the page's body and type are kept — never its headers, so no cookie set while rendering one
visitor's page is ever replayed to another — and a page that added a message (a filter not understood, a
search shortened) is not kept, since the message is about that request.

**Rate limit.** ``ACCOUNT_RATE_LIMITS["public_pages"]`` per address (allauth's limiter, in the cache like
sign-in's limits); beyond it a 429 with a normal page that says when to come back. allauth's public
``consume`` never limits a GET, so the limiter is called with ``limit_get``.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

#: The rate limit's action (its rate is in ``ACCOUNT_RATE_LIMITS``).
RATE_ACTION = "public_pages"


def cache_key(request) -> str:
    """One entry per path, query string and language (the query hashed: it is the visitor's to write)."""
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogatepass")).hexdigest()
    return f"public-page:{get_language() or ''}:{path}"


def rate_limited(request) -> bool:
    """True when the client's address has used up its allowance (and this request is refused)."""
    allowed = ratelimit.consume(request, app="allauth.account", action=RATE_ACTION, limit_get=True)
    return not allowed


def public_page(view):
    """Decorate a GET view that may answer anonymous visitors: rate-limited, and cached for them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if rate_limited(request):
            return render(request, "429_public.html", status=429)
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = cache_key(request)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if _keepable(request, response):
                cache.set(key, (response.content, response["Content-Type"]), settings.PUBLIC_PAGE_SECONDS)
        # a browser or a proxy must not hand this anonymous page to someone who signs in afterwards
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    return wrapped


def _keepable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    storage = messages.get_messages(request)
    return not getattr(storage, "added_new", False)
