"""The audience model: who may read a piece of content, and what they may do with it.

Exercised on notices, the reference content model, against the Compact's real reference data: the list
query (``visible_to``), the object check (``rules.can``) and Django's ``user.has_perm`` must agree.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from guardian.shortcuts import assign_perm

from directory import rules
from directory.access import Visibility, grant_models, readers, viewer
from directory.models import (
    SECRETARIAT_GROUP,
    Membership,
    Organization,
    OrganizationKind,
    Participation,
    User,
)
from notices.models import Notice, NoticeGroupGrant, NoticeUserGrant
from tests.conftest import notice, organization, wg


def fresh(user: User) -> User:
    """The same person, re-read: the audience context is cached on the user object for a request."""
    return User.objects.get(pk=user.pk)


def sees(user, item: Notice) -> bool:
    return Notice.objects.visible_to(user).filter(pk=item.pk).exists()


def secretariat_group() -> Group:
    return Group.objects.get_or_create(name=SECRETARIAT_GROUP)[0]


# --- The reference data the rules below rely on ---------------------------------------------------------


def test_reference_data_assumptions(compact):
    # Member States and regional organisations are not Compact entities and take part in no WG;
    # IAEA, not a Compact entity, is an ad-hoc observer of WG 3 only; UNODC takes part in WG 2.
    assert organization("state:KEN").kind == OrganizationKind.MEMBER_STATE
    assert organization("regional:AU").kind == OrganizationKind.REGIONAL_ORGANIZATION
    assert organization("entity:UNODC").kind == OrganizationKind.COMPACT_ENTITY
    assert not Participation.objects.filter(organization__reference_key__in=["state:KEN", "regional:AU"])
    iaea = organization("other:IAEA")
    assert iaea.kind != OrganizationKind.COMPACT_ENTITY
    assert list(
        Participation.objects.filter(organization=iaea).values_list("working_group__number", "role")
    ) == [(3, "ad_hoc_observer")]
    assert Participation.objects.filter(organization__reference_key="entity:UNODC", working_group__number=2)


# --- One rule at a time ---------------------------------------------------------------------------------


def test_platform_visibility_is_for_every_signed_in_user(compact, make_user):
    # given a notice for the whole platform, and a person who belongs to no organisation
    item = notice(organization("state:KEN"), Visibility.PLATFORM)
    outsider = make_user("outsider@example.org")
    # then the outsider sees it, and an anonymous visitor does not
    assert sees(outsider, item)
    assert not sees(AnonymousUser(), item)
    # and an owner-only notice is not shown to the outsider
    assert not sees(outsider, notice(organization("state:KEN")))


def test_compact_visibility_is_for_compact_entities_not_states_or_regional_organisations(compact, make_user):
    # given a notice for the Compact
    item = notice(organization("entity:CTED"), Visibility.COMPACT)
    # then a UNODC focal point sees it
    assert sees(make_user("unodc@example.org", organization=organization("entity:UNODC")), item)
    # but a Member State's or a regional organisation's focal point does not, nor a non-Compact partner
    assert not sees(make_user("ken@example.org", organization=organization("state:KEN")), item)
    assert not sees(make_user("au@example.org", organization=organization("regional:AU")), item)
    assert not sees(make_user("iaea@example.org", organization=organization("other:IAEA")), item)
    assert not sees(make_user("outsider@example.org"), item)


def test_the_secretariat_group_counts_only_with_a_current_role_in_the_secretariat(compact, make_user):
    # given a person of the Secretariat group who has no organisation at all, and one whose UNOCT role ended
    loose = make_user("loose@example.org")
    loose.groups.add(secretariat_group())
    former = make_user("former@example.org", organization=organization("entity:UNOCT"))
    former.groups.add(secretariat_group())
    Membership.objects.filter(user=former).update(ended_at=timezone.now())
    item = notice(organization("entity:CTED"), Visibility.COMPACT)
    # then neither holds the Secretariat's role, nor sees Compact notices through the group
    for person in (fresh(loose), fresh(former)):
        assert not rules.can_administer_platform(person)
        assert not sees(person, item)
    # while a current UNOCT person in the group does both
    current = make_user("current@example.org", organization=organization("entity:UNOCT"))
    current.groups.add(secretariat_group())
    assert rules.can_administer_platform(fresh(current))
    assert sees(fresh(current), item)
    # and a person in some other group has no role at all
    other = make_user("other-group@example.org", organization=organization("entity:UNOCT"))
    other.groups.add(Group.objects.create(name="Editors"))
    assert not rules.can_administer_platform(fresh(other))


def test_working_group_visibility_is_for_participating_organisations(compact, make_user):
    # given a notice for WG 2 posted by CTED, and one for WG 3
    wg2 = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2))
    wg3 = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(3))
    unodc = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    au = make_user("au@example.org", organization=organization("regional:AU"))
    iaea = make_user("iaea@example.org", organization=organization("other:IAEA"))
    # then UNODC (vice-chair of WG 2) sees it; the AU (in no WG) does not
    assert sees(unodc, wg2)
    assert not sees(au, wg2)
    # any role counts: IAEA, an ad-hoc observer of WG 3 only and no Compact entity, sees WG 3's, not WG 2's
    assert sees(iaea, wg3)
    assert not sees(iaea, wg2)


def test_working_group_visibility_follows_the_participation(compact, make_user):
    # given an organisation added to WG 8's participants
    au = organization("regional:AU")
    person = make_user("au@example.org", organization=au)
    item = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(8))
    assert not sees(person, item)
    Participation.objects.create(working_group=wg(8), organization=au, role="observer")
    # then its people see the WG's notices from their next request on
    assert sees(fresh(person), item)


def test_members_only_content_never_reaches_observers_or_guests(compact, make_user):
    # given WG 2 content for its members only, and for everyone in its space
    members_only = notice(organization("entity:CTED"), Visibility.WORKING_GROUP_MEMBERS, working_group=wg(2))
    whole_space = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2))
    unodc = make_user("unodc@example.org", organization=organization("entity:UNODC"))  # vice-chair
    iom = make_user("iom@example.org", organization=organization("entity:IOM"))  # an observer of WG 2
    kenya = make_user("kenya@example.org", organization=organization("state:KEN"))
    Participation.objects.create(
        working_group=wg(2), organization=organization("state:KEN"), role="guest", topic="Border posts"
    )
    assert Participation.objects.get(working_group=wg(2), organization__acronym="IOM").role == "observer"

    # then members see both; the observer and the guest see the space's content, not the members'
    assert sees(unodc, members_only)
    assert sees(unodc, whole_space)
    for outsider_to_members in (iom, kenya):
        assert sees(outsider_to_members, whole_space)
        assert not sees(outsider_to_members, members_only)


def test_a_guest_sees_the_space_until_the_end_of_the_invitation(compact, make_user):
    item = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2))
    kenya = make_user("kenya@example.org", organization=organization("state:KEN"))
    guest = Participation.objects.create(
        working_group=wg(2), organization=organization("state:KEN"), role="guest",
        until=timezone.localdate(),
    )  # fmt: skip
    # the last day of the invitation still counts
    assert sees(kenya, item)
    # then it ends
    guest.until = timezone.localdate() - timezone.timedelta(days=1)
    guest.save()
    assert not sees(fresh(kenya), item)


@pytest.mark.parametrize("visibility", [Visibility.OWNER, Visibility.ORGANIZATIONS])
def test_owner_only_content_is_hidden_from_everyone_else_including_the_secretariat(
    compact, make_user, visibility
):
    # given a UNODC notice restricted to UNODC
    item = notice(organization("entity:UNODC"), visibility)
    # then UNODC's people see it
    assert sees(make_user("unodc@example.org", organization=organization("entity:UNODC")), item)
    # and nobody else: another Compact entity, a Member State, the Secretariat (least privilege)
    assert not sees(make_user("cted@example.org", organization=organization("entity:CTED")), item)
    assert not sees(make_user("ken@example.org", organization=organization("state:KEN")), item)
    secretariat = make_user("secretariat@example.org", organization=organization("entity:UNOCT"))
    secretariat.groups.add(secretariat_group())
    assert not sees(fresh(secretariat), item)


@pytest.mark.parametrize(
    "visibility", [Visibility.COMPACT, Visibility.WORKING_GROUP, Visibility.ORGANIZATIONS, Visibility.OWNER]
)
def test_owner_sees_its_content_whatever_the_visibility(compact, make_user, visibility):
    # given a Kenyan notice for the Compact or a WG, which Kenya is not part of
    item = notice(
        organization("state:KEN"),
        visibility,
        working_group=wg(2) if visibility == Visibility.WORKING_GROUP else None,
    )
    # then Kenya's people still see it, and the AU's do not
    assert sees(make_user("ken@example.org", organization=organization("state:KEN")), item)
    assert not sees(make_user("au@example.org", organization=organization("regional:AU")), item)


@pytest.mark.parametrize(
    "visibility", [Visibility.ORGANIZATIONS, Visibility.OWNER, Visibility.COMPACT, Visibility.WORKING_GROUP]
)
def test_audience_organisations_see_it_whatever_the_visibility(compact, make_user, visibility):
    # given a UNODC notice also shown to Kenya
    item = notice(
        organization("entity:UNODC"),
        visibility,
        working_group=wg(2) if visibility == Visibility.WORKING_GROUP else None,
        audience=[organization("state:KEN")],
    )
    # then Kenya's people see it; Uganda's and the AU's do not
    assert sees(make_user("ken@example.org", organization=organization("state:KEN")), item)
    assert not sees(make_user("uga@example.org", organization=organization("state:UGA")), item)
    assert not sees(make_user("au@example.org", organization=organization("regional:AU")), item)


@pytest.mark.parametrize("codename", ["notices.view_notice", "notices.change_notice"])
def test_a_direct_grant_shows_the_notice_to_that_person_only(compact, make_user, codename):
    # given a UNODC owner-only notice shared with one Kenyan focal point
    item = notice(organization("entity:UNODC"))
    grantee = make_user("grantee@example.org", organization=organization("state:KEN"))
    colleague = make_user("colleague@example.org", organization=organization("state:KEN"))
    assign_perm(codename, grantee, item)
    # then the grantee sees it, the grantee's colleague does not
    assert sees(grantee, item)
    assert not sees(colleague, item)
    # and a grant on another notice shows only that one
    assert not sees(fresh(grantee), notice(organization("entity:UNODC"), title="another"))


def test_a_grant_of_another_permission_gives_no_access(compact, make_user):
    item = notice(organization("entity:UNODC"))
    grantee = make_user("grantee@example.org", organization=organization("state:KEN"))
    assign_perm("notices.delete_notice", grantee, item)
    assert not sees(grantee, item)


@pytest.mark.parametrize("codename", ["notices.view_notice", "notices.change_notice"])
def test_a_group_grant_shows_the_notice_to_the_group_members(compact, make_user, codename):
    # given a notice shared with a group through guardian
    item = notice(organization("entity:UNODC"))
    group = Group.objects.create(name="Border experts")
    assign_perm(codename, group, item)
    member = make_user("member@example.org", organization=organization("regional:AU"))
    member.groups.add(group)
    non_member = make_user("non-member@example.org", organization=organization("regional:AU"))
    non_member.groups.add(Group.objects.create(name="Another group"))
    # then the group's members see it, others do not
    assert sees(fresh(member), item)
    assert not sees(fresh(non_member), item)
    assert NoticeGroupGrant.objects.filter(group=group, content_object=item).exists()


def test_anonymous_and_inactive_users_see_nothing(compact, make_user):
    unodc = organization("entity:UNODC")
    items = [notice(unodc, Visibility.PLATFORM), notice(unodc, Visibility.COMPACT), notice(unodc)]
    inactive = make_user("inactive@example.org", organization=unodc, is_active=False)
    assign_perm("notices.view_notice", inactive, items[2])
    # anonymous visitors and inactive accounts read nothing, not even the platform's notices
    assert not Notice.objects.visible_to(AnonymousUser()).exists()
    assert not Notice.objects.visible_to(None).exists()
    assert not Notice.objects.visible_to(inactive).exists()
    assert viewer(inactive) is None
    # while an active colleague reads all three
    assert Notice.objects.visible_to(make_user("active@example.org", organization=unodc)).count() == 3


def test_an_ended_membership_gives_no_access(compact, make_user):
    # given a former UNODC focal point
    unodc = organization("entity:UNODC")
    person = make_user("former@example.org", organization=unodc)
    owned = notice(unodc)
    compact_only = notice(organization("entity:CTED"), Visibility.COMPACT)
    wg2 = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2))
    shown_to_unodc = notice(organization("state:KEN"), audience=[unodc])
    assert all(sees(person, item) for item in (owned, compact_only, wg2, shown_to_unodc))
    Membership.objects.filter(user=person).update(ended_at=timezone.now())
    person = fresh(person)
    # then none of what came through the membership is visible any more, and UNODC's content is not theirs
    assert not any(sees(person, item) for item in (owned, compact_only, wg2, shown_to_unodc))
    assert not rules.can(person, "change", owned)
    assert sees(person, notice(unodc, Visibility.PLATFORM))


def test_a_deactivated_organisation_gives_no_access(compact, make_user):
    unodc = organization("entity:UNODC")
    person = make_user("unodc@example.org", organization=unodc)
    owned = notice(unodc)
    compact_only = notice(organization("entity:CTED"), Visibility.COMPACT)
    wg2 = notice(organization("entity:CTED"), Visibility.WORKING_GROUP, working_group=wg(2))
    shown_to_unodc = notice(organization("state:KEN"), audience=[unodc])
    assert all(sees(person, item) for item in (owned, compact_only, wg2, shown_to_unodc))
    Organization.objects.filter(pk=unodc.pk).update(is_active=False)
    person = fresh(person)
    assert not any(sees(person, item) for item in (owned, compact_only, wg2, shown_to_unodc))
    assert not rules.can(person, "share", owned)


def test_ended_membership_of_one_organisation_keeps_the_others(compact, make_user):
    # a person in two organisations keeps what the remaining one gives
    person = make_user("two-hats@example.org", organization=organization("entity:UNODC"))
    Membership.objects.create(user=person, organization=organization("state:KEN"), role="focal_point")
    kenyan = notice(organization("state:KEN"))
    unodc_only = notice(organization("entity:UNODC"))
    Membership.objects.filter(user=person, organization__reference_key="entity:UNODC").update(
        ended_at=timezone.now()
    )
    person = fresh(person)
    assert sees(person, kenyan)
    assert not sees(person, unodc_only)


# --- The list query, the object check and has_perm agree -----------------------------------------------


@pytest.fixture
def matrix(compact, make_user):
    """Seven people and eleven notices covering every visibility, audience organisations and grants."""
    unodc, cted, ken = organization("entity:UNODC"), organization("entity:CTED"), organization("state:KEN")
    au, unoct, iaea = organization("regional:AU"), organization("entity:UNOCT"), organization("other:IAEA")
    experts = Group.objects.create(name="Border experts")

    people = {
        "unodc": make_user("unodc@example.org", organization=unodc),
        "ken": make_user("ken@example.org", organization=ken),
        "au": make_user("au@example.org", organization=au),
        "iaea": make_user("iaea@example.org", organization=iaea),
        "secretariat": make_user("secretariat@example.org", organization=unoct),
        "outsider": make_user("outsider@example.org"),
        "inactive": make_user("inactive@example.org", organization=unodc, is_active=False),
    }
    people["secretariat"].groups.add(secretariat_group())
    people["au"].groups.add(experts)

    notices = {
        "platform_ken": notice(ken, Visibility.PLATFORM),
        "compact_cted": notice(cted, Visibility.COMPACT),
        "compact_ken": notice(ken, Visibility.COMPACT),
        "wg2_cted": notice(cted, Visibility.WORKING_GROUP, working_group=wg(2)),
        "wg3_cted": notice(cted, Visibility.WORKING_GROUP, working_group=wg(3)),
        "owner_unodc": notice(unodc),
        "owner_cted": notice(cted),
        "orgs_unodc_au": notice(unodc, Visibility.ORGANIZATIONS, audience=[au]),
        "owner_cted_to_ken": notice(cted, title="shared with the Kenyan focal point"),
        "owner_cted_to_experts": notice(cted, title="shared with the border experts"),
        "owner_unoct": notice(unoct),
    }
    assign_perm("notices.view_notice", people["ken"], notices["owner_cted_to_ken"])
    assign_perm("notices.change_notice", experts, notices["owner_cted_to_experts"])
    return {name: fresh(user) for name, user in people.items()}, notices


EXPECTED = {
    "unodc": {"platform_ken", "compact_cted", "compact_ken", "wg2_cted", "wg3_cted", "owner_unodc",
              "orgs_unodc_au"},
    "ken": {"platform_ken", "compact_ken", "owner_cted_to_ken"},
    "au": {"platform_ken", "orgs_unodc_au", "owner_cted_to_experts"},
    "iaea": {"platform_ken", "wg3_cted"},
    "secretariat": {"platform_ken", "compact_cted", "compact_ken", "wg2_cted", "wg3_cted", "owner_unoct"},
    "outsider": {"platform_ken"},
    "inactive": set(),
}  # fmt: skip


def test_list_query_object_check_and_has_perm_agree(matrix):
    people, notices = matrix
    for person_name, person in [*people.items(), ("anonymous", AnonymousUser())]:
        listed = set(Notice.objects.visible_to(person).values_list("pk", flat=True))
        for notice_name, item in notices.items():
            in_list = item.pk in listed
            by_rule = rules.can(person, "view", item)
            by_perm = person.has_perm("notices.view_notice", item)
            assert in_list == by_rule == by_perm, (person_name, notice_name, in_list, by_rule, by_perm)
        expected = {notices[name].pk for name in EXPECTED.get(person_name, ())}
        assert listed == expected, person_name


def test_has_perm_answers_the_other_actions_from_the_policy(matrix):
    people, notices = matrix
    for person_name, person in [*people.items(), ("anonymous", AnonymousUser())]:
        for notice_name, item in notices.items():
            for action in ("change", "delete", "share"):
                assert person.has_perm(f"notices.{action}_notice", item) == rules.can(person, action, item), (
                    person_name,
                    notice_name,
                    action,
                )
            # "add" is no object permission, and a permission of another model says nothing
            assert not person.has_perm("notices.add_notice", item)
            assert not person.has_perm("directory.view_organization", item)


# --- What a user may do -----------------------------------------------------------------------------------


def test_owner_organisation_people_may_change_delete_and_share(compact, make_user):
    item = notice(organization("entity:UNODC"))
    owner_person = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    for action in ("view", "change", "delete", "share"):
        assert rules.can(owner_person, action, item), action
    # a person of another organisation who sees it (platform) may do nothing but read it
    public = notice(organization("entity:UNODC"), Visibility.PLATFORM)
    other = make_user("cted@example.org", organization=organization("entity:CTED"))
    assert rules.can(other, "view", public)
    for action in ("change", "delete", "share"):
        assert not rules.can(other, action, public), action


def test_a_view_grant_does_not_allow_change(compact, make_user):
    item = notice(organization("entity:UNODC"))
    grantee = make_user("grantee@example.org", organization=organization("state:KEN"))
    assign_perm("notices.view_notice", grantee, item)
    assert rules.can(grantee, "view", item)
    for action in ("change", "delete", "share"):
        assert not rules.can(grantee, action, item), action


def test_a_change_grant_allows_change_but_not_share_or_delete(compact, make_user):
    item = notice(organization("entity:UNODC"))
    grantee = make_user("grantee@example.org", organization=organization("state:KEN"))
    assign_perm("notices.change_notice", grantee, item)
    assert rules.can(grantee, "view", item)
    assert rules.can(grantee, "change", item)
    assert not rules.can(grantee, "share", item)
    assert not rules.can(grantee, "delete", item)
    # the grant is on that notice only
    assert not rules.can(grantee, "change", notice(organization("entity:UNODC"), Visibility.PLATFORM))


def test_a_change_grant_through_a_group_allows_change_but_not_share_or_delete(compact, make_user):
    item = notice(organization("entity:UNODC"))
    group = Group.objects.create(name="Editors")
    assign_perm("notices.change_notice", group, item)
    member = make_user("editor@example.org", organization=organization("state:KEN"))
    member.groups.add(group)
    member = fresh(member)
    assert rules.can(member, "view", item)
    assert rules.can(member, "change", item)
    assert not rules.can(member, "share", item)
    assert not rules.can(member, "delete", item)


def test_people_in_groups_may_not_change_what_they_only_read(compact, make_user):
    # the Secretariat reads a platform notice of UNODC but may not edit it (and asking must not fail)
    item = notice(organization("entity:UNODC"), Visibility.PLATFORM)
    person = make_user("secretariat@example.org", organization=organization("entity:UNOCT"))
    person.groups.add(secretariat_group())
    person = fresh(person)
    assert rules.can(person, "view", item)
    for action in ("change", "delete", "share"):
        assert not rules.can(person, action, item), action


def test_anonymous_and_inactive_users_may_do_nothing(compact, make_user):
    unodc = organization("entity:UNODC")
    item = notice(unodc, Visibility.PLATFORM)
    inactive = make_user("inactive@example.org", organization=unodc, is_active=False)
    for person in (AnonymousUser(), inactive):
        for action in rules.GENERIC_CONTENT_RULES:
            assert not rules.can(person, action, item), (person, action)


def test_an_unknown_action_is_refused(compact, make_user):
    item = notice(organization("entity:UNODC"))
    owner_person = make_user("unodc@example.org", organization=organization("entity:UNODC"))
    with pytest.raises(ValueError, match="publish"):
        rules.can(owner_person, "publish", item)
    with pytest.raises(ValueError, match="add"):
        rules.can(AnonymousUser(), "add", item)


# --- The query itself -----------------------------------------------------------------------------------


def test_the_list_query_has_no_distinct_and_no_join_onto_the_grant_tables(compact, make_user):
    person = make_user("au@example.org", organization=organization("regional:AU"))
    person.groups.add(Group.objects.create(name="Border experts"))
    person = fresh(person)
    assert viewer(person).group_ids  # the grants of the person's groups take part
    sql = str(Notice.objects.visible_to(person).query)
    user_table, group_table = NoticeUserGrant._meta.db_table, NoticeGroupGrant._meta.db_table
    assert "DISTINCT" not in sql.upper()
    assert f'JOIN "{user_table}"' not in sql
    assert f'JOIN "{group_table}"' not in sql
    # the grants come in as one "pk IN (SELECT ... UNION SELECT ...)" subquery of the two direct-FK tables
    assert f'"{Notice._meta.db_table}"."id" IN (' in sql
    assert " UNION " in sql.upper()
    assert f'FROM "{user_table}"' in sql
    assert f'FROM "{group_table}"' in sql
    # never guardian's generic tables
    assert "guardian_" not in sql
    # the outer query reads the content table alone
    outer = sql.split(" WHERE ", 1)[0]
    assert "JOIN" not in outer.upper()


def test_the_list_query_without_groups_reads_the_user_grants_only(compact, make_user):
    person = make_user("au@example.org", organization=organization("regional:AU"))
    sql = str(Notice.objects.visible_to(person).query)
    assert "DISTINCT" not in sql.upper()
    assert NoticeGroupGrant._meta.db_table not in sql
    assert f'FROM "{NoticeUserGrant._meta.db_table}"' in sql


def test_count_capped(compact, make_user):
    unodc = organization("entity:UNODC")
    person = make_user("unodc@example.org", organization=unodc)
    for number in range(7):
        notice(unodc, title=f"notice {number}")
    # rows the person does not see are not counted
    for number in range(4):
        notice(organization("entity:CTED"), title=f"hidden {number}")
    assert Notice.objects.visible_to(person).count_capped(5) == (5, True)
    assert Notice.objects.visible_to(person).count_capped(7) == (7, False)
    assert Notice.objects.visible_to(person).count_capped(6) == (6, True)
    Notice.objects.filter(owner=unodc).exclude(title__in=["notice 0", "notice 1", "notice 2"]).delete()
    assert Notice.objects.visible_to(person).count_capped(5) == (3, False)
    assert Notice.objects.visible_to(AnonymousUser()).count_capped(5) == (0, False)


def test_grant_models_are_the_direct_foreign_key_ones(db):
    assert grant_models(Notice) == (NoticeUserGrant, NoticeGroupGrant)


def test_grant_models_refuses_a_model_without_direct_grant_models(db):
    # Organization has no direct-foreign-key grant models: guardian would fall back to its generic tables
    with pytest.raises(ImproperlyConfigured, match="Organization"):
        grant_models(Organization)


@pytest.mark.parametrize("size", [2, 20])
def test_the_list_reads_in_a_constant_number_of_queries(compact, make_user, django_assert_num_queries, size):
    # given a person in a group, and many notices shared in every way
    unodc, cted = organization("entity:UNODC"), organization("entity:CTED")
    person = make_user("ken@example.org", organization=organization("state:KEN"))
    group = Group.objects.create(name="Border experts")
    person.groups.add(group)
    for number in range(size):
        notice(cted, Visibility.PLATFORM, title=f"platform {number}")
        notice(unodc, audience=[organization("state:KEN")], title=f"audience {number}")
        assign_perm("notices.view_notice", person, notice(cted, title=f"user grant {number}"))
        assign_perm("notices.view_notice", group, notice(cted, title=f"group grant {number}"))
        notice(cted, title=f"hidden {number}")
    person = fresh(person)
    # then the audience context (memberships, groups, Working Groups) and the list are four queries
    with django_assert_num_queries(4):
        rows = list(Notice.objects.visible_to(person).select_related("owner", "working_group"))
        assert len(rows) == 4 * size
        assert {row.owner.display_name for row in rows} == {"UNODC", "CTED"}
    # and the context is read once per request: another list costs one query
    with django_assert_num_queries(1):
        assert Notice.objects.visible_to(person).count() == 4 * size


def test_readers_agree_with_visible_to_person_by_person(compact, make_user):
    # given people in every position towards WG 2 and the Compact, and notices of every audience
    kenya, iom = organization("state:KEN"), organization("entity:IOM")
    Participation.objects.create(working_group=wg(2), organization=kenya, role="guest", topic="Ports")
    people = [
        make_user("unodc@example.org", organization=organization("entity:UNODC")),  # WG 2 vice-chair
        make_user("iom@example.org", organization=iom),  # WG 2 observer
        make_user("kenya@example.org", organization=kenya),  # WG 2 guest
        make_user("au@example.org", organization=organization("regional:AU")),
        make_user("outsider@example.org"),
        make_user("grouped@example.org"),
    ]
    secretariat_member = make_user("sec@example.org", organization=organization("entity:UNOCT"))
    secretariat_member.groups.add(secretariat_group())
    people.append(secretariat_member)
    by_group = (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS)
    items = [
        notice(
            organization("entity:CTED"), visibility, working_group=wg(2) if visibility in by_group else None
        )
        for visibility in Visibility.values
        if visibility != Visibility.PUBLIC  # a notice is never public (test_public_level.py)
    ]
    shared = notice(
        organization("entity:CTED"), Visibility.ORGANIZATIONS, audience=[organization("regional:AU")]
    )
    assign_perm("notices.view_notice", people[4], shared)
    team = Group.objects.create(name="Reviewers")
    people[5].groups.add(team)
    assign_perm("notices.view_notice", team, shared)
    # then the set-based readers (used to choose whom to notify) are exactly those visible_to lets in
    for item in [*items, shared]:
        found = set(readers(item).filter(pk__in=[p.pk for p in people]))
        expected = {p for p in people if Notice.objects.visible_to(p).filter(pk=item.pk).exists()}
        assert found == expected, item.visibility


# --- The public level: everyone, without sign-in, on the models that allow it -------------------------------

PUBLIC_MODELS = ("projects.Project", "calendar_app.Event", "library.Resource")


def test_only_projects_events_and_resources_allow_the_public_level():
    from django.apps import apps

    from directory.access import AudienceModel

    allowing = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, AudienceModel) and model.allows_public
    }
    assert allowing == set(PUBLIC_MODELS)


def _one_of_each(model_label: str) -> dict:
    """An item of ``model_label`` at every visibility (of UNODC; the Working Group ones for WG 2)."""
    from datetime import timedelta

    from tests.calendar_app.conftest import make_event
    from tests.projects.conftest import make_project

    unodc, items = organization("entity:UNODC"), {}
    for visibility in Visibility.values:
        group = wg(2) if visibility in (Visibility.WORKING_GROUP, Visibility.WORKING_GROUP_MEMBERS) else None
        if model_label == "projects.Project":
            item = make_project(f"Project {visibility}", visibility=visibility, working_group=group)
        elif model_label == "calendar_app.Event":
            soon = timezone.now() + timedelta(days=5)
            item = make_event(unodc, visibility, title=f"Event {visibility}", start=soon, working_group=group)
        else:
            from library.models import Resource

            item = Resource.objects.create(
                title=f"Resource {visibility}", resource_type="report", owner=unodc, visibility=visibility,
                working_group=group,
            )  # fmt: skip
        items[visibility] = item
    return items


@pytest.mark.parametrize("model_label", PUBLIC_MODELS)
def test_an_anonymous_or_inactive_reader_sees_exactly_the_public_rows(compact, make_user, model_label):
    # given items at every visibility
    items = _one_of_each(model_label)
    model = type(items[Visibility.PUBLIC])
    inactive = make_user("gone@example.org", organization=organization("entity:UNODC"))
    inactive.is_active = False
    inactive.save()
    # then an anonymous visitor and an inactive account read the public one, and only it
    for reader in (AnonymousUser(), fresh(inactive)):
        assert set(model.objects.visible_to(reader)) == {items[Visibility.PUBLIC]}
        assert model.objects.visible_to(reader).count() == 1


@pytest.mark.parametrize("model_label", PUBLIC_MODELS)
def test_a_signed_in_reader_sees_public_rows_too(compact, make_user, model_label):
    # given items at every visibility, and a person of no organisation
    items = _one_of_each(model_label)
    model = type(items[Visibility.PUBLIC])
    outsider = make_user("outsider@example.org")
    # then public is wider than platform: the outsider reads both, nothing else
    assert set(model.objects.visible_to(outsider)) == {items[Visibility.PUBLIC], items[Visibility.PLATFORM]}
    # and the public item's readers to notify are everyone active, as for platform content
    assert set(readers(items[Visibility.PUBLIC])) == set(User.objects.filter(is_active=True))


def test_a_public_events_occurrences_follow_the_same_rule(compact):
    from calendar_app.models import Occurrence
    from calendar_app.selectors import occurrence_rule, upcoming_for

    items = _one_of_each("calendar_app.Event")
    # the occurrences' copies of the audience columns give an anonymous reader the public event's only
    found = Occurrence.objects.filter(occurrence_rule(viewer(AnonymousUser())))
    assert {o.event_id for o in found} == {items[Visibility.PUBLIC].pk}
    assert [o.event_id for o in upcoming_for(AnonymousUser())] == [items[Visibility.PUBLIC].pk]


def test_a_model_that_refuses_the_public_level_never_stores_or_shows_it(compact, make_user):
    from django.core.exceptions import ValidationError

    # given a notice (notices never allow public)
    item = notice(organization("entity:CTED"), Visibility.PLATFORM)
    # then saving it as public is refused by the model, on the field
    item.visibility = Visibility.PUBLIC
    with pytest.raises(ValidationError) as refused:
        item.save()
    assert "visibility" in refused.value.message_dict
    with pytest.raises(ValidationError):
        item.full_clean()
    # and even a row forced past the model (raw update) is read by nobody through the level
    Notice.objects.filter(pk=item.pk).update(visibility=Visibility.PUBLIC)
    assert not Notice.objects.visible_to(AnonymousUser()).exists()
    assert not sees(make_user("outsider@example.org"), item)
    # its owner's people still see it (as with any level): nothing is lost
    assert sees(make_user("cted@example.org", organization=organization("entity:CTED")), item)
