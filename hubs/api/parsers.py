"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

Python's json module recurses once per level, so a body like `[[[[...` 100,000 deep ends
in RecursionError (a 500) before any serializer sees it. No request of this API nests
more than a few levels, so a body past MAX_DEPTH is a 400 with a clear message.
"""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
TOO_DEEP = f"JSON body nests more than {MAX_DEPTH} levels deep."


def _nests_deeper_than(data, limit: int) -> bool:
    """Whether `data` nests lists/objects deeper than `limit` (iteratively: no recursion)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # the json module gives up near 1,000 levels, at once
            raise ParseError(TOO_DEEP) from exc
        if _nests_deeper_than(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
