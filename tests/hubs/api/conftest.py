import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from hubs.models import Hub


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def demo(db):
    call_command("load_demo")
    return Hub.objects.get()


@pytest.fixture
def curator_api(api, curator):
    api.force_authenticate(curator)
    return api
