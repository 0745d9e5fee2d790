"""The site's URLs plus one view that fails, for the error-logging tests."""

from django.urls import path

from pithsite.urls import urlpatterns as site_urlpatterns


def failing_view(request):
    raise RuntimeError("the view failed on purpose")


urlpatterns = [path("fails/", failing_view), *site_urlpatterns]
