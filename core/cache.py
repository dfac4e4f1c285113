"""A Redis cache that fails soft: an outage costs speed (a miss), never a page.

Django's Redis backend raises on a connection error, which would turn every page that touches the cache
— sign-in's rate limits, the directory's counts — into a 500 while Redis is down. Here reads miss, writes
are skipped, and each failure is logged; /health/ still reports the outage (its echo test misses).
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _soft(default):
    def wrap(method):
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as exc:
                logger.warning("cache unavailable (%s): %s", method.__name__, exc)
                return default() if callable(default) else default

        call.__name__ = method.__name__
        return call

    return wrap


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            logger.warning("cache unavailable (get): %s", exc)
            return default

    get_many = _soft(dict)(RedisCache.get_many)
    has_key = _soft(False)(RedisCache.has_key)
    # "Added" while Redis is down: locks built on add() (allauth's rate limits) fail open, not shut.
    add = _soft(True)(RedisCache.add)
    set = _soft(None)(RedisCache.set)
    set_many = _soft(list)(RedisCache.set_many)
    touch = _soft(False)(RedisCache.touch)
    delete = _soft(False)(RedisCache.delete)
    delete_many = _soft(None)(RedisCache.delete_many)
    clear = _soft(False)(RedisCache.clear)

    def get_or_set(self, key, default, timeout=None, version=None):
        value = self.get(key, version=version)
        if value is None:
            value = default() if callable(default) else default
            self.add(key, value, timeout=timeout, version=version)
        return value

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            # Counting (rate limits) fails open while Redis is down; axes' lockout lives in the database.
            logger.warning("cache unavailable (incr): %s", exc)
            return delta
