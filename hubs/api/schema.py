"""OpenAPI descriptions drf-spectacular cannot infer. Imported by HubsConfig.ready()."""

from collections.abc import Mapping

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter

from hubs.filters import FACETS, FILTERS
from hubs.paging import DEFAULT_SORT, SORTS


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your account page (/account/).",
        }


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, marking the operations anyone may call as open: their only
    security requirement is the empty one ([{}]: no credentials needed), which Swagger UI
    draws without a padlock; listing the token and the session beside it (a curator's read
    also sees drafts) keeps the padlock. Open means every permission of the view says so
    for the method (CuratorWritesOnly.open_to_anyone); drf-spectacular itself knows only
    DRF's own AllowAny and IsAuthenticatedOrReadOnly."""

    def get_auth(self):
        open_to_anyone = all(
            getattr(permission, "open_to_anyone", lambda method: False)(self.method)
            for permission in self.view.get_permissions()
        )
        return [{}] if open_to_anyone else super().get_auth()


def filter_parameters() -> list[OpenApiParameter]:
    """The citing-papers filters as API parameters, straight from hubs.filters.FILTERS."""
    return [
        OpenApiParameter(
            spec.name,
            spec.schema if not spec.values else str,
            enum=list(spec.values) or None,
            description=f"{spec.label}, as on the hub page's explorer.",
        )
        for spec in FILTERS
    ]


def sort_parameter(sorts: Mapping, *, default: str) -> OpenApiParameter:
    """A list's `sort`: one of `sorts` (anything else is a 400)."""
    return OpenApiParameter(
        "sort", str, enum=list(sorts), default=default, description="The order of the list."
    )


def group_by_parameter() -> OpenApiParameter:
    return OpenApiParameter(
        "group_by",
        str,
        required=True,
        enum=[spec.name for spec in FACETS],
        description="The dimension to count by.",
    )


CITING_SORT = sort_parameter(SORTS, default=DEFAULT_SORT)
