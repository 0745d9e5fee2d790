from django import forms

from accounts.models import ApiToken


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text="What it is for, so you can tell your tokens apart (e.g. “laptop script”).",
    )
