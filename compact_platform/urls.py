"""The platform's URLs: each app brings its own, under its own prefix and namespace."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("dashboard.urls")),
    path("", include("directory.urls")),
    path("library/", include("library.urls")),
    path("calendar/", include("calendar_app.urls")),
    path("notices/", include("notices.urls")),
    path("notifications/", include("notifications.urls")),
    path("discussions/", include("discussions.urls")),
    path("planning/", include("planning.urls")),
    path("projects/", include("projects.urls")),
    path("appeal/", include("appeal.urls")),
    path("public/", include("showcase.urls")),
    path("assessments/", include("cted.urls")),
    path("countries/", include("countries.urls")),
    path("support/", include("support.urls")),
    path("groups/", include("working_groups.urls")),
    path("newsletters/", include("newsletters.urls")),
    path("search/", include("search.urls")),
    path("api/v1/", include("compact_platform.api")),
    path("tokens/", include("api.urls")),
    path("health/", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
