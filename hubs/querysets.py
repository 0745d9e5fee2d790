"""The read layer: every page, API view, export, command and admin list starts here."""

from django.conf import settings
from django.db import models
from django.db.models import Count, Q

from accounts.roles import is_curator


class PaperQuerySet(models.QuerySet):
    def search(self, text: str):
        """Papers whose title, authors, arXiv id or DOI contain the text (case-insensitive)."""
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(authors__icontains=text)
            | Q(arxiv_id__iexact=text)
            | Q(doi__iexact=text)
        )

    def with_review(self):
        return self.select_related("review")


class CitationQuerySet(models.QuerySet):
    def classified(self):
        """Citations public pages count as classified (DESIGN.md, "classification").

        A curator's label always counts; an import or model label counts only at or above
        the site's confidence threshold. A citation with neither role nor polarity is
        unclassified whatever its source.
        """
        threshold = settings.PITHSITE_CLASSIFICATION_THRESHOLD
        trusted = Q(classification_source="curator") | Q(
            classification_source__in=["import", "model"], confidence__gte=threshold
        )
        return self.filter(trusted).exclude(role="", polarity="")

    def unclassified(self):
        return self.exclude(pk__in=self.classified().values("pk"))

    def of_paper(self, paper):
        """Citations of a paper (the paper is the cited one)."""
        return self.filter(cited=paper)

    def with_papers(self):
        return self.select_related("citing", "cited", "citing__review", "classified_by")


class ReviewQuerySet(models.QuerySet):
    def reviewed(self):
        """Reviews a curator has actually written something in."""
        return self.exclude(verdict="unverdicted", novelty__isnull=True, summary="")


class HubQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """Published hubs for everyone; drafts too for curators."""
        return self if is_curator(user) else self.published()

    def with_citing_count(self):
        return self.select_related("paper").annotate(citing_count=Count("paper__citations"))
