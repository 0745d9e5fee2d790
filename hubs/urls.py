from django.urls import path

from hubs import views
from hubs.feeds import HubCitingPapersFeed

app_name = "hubs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("hubs/", views.HubListView.as_view(), name="hub-list"),
    path("hubs/<slug:slug>/", views.HubDetailView.as_view(), name="hub-detail"),
    path("hubs/<slug:slug>/feed.atom", HubCitingPapersFeed(), name="hub-feed"),
    path("hubs/<slug:slug>/citing.<str:fmt>", views.HubExportView.as_view(), name="hub-export"),
    path("papers/<path:identifier>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("citations/<int:pk>/", views.CitationDetailView.as_view(), name="citation-detail"),
    path("classifier/", views.ClassifierView.as_view(), name="classifier"),
]
