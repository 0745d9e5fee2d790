"""ApiTokenAuthentication: who a request with an API token signs in as, and when it is a 401."""

import datetime

import pytest
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from accounts.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db

factory = APIRequestFactory()


def authenticate(authorization: str | None):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    return ApiTokenAuthentication().authenticate(factory.get("/api/", **headers))


class WhoAmI(APIView):
    # The API's own views come later; this one shows how DRF answers with the class.
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def get(self, request):
        return Response({"email": request.user.email})


@pytest.mark.parametrize("scheme", ["Bearer", "Token", "bearer"])
def test_a_new_key_signs_its_user_in(reader, scheme):
    token, key = api_token_create(user=reader, name="script")
    user, auth = authenticate(f"{scheme} {key}")
    assert user == reader
    assert auth == token


def test_a_revoked_key_fails(reader):
    token, key = api_token_create(user=reader, name="script")
    api_token_revoke(token=token, by=reader)
    with pytest.raises(AuthenticationFailed, match=r"^Invalid or revoked API token\.$"):
        authenticate(f"Bearer {key}")


def test_an_inactive_users_key_fails(reader):
    _, key = api_token_create(user=reader, name="script")
    reader.is_active = False
    reader.save()
    with pytest.raises(AuthenticationFailed):
        authenticate(f"Bearer {key}")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer pith_not-a-real-key", "Token nonsense", "Bearer", "Bearer two parts"],
)
def test_a_wrong_or_malformed_key_fails(reader, authorization):
    api_token_create(user=reader, name="script")
    with pytest.raises(AuthenticationFailed):
        authenticate(authorization)


def test_the_stored_hash_is_not_a_key(reader):
    token, _ = api_token_create(user=reader, name="script")
    with pytest.raises(AuthenticationFailed):
        authenticate(f"Bearer {token.key_hash}")


@pytest.mark.parametrize("authorization", [None, "", "Basic dXNlcjpwYXNz", "Digest abc"])
def test_no_token_header_leaves_it_to_other_authentication(reader, authorization):
    assert authenticate(authorization) is None


def test_use_is_recorded_at_most_once_a_minute(reader, django_assert_num_queries):
    token, key = api_token_create(user=reader, name="script")
    assert token.last_used_at is None

    authenticate(f"Bearer {key}")
    first_use = ApiToken.objects.get().last_used_at
    assert first_use is not None

    with django_assert_num_queries(1):  # the lookup only, no write
        authenticate(f"Bearer {key}")
    assert ApiToken.objects.get().last_used_at == first_use

    ApiToken.objects.update(last_used_at=first_use - datetime.timedelta(minutes=5))
    authenticate(f"Bearer {key}")
    assert ApiToken.objects.get().last_used_at > first_use - datetime.timedelta(minutes=5)


def test_drf_answers_a_bad_token_with_401_and_a_bearer_challenge(reader):
    response = WhoAmI.as_view()(factory.get("/api/", HTTP_AUTHORIZATION="Bearer pith_wrong"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_drf_serves_a_good_token(reader):
    _, key = api_token_create(user=reader, name="script")
    response = WhoAmI.as_view()(factory.get("/api/", HTTP_AUTHORIZATION=f"Bearer {key}"))
    assert response.status_code == 200
    assert response.data == {"email": reader.email}
