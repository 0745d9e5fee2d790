import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def curator_api(api, curator):
    api.force_authenticate(curator)
    return api
