"""The Curators group: may change reviews, citation classifications and hubs, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS_GROUP = "Curators"  # accounts.roles.CURATORS_GROUP, frozen here as migrations must be

CURATOR_PERMISSIONS = [
    # Finding papers and reading citations.
    ("hubs", "view_paper"),
    ("hubs", "view_citation"),
    ("hubs", "view_citationcontext"),
    # Classifying citations (the admin keeps every other citation field read-only).
    ("hubs", "change_citation"),
    # Reviews.
    ("hubs", "view_review"),
    ("hubs", "add_review"),
    ("hubs", "change_review"),
    # Hubs and their ordered representatives.
    ("hubs", "view_hub"),
    ("hubs", "add_hub"),
    ("hubs", "change_hub"),
    ("hubs", "view_hubrepresentative"),
    ("hubs", "add_hubrepresentative"),
    ("hubs", "change_hubrepresentative"),
    ("hubs", "delete_hubrepresentative"),
]


def create_curators_group(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now to assign them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CURATORS_GROUP)
    for app_label, codename in CURATOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("hubs", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_curators_group, delete_curators_group)]
