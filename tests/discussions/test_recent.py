"""``discussions.selectors.recent_for``: the home's recent discussion."""

from datetime import timedelta

from django.utils import timezone

from directory.access import Visibility
from discussions import services
from discussions.models import Thread
from discussions.selectors import recent_for
from tests.discussions.conftest import thread


def test_recent_threads_are_readable_not_hidden_and_by_latest_activity(member, chair, outsider):
    older = thread(chair, "entity:CTED", Visibility.PLATFORM, title="Older")
    thread(chair, "entity:CTED", Visibility.PLATFORM, title="Newer")
    hidden = thread(chair, "entity:CTED", Visibility.PLATFORM, title="Hidden")
    thread(chair, "entity:CTED", Visibility.OWNER, title="CTED only")
    Thread.objects.filter(pk=older.pk).update(last_activity_at=timezone.now() - timedelta(days=2))
    services.set_hidden(post=hidden, hidden=True, by=chair)

    assert [t.title for t in recent_for(member)] == ["Newer", "Older"]
    assert [t.title for t in recent_for(outsider)] == ["Newer", "Older"]
    assert "CTED only" in [t.title for t in recent_for(chair)]
