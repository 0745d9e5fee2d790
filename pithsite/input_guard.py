"""Input no page or API of the site can take, refused once, before any view runs.

A NUL character is never part of a title, a search, an identifier, a slug or a key, and
PostgreSQL cannot compare or store one: a `%00` anywhere in a path, a query string or a
submitted form would otherwise reach the database as an error (a 500) from whichever
view forgot to check. Here it is a 400 with a clear message, for every view at once.
"""

from django.http import HttpResponseBadRequest, JsonResponse

NUL_MESSAGE = "The request contains a NUL (\\x00) character, which no field here accepts."


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # request.POST parses only form bodies (JSON is the API parser's, whose string
        # fields refuse NUL themselves); a body too big raises the usual 400 here.
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(request.POST):
            if request.path.startswith("/api/"):
                error = {"code": "invalid_input", "message": NUL_MESSAGE}
                return JsonResponse({"error": error}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
