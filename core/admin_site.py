"""Django's technical administration, for superusers only.

Superusers are made on the command line (``createsuperuser``) by whoever runs the server; nothing in the
web interface makes anyone staff or superuser (``directory.admin`` shows both flags read-only). Staff
status alone opens nothing: an account that is staff but not superuser is refused like anyone else, so a
stray ``is_staff`` can never become a way round the application's own rules. Every superuser sign-in is in
the security log (``directory.signals``).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "core.admin_site.SuperuserAdminSite"
