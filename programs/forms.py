from django import forms

from .models import ChangeRequest


class ChangeRequestForm(forms.ModelForm):
    details = forms.CharField(
        label="What should it say instead? (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Please leave out names, phone numbers and anything about your own health.",
    )

    class Meta:
        model = ChangeRequest
        fields = ["problem", "details"]
        labels = {"problem": "What is wrong?"}
        widgets = {"problem": forms.RadioSelect}
