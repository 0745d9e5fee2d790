"""How each labelled corpus's classes map onto our roles and polarities.

Our vocabulary (``hubs.models.Role`` / ``Polarity``) is richer on one side and poorer on
the other than the corpora's, so each mapping is written here once, with the reason.
A source label mapped to ``None`` is dropped from training.
"""

from hubs.models import Polarity, Role

# SciCite (Cohan et al. 2019): three intents.
SCICITE_ROLES: dict[str, str | None] = {
    # "cites for general information / context": the plain background citation.
    "background": Role.BACKGROUND.value,
    # "uses a method, tool, approach or dataset": mostly methods; SciCite does not
    # separate data from method, so we cannot learn uses_data from it.
    "method": Role.USES_METHOD.value,
    # "compares or contrasts its results/findings with the cited paper's".
    "result": Role.COMPARES_WITH.value,
}

# SciCite's optional second label, present on some "result" citations only: whether the
# citing paper's findings agree with the cited paper's. It is a stance, so it feeds the
# polarity model (see training.py; used only if it helps on the Athar dev split).
SCICITE_POLARITIES: dict[str, str | None] = {
    "supportive": Polarity.SUPPORTING.value,
    "not_supportive": Polarity.CONTRASTING.value,
    "cant_determine": None,
}

# ACL-ARC (Jurgens et al. 2018): six citation functions.
ACL_ARC_ROLES: dict[str, str | None] = {
    "Background": Role.BACKGROUND.value,
    # "uses data, methods, etc. from the cited paper": as with SciCite, method and data are
    # one class there; uses_method is by far the commoner reading.
    "Uses": Role.USES_METHOD.value,
    "CompareOrContrast": Role.COMPARES_WITH.value,
    # "extends the cited work": our builds_on. The only corpus source for builds_on.
    "Extends": Role.BUILDS_ON.value,
    # "the cited work motivates the citing one" and "the cited work is future work": neither
    # uses nor compares; both read as background. Checked against dropping them: SciCite
    # dev macro-F1 0.828 either way, ACL-ARC dev 0.513 (background) vs 0.504 (dropped).
    # They are few (136 of 1688) either way.
    "Motivation": Role.BACKGROUND.value,
    "Future": Role.BACKGROUND.value,
}

# Athar (2011): o / p / n per citing sentence, towards the cited paper.
ATHAR_POLARITIES: dict[str, str | None] = {
    "p": Polarity.SUPPORTING.value,
    "o": Polarity.NEUTRAL.value,
    "n": Polarity.CONTRASTING.value,
}

# The label sets the model predicts, in a fixed order (the order of the model's outputs).
# uses_data has no corpus behind it: curators' labels (--with-curated) are its only
# source, and it joins the outputs once at least MIN_CURATED_PER_CLASS of them exist.
ROLES: tuple[str, ...] = (
    Role.BACKGROUND.value,
    Role.BUILDS_ON.value,
    Role.USES_METHOD.value,
    Role.USES_DATA.value,
    Role.COMPARES_WITH.value,
)
POLARITIES: tuple[str, ...] = (
    Polarity.SUPPORTING.value,
    Polarity.NEUTRAL.value,
    Polarity.CONTRASTING.value,
)
MIN_CURATED_PER_CLASS = 5
