"""Curator-only pages: the queue (classify and review without leaving it) and one's changes.

Every write calls a service in hubs.services, like the admin and the API.
"""

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from accounts.roles import request_has_mfa, request_is_curator
from hubs import services
from hubs.curation.selectors import (
    DEFAULT_QUEUE_ORDER,
    QUEUE_ORDERS,
    QUEUE_PAGE,
    changes_by,
    citation_left_queue,
    citations_to_classify,
    papers_to_review,
    queue_hubs,
)
from hubs.inputs import next_path, whole_number
from hubs.labels import label_name
from hubs.models import Citation, Paper, Polarity, Role, Verdict
from hubs.services.rules import REVIEW_SUMMARY_MAX_LENGTH
from hubs.text import quoted_title

SHORTCUTS = {
    # key: (field, value); shown on the page and read by static/js/queue.js, which saves a
    # citation once a key has chosen its role and its polarity
    "b": ("role", Role.BACKGROUND),
    "o": ("role", Role.BUILDS_ON),
    "m": ("role", Role.USES_METHOD),
    "d": ("role", Role.USES_DATA),
    "c": ("role", Role.COMPARES_WITH),
    "s": ("polarity", Polarity.SUPPORTING),
    "n": ("polarity", Polarity.NEUTRAL),
    "x": ("polarity", Polarity.CONTRASTING),
}


class CuratorRequiredMixin(AccessMixin):
    """Signed-in curators only (accounts.roles, as everywhere); a curator who
    has not set up two-factor authentication is sent to do so first."""

    raise_exception = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request_is_curator(request, require_mfa=False):
            raise PermissionDenied("Only curators (with a verified email) may curate.")
        if not request_has_mfa(request):
            messages.info(request, "Set up two-factor authentication to curate.")
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("mfa_activate_totp")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_login_url(self):
        return reverse("account_login")


def _back(request, fallback: str, anchor: str = ""):
    return redirect(next_path(request, fallback) + anchor)


# The queue item to focus when the page comes back after a classification (without
# JavaScript: the page sets `autofocus` on it; with it, queue.js moves focus itself).
FOCUS_KEY = "curation-queue-focus"


def _wants_json(request) -> bool:
    """queue.js asks for JSON to classify without reloading the page; a form post does not."""
    return "application/json" in request.headers.get("Accept", "")


REVIEW_ERROR_KEY = "curation-review-error"


def _fill_review_forms(papers, review_error: dict | None) -> None:
    """What each paper's review form shows: its review, or what the curator typed before
    the save was refused, with the reason."""
    for paper in papers:
        review = paper.review_or_none
        paper.form_error = None
        paper.form_values = {
            "verdict": paper.verdict,  # PaperQuerySet.with_review()
            "novelty": review.novelty if review else None,
            "summary": review.summary if review else "",
        }
        if review_error and review_error["paper"] == paper.pk:
            paper.form_error = review_error["error"]
            paper.form_values.update(review_error["typed"] or {})


class QueueView(CuratorRequiredMixin, View):
    def get(self, request):
        hubs = list(queue_hubs())
        chosen = set(request.GET.getlist("hub"))
        selected = [hub for hub in hubs if hub.slug in chosen] or hubs
        show = "papers" if request.GET.get("show") == "papers" else "citations"
        order = request.GET.get("order", DEFAULT_QUEUE_ORDER)
        order = order if order in QUEUE_ORDERS else DEFAULT_QUEUE_ORDER
        if show == "citations":
            queue = citations_to_classify(selected, order=order)
        else:
            queue = papers_to_review(selected)
        items = list(queue[:QUEUE_PAGE])
        review_error = request.session.pop(REVIEW_ERROR_KEY, None)
        if show == "papers":
            _fill_review_forms(items, review_error)
        else:
            # Each citation's form names the one after it: focus goes there once it is done.
            for index, item in enumerate(items):
                item.following = items[index + 1] if index + 1 < len(items) else None
        if review_error and review_error["paper"] not in {item.pk for item in items}:
            messages.error(request, review_error["error"])  # its paper has left the queue
        return render(
            request,
            "hubs/curation/queue.html",
            {
                "hubs": hubs,
                "chosen": chosen,
                "show": show,
                "order": order,
                "orders": QUEUE_ORDERS,
                "items": items,
                "remaining": queue.count(),
                "roles": Role.choices,
                "polarities": Polarity.choices,
                "verdicts": Verdict.choices,
                "summary_max_length": REVIEW_SUMMARY_MAX_LENGTH,
                "shortcuts": [
                    (key, label_name(field, value)) for key, (field, value) in SHORTCUTS.items()
                ],
                "keys": {value: key for key, (_, value) in SHORTCUTS.items()},
                "focus": request.session.pop(FOCUS_KEY, None),
            },
        )


class ClassifyView(CuratorRequiredMixin, View):
    """One submission per citation: its role and polarity together (one service call, one
    history record), or the suggestions accepted. Then on to the next item in the queue:
    the form's `following` names it."""

    def post(self, request, pk):
        citation = get_object_or_404(Citation.objects.select_related("citing"), pk=pk)
        try:
            if "accept" in request.POST:
                # A curator confirming the suggestions makes them curator labels (with
                # history); a label the curator already set stays theirs.
                services.citations_accept_suggestions(citations=[citation], by=request.user)
                citation.refresh_from_db(fields=["role", "polarity"])
            else:
                services.citation_classify(
                    citation=citation,
                    role=request.POST.get("role"),
                    polarity=request.POST.get("polarity"),
                    by=request.user,
                )
        except ValidationError as exc:
            error = " ".join(exc.messages)
            if _wants_json(request):
                return JsonResponse({"error": error}, status=400)
            messages.error(request, error)
            return _back(request, reverse("curation:queue"), f"#citation-{pk}")
        words = ", ".join(
            label_name(field, value)
            for field, value in (("role", citation.role), ("polarity", citation.polarity))
            if value
        )
        message = f"{quoted_title(citation.citing.title)}: {words or 'cleared'}."
        done = citation_left_queue(citation)
        if _wants_json(request):
            return JsonResponse({"message": message, "done": done})
        messages.success(request, message)
        following = whole_number(request.POST.get("following", ""), minimum=1)
        focus = following if done and following else pk
        request.session[FOCUS_KEY] = focus
        return _back(request, reverse("curation:queue"), f"#citation-{focus}")


class BulkClassifyView(CuratorRequiredMixin, View):
    def post(self, request):
        ids = [whole_number(value, minimum=1) for value in request.POST.getlist("ids")]
        if None in ids:
            messages.error(request, "Some ticked citations are not valid ids; nothing changed.")
            return _back(request, reverse("curation:queue"))
        role = request.POST.get("bulk_role") or None
        polarity = request.POST.get("bulk_polarity") or None
        if not ids or (role is None and polarity is None):
            messages.error(request, "Tick some citations and choose a role or a polarity.")
            return _back(request, reverse("curation:queue"))
        try:
            count = services.citations_classify(
                citations=Citation.objects.filter(pk__in=ids),
                role=role,
                polarity=polarity,
                by=request.user,
            )
            messages.success(request, f"Classified {count} citation(s).")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return _back(request, reverse("curation:queue"))


class ReviewView(CuratorRequiredMixin, View):
    def post(self, request, pk):
        paper = get_object_or_404(Paper, pk=pk)
        version = request.POST.get("seen_version", "")
        try:
            expected_version = whole_number(version) if version else None
            if version and expected_version is None:
                raise ValidationError("This form is out of date or damaged; reload the page.")
            services.review_set(
                paper=paper,
                verdict=request.POST.get("verdict", ""),
                novelty=request.POST.get("novelty") or None,
                summary=request.POST.get("summary", ""),
                by=request.user,
                expected_version=expected_version,
            )
            messages.success(request, f"Review of {quoted_title(paper.title)} saved.")
        except (ValidationError, services.ReviewConflict) as exc:
            # Shown next to this paper's form on the next page, with what was typed (a
            # conflict keeps nothing: the form must start again from the newer review).
            invalid = isinstance(exc, ValidationError)
            request.session[REVIEW_ERROR_KEY] = {
                "paper": pk,
                "error": " ".join(exc.messages) if invalid else str(exc),
                "typed": {  # at most what the form takes: the session stores it
                    field: request.POST.get(field, "")[:REVIEW_SUMMARY_MAX_LENGTH]
                    for field in ("verdict", "novelty", "summary")
                }
                if invalid
                else None,
            }
        return _back(request, reverse("curation:queue") + "?show=papers", f"#paper-{pk}")


class ChangesView(CuratorRequiredMixin, View):
    def get(self, request):
        everyone = request.user.is_superuser and request.GET.get("who") == "everyone"
        return render(
            request,
            "hubs/curation/changes.html",
            {"changes": changes_by(request.user, everyone=everyone), "everyone": everyone},
        )


class RevertView(CuratorRequiredMixin, View):
    def post(self, request, kind, history_id):
        try:
            changed = services.change_revert(kind=kind, history_id=history_id, by=request.user)
            messages.success(request, f"The change to {kind} #{changed.pk} is undone.")
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        return _back(request, reverse("curation:changes"))
