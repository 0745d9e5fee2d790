from django.urls import path, re_path

from hubs.api import views

app_name = "api"

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="root"),
    path("hubs/", views.HubListView.as_view(), name="hub-list"),
    path("hubs/<slug:slug>/", views.HubDetailView.as_view(), name="hub-detail"),
    path(
        "hubs/<slug:slug>/citing-papers/",
        views.HubCitingPapersView.as_view(),
        name="hub-citing-papers",
    ),
    path(
        "hubs/<slug:slug>/citing-papers/export.<str:fmt>",
        views.HubExportView.as_view(),
        name="hub-export",
    ),
    path("hubs/<slug:slug>/facets/", views.HubFacetsView.as_view(), name="hub-facets"),
    path(
        "hubs/<slug:slug>/representatives/",
        views.HubRepresentativesView.as_view(),
        name="hub-representatives",
    ),
    path("papers/", views.PaperSearchView.as_view(), name="paper-list"),
    # DOIs contain slashes, so the identifier is a path; the suffixed routes come first.
    path(
        "papers/<path:identifier>/citations/",
        views.PaperCitationsView.as_view(),
        name="paper-citations",
    ),
    path("papers/<path:identifier>/review/", views.PaperReviewView.as_view(), name="paper-review"),
    path("papers/<path:identifier>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path(
        "citations/classify/",
        views.CitationBulkClassifyView.as_view(),
        name="citation-bulk-classify",
    ),
    path("citations/<int:pk>/", views.CitationDetailView.as_view(), name="citation-detail"),
    path(
        "citations/<int:pk>/classification/",
        views.CitationClassificationView.as_view(),
        name="citation-classification",
    ),
    # Last: every other path answers 404 in the API's error shape.
    re_path(r"^(?P<path>.*)$", views.ApiNotFoundView.as_view(), name="not-found"),
]
