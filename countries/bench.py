"""countries' part of ``bench``: a Member State's page and its brief at bench scale — the State of the
bench's Member State focal point, with its share of the 20,000 projects, 70,000 CTED recommendations and
the Appeal — as an entity's focal point and as CTED (who reads every recommendation) see them."""

from __future__ import annotations

from django.urls import reverse

from core.benchmarking import Page, Scale
from cted.bench import cted_member
from directory.bench import focal_point, state_focal_point
from directory.models import MembershipRole


def measurements(scale: Scale, write):
    membership = (
        state_focal_point().memberships.filter(role=MembershipRole.FOCAL_POINT, ended_at__isnull=True).first()
    )
    if membership is None:
        return
    state = membership.organization
    data = f"{state.name}: {scale.projects:,} projects, {scale.recommendations:,} recommendations in all"
    page = reverse("directory:organization_page", kwargs={"pk": state.pk})
    for who, user in (("entity focal point", focal_point), ("CTED", cted_member)):
        yield Page(f"countries: a Member State's page ({who})", page, user=user, data=data)
    for format in ("pdf", "docx"):
        yield Page(
            f"countries: its country brief, {format.upper()} (entity focal point)",
            reverse("countries:brief", kwargs={"pk": state.pk, "format": format}),
            user=focal_point, data=data,
        )  # fmt: skip
