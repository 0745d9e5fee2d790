from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from accounts.views import RecoveryCodesView, TotpActivateView
from hubs.mcp_server import mcp_endpoint
from hubs.sitemaps import SITEMAPS
from hubs.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    # Two of allauth's pages, at their own addresses, taught to keep `next` (accounts.views).
    path("accounts/2fa/totp/activate/", TotpActivateView.as_view()),
    path("accounts/2fa/recovery-codes/", RecoveryCodesView.as_view()),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("curate/", include("hubs.curation.urls")),
    path("api/v1/", include("hubs.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("mcp", mcp_endpoint, name="mcp"),  # the MCP server (hubs.mcp_server)
    path("mcp/", mcp_endpoint),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("", include("hubs.urls")),
]

# Under /api/ a request Django refuses, or a server error, answers in the API's JSON error
# shape; elsewhere the site's 400 and 500 pages.
handler400 = "hubs.api.errors.bad_request"
handler500 = "hubs.api.errors.server_error"
