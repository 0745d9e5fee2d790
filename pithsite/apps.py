from django.contrib.admin.apps import AdminConfig


class PithAdminConfig(AdminConfig):
    default_site = "pithsite.admin.PithAdminSite"
