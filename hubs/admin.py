"""The curation admin. Every save calls a service in hubs.services; nothing writes around them."""

import inspect
from collections import Counter
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from hubs import services
from hubs.admin_filters import (
    CitedHubFilter,
    CitingVerdictFilter,
    CitingYearFilter,
    ClassifiedFilter,
    PaperVerdictFilter,
)
from hubs.identifiers import ID_FIELDS, parse_field, parse_or_none
from hubs.labels import suggestion_words
from hubs.models import (
    SUGGESTION_FIELDS,
    Citation,
    CitationContext,
    Hub,
    HubRepresentative,
    Paper,
    Polarity,
    Review,
    Role,
)
from hubs.services.rules import REVIEW_SUMMARY_MAX_LENGTH, review_summary_clean
from hubs.text import shorten


class IdentifierSearchMixin:
    """A search that is a paper identifier (any kind, any form: hubs.identifiers) finds
    the rows of the paper it names, at each of `identifier_paths`; other text is words."""

    identifier_paths: tuple[str, ...] = ("",)

    def get_search_results(self, request, queryset, search_term):
        if paper_id := parse_or_none(search_term):
            return queryset.filter(reduce(or_, map(paper_id.q, self.identifier_paths))), False
        return super().get_search_results(request, queryset, search_term)


def _admin_link(site, obj) -> str:
    """ "Kind: name", linked to the object's admin page when it has one."""
    opts = obj._meta
    if not site.is_registered(obj.__class__):
        return f"{capfirst(opts.verbose_name)}: {obj}"
    url = reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
    return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)


def _paper_label(paper: Paper) -> str:
    return f"{paper.identifier} · {shorten(paper.title)}"


def _record_formset_saved(formset, *, changed=()):
    """Fill in what formset.save() would have set, which the admin's change message reads."""
    formset.new_objects, formset.deleted_objects = [], []
    formset.changed_objects = list(changed)


class ReviewForm(forms.ModelForm):
    """A review form that remembers the version it was built from, so that a save made
    after someone else's is refused with their values instead of silently replacing them."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Off for the history page's revert, whose form starts from an old version on purpose.
    check_version = True

    class Meta:
        model = Review
        fields = ["verdict", "novelty", "summary", "seen_version"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"].initial = self.instance.version if self.instance.pk else 0
        self.fields["summary"].widget.attrs["maxlength"] = REVIEW_SUMMARY_MAX_LENGTH

    def clean_summary(self):
        # The service's rule (length, NUL), checked here so the form shows it by the field.
        return review_summary_clean(self.cleaned_data.get("summary") or "")

    def clean(self):
        cleaned = super().clean()
        version = cleaned.get("seen_version")
        if self.check_version and version is not None and self.instance.pk:
            current = Review.objects.select_related("curator").get(pk=self.instance.pk)
            if current.version != version:
                raise forms.ValidationError(str(services.ReviewConflict(current=current)))
        return cleaned

    @property
    def expected_version(self) -> int | None:
        return self.cleaned_data.get("seen_version") if self.check_version else None


def _review_set_from_form(request, *, paper: Paper, form: ReviewForm) -> Review | None:
    try:
        return services.review_set(
            paper=paper,
            verdict=form.cleaned_data["verdict"],
            novelty=form.cleaned_data["novelty"],
            summary=form.cleaned_data["summary"],
            by=request.user,
            expected_version=form.expected_version,
        )
    except services.ReviewConflict as conflict:
        # Someone saved between this form's validation and its save: rare, but not lost.
        messages.error(request, str(conflict))
        return None


class ReviewInline(admin.StackedInline):
    model = Review
    form = ReviewForm
    fields = ["verdict", "novelty", "summary", "seen_version"]
    can_delete = False
    max_num = 1
    extra = 1

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("hubs.add_review")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("hubs.change_review")


def _https_by_default(field, **kwargs):
    # Django 6 makes https the default scheme for typed URLs; take it now.
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class DeletesThroughServices:
    """The admin's deletes (one object, or "delete selected") go through the services, as
    every other write here does: the hubs' counts follow in the same transaction and the
    pages kept for readers go stale at once. Model.delete alone would leave both behind.
    A subclass names its service in `delete_objects`.

    The confirmation page lists the objects chosen, and counts by kind what goes with them
    (Django's lists every row, each citation naming its two papers, one or two queries a
    row: a thousand for a hub of a thousand citing papers). Both the page and the delete
    make as many queries for thirty objects as for three."""

    def delete_objects(self, objects) -> None:
        raise NotImplementedError

    def get_deleted_objects(self, objs, request):
        objs = list(objs)
        collector = Collector(using=router.db_for_write(self.model), origin=objs)
        try:
            collector.collect(objs)
        except (ProtectedError, RestrictedError) as error:
            kept = getattr(error, "protected_objects", None) or error.restricted_objects
            return [], {}, set(), [_admin_link(self.admin_site, obj) for obj in kept]
        counts = Counter({model: len(rows) for model, rows in collector.data.items()})
        for rows in collector.fast_deletes:
            counts[rows.model] += rows.count()
        perms_needed = {
            model._meta.verbose_name
            for model in counts
            if self.admin_site.is_registered(model)
            and not self.admin_site.get_model_admin(model).has_delete_permission(request)
        }
        model_count = {model._meta.verbose_name_plural: n for model, n in counts.items() if n}
        listed = [_admin_link(self.admin_site, obj) for obj in objs]
        return listed, model_count, perms_needed, []

    def delete_model(self, request, obj):
        self.delete_objects([obj])

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self.delete_objects(list(queryset))


class PaperAdminForm(forms.ModelForm):
    """Identifiers are normalised here so a typo is a form error, not a failed save."""

    class Meta:
        model = Paper
        formfield_callback = _https_by_default
        fields = [
            "title",
            "arxiv_id",
            "arxiv_version",
            "doi",
            "acl_id",
            "s2_corpus_id",
            "openalex_id",
            "authors",
            "abstract",
            "primary_category",
            "categories",
            "submitted",
            "code_url",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Text fields, so any pasted form (a link, CorpusId:123) reaches clean().
        for field in set(ID_FIELDS) & self.fields.keys():
            model_field = self.fields[field]
            self.fields[field] = forms.CharField(
                label=model_field.label,
                help_text=model_field.help_text,
                required=False,
                max_length=500,
            )

    def clean(self):
        cleaned = super().clean()
        for field in set(ID_FIELDS) & cleaned.keys():
            if cleaned.get(field) in (None, ""):
                cleaned[field] = None
                continue
            try:
                cleaned[field] = parse_field(field, cleaned[field]).value
            except ValueError as exc:
                self.add_error(field, str(exc))
        return cleaned


@admin.register(Paper)
class PaperAdmin(DeletesThroughServices, IdentifierSearchMixin, admin.ModelAdmin):
    form = PaperAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "identifier", "primary_category", "date_label", "verdict"]
    list_filter = [PaperVerdictFilter, "year", "primary_category"]
    search_fields = ["title", "authors"]  # and any identifier: IdentifierSearchMixin
    inlines = [ReviewInline]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_review()

    @admin.display(description="verdict", ordering="verdict")
    def verdict(self, paper):
        return paper.verdict  # PaperQuerySet.with_review(): "unverdicted" without a review

    def _may_edit_metadata(self, request) -> bool:
        return request.user.has_perm("hubs.change_paper")

    def has_change_permission(self, request, obj=None):
        # Curators open the paper page to edit its review; its metadata stays read-only.
        return super().has_change_permission(request, obj) or request.user.has_perm(
            "hubs.change_review"
        )

    def get_readonly_fields(self, request, obj=None):
        if self._may_edit_metadata(request):
            return ["year", "month", "created_at", "updated_at"]
        return [field.name for field in Paper._meta.concrete_fields if not field.generated]

    def delete_objects(self, papers):
        services.papers_delete(papers=papers)

    def save_model(self, request, obj, form, change):
        data = {field: form.cleaned_data[field] for field in form.changed_data}
        if not data:
            return
        if change:
            services.paper_update(paper=Paper.objects.get(pk=obj.pk), changes=data)
        else:
            fields = inspect.signature(services.paper_upsert).parameters
            paper, _ = services.paper_upsert(
                **{field: value for field, value in data.items() if field in fields},
                by_person=True,
            )
            obj.pk = paper.pk

    def save_formset(self, request, form, formset, change):
        if formset.model is not Review:
            return super().save_formset(request, form, formset, change)
        saved = [
            _review_set_from_form(request, paper=form.instance, form=inline)
            for inline in formset.forms
            if inline.has_changed()
        ]
        _record_formset_saved(
            formset, changed=[(review, ["review"]) for review in saved if review]
        )


class ReviewListForm(ReviewForm):
    class Meta(ReviewForm.Meta):
        widgets = {"summary": forms.Textarea(attrs={"rows": 2, "cols": 50})}


@admin.register(Review)
class ReviewAdmin(DeletesThroughServices, IdentifierSearchMixin, SimpleHistoryAdmin):
    list_display = ["paper_label", "verdict", "novelty", "summary", "curator"]
    list_display_links = ["paper_label"]
    list_editable = ["verdict", "novelty", "summary"]
    list_filter = ["verdict", "curator"]
    list_select_related = ["paper", "curator"]
    search_fields = ["paper__title", "paper__authors"]
    identifier_paths = ("paper__",)
    autocomplete_fields = ["paper"]
    form = ReviewForm
    fields = ["paper", "verdict", "novelty", "summary", "curator", "updated_at", "seen_version"]
    readonly_fields = ["curator", "updated_at"]
    show_full_result_count = False

    @admin.display(description="paper", ordering="paper__title")
    def paper_label(self, review):
        return _paper_label(review.paper)

    def get_changelist_form(self, request, **kwargs):
        return ReviewListForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        match = request.resolver_match
        if match and match.url_name == "hubs_review_simple_history":
            # Reverting restores an old version by design; it is not a stale edit.
            form = type("ReviewRevertForm", (form,), {"check_version": False})
        return form

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "paper"] if obj else self.readonly_fields

    def delete_objects(self, reviews):
        services.reviews_delete(reviews=reviews)

    def save_model(self, request, obj, form, change):
        review = _review_set_from_form(request, paper=obj.paper, form=form)
        if review:
            obj.pk = review.pk


class CitationContextInline(admin.TabularInline):
    model = CitationContext
    fields = ["position", "section", "text"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _classify_action(*, role: str | None = None, polarity: str | None = None, label: str):
    def action(modeladmin, request, queryset):
        count = services.citations_classify(
            citations=queryset, role=role, polarity=polarity, by=request.user
        )
        modeladmin.message_user(request, f"{label}: {count} citation(s).", messages.SUCCESS)

    action.__name__ = "classify_" + ("_".join(filter(None, [role, polarity])) or "clear")
    return action, action.__name__, label


def _accept_action(modeladmin, request, queryset):
    count = services.citations_accept_suggestions(citations=queryset, by=request.user)
    modeladmin.message_user(
        request, f"Accepted the suggestions of {count} citation(s).", messages.SUCCESS
    )


_accept_action.short_description = "Accept the suggestions (as curator labels)"


@admin.register(Citation)
class CitationAdmin(DeletesThroughServices, IdentifierSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "citing_paper",
        "cited_paper",
        "citing_year",
        "role",
        "polarity",
        "classification_source",
        "suggestion",
        "refs",
        "citing_verdict",
    ]
    list_display_links = ["citing_paper"]
    list_editable = ["role", "polarity"]
    list_filter = [
        CitedHubFilter,
        "role",
        "polarity",
        ClassifiedFilter,
        "classification_source",
        "suggested_role_source",
        "suggested_polarity_source",
        CitingYearFilter,
        CitingVerdictFilter,
    ]
    list_select_related = ["citing", "cited", "citing__review"]
    search_fields = ["citing__title"]
    identifier_paths = ("citing__", "cited__")
    fields = [
        "citing",
        "cited",
        "refs",
        "role",
        "polarity",
        "classification_source",
        "classified_by",
        "classified_at",
        *SUGGESTION_FIELDS,
    ]
    readonly_fields = [
        "citing",
        "cited",
        "refs",
        "classification_source",
        "classified_by",
        "classified_at",
        *SUGGESTION_FIELDS,
    ]
    inlines = [CitationContextInline]
    show_full_result_count = False

    @admin.display(description="citing paper", ordering="citing__title")
    def citing_paper(self, citation):
        return _paper_label(citation.citing)

    @admin.display(description="cites", ordering="cited__arxiv_id")
    def cited_paper(self, citation):
        return citation.cited.identifier

    @admin.display(description="suggestion (source, confidence)")
    def suggestion(self, citation):
        return suggestion_words(citation) or "—"

    @admin.display(description="year", ordering="citing__year")
    def citing_year(self, citation):
        return citation.citing.year

    def get_queryset(self, request):
        return super().get_queryset(request).with_citing_verdict().with_public_labels()

    @admin.display(description="verdict", ordering="citing_verdict")
    def citing_verdict(self, citation):
        return citation.citing_verdict  # CitationQuerySet.with_citing_verdict()

    def has_add_permission(self, request):
        # Citations come from importers; curators classify them.
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            return actions
        choices = [
            _classify_action(role=value, label=f"Set role: {label}")
            for value, label in Role.choices
        ]
        choices += [
            _classify_action(polarity=value, label=f"Set polarity: {label}")
            for value, label in Polarity.choices
        ]
        choices.append(_classify_action(role="", polarity="", label="Clear role and polarity"))
        choices.append((_accept_action, "accept_suggestions", _accept_action.short_description))
        for action, name, label in choices:
            actions[name] = (action, name, label)
        return actions

    def delete_objects(self, citations):
        services.citations_delete(citations=citations)

    def save_model(self, request, obj, form, change):
        services.citation_classify(
            citation=Citation.objects.get(pk=obj.pk),
            role=form.cleaned_data["role"],
            polarity=form.cleaned_data["polarity"],
            by=request.user,
        )


class RepresentativeFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors) or not self.instance.paper_id:
            return
        try:
            services.hub_representatives_check(hub=self.instance, papers=self.ordered_papers())
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def ordered_papers(self):
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("paper") and not form.cleaned_data.get("DELETE")
        ]
        return [data["paper"] for data in sorted(kept, key=lambda data: data["position"] or 0)]


class HubRepresentativeInline(admin.TabularInline):
    model = HubRepresentative
    formset = RepresentativeFormSet
    fields = ["position", "paper"]
    autocomplete_fields = ["paper"]
    extra = 1
    verbose_name = "representative citing paper"
    verbose_name_plural = "representative citing papers (in this order; lowest position first)"


@admin.register(Hub)
class HubAdmin(DeletesThroughServices, IdentifierSearchMixin, SimpleHistoryAdmin):
    list_display = ["slug", "paper", "is_published", "citing_count", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["slug", "paper__title"]
    identifier_paths = ("paper__",)
    fields = ["paper", "slug", "is_published", "curator_note"]
    autocomplete_fields = ["paper"]
    inlines = [HubRepresentativeInline]

    def get_queryset(self, request):
        return Hub.objects.with_counts()

    @admin.display(description="citing papers", ordering="citing_count")
    def citing_count(self, hub):
        return hub.citing_count

    def get_readonly_fields(self, request, obj=None):
        return ["paper"] if obj else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.hub_update(
                hub=Hub.objects.get(pk=obj.pk),
                slug=data["slug"],
                is_published=data["is_published"],
                curator_note=data["curator_note"],
                by=request.user,
            )
        else:
            hub = services.hub_create(
                paper=data["paper"],
                slug=data["slug"],
                is_published=data["is_published"],
                curator_note=data["curator_note"],
                by=request.user,
            )
            obj.pk = hub.pk

    def delete_objects(self, hubs):
        for hub in hubs:
            services.hub_delete(hub=hub)

    def save_formset(self, request, form, formset, change):
        if formset.model is not HubRepresentative:
            return super().save_formset(request, form, formset, change)
        if formset.has_changed():
            services.hub_set_representatives(
                hub=Hub.objects.get(pk=form.instance.pk),
                papers=formset.ordered_papers(),
                by=request.user,
            )
        _record_formset_saved(formset)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The stock revert saves the hub's own fields only; ours restores the ordered
        # representatives from the same snapshot.
        if request.method != "POST":
            return super().history_form_view(request, object_id, version_id, extra_context)
        hub = get_object_or_404(Hub, pk=object_id)
        if not self.has_change_permission(request, hub):
            raise PermissionDenied
        with transaction.atomic():
            services.hub_revert(hub=hub, history_id=version_id, by=request.user)
        self.message_user(request, f"Hub {hub.slug} reverted.", messages.SUCCESS)
        return redirect("admin:hubs_hub_change", hub.pk)
