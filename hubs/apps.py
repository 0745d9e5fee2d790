from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = "Citation hubs"

    def ready(self):
        from hubs.api import schema  # noqa: F401  (registers OpenAPI extensions)
