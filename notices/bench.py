"""notices' part of ``bench``: the reference ``visible_to`` list, timed at 100,000 and 1,000,000 rows.

Rows are written by set-based SQL (a million ORM saves would take an hour) with the audit triggers
ignored for the bench data only: bench rows are synthetic, and a million audit rows would double the
work. The mix is what the platform expects: 30 % platform-wide, 20 % Compact, 20 % Working Group, 10 %
named organisations (two each), 20 % owner only; 1 % shared with a person.
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.urls import reverse

from core.benchmarking import Page, Query, Scale, ignoring_audit
from directory.bench import BENCH_EMAIL_DOMAIN, focal_point, state_focal_point
from directory.models import Organization, User, WorkingGroup
from notices.models import Notice, NoticeUserGrant
from notices.selectors import notices_for

AUDIENCE_TABLE = Notice.audience_organizations.through._meta.db_table

INSERT_NOTICES = f"""
WITH params AS (SELECT %s::bigint[] AS orgs, %s::bigint[] AS wgs),
src AS (SELECT g, random() AS r, random() AS r_owner, random() AS r_wg FROM generate_series(%s, %s) g)
INSERT INTO {Notice._meta.db_table} (owner_id, visibility, working_group_id, title, body, created_at, updated_at)
SELECT p.orgs[1 + floor(src.r_owner * array_length(p.orgs, 1))::int],
       v.visibility,
       CASE WHEN v.visibility = 'working_group' THEN p.wgs[1 + floor(src.r_wg * array_length(p.wgs, 1))::int] END,
       'Notice ' || src.g || ': call for contributions to the joint workplan',
       'Dear colleagues, please send your contributions before the deadline. Reference ' || src.g || '.',
       timestamptz '2022-01-01' + src.g * interval '2 minutes',
       timestamptz '2022-01-01' + src.g * interval '2 minutes'
FROM src CROSS JOIN params p
CROSS JOIN LATERAL (SELECT CASE WHEN src.r < 0.3 THEN 'platform' WHEN src.r < 0.5 THEN 'compact'
                                WHEN src.r < 0.7 THEN 'working_group' WHEN src.r < 0.8 THEN 'organizations'
                                ELSE 'owner' END AS visibility) v
ORDER BY src.g
"""

INSERT_AUDIENCES = f"""
WITH p AS (SELECT %s::bigint[] AS orgs)
INSERT INTO {AUDIENCE_TABLE} (notice_id, organization_id)
SELECT n.id, p.orgs[1 + floor(random() * array_length(p.orgs, 1))::int]
FROM {Notice._meta.db_table} n CROSS JOIN p CROSS JOIN generate_series(1, 2)
WHERE n.id > %s AND n.visibility = 'organizations'
ON CONFLICT DO NOTHING
"""

INSERT_GRANTS = f"""
WITH p AS (SELECT %s::bigint AS permission, %s::bigint[] AS users)
INSERT INTO {NoticeUserGrant._meta.db_table} (permission_id, content_object_id, user_id)
SELECT p.permission, n.id, p.users[1 + floor(random() * array_length(p.users, 1))::int]
FROM {Notice._meta.db_table} n CROSS JOIN p
WHERE n.id > %s AND random() < 0.01
ON CONFLICT DO NOTHING
"""


def resize(target: int, write) -> None:
    """Bring the notices to exactly ``target`` rows (the oldest ``target`` of the bench data set)."""
    current = Notice.objects.count()
    if current == target:
        return
    with transaction.atomic(), ignoring_audit("notices"), connection.cursor() as cursor:
        if current > target:
            last_kept = Notice.objects.order_by("id").values_list("id", flat=True)[target - 1]
            cursor.execute(f"DELETE FROM {AUDIENCE_TABLE} WHERE notice_id > %s", [last_kept])
            cursor.execute(
                f"DELETE FROM {NoticeUserGrant._meta.db_table} WHERE content_object_id > %s", [last_kept]
            )
            cursor.execute(f"DELETE FROM {Notice._meta.db_table} WHERE id > %s", [last_kept])
        else:
            after = Notice.objects.order_by("-id").values_list("id", flat=True).first() or 0
            # Positional parameters: pgtrigger.ignore prepends one of its own to each statement.
            organizations = list(Organization.objects.filter(is_active=True).values_list("pk", flat=True))
            groups = list(WorkingGroup.objects.values_list("pk", flat=True))
            users = list(
                User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").values_list("pk", flat=True)
            )
            permission = Permission.objects.get(codename="view_notice").pk
            cursor.execute(INSERT_NOTICES, [organizations, groups, current + 1, target])
            cursor.execute(INSERT_AUDIENCES, [organizations, after])
            cursor.execute(INSERT_GRANTS, [permission, users, after])
    with connection.cursor() as cursor:
        # Outside the transaction: VACUUM clears what a shrink left behind, ANALYZE informs the planner.
        for table in (Notice._meta.db_table, AUDIENCE_TABLE, NoticeUserGrant._meta.db_table):
            cursor.execute(f"VACUUM ANALYZE {table}")
    write(f"notices: {target:,} rows")


def measurements(scale: Scale, write):
    for size in scale.notices:
        resize(size, write)
        data = f"{size:,} notices"
        readers = (("entity focal point", focal_point()), ("Member State focal point", state_focal_point()))
        for who, user in readers:
            yield Page(
                f"notices list ({who})", reverse("notices:list"), user=lambda user=user: user, data=data
            )
        # The two queries of that page on their own (the reader's audience context already read).
        for who, user in readers:
            yield Query(
                f"visible_to: first page of 50 ({who})",
                lambda user=user: list(notices_for(user)[:50]),
                data,
                target_ms=20,
            )
            yield Query(
                f"visible_to: capped count ({who})",
                lambda user=user: notices_for(user).count_capped(),
                data,
                target_ms=20,
            )
