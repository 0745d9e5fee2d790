import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from hubs import labels

register = template.Library()


@register.filter
def label_source(citation) -> str:
    """Who set the citation's labels, in words (hubs.labels.label_source)."""
    return labels.label_source(citation)


@register.filter
def public_labels(citation) -> list:
    """The citation's public role and polarity with their provenance (hubs.labels)."""
    return labels.public_labels(citation)


@register.filter
def suggestions(citation) -> list:
    """Every suggestion the citation carries, whatever its confidence (curators only)."""
    return labels.suggestions(citation)


@register.simple_tag(takes_context=True)
def query_replace(context, *pairs, **changes) -> str:
    """The current query string with changes applied; an empty value removes a key.

    Changes come as keywords, or as positional key, value pairs when the key is itself a
    variable: {% query_replace facet.name item.value %}. The cursor is dropped unless
    given: a new filter or sort starts from the first page.
    """
    changes = {**dict(zip(pairs[::2], pairs[1::2], strict=True)), **changes}
    params = context["request"].GET.copy()
    params.pop("cursor", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def percent(share: float) -> str:
    """0.4567 -> '46%'."""
    return f"{round(share * 100)}%"


@register.filter
def share_number(share: float) -> str:
    """0.4567 -> '45.67': a share as a number from 0 to 100 (an SVG bar's width)."""
    return f"{min(max(share, 0), 1) * 100:.2f}".rstrip("0").rstrip(".")


@register.filter
def jsonld(data) -> str:
    """Data as a JSON-LD block's body, safe inside <script> (like json_script)."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_json_script_escapes))


@register.filter
def get_item(mapping, key):
    return mapping.get(key)


@register.filter
def stacked(items) -> list[tuple]:
    """LabelCounts as the segments of one stacked bar: (item, start) for each value with a
    count, `start` the share before it as a number from 0 to 100 (an SVG rect's x)."""
    segments, start = [], 0.0
    for item in items:
        if item.count:
            segments.append((item, share_number(start)))
            start += item.share
    return segments
