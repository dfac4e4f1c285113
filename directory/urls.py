from django.urls import path

from directory.views import (
    accounts,
    audit,
    exports,
    language,
    lifecycle,
    members,
    organizations,
    people,
    secretariat,
)

app_name = "directory"
urlpatterns = [
    path("access/request/", accounts.request_access, name="request_access"),
    path("access/request/sent/", accounts.access_requested, name="access_requested"),
    path("invitations/<str:token>/", accounts.accept_invitation, name="accept_invitation"),
    path("language/", language.choose_language, name="language"),
    # the directory of people
    path("people/", people.PeopleView.as_view(), name="people"),
    path("people/export.<str:format>", exports.people_export, name="people_export"),
    path("people/me/", people.my_profile, name="my_profile"),
    path("people/me/reconfirm/", lifecycle.ReconfirmView.as_view(), name="reconfirm"),
    path("people/me/requests/", members.MembershipRequestsView.as_view(), name="membership_requests"),
    path("people/<int:pk>/", people.PersonView.as_view(), name="person"),
    path("people/<int:pk>/edit/", people.EditProfileView.as_view(), name="edit_profile"),
    path("people/<int:pk>/photo/", people.photo, name="photo"),
    path("people/<int:pk>/vcard/", exports.person_vcard, name="person_vcard"),
    # organisations
    path("organisations/", organizations.OrganizationListView.as_view(), name="organization_list"),
    path("organisations/<int:pk>/", organizations.OrganizationView.as_view(), name="organization_page"),
    path(
        "organisations/<int:pk>/edit/", organizations.OrganizationEditView.as_view(), name="organization_edit"
    ),
    path("organisations/<int:pk>/handover/", lifecycle.HandoverView.as_view(), name="handover"),
    path("organisations/<int:pk>/members/", members.MembersView.as_view(), name="members"),
    path("secretariat/coverage/", organizations.CoverageView.as_view(), name="coverage"),
    path("secretariat/access-requests/", secretariat.AccessRequestListView.as_view(), name="access_requests"),
    path(
        "secretariat/access-requests/<int:pk>/",
        secretariat.AccessRequestView.as_view(),
        name="access_request",
    ),
    path("secretariat/invite/", secretariat.InviteView.as_view(), name="invite"),
    path("secretariat/invitations/", secretariat.InvitationListView.as_view(), name="invitations"),
    path("secretariat/organisations/", secretariat.OrganizationListView.as_view(), name="organizations"),
    path(
        "secretariat/organisations/new/", secretariat.OrganizationEditView.as_view(), name="organization_new"
    ),
    path(
        "secretariat/organisations/<int:pk>/", secretariat.OrganizationEditView.as_view(), name="organization"
    ),
    path(
        "secretariat/organisations/<int:pk>/active/",
        secretariat.OrganizationActiveView.as_view(),
        name="organization_active",
    ),
    path("secretariat/users/", secretariat.UserListView.as_view(), name="users"),
    path("secretariat/users/<int:pk>/", secretariat.UserView.as_view(), name="user"),
    path("secretariat/working-groups/", secretariat.WorkingGroupListView.as_view(), name="working_groups"),
    path("secretariat/audit/changes/", audit.ChangesView.as_view(), name="audit_changes"),
    path("secretariat/audit/changes.csv", audit.ChangesExportView.as_view(), name="audit_changes_export"),
    path("secretariat/audit/security/", audit.SecurityEventsView.as_view(), name="audit_security"),
]
