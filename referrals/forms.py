"""The public referral form: what a person (or someone for them) tells us, validated."""

import secrets
import time

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.validators import has_control_characters, refuse_control_characters_in
from programs.models import Program, TreatmentCenter

from .models import BestTime, ContactLanguage, ContactMethod, Requester

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
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


def page_language():
    """The form's own language, from its address (/es/... or not)."""
    language = get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
    choices = [("", _("No particular program or centre"))]
    programs = Program.objects.published().order_by("name").values_list("slug", "name")
    centers = TreatmentCenter.objects.published().order_by("name").values_list("slug", "name")
    limit = settings.REFERRAL_LISTING_MENU_LIMIT
    programs, centers = list(programs[: limit + 1]), list(centers[: limit + 1])
    if len(programs) + len(centers) > limit:
        if selected is not None:
            choices.append((listing_value(selected), selected.name))
        return choices, False
    if programs:
        choices.append((_("Programs"), [(f"program:{s}", n) for s, n in programs]))
    if centers:
        choices.append((_("Treatment centres"), [(f"center:{s}", n) for s, n in centers]))
    return choices, True


class ReferralForm(forms.Form):
    template_name_label = "referrals/label.html"

    requester = forms.ChoiceField(
        label=_("Who is asking for help?"),
        choices=Requester.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who is asking for help")},
    )
    organisation = forms.CharField(
        label=_("Your organisation"),
        required=False,
        max_length=200,
        help_text=_("Only if you are asking as a professional."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"max_length": _("Organisation must be 200 characters or fewer")},
    )
    first_name = forms.CharField(
        label=_("First name or initials"),
        max_length=60,
        help_text=_("Of the person we should contact. Just what they would like us to call them."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter a first name or initials"),
            "max_length": _("First name or initials must be 60 characters or fewer"),
        },
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=40,
        help_text=_("For example 614 555 0100."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"max_length": _("Phone number must be 40 characters or fewer")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )
    contact_method = forms.ChoiceField(
        label=_("How should we contact you first?"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how we should contact you first")},
    )
    voicemail_ok = forms.ChoiceField(
        label=_("Is it safe for us to leave a voicemail?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("If you do not answer, we will not leave one."),
    )
    text_ok = forms.ChoiceField(
        label=_("Is it safe for us to send a text message?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("If you do not answer, we will not send one."),
    )
    best_time = forms.ChoiceField(
        label=_("When is the best time to reach you?"),
        choices=BestTime.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Times are in your local time zone."),
    )
    contact_language = forms.ChoiceField(
        label=_("Which language should we speak when we contact you?"),
        choices=ContactLanguage.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("If you do not answer, we will use the language of this page."),
    )
    other_language = forms.CharField(
        label=_("Which other language?"),
        required=False,
        max_length=60,
        help_text=_("Only if you chose another language."),
        error_messages={"max_length": _("The language must be 60 characters or fewer")},
    )
    interpreter = forms.ChoiceField(
        label=_("Would you like an interpreter on the call?"),
        choices=YES_NO,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Free of charge. If you do not answer, we will ask when we call."),
    )
    listing = forms.ChoiceField(
        label=_("Program or treatment centre you are asking about"),
        required=False,
        widget=forms.Select(
            attrs={
                "data-filterable": "",
                "data-filter-label": _("Type part of a name to shorten the list"),
            }
        ),
        error_messages={"invalid_choice": _("Choose a program or centre from the list")},
    )
    message = forms.CharField(
        label=_("Anything you would like us to know"),
        required=False,
        max_length=1000,
        help_text=_(
            "Up to 1,000 characters. You do not need to tell us about your health: "
            "we can talk about it when we call."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": _("Message must be 1,000 characters or fewer")},
    )
    consent = forms.BooleanField(
        label=_("I agree to be contacted about this request"),
        help_text=_("We use your details only to contact you about this request."),
        error_messages={"required": _("Tick the box to agree to be contacted")},
    )
    # Anti-spam. Neither ever rejects a submission: they only flag it for coordinators.
    website = forms.CharField(
        label=_("Leave this field empty"),
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
        # Whoever reads the form in Spanish most likely wants to be called in Spanish.
        self.initial.setdefault("contact_language", page_language())

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
                _("Enter a phone number we can call, like 614 555 0100"),
                code="invalid_phone",
            )
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_listing(self):
        value = self.cleaned_data["listing"]
        if not value:
            return None
        listing = find_listing(value)
        if listing is None:
            raise forms.ValidationError(_("Choose a program or centre from the list"))
        return listing

    def clean_contact_language(self):
        return self.cleaned_data["contact_language"] or page_language()

    def clean_other_language(self):
        return " ".join(self.cleaned_data["other_language"].split())

    def clean_message(self):
        return self.cleaned_data["message"].strip()

    def clean(self):
        data = super().clean()
        phone, email = data.get("phone"), data.get("email")
        method = data.get("contact_method")
        if "phone" not in self.errors and "email" not in self.errors:
            if not phone and not email:
                self.add_error("phone", _("Enter a phone number or an email address, or both"))
            elif method in (ContactMethod.PHONE, ContactMethod.TEXT) and not phone:
                self.add_error(
                    "phone", _("Enter a phone number, or choose email as the first contact")
                )
            elif method == ContactMethod.EMAIL and not email:
                self.add_error(
                    "email", _("Enter an email address, or choose a phone call or text first")
                )
        if method == ContactMethod.TEXT and data.get("text_ok") == "no":
            self.add_error(
                "text_ok",
                _(
                    "You asked us to text first but said a text is not safe: "
                    "change one of the answers"
                ),
            )
        if data.get("contact_language") == ContactLanguage.OTHER and not data.get("other_language"):
            self.add_error("other_language", _("Tell us which language you speak"))
        if data.get("requester") == Requester.PROFESSIONAL and not data.get("organisation"):
            self.add_error("organisation", _("Enter the name of your organisation"))
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
            "contact_language": data["contact_language"],
            "other_language": data["other_language"]
            if data["contact_language"] == ContactLanguage.OTHER
            else "",
            "interpreter_needed": answer.get(data.get("interpreter")),
            "page_language": page_language(),
        }
