"""What people type into one search box, read as the filters they mean.

"AA 43215", "suboxone dayton", "women sober living ohio", "non 12 step", "detox near
Dayton": the words the field uses map to filters (shown as chips the person can remove),
a place typed among them becomes the place, and the rest stays a keyword. `understand()`
also says which list answers best: meetings, sober living homes or treatment centres.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from listings import geo
from listings.cache import kept_until_change
from listings.search import normalise_query

from .models import Approach, Fellowship, LevelOfCare, Medication, ProgramKind

MEETINGS, PROGRAMS, CENTRES, RIGHT_NOW = "meetings", "programs", "centres", "right_now"

# Phrases, each with the filters it stands for and, for treatment-only words, the list
# that has them. Longer phrases are matched first ("non 12 step" before "12 step").
TREATMENT = {
    "suboxone": {"medication": Medication.BUPRENORPHINE},
    "subutex": {"medication": Medication.BUPRENORPHINE},
    "sublocade": {"medication": Medication.BUPRENORPHINE},
    "buprenorphine": {"medication": Medication.BUPRENORPHINE},
    "bupe": {"medication": Medication.BUPRENORPHINE},
    "methadone": {"medication": Medication.METHADONE},
    "naltrexone": {"medication": Medication.NALTREXONE},
    "vivitrol": {"medication": Medication.NALTREXONE},
    "detox": {"level": LevelOfCare.DETOX},
    "withdrawal": {"level": LevelOfCare.DETOX},
    "iop": {"level": LevelOfCare.IOP},
    "intensive outpatient": {"level": LevelOfCare.IOP},
    "php": {"level": LevelOfCare.PHP},
    "partial hospitalization": {"level": LevelOfCare.PHP},
    "partial hospitalisation": {"level": LevelOfCare.PHP},
    "residential": {"level": LevelOfCare.RESIDENTIAL},
    "inpatient": {"level": LevelOfCare.RESIDENTIAL},
    "outpatient": {"level": LevelOfCare.OUTPATIENT},
    "obot": {"level": LevelOfCare.OBOT},
    "telehealth": {"level": LevelOfCare.TELEHEALTH},
    "medicaid": {"payment": "medicaid"},
    "medicare": {"payment": "medicare"},
    "tricare": {"payment": "tricare"},
    "treatment": {},
    "treatment center": {},
    "treatment centre": {},
    "treatment centers": {},
    "treatment centres": {},
    "rehab": {},
    "clinic": {},
    # Spanish, with and without accents (people often type none).
    "tratamiento": {},
    "tratamientos": {},
    "centro de tratamiento": {},
    "centros de tratamiento": {},
    "rehabilitacion": {},
    "rehabilitación": {},
    "clinica": {},
    "clínica": {},
    "desintoxicacion": {"level": LevelOfCare.DETOX},
    "desintoxicación": {"level": LevelOfCare.DETOX},
    "desintox": {"level": LevelOfCare.DETOX},
    "abstinencia": {"level": LevelOfCare.DETOX},
    "metadona": {"medication": Medication.METHADONE},
    "buprenorfina": {"medication": Medication.BUPRENORPHINE},
    "naltrexona": {"medication": Medication.NALTREXONE},
    "residencial": {"level": LevelOfCare.RESIDENTIAL},
    "internamiento": {"level": LevelOfCare.RESIDENTIAL},
    "ambulatorio": {"level": LevelOfCare.OUTPATIENT},
    "ambulatorio intensivo": {"level": LevelOfCare.IOP},
    "hospitalizacion parcial": {"level": LevelOfCare.PHP},
    "hospitalización parcial": {"level": LevelOfCare.PHP},
    "telesalud": {"level": LevelOfCare.TELEHEALTH},
}
HOUSES = ["sober living", "sober house", "sober home", "sober homes", "halfway house",
          "recovery house", "recovery residence", "recovery home", "oxford house",
          "vivienda sobria", "viviendas sobrias", "casa sobria", "casas sobrias",
          "casa de recuperacion", "casa de recuperación", "hogar de recuperacion",
          "hogar de recuperación", "residencia de recuperacion",
          "residencia de recuperación"]  # fmt: skip
APPROACHES = {
    "non 12 step": Approach.SECULAR,
    "non twelve step": Approach.SECULAR,
    "not 12 step": Approach.SECULAR,
    "no 12 step": Approach.SECULAR,
    "alternative to aa": Approach.SECULAR,
    "secular": Approach.SECULAR,
    "not religious": Approach.SECULAR,
    "non religious": Approach.SECULAR,
    "atheist": Approach.SECULAR,
    "agnostic": Approach.SECULAR,
    "science based": Approach.SECULAR,
    "christian": Approach.FAITH_BASED,
    "faith based": Approach.FAITH_BASED,
    "buddhist": Approach.BUDDHIST,
    "harm reduction": Approach.HARM_REDUCTION,
    "family": Approach.FAMILY,
    "families": Approach.FAMILY,
    "loved one": Approach.FAMILY,
    "laico": Approach.SECULAR,
    "laica": Approach.SECULAR,
    "no religioso": Approach.SECULAR,
    "sin religion": Approach.SECULAR,
    "sin religión": Approach.SECULAR,
    "sin 12 pasos": Approach.SECULAR,
    "sin doce pasos": Approach.SECULAR,
    "cristiano": Approach.FAITH_BASED,
    "cristiana": Approach.FAITH_BASED,
    "de fe": Approach.FAITH_BASED,
    "budista": Approach.BUDDHIST,
    "reduccion de danos": Approach.HARM_REDUCTION,
    "reducción de daños": Approach.HARM_REDUCTION,
    "familia": Approach.FAMILY,
    "familias": Approach.FAMILY,
    "familiares": Approach.FAMILY,
    "ser querido": Approach.FAMILY,
}
AUDIENCES = {
    "women": "women", "woman": "women", "womens": "women", "ladies": "women",
    "men": "men", "mens": "men",
    "lgbtq": "lgbtq", "lgbt": "lgbtq", "lgbtq+": "lgbtq", "gay": "lgbtq", "queer": "lgbtq",
    "trans": "lgbtq",
    "young people": "young-people", "youth": "young-people", "teens": "young-people",
    "teen": "young-people", "young": "young-people",
    "veterans": "veterans", "veteran": "veterans", "military": "veterans",
    "mujeres": "women", "mujer": "women", "damas": "women",
    "hombres": "men", "hombre": "men", "varones": "men",
    "jovenes": "young-people", "jóvenes": "young-people", "adolescentes": "young-people",
    "veteranos": "veterans", "veterano": "veterans", "militares": "veterans",
}  # fmt: skip
SPANISH = ["español", "espanol", "spanish", "en español", "en espanol", "hispanic", "latino",
           "latina", "latinos", "hispano", "hispana", "hispanos"]  # fmt: skip
ONLINE = ["online", "virtual", "zoom", "by phone", "en linea", "en línea", "por telefono",
          "por teléfono", "virtuales"]  # fmt: skip
IN_PERSON = ["in person", "face to face", "en persona", "presencial", "presenciales"]
TIMES = {"morning": "morning", "mornings": "morning", "afternoon": "midday",
         "lunchtime": "midday", "evening": "evening", "evenings": "evening", "night": "night",
         "late night": "night",
         # "mañana" alone is also "tomorrow": only the unambiguous forms.
         "por la manana": "morning", "por la mañana": "morning", "mananas": "morning",
         "mañanas": "morning", "por la tarde": "midday", "tarde": "midday", "tardes": "midday",
         "por la noche": "evening", "noche": "evening", "noches": "evening",
         "madrugada": "night"}  # fmt: skip
TODAY = ["today", "tonight", "hoy", "esta noche", "esta tarde"]
NOW = ["right now", "now", "ahora", "ahora mismo", "en este momento"]
# Words that say nothing once the rest is understood.
FILLER = {"a", "an", "the", "for", "and", "with", "meeting", "meetings", "group", "groups",
          "me", "my", "find", "looking", "need", "i", "help", "near", "in", "around", "at",
          "support", "recovery", "program", "programs",
          "reunion", "reunión", "reuniones", "grupo", "grupos", "de", "del", "la", "el",
          "los", "las", "un", "una", "unos", "unas", "y", "con", "para", "por", "en", "mi",
          "busco", "buscar", "necesito", "quiero", "ayuda", "apoyo", "recuperacion",
          "recuperación", "programa", "programas", "cerca", "alrededor", "hay", "que",
          "al"}  # fmt: skip
PLACE_MARKERS = ("near", "in", "around", "close to", "cerca de", "en", "por")
NEAR_ME = ["near me", "close to me", "around me", "cerca de mi", "cerca de mí", "por aqui",
           "por aquí", "aqui cerca", "aquí cerca", "cerca de aqui", "cerca de aquí"]  # fmt: skip


@dataclass
class Understood:
    destination: str = MEETINGS
    params: dict = field(default_factory=dict)
    words: list = field(default_factory=list)  # what is left: a keyword search
    place: str = ""

    def add(self, name, value):
        values = self.params.setdefault(name, [])
        if value not in values:
            values.append(value)

    def url(self, extra=None, path=None):
        """The list that answers best, with every understood filter as a parameter."""
        name = {
            MEETINGS: "programs:meetings",
            PROGRAMS: "programs:list",
            CENTRES: "programs:center_list",
            RIGHT_NOW: "programs:right_now",
        }[self.destination]
        params = dict(self.params)
        if self.words:
            params["q"] = [" ".join(self.words)]
        if self.place:
            params["where"] = [self.place]
        params.update(extra or {})
        query = urlencode(params, doseq=True)
        return (path or reverse(name)) + (f"?{query}" if query else "") + "#results"


def _fellowships():
    """{word people type: slug}: abbreviations and names, from the open lookup table."""

    def build():
        words = {}
        for slug, abbreviation, name, name_es in Fellowship.objects.values_list(
            "slug", "abbreviation", "name", "name_es"
        ):
            for spelling in (abbreviation, name, name_es, slug.replace("-", " ")):
                if spelling:
                    words[_plain(spelling)] = slug
        return words

    return kept_until_change("query:fellowships", build, 600)


def _plain(text):
    return " ".join(re.sub(r"[^\w\s+]", " ", text.lower().replace("-", " ")).split())


def _take(tokens, phrases):
    """Remove the first phrase found in tokens; return it (or None)."""
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        words = phrase.split()
        for i in range(len(tokens) - len(words) + 1):
            if tokens[i : i + len(words)] == words:
                del tokens[i : i + len(words)]
                return phrase
    return None


def _take_all(tokens, phrases):
    found = []
    while (phrase := _take(tokens, phrases)) is not None:
        found.append(phrase)
    return found


def understand(text, where="", houses=False):
    """Read a search box's text (and an optional "where") as filters, a place and words.

    `houses` says the box is on the sober living list, where "women" means a women's house.
    """
    result = Understood(place=(where or "").strip())
    tokens = _plain(normalise_query(text)).split()
    zip_codes = [t for t in tokens if re.fullmatch(r"\d{5}", t)]
    if zip_codes and not result.place:
        result.place = zip_codes[0]
    tokens = [t for t in tokens if t not in zip_codes]

    near_me = _take(tokens, NEAR_ME)
    treatment = _take_all(tokens, TREATMENT)
    house_words = _take_all(tokens, HOUSES)
    # Before the times of day: "esta noche" is tonight, not just an evening.
    today = _take_all(tokens, TODAY)
    now = _take_all(tokens, NOW)
    for phrase in treatment:
        for name, value in TREATMENT[phrase].items():
            result.add(name, value)
    for phrase in _take_all(tokens, APPROACHES):
        result.add("approach", APPROACHES[phrase])
    audiences = [AUDIENCES[p] for p in _take_all(tokens, AUDIENCES)]
    if _take_all(tokens, SPANISH):
        result.add("language", "es")
    if _take_all(tokens, ONLINE):
        result.add("attendance", "online")
    if _take_all(tokens, IN_PERSON):
        result.add("attendance", "in_person")
    for phrase in _take_all(tokens, TIMES):
        result.add("time", TIMES[phrase])
    if today:
        result.add("today", "on")
    fellowships = _fellowships()
    for phrase in _take_all(tokens, fellowships):
        result.add("fellowship", fellowships[phrase])
    if not result.place and not near_me:
        result.place = _place_in(tokens)
    result.words = [t for t in tokens if t not in FILLER]

    if treatment:
        result.destination = CENTRES
        for slug in audiences:
            result.add("population", slug)
        for name in ("approach", "fellowship", "attendance", "today", "time"):
            result.params.pop(name, None)  # not what a treatment centre is chosen by
    elif houses or house_words:
        result.destination = PROGRAMS
        if house_words:
            result.add("kind", ProgramKind.SOBER_LIVING)
        for slug in audiences:
            if slug in ("women", "men", "lgbtq"):
                result.add("gender", slug)
            else:
                result.add("audience", slug)
        for name in ("attendance", "today", "time"):
            result.params.pop(name, None)
    else:
        for slug in audiences:
            result.add("audience", slug)
        if now and not result.params and not result.words:
            result.destination = RIGHT_NOW
    return result


def _place_in(tokens):
    """A place named among the words: after "near"/"in", or a state or home-state town at
    the end. Taken out of `tokens`; "" when there is none."""
    for marker in PLACE_MARKERS:
        words = marker.split()
        for i in range(len(tokens) - len(words)):
            if tokens[i : i + len(words)] == words:
                # "in person", "in recovery": only a place the gazetteer knows is a place.
                place = _known_place(" ".join(tokens[i + len(words) :]))
                if place:
                    del tokens[i:]
                    return place
    for size in (3, 2, 1):
        if len(tokens) < size:
            continue
        tail = " ".join(tokens[-size:])
        place = _known_place(tail)
        if place:
            del tokens[-size:]
            return place
    return ""


STATES = {name.lower(): name for name in geo.STATE_NAMES.values()}


def _known_place(text):
    """`text` as a place when it is surely one: a state's name, or a town in the home state.

    Two-letter state codes alone are not taken: "in", "me", "or" and "oh" are words too.
    """
    if text in STATES:
        return STATES[text]
    home = getattr(settings, "HOME_STATE", "OH")
    found = geo.resolve_place(text)
    if found.kind == "city" and found.label.endswith(f", {home}"):
        return found.label
    if found.kind == "ambiguous":
        for choice in found.choices:
            if choice.endswith(f", {home}"):
                return choice
    return ""
