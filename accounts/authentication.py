"""REST API sign-in with a per-user API token: `Authorization: Bearer <key>` (or `Token <key>`)."""

import hmac

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts.models import ApiToken, api_key_hash
from accounts.services import api_token_mark_used

SCHEMES = {b"bearer", b"token"}


class ApiTokenAuthentication(BaseAuthentication):
    """Signs the request in as the token's user; request.auth is the ApiToken.

    Without an Authorization header of one of its schemes it returns None, so session
    authentication (with CSRF) can apply; with one, the key must be valid or it is a 401.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in SCHEMES:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                "Invalid Authorization header: expected 'Bearer <key>' with no spaces in the key."
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise AuthenticationFailed("Invalid or revoked API token.") from exc
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str):
        digest = api_key_hash(key)
        token = ApiToken.objects.usable().for_key(key).select_related("user").first()
        # The lookup is by digest, so timing can reveal nothing useful about the key; the
        # constant-time check is a guard against a database that compares loosely.
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            raise AuthenticationFailed("Invalid or revoked API token.")
        api_token_mark_used(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 with a challenge, not 403, when a request is not signed in.
        return 'Bearer realm="api"'
