"""API serializers. Output serializers name their fields; writes have their own input ones."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hubs.labels import label_source, public_labels
from hubs.models import Polarity, Role, Verdict
from hubs.selectors import citation_classification_history, hub_directory_entry
from hubs.selectors.explorer import SEARCH_COUNT_LIMIT
from hubs.services.rules import REVIEW_SUMMARY_MAX_LENGTH


class ReviewSerializer(serializers.Serializer):
    verdict = serializers.CharField()
    novelty = serializers.DecimalField(
        max_digits=3, decimal_places=1, allow_null=True, coerce_to_string=False
    )
    summary = serializers.CharField()
    updated_at = serializers.DateTimeField()
    version = serializers.IntegerField(
        help_text="Send it back with a change to have a stale change refused (409)."
    )


class PaperSummarySerializer(serializers.Serializer):
    identifier = serializers.CharField()
    arxiv_id = serializers.CharField(allow_null=True)
    doi = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField())
    primary_category = serializers.CharField()
    date = serializers.CharField(
        source="date_label", help_text="YYYY-MM-DD, or YYYY-MM when only the month is known."
    )
    html_url = serializers.SerializerMethodField()

    def get_html_url(self, paper) -> str:
        return self.context["request"].build_absolute_uri(paper.get_absolute_url())


class PaperDetailSerializer(PaperSummarySerializer):
    arxiv_version = serializers.IntegerField(allow_null=True)
    acl_id = serializers.CharField(allow_null=True)
    s2_corpus_id = serializers.IntegerField(allow_null=True)
    openalex_id = serializers.CharField(allow_null=True)
    abstract = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    submitted = serializers.DateField(allow_null=True)
    year = serializers.IntegerField(allow_null=True)
    abs_url = serializers.CharField()
    pdf_url = serializers.CharField()
    code_url = serializers.CharField()
    review = ReviewSerializer(source="review_or_none", allow_null=True)


class LabelSourceField(serializers.CharField):
    """Who set the citation's labels, in the words the pages use (hubs.labels)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            'Who set the labels: a curator\'s name, "a data load", "an import (confidence '
            '0.97)", "a model (confidence 0.64)", or "nobody yet".',
        )
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, citation) -> str:
        return label_source(citation)


class PublicLabelSerializer(serializers.Serializer):
    """One public label with its provenance (hubs.labels.PublicLabel)."""

    value = serializers.CharField(help_text='"" when unclassified.')
    status = serializers.CharField(
        source="state",
        help_text='"curated" (a curator set it), "suggested" (a model\'s or an import\'s '
        'label at or above its threshold) or "" (unclassified).',
    )
    source = serializers.CharField(help_text="Who set it, in words.")
    confidence = serializers.FloatField(allow_null=True, help_text="A suggestion's, 0..1.")
    model_version = serializers.CharField(source="version", help_text="A model suggestion's.")


class PublicLabelsSerializer(serializers.Serializer):
    """A citation's public role and polarity, each with its provenance."""

    role = PublicLabelSerializer()
    polarity = PublicLabelSerializer()

    def to_representation(self, citation):
        role, polarity = public_labels(citation)
        return super().to_representation({"role": role, "polarity": polarity})


class ContextSerializer(serializers.Serializer):
    text = serializers.CharField()
    section = serializers.CharField()


class CitingPaperSerializer(serializers.Serializer):
    """One row of a hub's citing papers: the citation, with the citing paper and its review."""

    citation_id = serializers.IntegerField(source="pk")
    paper = PaperSummarySerializer(source="citing")
    role = serializers.CharField(
        source="public_role", help_text="The curator's role, else a confident suggestion."
    )
    polarity = serializers.CharField(source="public_polarity")
    classified = serializers.BooleanField(
        source="is_classified",
        help_text="Whether role/polarity count as classified (curator, or confident enough).",
    )
    labels = PublicLabelsSerializer(
        source="*",
        read_only=True,
        help_text="Role and polarity with their provenance: curated or suggested, "
        "source, confidence, model version.",
    )
    set_by = LabelSourceField()
    refs = serializers.IntegerField()
    verdict = serializers.CharField(
        source="citing_verdict", help_text='"unverdicted" when nobody has reviewed it.'
    )
    novelty = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField(source="created_at")

    def get_novelty(self, citation) -> float | None:
        review = citation.citing.review_or_none
        return float(review.novelty) if review and review.novelty is not None else None


class LabelCountSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField()


class CubeCellSerializer(serializers.Serializer):
    role = serializers.CharField()
    polarity = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()


class StatusSerializer(serializers.Serializer):
    sentence = serializers.CharField()
    citing_count = serializers.IntegerField()
    classified_count = serializers.IntegerField(help_text="With a classified role or polarity.")
    curated_count = serializers.IntegerField(
        help_text="Of the classified, those with a curator's label."
    )
    suggested_count = serializers.IntegerField(
        help_text="Of the classified, those classified by suggestions alone."
    )
    role_curated_count = serializers.IntegerField()
    role_suggested_count = serializers.IntegerField()
    polarity_curated_count = serializers.IntegerField()
    polarity_suggested_count = serializers.IntegerField()
    thresholds = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField()),
        help_text="The confidence at which each suggested label counts as classified.",
    )
    role_classified_count = serializers.IntegerField(help_text="The roles' denominator.")
    polarity_classified_count = serializers.IntegerField(help_text="The polarities' one.")
    dominant_role = serializers.CharField(allow_null=True)
    dominant_role_count = serializers.IntegerField()
    dominant_role_share = serializers.FloatField()
    dominant_polarity = serializers.CharField(allow_null=True)
    dominant_polarity_count = serializers.IntegerField()
    dominant_polarity_share = serializers.FloatField()


class HubListSerializer(serializers.Serializer):
    """A hub of the directory (hub_directory), with the numbers its row on /hubs/ shows."""

    slug = serializers.CharField(source="hub.slug")
    title = serializers.CharField(source="hub.paper.title")
    paper = serializers.CharField(source="hub.paper.identifier")
    year = serializers.IntegerField(allow_null=True, help_text="The hub paper's year.")
    is_published = serializers.BooleanField(source="hub.is_published")
    citing_count = serializers.IntegerField()
    classified_count = serializers.IntegerField(
        help_text="Citing papers with a classified role or polarity (or both)."
    )
    classified_share = serializers.FloatField(help_text="classified_count / citing_count.")
    role_classified_count = serializers.IntegerField()
    polarity_classified_count = serializers.IntegerField()
    roles = LabelCountSerializer(many=True, help_text="Shares of role_classified_count.")
    polarities = LabelCountSerializer(many=True, help_text="Shares of polarity_classified_count.")
    html_url = serializers.SerializerMethodField()

    def to_representation(self, instance):
        return super().to_representation(hub_directory_entry(instance))

    def get_html_url(self, entry) -> str:
        return self.context["request"].build_absolute_uri(entry.hub.get_absolute_url())


class HubDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    is_published = serializers.BooleanField()
    curator_note = serializers.CharField()
    paper = PaperDetailSerializer()
    status = StatusSerializer()
    roles = LabelCountSerializer(many=True, help_text="Shares of status.role_classified_count.")
    polarities = LabelCountSerializer(
        many=True, help_text="Shares of status.polarity_classified_count."
    )
    years = LabelCountSerializer(
        many=True, help_text="Citing papers by year; share of the busiest year."
    )
    cube = CubeCellSerializer(
        many=True, help_text="Classified citations by role x polarity x year."
    )
    representatives = CitingPaperSerializer(many=True)


class FacetGroupSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class FacetsSerializer(serializers.Serializer):
    group_by = serializers.CharField()
    matching = serializers.IntegerField(
        help_text="Citing papers that pass the filters (with matching_exact false: more "
        "than this many, a text search too common to count; then no groups)."
    )
    matching_exact = serializers.BooleanField(
        help_text=f"False when a text search matches more than `matching` "
        f"({SEARCH_COUNT_LIMIT:,}) citing papers: they are not counted or grouped, as on the "
        "hub page."
    )
    groups = FacetGroupSerializer(many=True)


class HubReferenceSerializer(serializers.Serializer):
    citation_id = serializers.IntegerField(source="pk")
    hub = serializers.CharField(source="cited.hub.slug")
    paper = PaperSummarySerializer(source="cited")
    role = serializers.CharField(source="public_role")
    polarity = serializers.CharField(source="public_polarity")
    classified = serializers.BooleanField(source="is_classified")
    labels = PublicLabelsSerializer(source="*", read_only=True)
    set_by = LabelSourceField()
    refs = serializers.IntegerField()
    contexts = ContextSerializer(many=True, source="contexts.all")


class PaperPageSerializer(PaperDetailSerializer):
    cites_hubs = serializers.SerializerMethodField(help_text="Its citations of published hubs.")
    citing_count = serializers.SerializerMethodField(help_text="How many papers here cite it.")

    # The view reads these through the selectors and passes them in the context.
    @extend_schema_field(HubReferenceSerializer(many=True))
    def get_cites_hubs(self, paper):
        return HubReferenceSerializer(
            self.context["hub_references"], many=True, context=self.context
        ).data

    def get_citing_count(self, paper) -> int:
        return self.context["citing_count"]


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    source = serializers.CharField()
    role_from = serializers.CharField()
    role_to = serializers.CharField()
    polarity_from = serializers.CharField()
    polarity_to = serializers.CharField()


class CitationDetailSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    citing = PaperSummarySerializer()
    cited = PaperSummarySerializer()
    refs = serializers.IntegerField()
    role = serializers.CharField(source="public_role")
    polarity = serializers.CharField(source="public_polarity")
    labels = PublicLabelsSerializer(source="*", read_only=True)
    set_by = LabelSourceField()
    classified_at = serializers.DateTimeField(allow_null=True)
    classified = serializers.BooleanField(source="is_classified")
    contexts = ContextSerializer(many=True, source="contexts.all")
    history = serializers.SerializerMethodField(
        help_text="Changes of role/polarity, newest first."
    )

    @extend_schema_field(HistoryEntrySerializer(many=True))
    def get_history(self, citation):
        changes = citation_classification_history(citation)
        return HistoryEntrySerializer(changes, many=True).data


# Inputs -----------------------------------------------------------------------------


class ReviewInputSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    novelty = serializers.DecimalField(
        max_digits=3, decimal_places=1, min_value=0, max_value=10, allow_null=True, required=False
    )
    summary = serializers.CharField(
        allow_blank=True, required=False, default="", max_length=REVIEW_SUMMARY_MAX_LENGTH
    )
    version = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        source="expected_version",
        help_text="The review's version you started from (0 for a new review); if someone "
        "saved in between, the change is refused with 409 and their review.",
    )


def _label_field(choices):
    return serializers.ChoiceField(
        choices=[*choices, ("", "unclassified")],
        required=False,
        help_text="Empty string clears the label; leave out to keep it.",
    )


class ClassificationInputSerializer(serializers.Serializer):
    role = _label_field(Role.choices)
    polarity = _label_field(Polarity.choices)

    def validate(self, data):
        if not data:
            raise serializers.ValidationError("Give a role, a polarity or both.")
        return data


class BulkClassificationItemSerializer(ClassificationInputSerializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)  # a BigAutoField

    def validate(self, data):
        if "role" not in data and "polarity" not in data:
            raise serializers.ValidationError("Give a role, a polarity or both.")
        return data


class BulkClassificationInputSerializer(serializers.Serializer):
    items = BulkClassificationItemSerializer(many=True, allow_empty=False, max_length=1000)


class BulkClassificationResultSerializer(serializers.Serializer):
    classified = serializers.IntegerField()


class RepresentativesInputSerializer(serializers.Serializer):
    papers = serializers.ListField(
        child=serializers.CharField(),
        max_length=50,
        help_text=(
            "Identifiers of citing papers (any kind and form: 2509.08827, a DOI, P02-1040, "
            "CorpusId:123, W123, or a link), in the order to show them."
        ),
    )


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. validation_error, not_found.")
    message = serializers.CharField()
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Messages by input field, for validation errors.",
    )
    items = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="Bulk requests: each bad item with its index, id and errors.",
    )
    current = serializers.DictField(
        required=False, help_text="Conflicts (409): the newer value that was kept."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()
