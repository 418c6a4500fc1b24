"""The public referral form: what a person (or someone for them) tells us, validated."""

import secrets
import time

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache

from listings.validators import has_control_characters, refuse_control_characters_in
from programs.models import Program, TreatmentCenter

from .models import BestTime, ContactMethod, Requester

YES_NO = [("yes", "Yes"), ("no", "No")]
STARTED_SALT = "referrals.form-started"


def sign_started(now=None):
    """A tamper-proof, one-off note of when the form was shown (the time trap).

    It carries a random nonce so that, once a referral has been sent with it, it cannot be
    sent again: a script that fetched the form once cannot replay it to look unhurried.
    """
    started = now if now is not None else time.time()
    return signing.dumps({"t": started, "n": secrets.token_urlsafe(12)}, salt=STARTED_SALT)


def read_started(token):
    """(seconds since the form was shown, nonce), or None when the note is missing or forged."""
    try:
        note = signing.loads(token, salt=STARTED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(note, dict):
        return None
    started, nonce = note.get("t"), note.get("n")
    if not isinstance(started, int | float) or not isinstance(nonce, str) or not nonce:
        return None
    return time.time() - started, nonce


def claim_started(nonce):
    """Mark the note used; False when a referral was already sent with it.

    The mark lives in the shared cache as long as the note is accepted at all, so every
    worker and app server sees it.
    """
    timeout = int(settings.REFERRAL_FORM_MAX_AGE_SECONDS) + 60
    return cache.add(f"referral-started:{nonce}", 1, timeout=timeout)


def listing_value(listing):
    kind = "program" if isinstance(listing, Program) else "center"
    return f"{kind}:{listing.slug}"


def find_listing(value):
    """The published program or centre a `program:<slug>` / `center:<slug>` value names."""
    kind, _, slug = (value or "").partition(":")
    model = {"program": Program, "center": TreatmentCenter}.get(kind)
    if model is None or not slug or has_control_characters(slug):
        return None
    return model.objects.published().filter(slug=slug).first()


def listing_choices(selected=None):
    """Menu options grouped by kind; only the pre-selected one when the catalogue is huge."""
    choices = [("", "No particular program or centre")]
    programs = Program.objects.published().order_by("name").values_list("slug", "name")
    centers = TreatmentCenter.objects.published().order_by("name").values_list("slug", "name")
    limit = settings.REFERRAL_LISTING_MENU_LIMIT
    programs, centers = list(programs[: limit + 1]), list(centers[: limit + 1])
    if len(programs) + len(centers) > limit:
        if selected is not None:
            choices.append((listing_value(selected), selected.name))
        return choices, False
    if programs:
        choices.append(("Programs", [(f"program:{s}", n) for s, n in programs]))
    if centers:
        choices.append(("Treatment centres", [(f"center:{s}", n) for s, n in centers]))
    return choices, True


class ReferralForm(forms.Form):
    template_name_label = "referrals/label.html"

    requester = forms.ChoiceField(
        label="Who is asking for help?",
        choices=Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who is asking for help"},
    )
    organisation = forms.CharField(
        label="Your organisation",
        required=False,
        max_length=200,
        help_text="Only if you are asking as a professional.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": "Organisation must be 200 characters or fewer"},
    )
    first_name = forms.CharField(
        label="First name or initials",
        max_length=60,
        help_text="Of the person we should contact. Just what they would like us to call them.",
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": "Enter a first name or initials",
            "max_length": "First name or initials must be 60 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=40,
        help_text="For example 614 555 0100.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    contact_method = forms.ChoiceField(
        label="How should we contact you first?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how we should contact you first"},
    )
    voicemail_ok = forms.ChoiceField(
        label="Is it safe for us to leave a voicemail?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text="If you do not answer, we will not leave one.",
    )
    text_ok = forms.ChoiceField(
        label="Is it safe for us to send a text message?",
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text="If you do not answer, we will not send one.",
    )
    best_time = forms.ChoiceField(
        label="When is the best time to reach you?",
        choices=BestTime.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Times are in your local time zone.",
    )
    listing = forms.ChoiceField(
        label="Program or treatment centre you are asking about",
        required=False,
        widget=forms.Select(attrs={"data-filterable": ""}),
        error_messages={"invalid_choice": "Choose a program or centre from the list"},
    )
    message = forms.CharField(
        label="Anything you would like us to know",
        required=False,
        max_length=1000,
        help_text=(
            "Up to 1,000 characters. You do not need to tell us about your health: "
            "we can talk about it when we call."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "Message must be 1,000 characters or fewer"},
    )
    consent = forms.BooleanField(
        label="I agree to be contacted about this request",
        help_text="We use your details only to contact you about this request.",
        error_messages={"required": "Tick the box to agree to be contacted"},
    )
    # Anti-spam. Neither ever rejects a submission: they only flag it for coordinators.
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, selected=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.selected = selected
        refuse_control_characters_in(self)
        choices, self.listing_menu_complete = listing_choices(selected)
        self.fields["listing"].choices = choices
        if selected is not None:
            self.initial.setdefault("listing", listing_value(selected))
        self.initial.setdefault("started", sign_started())
        self.initial.setdefault("best_time", BestTime.ANY)

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_organisation(self):
        return " ".join(self.cleaned_data["organisation"].split())

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        try:
            number = phonenumbers.parse(raw, settings.PHONE_REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(
                "Enter a phone number we can call, like 614 555 0100",
                code="invalid_phone",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_listing(self):
        value = self.cleaned_data["listing"]
        if not value:
            return None
        listing = find_listing(value)
        if listing is None:
            raise forms.ValidationError("Choose a program or centre from the list")
        return listing

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        method = data.get("contact_method")
        if "phone" not in self.errors and "email" not in self.errors:
            if not phone and not email:
                self.add_error("phone", "Enter a phone number or an email address, or both")
            elif method in (ContactMethod.PHONE, ContactMethod.TEXT) and not phone:
                self.add_error(
                    "phone", "Enter a phone number, or choose email as the first contact"
                )
            elif method == ContactMethod.EMAIL and not email:
                self.add_error(
                    "email", "Enter an email address, or choose a phone call or text first"
                )
        if method == ContactMethod.TEXT and data.get("text_ok") == "no":
            self.add_error(
                "text_ok",
                "You asked us to text first but said a text is not safe: change one of the answers",
            )
        if data.get("requester") == Requester.PROFESSIONAL and not data.get("organisation"):
            self.add_error("organisation", "Enter the name of your organisation")
        return data

    def spam_reasons(self):
        """Why this submission looks automated (empty for a person).

        Call it once, for a submission about to be stored: it uses up the form's time note.
        """
        reasons = []
        if self.cleaned_data.get("website"):
            reasons.append("honeypot")
        note = read_started(self.data.get("started", ""))
        if note is None:
            reasons.append("no-timestamp")
            return reasons
        elapsed, nonce = note
        if elapsed < settings.REFERRAL_MIN_SECONDS:
            reasons.append("too-fast")
        elif elapsed > settings.REFERRAL_FORM_MAX_AGE_SECONDS:
            reasons.append("expired")
        if not claim_started(nonce):
            reasons.append("replayed")
        return reasons

    def referral_data(self):
        """The cleaned answers, in the shape `referral_create` takes."""
        data = self.cleaned_data
        answer = {"yes": True, "no": False}
        return {
            "requester": data["requester"],
            "first_name": data["first_name"],
            "organisation": data["organisation"]
            if data["requester"] == Requester.PROFESSIONAL
            else "",
            "phone": data["phone"],
            "email": data["email"],
            "contact_method": data["contact_method"],
            "voicemail_ok": answer.get(data.get("voicemail_ok")),
            "text_ok": answer.get(data.get("text_ok")),
            "best_time": data.get("best_time") or BestTime.ANY,
            "message": data["message"],
            "listing": data["listing"],
        }
