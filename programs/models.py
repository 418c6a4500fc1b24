"""Programs, their weekly meetings, treatment centres, the lookup tables and visitors' reports."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from listings.cache import kept_until_change
from listings.expressions import Among
from listings.links import slug_url
from listings.models import Listing, ListingQuerySet, Location, PublicationStatus
from listings.week import Weekday, day_name, validate_timezone, weekday_of, zone_or_none
from listings.week import zone_label as short_zone_name

from . import schedule

# --- Approaches ------------------------------------------------------------------------------


class Approach(models.TextChoices):
    """The outlook a program's meetings share: how people tell the alternatives apart.

    Buddhist-inspired groups (Recovery Dharma, Refuge Recovery) have a value of their own.
    They ask no belief in a god and hold no worship, so “faith-based” would mislead; but
    their meetings open with meditation and draw on Buddhist teaching, which someone looking
    for a “secular” group (SMART's worksheets, LifeRing's talk about the week) may not
    expect. Naming them plainly lets each person choose.
    """

    TWELVE_STEP = "12-step", _("12-step")
    SECULAR = "secular", _("Secular or science-based")
    BUDDHIST = "buddhist-inspired", _("Buddhist-inspired, with meditation")
    FAITH_BASED = "faith-based", _("Faith-based")
    HARM_REDUCTION = "harm-reduction", _("Harm-reduction friendly")
    ALL_PATHWAYS = "all-pathways", _("All pathways welcome")
    FAMILY = "family", _("For family and friends")


def approach_constraint(model, field):
    """Blank (not stated) or one of the approaches."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": ["", *Approach.values]}),
        name=f"{model}_{field}_valid",
        violation_error_message="Choose one of the approaches, or leave it blank.",
    )


# The usual approach of the fellowships every deployment starts with (programs' seed
# migration), by slug. The migration that brought in approaches gives it to them and to their
# existing programs; after that each fellowship's `default_approach` is what counts, and
# curators set it for fellowships they add.
FELLOWSHIP_APPROACHES = {
    "aa": Approach.TWELVE_STEP,
    "na": Approach.TWELVE_STEP,
    "ca": Approach.TWELVE_STEP,
    "cma": Approach.TWELVE_STEP,
    "ha": Approach.TWELVE_STEP,
    "ma": Approach.TWELVE_STEP,
    # Twelve steps plus five of its own about mental health.
    "dda": Approach.TWELVE_STEP,
    # Twelve-step groups too, but what sets them apart is whom they are for.
    "al-anon": Approach.FAMILY,
    "nar-anon": Approach.FAMILY,
    "smart": Approach.SECULAR,
    "lifering": Approach.SECULAR,
    "women-for-sobriety": Approach.SECULAR,
    "recovery-dharma": Approach.BUDDHIST,
    "refuge-recovery": Approach.BUDDHIST,
    "celebrate-recovery": Approach.FAITH_BASED,
    # Peer-led, with neither steps nor faith.
    "dbsa": Approach.SECULAR,
    # NAMI is left unstated: it runs groups for people living with a condition and groups
    # for their families, so only each program can say which it is.
}


# What a kind says about the approach when no fellowship does. Recovery community centres
# exist to welcome every pathway; sober homes, dual-diagnosis and mental-health groups vary.
KIND_APPROACHES = {
    "12-step": Approach.TWELVE_STEP,
    "smart-recovery": Approach.SECULAR,
    "recovery-community": Approach.ALL_PATHWAYS,
}


def approach_for_fellowship(slug):
    """The approach a fellowship's groups usually follow, or "" when it does not say."""
    return FELLOWSHIP_APPROACHES.get(slug, "")


def default_approach(kind, fellowship=None):
    """A program's approach when nobody has stated one: its fellowship's usual approach, else
    the one its kind implies, else "" (not stated)."""
    if fellowship is not None and fellowship.default_approach:
        return fellowship.default_approach
    return KIND_APPROACHES.get(kind, "")


# --- Lookup tables: open lists that staff extend in the admin --------------------------------


def spanish_name_field():
    return models.CharField(
        "Spanish name",
        max_length=120,
        blank=True,
        help_text="Shown on the Spanish pages; left blank, they show the English name.",
    )


class SpanishName:
    """A lookup row's name for people, in the page's language (English when none is given)."""

    @property
    def display_name(self):
        if self.name_es and get_language() == "es":
            return self.name_es
        return self.name


class Fellowship(SpanishName, models.Model):
    name = models.CharField(max_length=120, unique=True)
    name_es = spanish_name_field()
    abbreviation = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(blank=True)
    default_approach = models.CharField(
        max_length=20,
        choices=Approach.choices,
        blank=True,
        help_text="What its groups usually follow; new programs of this fellowship start with it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [approach_constraint("fellowship", "default_approach")]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    @property
    def display_label(self):
        """The name and abbreviation for people, in the page's language."""
        name = self.display_name
        return f"{name} ({self.abbreviation})" if self.abbreviation else name


class Audience(SpanishName, models.Model):
    """Who a listing is meant for: women, young people, LGBTQ+, veterans, families..."""

    name = models.CharField(max_length=120, unique=True)
    name_es = spanish_name_field()
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Language(SpanishName, models.Model):
    code = models.CharField(max_length=12, unique=True, help_text="BCP 47 code, e.g. en, es.")
    name = models.CharField(max_length=80)
    name_es = spanish_name_field()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


# The Meeting Guide type of a meeting held in Spanish.
SPANISH_TYPE = "S"


class MeetingTypeQuerySet(models.QuerySet):
    def in_use(self):
        """Types some published meeting carries: the ones a visitor can come across."""
        return self.filter(Exists(Meeting.objects.published().filter(types=OuterRef("pk"))))


class MeetingType(SpanishName, models.Model):
    """A Meeting Guide type code (O = open, W = women...), with its English and Spanish names."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=120)
    name_es = models.CharField("Spanish name", max_length=120, blank=True)
    description = models.TextField(
        blank=True, help_text="One or two plain sentences a newcomer can understand."
    )
    description_es = models.TextField(
        "Spanish description",
        blank=True,
        help_text="Shown on the Spanish pages; left blank, they show the English description.",
    )

    objects = MeetingTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return f"{reverse('programs:meeting_types')}#{self.anchor}"

    @property
    def anchor(self):
        """The id of this type's entry on the meeting-types page."""
        return f"code-{self.code}"

    @property
    def shown_description(self):
        if self.description_es and get_language() == "es":
            return self.description_es
        return self.description

    @property
    def description_lang(self):
        """ "en" when a Spanish page shows the English description (for the lang attribute)."""
        if get_language() == "es" and self.description and not self.description_es:
            return "en"
        return ""


class ServiceCategory(models.TextChoices):
    LEVEL_OF_CARE = "level", _("Level of care")
    MEDICATION = "medication", _("Medication")
    PAYMENT = "payment", _("Payment accepted")


class LevelOfCare(models.TextChoices):
    DETOX = "detox", _("Detox (withdrawal management)")
    RESIDENTIAL = "residential", _("Residential")
    PHP = "php", _("Partial hospitalisation (PHP)")
    IOP = "iop", _("Intensive outpatient (IOP)")
    OUTPATIENT = "outpatient", _("Outpatient")
    OBOT = "obot", _("Office-based opioid treatment (OBOT)")
    MAT = "mat", _("Medication for addiction treatment (MAT / OTP)")
    TRANSITIONAL_HOUSING = "transitional-housing", _("Transitional housing")
    TELEHEALTH = "telehealth", _("Telehealth")


class Medication(models.TextChoices):
    METHADONE = "methadone", _("Methadone")
    BUPRENORPHINE = "buprenorphine", _("Buprenorphine")
    NALTREXONE = "naltrexone", _("Naltrexone")


class Payment(models.TextChoices):
    MEDICAID = "medicaid", _("Medicaid")
    MEDICARE = "medicare", _("Medicare")
    PRIVATE = "private-insurance", _("Private insurance")
    TRICARE = "tricare", _("TRICARE (military)")
    SLIDING_SCALE = "sliding-scale", _("Sliding-scale fees")
    SELF_PAY = "self-pay", _("Self-pay (cash)")
    FREE = "free", _("Free of charge")


SERVICE_CHOICES = {
    ServiceCategory.LEVEL_OF_CARE: LevelOfCare,
    ServiceCategory.MEDICATION: Medication,
    ServiceCategory.PAYMENT: Payment,
}


class ServiceOption(SpanishName, models.Model):
    """One fixed service code a treatment centre can offer; rows seeded from the TextChoices."""

    category = models.CharField(max_length=12, choices=ServiceCategory.choices)
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    name_es = spanish_name_field()

    class Meta:
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(category=ServiceCategory.LEVEL_OF_CARE, code__in=LevelOfCare.values)
                    | Q(category=ServiceCategory.MEDICATION, code__in=Medication.values)
                    | Q(category=ServiceCategory.PAYMENT, code__in=Payment.values)
                ),
                name="serviceoption_code_matches_category",
                violation_error_message="The code does not belong to the chosen category.",
            )
        ]

    def __str__(self):
        return self.name


# --- Treatment centres -----------------------------------------------------------------------


class TreatmentCenterQuerySet(ListingQuerySet):
    def for_listing(self):
        """What a centre's card shows: its places (its levels of care and payment come
        once the page is known: load_services)."""
        return self.prefetch_related("locations")


class TreatmentCenter(Listing):
    report_kind = "treatment-centre"
    # The id the HSDS API shows (a uuid5 of "program:<pk>" or "center:<pk>"), stored so a lookup
    # by id is one indexed query instead of hashing every row. Filled when first needed.
    hsds_id = models.UUIDField("HSDS id", null=True, blank=True, unique=True, editable=False)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    intake_phone = models.CharField(max_length=30, blank=True)
    hotline_phone = models.CharField(
        "24/7 phone line", max_length=30, blank=True, help_text="Answered around the clock."
    )
    locations = models.ManyToManyField(Location, related_name="treatment_centers", blank=True)
    levels_of_care = models.ManyToManyField(
        ServiceOption,
        related_name="+",
        blank=True,
        limit_choices_to={"category": ServiceCategory.LEVEL_OF_CARE},
    )
    medications = models.ManyToManyField(
        ServiceOption,
        related_name="+",
        blank=True,
        limit_choices_to={"category": ServiceCategory.MEDICATION},
    )
    payment_options = models.ManyToManyField(
        ServiceOption,
        related_name="+",
        blank=True,
        limit_choices_to={"category": ServiceCategory.PAYMENT},
    )
    populations = models.ManyToManyField(Audience, related_name="treatment_centers", blank=True)
    languages = models.ManyToManyField(Language, related_name="treatment_centers", blank=True)
    offers_peer_support = models.BooleanField(default=False)
    source = models.CharField(max_length=60, blank=True, help_text="Where an import came from.")
    source_id = models.CharField(max_length=120, blank=True)

    objects = TreatmentCenterQuerySet.as_manager()

    class Meta(Listing.Meta):
        verbose_name = "treatment centre"
        constraints = [
            Listing.status_constraint("treatmentcenter"),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="treatmentcenter_unique_source_id",
            ),
        ]

    def get_absolute_url(self):
        return slug_url("programs:center_detail", self.slug)


# --- Programs and meetings -------------------------------------------------------------------


class ProgramKind(models.TextChoices):
    TWELVE_STEP = "12-step", _("12-step group")
    SMART = "smart-recovery", _("SMART Recovery")
    SOBER_LIVING = "sober-living", _("Sober living")
    DUAL_DIAGNOSIS = "dual-diagnosis", _("Dual diagnosis")
    MENTAL_HEALTH = "mental-health", _("Mental-health peer support")
    RECOVERY_COMMUNITY = "recovery-community", _("Recovery community / peer-run")
    OTHER = "other", _("Other peer support")


class Cost(models.TextChoices):
    FREE = "free", _("Free")
    DONATION = "donation", _("Free, donations welcome")
    SLIDING_SCALE = "sliding-scale", _("Sliding scale")
    FEE = "fee", _("Fee")


class GenderServed(models.TextChoices):
    ANY = "any", _("Any gender")
    WOMEN = "women", _("Women")
    MEN = "men", _("Men")
    NONBINARY_INCLUSIVE = "lgbtq", _("LGBTQ+ affirming house")


# What a list entry shows of a place (the town, and where its marker goes on the map), and
# which meeting columns none reads: bookkeeping, and the notes its own page shows.
LISTED_PLACE = ("city", "state", "timezone", "is_confidential", "coordinates_approximate")
LISTED_PLACE += ("latitude", "longitude", "search_latitude", "search_longitude")
_NOT_LISTED = {"status", "notes", "source", "source_id", "withdrawn_by_source", "updated_at"}
# What a meeting line on a program's card reads (its types come apart: load_types).
CARD_MEETING = ("program", "weekday", "start_time", "end_time", "attendance", "temporarily_closed")


class ProgramQuerySet(ListingQuerySet):
    def for_listing(self):
        """What a program's card shows besides its meetings (the filter set adds those):
        only the columns it reads (see MeetingQuerySet.for_listing)."""
        shown = ("name", "slug", "kind", "approach", "cost", "fellowship", "location")
        shown += ("gender_served", "accepts_mat_residents", "beds")
        return self.select_related("fellowship", "location").only(
            *shown,
            *(f"location__{name}" for name in LISTED_PLACE),
            *(f"fellowship__{f.name}" for f in Fellowship._meta.concrete_fields),
        )


class Program(Listing):
    report_kind = "program"
    # The id the HSDS API shows (a uuid5 of "program:<pk>" or "center:<pk>"), stored so a lookup
    # by id is one indexed query instead of hashing every row. Filled when first needed.
    hsds_id = models.UUIDField("HSDS id", null=True, blank=True, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=ProgramKind.choices, db_index=True)
    fellowship = models.ForeignKey(
        Fellowship, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    approach = models.CharField(
        max_length=20,
        choices=Approach.choices,
        blank=True,
        db_index=True,
        help_text=(
            "Left blank, it is taken from the fellowship, else from the kind when that says "
            "enough; otherwise it shows as not stated."
        ),
    )
    description = models.TextField(blank=True)
    audiences = models.ManyToManyField(Audience, related_name="programs", blank=True)
    languages = models.ManyToManyField(Language, related_name="programs", blank=True)
    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_notes = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    run_by = models.CharField(
        max_length=200, blank=True, help_text="The group, organisation or fellowship running it."
    )
    peer_specialist_led = models.BooleanField("led by certified peer specialists", default=False)
    host_center = models.ForeignKey(
        TreatmentCenter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_programs",
        verbose_name="host treatment centre",
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programs",
        help_text="Where it usually happens; each meeting may name another place.",
    )
    # Sober living specifics.
    gender_served = models.CharField(
        max_length=10, choices=GenderServed.choices, blank=True, help_text="Sober living only."
    )
    accepts_mat_residents = models.BooleanField(
        "accepts residents on medication (MAT)",
        null=True,
        blank=True,
        help_text="Sober living only: residents taking buprenorphine, methadone or naltrexone.",
    )
    beds = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Sober living only.")
    # What keyword search reads besides the name: fellowship, meeting types, town, description.
    # Kept on the row so one index serves search (see programs/search.py).
    search_text = models.TextField(blank=True, editable=False)
    source = models.CharField(max_length=60, blank=True, help_text="Where an import came from.")
    source_id = models.CharField(max_length=120, blank=True)
    # Set when an import archived the row because it left its source, so that only those
    # rows come back when the source lists them again; a curator's own archiving stays.
    withdrawn_by_source = models.BooleanField(default=False, editable=False)

    objects = ProgramQuerySet.as_manager()

    class Meta(Listing.Meta):
        constraints = [
            Listing.status_constraint("program"),
            models.CheckConstraint(
                condition=Q(kind__in=ProgramKind.values),
                name="program_kind_valid",
                violation_error_message="Choose one of the program kinds.",
            ),
            approach_constraint("program", "approach"),
            models.CheckConstraint(condition=Q(cost__in=Cost.values), name="program_cost_valid"),
            models.CheckConstraint(
                condition=Q(kind=ProgramKind.SOBER_LIVING)
                | (
                    Q(gender_served="")
                    & Q(accepts_mat_residents__isnull=True)
                    & Q(beds__isnull=True)
                ),
                name="program_sober_living_fields",
                violation_error_message=(
                    "Gender served, MAT residents and beds only apply to sober living."
                ),
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="program_unique_source_id",
            ),
        ]
        # The HSDS services list walks programs by name and id, a page after a cursor.
        indexes = [models.Index(fields=["name", "id"], name="program_name_order")]

    def save(self, *args, **kwargs):
        from .search import program_search_text

        if not self.approach:
            self.approach = default_approach(self.kind, self.fellowship)
        self.search_text = program_search_text(self)
        super().save(*args, **kwargs)
        # Meetings without a place of their own are found where the program is.
        schedule.refresh_positions(self.meetings.filter(location__isnull=True))

    def get_absolute_url(self):
        return slug_url("programs:program_detail", self.slug)

    @property
    def shows_approach(self):
        """Whether cards name the approach: not where the kind already says it ("12-step
        group": 12-step)."""
        if self.approach == Approach.TWELVE_STEP and self.kind == ProgramKind.TWELVE_STEP:
            return False
        return bool(self.approach)

    def copy_children_to(self, copy):
        for meeting in self.meetings.all():
            types = list(meeting.types.all())
            meeting.pk = None
            meeting._state.adding = True
            meeting.program = copy
            meeting.source, meeting.source_id = "", ""
            meeting.save()
            meeting.types.set(types)


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


def _zones(key, meetings):
    return kept_until_change(
        key,
        lambda: sorted(meetings.order_by().values_list("timezone", flat=True).distinct()),
        600,
    )


class MeetingQuerySet(models.QuerySet):
    def zones_in_use(self):
        """The distinct zones meetings are held in, read again once a listing changes."""
        return _zones("meeting-timezones", self.model.objects.all())

    def zones_in_city(self, city):
        """The zones of the meetings held in `city` (in_city), read again once a listing
        changes: one or two where the whole directory uses dozens."""
        # One key per city whatever its spacing, and none with a space (a key some cache
        # servers refuse).
        key = "meeting-timezones:" + "_".join(city.upper().split())
        return _zones(key, self.model.objects.in_city(city))

    def published(self):
        return self.filter(
            status=PublicationStatus.PUBLISHED, program__status=PublicationStatus.PUBLISHED
        )

    def for_listing(self):
        """What a meeting's entry shows; its types are read for the page's rows alone
        (load_types), once they are known.

        Only the columns an entry reads: Django's cost of compiling a query and building its
        rows grows with every column, and the whole meeting, program and both places came
        to a hundred, the programs' long texts among them.
        """
        program = ("name", "slug", "kind", "approach", "fellowship", "location")
        return self.select_related(
            "program", "program__fellowship", "location", "program__location"
        ).only(
            *(f.name for f in self.model._meta.concrete_fields if f.name not in _NOT_LISTED),
            *(f"program__{name}" for name in program),
            *(f"location__{name}" for name in LISTED_PLACE),
            *(f"program__location__{name}" for name in LISTED_PLACE),
            *(f"program__fellowship__{f.name}" for f in Fellowship._meta.concrete_fields),
        )

    def in_city(self, city):
        """Meetings held in `city`, whether the place is set on the meeting or its program.

        The city's places are looked up first (a few hundred in a large city) and its
        meetings found from them, rather than each meeting's place compared with the name.
        """
        places = Location.objects.filter(city__iexact=city).values("pk")
        programs = Program.objects.filter(Among("location", places)).values("pk")
        return self.filter(
            Q(Among("location", places)) | Q(Q(location__isnull=True), Among("program", programs))
        )


class Meeting(models.Model):
    """A weekly slot of a program, in the Meeting Guide sense (weekday 0 = Sunday)."""

    Weekday = Weekday

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="meetings")
    name = models.CharField(max_length=200, blank=True, help_text="Blank: the program's name.")
    status = models.CharField(
        max_length=10,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        db_index=True,
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, db_index=True)
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64,
        default="America/New_York",
        validators=[validate_timezone],
        help_text="Taken from the location when there is one.",
    )
    types = models.ManyToManyField(MeetingType, related_name="meetings", blank=True)
    attendance = models.CharField(
        max_length=10, choices=Attendance.choices, default=Attendance.IN_PERSON, db_index=True
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Blank: the program's location.",
    )
    conference_url = models.URLField(blank=True, max_length=500)
    conference_url_notes = models.CharField(max_length=300, blank=True)
    conference_phone = models.CharField(max_length=60, blank=True)
    conference_phone_notes = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    temporarily_closed = models.BooleanField(default=False)
    source = models.CharField(max_length=60, blank=True)
    source_id = models.CharField(max_length=120, blank=True)
    withdrawn_by_source = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Derived from the fields above so an index can answer "what starts next, near here?"
    # (see programs/schedule.py); never edited by hand.
    week_minute = models.PositiveSmallIntegerField(default=0, editable=False)
    duration_minutes = models.PositiveSmallIntegerField(default=60, editable=False)
    utc_offset = models.SmallIntegerField(default=0, editable=False)
    utc_week_minute = models.PositiveSmallIntegerField(default=0, editable=False)
    search_latitude = models.FloatField(null=True, blank=True, editable=False)
    search_longitude = models.FloatField(null=True, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="meeting_weekday_range",
                violation_error_message="Weekday must be 0 (Sunday) to 6 (Saturday).",
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="meeting_attendance_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PublicationStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(attendance=Attendance.IN_PERSON)
                | ~Q(conference_url="")
                | ~Q(conference_phone=""),
                name="meeting_online_needs_link_or_phone",
                violation_error_message=(
                    "An online or hybrid meeting needs a conference link or a dial-in phone."
                ),
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source=""),
                name="meeting_unique_source_id",
            ),
        ]
        indexes = [
            models.Index(fields=["weekday", "start_time"], name="meeting_day_time"),
            # "What's on next" reads published, open meetings in week order; keeping the
            # others out, and the duration and program in, lets the walk and "under way
            # now" be answered from the index alone: without the program, finding what is
            # under way read each of the thousands of meetings of the last four hours from
            # the table (10 ms of a 1 ms query at national scale).
            models.Index(
                fields=["utc_week_minute", "id", "duration_minutes", "program"],
                condition=Q(status=PublicationStatus.PUBLISHED, temporarily_closed=False),
                name="meeting_next",
            ),
            # The same walk narrowed to one day ("Wednesday"): without it the walk read every
            # meeting from now until that day began (28,000 at national scale) to find 64.
            models.Index(
                fields=["weekday", "utc_week_minute", "id", "program"],
                condition=Q(status=PublicationStatus.PUBLISHED, temporarily_closed=False),
                name="meeting_day_next",
            ),
            models.Index(fields=["search_latitude", "search_longitude"], name="meeting_search_pos"),
        ]

    def __str__(self):
        return f"{self.display_name} – {self.get_weekday_display()} {self.start_time:%H:%M}"

    def save(self, *args, **kwargs):
        if self.timezone not in Meeting.objects.zones_in_use():
            # A zone no meeting used before: the filters' list of zones must include it now.
            cache.delete("meeting-timezones")
        schedule.set_times(self)
        schedule.set_position(self, self.place if self.program_id else self.location)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *schedule.TIME_FIELDS,
                *schedule.POSITION_FIELDS,
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.program.get_absolute_url()}#meeting-{self.pk}"

    def get_weekday_display(self):
        return day_name(self.weekday)

    @cached_property
    def type_list(self):
        """The meeting's types, read once: a list page asks for them several times per
        meeting (its labels, the Spanish marker, the glossary), and each `types.all()` builds
        a related manager even when the types were prefetched."""
        return list(self.types.all())

    @property
    def in_spanish(self):
        """Held in Spanish: the Meeting Guide's type S (read from the types the page has)."""
        return any(t.code == SPANISH_TYPE for t in self.type_list)

    def clean(self):
        super().clean()
        errors = {}
        place = self.location or (self.program.location if self.program_id else None)
        if self.is_in_person and place is None:
            errors["location"] = (
                "An in-person or hybrid meeting needs an address: set one here or on the program."
            )
        if self.is_online and not (self.conference_url or self.conference_phone):
            errors["conference_url"] = (
                "An online or hybrid meeting needs a conference link or a dial-in phone."
            )
        if errors:
            raise ValidationError(errors)
        if place is not None:
            self.timezone = place.timezone

    @property
    def display_name(self):
        return self.name or self.program.name

    @property
    def place(self):
        return self.location or self.program.location

    @property
    def is_online(self):
        return self.attendance in (Attendance.ONLINE, Attendance.HYBRID)

    @property
    def is_in_person(self):
        return self.attendance in (Attendance.IN_PERSON, Attendance.HYBRID)

    @property
    def zone_label(self):
        """The zone as people say it (ET, CT, PT), taken at the next meeting so that daylight
        saving is right however far ahead the page is read."""
        return short_zone_name(self.next_start())

    def next_start(self, now=None):
        """The next time this meeting starts, as an aware datetime in its own timezone."""
        zone = zone_or_none(self.timezone)
        now = (now or timezone.now()).astimezone(zone)
        days_ahead = (self.weekday - weekday_of(now)) % 7
        candidate = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=days_ahead), self.start_time, tzinfo=zone
        )
        if candidate < now:
            candidate += datetime.timedelta(days=7)
        return candidate


# Meeting lines on a program's card in a list; the rest are a link away.
CARD_MEETINGS = 4


def load_types(meetings):
    """Give each meeting its `type_list` from one query, with one instance per type.

    Prefetching `types` builds a type for every meeting that carries it and a related
    manager per meeting: a page of twenty programs held about 250 types and 85 managers,
    a fifth of its Python time. The order is prefetching's: by name.
    """
    pending = [m for m in meetings if "type_list" not in m.__dict__]
    if not pending:
        return
    fields = [f.attname for f in MeetingType._meta.concrete_fields]
    rows = (
        Meeting.types.through.objects.filter(meeting_id__in=[m.pk for m in pending])
        .order_by("meetingtype__name", "meetingtype_id")
        .values_list("meeting_id", *(f"meetingtype__{name}" for name in fields))
    )
    shared, by_meeting = {}, {}
    for meeting_id, *values in rows:
        kind = shared.get(values[0])
        if kind is None:
            kind = shared[values[0]] = MeetingType.from_db(rows.db, fields, values)
        by_meeting.setdefault(meeting_id, []).append(kind)
    for meeting in pending:
        meeting.type_list = by_meeting.get(meeting.pk, [])


# The option lists load_services reads, by kind.
SERVICE_LISTS = {
    "care": TreatmentCenter.levels_of_care,
    "medication": TreatmentCenter.medications,
    "payment": TreatmentCenter.payment_options,
}


def load_services(centers, kinds=("care", "payment")):
    """Give each centre a list of options by name for each of `kinds` ("care", "medication",
    "payment": `care_list` and so on) from one query, with one instance per option, as
    load_types does for meetings: prefetching each list built a related manager per centre,
    and an option object per card that shows it."""
    names = [f"{kind}_list" for kind in kinds]
    pending = [c for c in centers if any(name not in c.__dict__ for name in names)]
    if not pending:
        return
    keys = [c.pk for c in pending]
    fields = [f.attname for f in ServiceOption._meta.concrete_fields]

    def links(kind):
        return (
            SERVICE_LISTS[kind]
            .through.objects.filter(treatmentcenter_id__in=keys)
            .annotate(list_kind=models.Value(kind, output_field=models.CharField()))
            .values_list(
                "treatmentcenter_id", "list_kind", *(f"serviceoption__{n}" for n in fields)
            )
            .order_by()
        )

    first, *others = (links(kind) for kind in kinds)
    rows = first.union(*others, all=True).order_by(  # the options' own order
        "serviceoption__name", "serviceoption__id"
    )
    shared, lists = {}, {}
    for center_id, kind, *values in rows:
        option = shared.get(values[0])
        if option is None:
            option = shared[values[0]] = ServiceOption.from_db(rows.db, fields, values)
        lists.setdefault((center_id, kind), []).append(option)
    for center in pending:
        for kind, name in zip(kinds, names, strict=True):
            setattr(center, name, lists.get((center.pk, kind), []))


# --- Visitors' reports -----------------------------------------------------------------------


class ProblemKind(models.TextChoices):
    CLOSED = "closed", _("It has closed or no longer meets")
    TIME = "time", _("The day or time is wrong")
    PLACE = "place", _("The address or online link is wrong")
    CONTACT = "contact", _("The phone, email or website is wrong")
    OTHER = "other", _("Something else")


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class ChangeRequest(models.Model):
    """A visitor's “this listing is wrong” report, queued for curators. No personal data."""

    Problem = ProblemKind
    Status = ChangeRequestStatus

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    # The listing's name when the report came in: lists of reports name it without a query
    # per report, and it still says what the visitor saw if the listing is renamed.
    listing_name = models.CharField(max_length=200, blank=True, editable=False)
    meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_requests",
        help_text="The meeting the visitor picked; blank: the whole listing.",
    )
    problem = models.CharField(max_length=10, choices=ProblemKind.choices)
    details = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10,
        choices=ChangeRequestStatus.choices,
        default=ChangeRequestStatus.OPEN,
        db_index=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__in=ProblemKind.values), name="changerequest_problem_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeRequestStatus.values),
                name="changerequest_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_problem_display()} (#{self.pk})"

    @classmethod
    def about(cls, listing):
        """A new, unsaved report about `listing`."""
        return cls(
            content_type=ContentType.objects.get_for_model(listing),
            object_id=listing.pk,
            listing_name=listing.name[:200],
        )

    def summary_line(self):
        """“Problem: listing (meeting)” for lists; needs meeting__program selected."""
        line = f"{self.get_problem_display()}: {self.listing_name or f'listing #{self.object_id}'}"
        if self.meeting is not None:
            meeting = self.meeting
            line += f" ({meeting.get_weekday_display()} {meeting.start_time:%H:%M})"
        return line

    def clean(self):
        super().clean()
        if self.meeting_id and self.content_type_id:
            program_type = ContentType.objects.get_for_model(Program)
            if self.content_type_id != program_type.pk or self.meeting.program_id != self.object_id:
                raise ValidationError({"meeting": "This meeting belongs to another listing."})

    @property
    def listing(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


# --- Resources for peers and supporters ------------------------------------------------------


class ResourceKind(models.TextChoices):
    LINE = "line", "Lines to call or text, day and night"
    ONLINE = "online", "Online meetings and communities"
    APP = "app", "Apps"
    TRAINING = "training", "Training and certification for peer supporters"
    STATE = "state", "State peer-support programs"


class Resource(Listing):
    """A national or state resource for people in recovery and those who support them.

    Not a place or a weekly meeting, so it has no page of its own: the resources page lists
    them all, grouped by kind, each with the day a curator last checked it.
    """

    kind = models.CharField(max_length=10, choices=ResourceKind.choices, db_index=True)
    offers = models.TextField("what it offers", help_text="One or two sentences, in our words.")
    phone = models.CharField(max_length=30, blank=True, help_text="Call or text number, if any.")
    website = models.URLField(blank=True)
    how_to_reach = models.CharField(
        max_length=300, blank=True, help_text="Anything else: text a word to a number, hours…"
    )
    languages = models.CharField(
        max_length=200, blank=True, help_text="As visitors read them, e.g. “English, Spanish”."
    )

    class Meta(Listing.Meta):
        ordering = ["kind", "name"]
        constraints = [
            Listing.status_constraint("resource"),
            models.CheckConstraint(
                condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"
            ),
        ]
