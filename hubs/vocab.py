"""The site's vocabularies: the words a role, a polarity, a verdict and a label's source
may take (DESIGN.md, "Words"). Models, the read layer, filters, services and pages all
name values through these, never as bare strings."""

from django.db import models


class Role(models.TextChoices):
    BACKGROUND = "background", "background"
    BUILDS_ON = "builds_on", "builds on"
    USES_METHOD = "uses_method", "uses method"
    USES_DATA = "uses_data", "uses data"
    COMPARES_WITH = "compares_with", "compares with"


class Polarity(models.TextChoices):
    SUPPORTING = "supporting", "supporting"
    NEUTRAL = "neutral", "neutral"
    CONTRASTING = "contrasting", "contrasting"


class ClassificationSource(models.TextChoices):
    CURATOR = "curator", "curator"
    IMPORT = "import", "import"
    MODEL = "model", "model"


class Verdict(models.TextChoices):
    UNVERDICTED = "unverdicted", "unverdicted"
    ACCEPT = "accept", "accept"
    CONDITIONAL = "conditional", "conditional"
    REJECT = "reject", "reject"
    UNCERTAIN = "uncertain", "uncertain"


# Filter and facet values beside the vocabularies: a role or polarity that does not count
# as classified (none set, or a suggestion below its threshold), and a missing year or
# category.
UNCLASSIFIED = "unclassified"
UNKNOWN = "unknown"
