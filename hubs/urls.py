from django.urls import path

from hubs import views

app_name = "hubs"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("hubs/<slug:slug>/", views.HubDetailView.as_view(), name="hub-detail"),
]
