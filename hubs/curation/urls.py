from django.urls import path

from hubs.curation import views

app_name = "curation"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("citations/classify/", views.BulkClassifyView.as_view(), name="bulk-classify"),
    path("citations/<int:pk>/classify/", views.ClassifyView.as_view(), name="classify"),
    path("papers/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path(
        "changes/<str:kind>/<int:history_id>/undo/",
        views.RevertView.as_view(),
        name="revert",
    ),
]
