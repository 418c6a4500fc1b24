from django import forms
from django.utils.dateformat import time_format
from django.utils.translation import gettext_lazy as _

from listings.validators import refuse_control_characters_in

from .models import ChangeRequest, Meeting, Program


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, meeting):
        when = f"{meeting.get_weekday_display()} {time_format(meeting.start_time, 'g:i A')}"
        label = f"{when} {meeting.zone_label}"
        if meeting.name:
            label += f", {meeting.name}"
        return f"{label} ({meeting.get_attendance_display().lower()})"


class ChangeRequestForm(forms.ModelForm):
    meeting = MeetingChoiceField(
        label=_("Which meeting is it about?"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("The whole listing"),
        blank=True,  # radios leave out the empty choice unless told it is a real one
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose one of this listing's meetings, or the whole listing.")
        },
    )
    details = forms.CharField(
        label=_("What should it say instead? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please leave out names, phone numbers and anything about your own health."),
    )

    class Meta:
        model = ChangeRequest
        fields = ["meeting", "problem", "details"]
        labels = {"problem": _("What is wrong?")}
        widgets = {"problem": forms.RadioSelect}

    def __init__(self, *args, listing, **kwargs):
        kwargs.setdefault("instance", ChangeRequest.about(listing))
        super().__init__(*args, **kwargs)
        refuse_control_characters_in(self)
        meetings = listing_meetings(listing)
        if meetings.exists():
            self.fields["meeting"].queryset = meetings
            wanted = as_pk(self.initial.get("meeting"))
            if not self.is_bound and not meetings.filter(pk=wanted).exists():
                self.initial["meeting"] = None  # an unknown ?meeting= means the whole listing
        else:
            del self.fields["meeting"]
        # A required radio group must not offer (and pre-select) Django's "---------" choice.
        for field in self.fields.values():
            if (
                field.required
                and isinstance(field.widget, forms.RadioSelect)
                and not isinstance(field, forms.ModelChoiceField)
            ):
                field.choices = [(value, label) for value, label in field.choices if value != ""]


def listing_meetings(listing):
    """The meetings a report about `listing` can name: its own published ones."""
    if not isinstance(listing, Program):
        return Meeting.objects.none()
    return (
        Meeting.objects.published()
        .filter(program=listing)
        .select_related("program")
        .order_by("weekday", "start_time")
    )


def as_pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
