"""The FindTreatment.gov download importer: mapping, keying, re-imports, bad rows and files."""

import csv
import io
import math
import random
import re
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import AutoField
from django.test.utils import CaptureQueriesContext

from listings.geo import approximate_coordinates
from listings.models import Location, PublicationStatus
from opendata import findtreatment
from opendata.findtreatment import (
    BATCH,
    LANGUAGES,
    LEVELS_OF_CARE,
    MEDICATIONS,
    OBOT_BUPRENORPHINE,
    PAYMENTS,
    PEER_SUPPORT,
    POPULATIONS,
    facility_key,
    import_findtreatment,
    service_codes,
)
from opendata.summary import ImportFileError
from programs.models import (
    Audience,
    Language,
    LevelOfCare,
    Medication,
    Payment,
    ServiceOption,
    TreatmentCenter,
)
from programs.search import search_centers
from tests.benchmarks.make_findtreatment_csv import rows as synthetic_rows
from tests.factories import make_center

pytestmark = pytest.mark.django_db

BASE_COLUMNS = [
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county",
    "phone", "intake_prompt", "intake1", "intake2", "website", "latitude", "longitude",
    "type_facility",
]  # fmt: skip
EXPORT_CODES = [c for c in service_codes() if c not in ("GL", "AOSS", "N13", "N18", "N23")]
M2M_FIELDS = ["locations", "levels_of_care", "medications", "payment_options", "populations"]
M2M_FIELDS += ["languages"]

_n = iter(range(1, 10**6))


def facility(codes=(), **values):
    """One download row: a Columbus, OH substance use facility with the given codes set."""
    n = next(_n)
    row = {
        "name1": f"Facility {n}",
        "name2": "",
        "street1": f"{n} Main Street",
        "street2": "",
        "city": "Columbus",
        "state": "OH",
        "zip": "43215",
        "zip4": "",
        "county": "Franklin",
        "phone": "614-555-0100",
        "intake_prompt": "",
        "intake1": "",
        "intake2": "",
        "website": "https://example.org",
        "latitude": "39.9612",
        "longitude": "-82.9988",
        "type_facility": "SA",
        "SA": "1",
    }
    row.update({code: "1" for code in codes})
    row.update(values)
    return row


def make_csv(rows, columns=None, codes=None, delimiter=","):
    columns = columns or [*BASE_COLUMNS, *(codes if codes is not None else EXPORT_CODES)]
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=columns, restval="0", extrasaction="ignore", lineterminator="\r\n",
        delimiter=delimiter,
    )  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def run(rows_or_text, **kwargs):
    text = rows_or_text if isinstance(rows_or_text, str) else make_csv(rows_or_text)
    return import_findtreatment(io.StringIO(text), **kwargs)


def center_for(row, source="findtreatment"):
    key = facility_key(row["name1"], row["street1"], row["zip"].zfill(5))
    return TreatmentCenter.objects.get(source=source, source_id=key)


def codes_of(center, field):
    return set(getattr(center, field).values_list("code", flat=True))


def snapshot():
    """Every row the importer may write, with every column, in a comparable form."""
    tables = [TreatmentCenter.objects, Location.objects]
    tables += [getattr(TreatmentCenter, f).through.objects for f in M2M_FIELDS]
    return [list(t.order_by("pk").values()) for t in tables]


# --- Mapping ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("DT", "detox"), ("HID", "detox"), ("RD", "detox"), ("OD", "detox"), ("ODTX", "detox"),
        ("RES", "residential"), ("RS", "residential"), ("RL", "residential"),
        ("HIT", "residential"), ("ODT", "php"), ("PHDT", "php"), ("OIT", "iop"),
        ("OP", "outpatient"), ("ORT", "outpatient"), ("OTP", "mat"), ("MM", "mat"),
        ("VTRL", "mat"), ("PMAT", "mat"), ("HH", "transitional-housing"), ("TELE", "telehealth"),
    ],
)  # fmt: skip
def test_level_of_care_codes(code, level):
    row = facility([code])
    run([row])
    assert level in codes_of(center_for(row), "levels_of_care")


def test_a_facility_without_level_codes_gets_no_level():
    row = facility(["MD", "SP"])
    run([row])
    assert codes_of(center_for(row), "levels_of_care") == set()


@pytest.mark.parametrize("buprenorphine", OBOT_BUPRENORPHINE)
def test_obot_is_outpatient_plus_buprenorphine(buprenorphine):
    both, setting_only, drug_only = (
        facility(["OP", buprenorphine]),
        facility(["OP"]),
        facility([buprenorphine]),
    )
    run([both, setting_only, drug_only])
    assert {"obot", "outpatient", "mat"} <= codes_of(center_for(both), "levels_of_care")
    assert "obot" not in codes_of(center_for(setting_only), "levels_of_care")
    assert "obot" not in codes_of(center_for(drug_only), "levels_of_care")
    assert "buprenorphine" in codes_of(center_for(drug_only), "medications")


@pytest.mark.parametrize(
    ("code", "medication"),
    [
        ("METH", "methadone"), ("MU", "methadone"), ("MM", "methadone"),
        ("BU", "buprenorphine"), ("BWN", "buprenorphine"), ("BERI", "buprenorphine"),
        ("NU", "naltrexone"), ("VTRL", "naltrexone"), ("NXN", "naltrexone"),
    ],
)  # fmt: skip
def test_medication_codes(code, medication):
    row = facility([code])
    run([row])
    assert codes_of(center_for(row), "medications") == {medication}


def test_non_opioid_medications_give_no_medication_option():
    row = facility(["ACM", "DSF", "NRT", "CLND"])
    run([row])
    assert codes_of(center_for(row), "medications") == set()


@pytest.mark.parametrize(
    ("code", "payment"),
    [
        ("MD", "medicaid"), ("MC", "medicare"), ("PI", "private-insurance"), ("MI", "tricare"),
        ("SS", "sliding-scale"), ("SF", "self-pay"), ("NP", "free"),
    ],
)  # fmt: skip
def test_payment_codes(code, payment):
    row = facility([code])
    run([row])
    assert codes_of(center_for(row), "payment_options") == {payment}


@pytest.mark.parametrize(
    ("code", "audience"),
    [
        ("WN", "women"), ("MN", "men"), ("AD", "young-people"), ("TAY", "young-people"),
        ("SE", "seniors"), ("VET", "veterans"), ("ADM", "veterans"),
        ("PW", "pregnant-postpartum"), ("CJ", "justice-involved"), ("GL", "lgbtq"),
    ],
)  # fmt: skip
def test_population_codes(code, audience):
    row = facility([code])
    run(make_csv([row], codes=[*EXPORT_CODES, "GL"]))
    populations = set(center_for(row).populations.values_list("slug", flat=True))
    assert populations == {audience}


def test_who_a_facility_accepts_is_not_a_population():
    row = facility(["FEM", "MALE", "ADLT", "CHLD"])
    run([row])
    assert not center_for(row).populations.exists()


@pytest.mark.parametrize(
    ("code", "language"),
    [("SP", "es"), ("AH", "ase"), ("F4", "ar"), ("F17", "zh"), ("F70", "ru"), ("F92", "vi")],
)
def test_language_codes_and_english_always(code, language):
    row = facility([code])
    run([row])
    assert codes_of(center_for(row), "languages") == {"en", language}


def test_language_without_a_row_is_named_once_in_the_summary():
    rows = [facility(["F25", "SP"]), facility(["F25"])]
    summary = run(rows)
    notes = [m for m in summary.warnings if "F25" in m]
    assert len(notes) == 1 and "Farsi" in notes[0]
    assert summary.warnings[notes[0]] == 2
    Language.objects.create(code="fa", name="Farsi")
    run(rows)
    assert codes_of(center_for(rows[1]), "languages") == {"en", "fa"}


@pytest.mark.parametrize("code", PEER_SUPPORT)
def test_peer_support_codes(code):
    with_peers, without = facility([code]), facility(["CBT"])
    run([with_peers, without])
    assert center_for(with_peers).offers_peer_support is True
    assert center_for(without).offers_peer_support is False


def test_mapping_tables_use_real_codes_and_real_rows():
    known = service_codes()
    tables = [LEVELS_OF_CARE, MEDICATIONS, PAYMENTS, POPULATIONS, LANGUAGES]
    for table in tables:
        for sources in table.values():
            assert set(sources) <= known.keys()
    assert set(LEVELS_OF_CARE) | {"obot"} == set(LevelOfCare.values)
    assert set(MEDICATIONS) == set(Medication.values)
    assert set(PAYMENTS) == set(Payment.values)
    assert set(POPULATIONS) <= set(Audience.objects.values_list("slug", flat=True))
    seeded = set(ServiceOption.objects.values_list("code", flat=True))
    assert set(LevelOfCare.values) | set(Medication.values) | set(Payment.values) <= seeded


# --- What a new centre looks like ---------------------------------------------------------------


def test_new_centres_are_drafts_with_their_place_and_contacts():
    row = facility(
        ["OP"],
        name1="Gandara Center",
        name2="Hope for Holyoke",
        street1="85 Sargeant Street",
        street2="Suite 2",
        city="Holyoke",
        state="ma",
        zip="1040",  # as a spreadsheet leaves it
        latitude="42.2043",
        longitude="-72.6162",
        phone="413-555-0100",
        intake1="413-555-0199",
        website="www.gandaracenter.org",
    )
    summary = run([row])
    assert summary.created == 1 and not summary.rejected
    center = center_for(row)
    assert center.status == PublicationStatus.DRAFT
    assert center.name == "Gandara Center – Hope for Holyoke"
    assert center.slug == "gandara-center-hope-for-holyoke"
    assert center.intake_phone == "413-555-0199"
    assert center.hotline_phone == ""
    assert center.website == "https://www.gandaracenter.org"
    assert center.source == "findtreatment"
    (place,) = center.locations.all()
    assert (place.street_address, place.address_line_2) == ("85 Sargeant Street", "Suite 2")
    assert (place.city, place.state, place.postal_code) == ("Holyoke", "MA", "01040")
    assert (place.latitude, place.longitude) == (42.2043, -72.6162)
    assert (place.search_latitude, place.search_longitude) == (42.2043, -72.6162)
    assert place.coordinates_approximate is False
    assert place.timezone == "America/New_York"


def test_main_phone_is_the_intake_line_when_there_is_no_intake_number():
    row = facility(phone="614-555-0123", intake1="")
    run([row])
    assert center_for(row).intake_phone == "614-555-0123"


@pytest.mark.parametrize(
    ("zip_code", "state", "zone"),
    [
        ("85004", "AZ", "America/Phoenix"),
        ("96813", "HI", "Pacific/Honolulu"),
        ("46204", "IN", "America/Indiana/Indianapolis"),
        ("00901", "PR", "America/Puerto_Rico"),
    ],
)
def test_time_zone_comes_from_the_zip_code(zip_code, state, zone):
    row = facility(zip=zip_code, state=state, latitude="", longitude="")
    run([row])
    assert center_for(row).locations.get().timezone == zone


def test_time_zone_falls_back_to_the_state_then_the_site(settings):
    settings.TIME_ZONE = "America/Chicago"
    by_state = facility(zip="99999", state="AZ", latitude="33.4", longitude="-112.0")
    summary = run([by_state])
    assert center_for(by_state).locations.get().timezone == "America/Phoenix"
    assert any("from the state" in m for m in summary.warnings)
    assert findtreatment.zone_for("", "ZZ") == "America/Chicago"


def test_missing_position_is_the_zip_code_centre_marked_approximate():
    row = facility(zip="45402", city="Dayton", latitude="", longitude="")
    summary = run([row])
    place = center_for(row).locations.get()
    assert (place.latitude, place.longitude) == approximate_coordinates("45402")
    assert place.coordinates_approximate is True
    assert place.search_latitude == place.latitude
    assert any("ZIP code's centre" in m for m in summary.warnings)


def test_a_curators_exact_position_beats_a_zip_centre():
    row = facility(zip="45402", city="Dayton", latitude="", longitude="")
    run([row])
    place = center_for(row).locations.get()
    Location.objects.filter(pk=place.pk).update(
        latitude=39.7601, longitude=-84.1915, coordinates_approximate=False
    )
    summary = run([{**row, "street2": "Suite 5"}])
    place.refresh_from_db()
    assert (place.latitude, place.longitude, place.address_line_2) == (39.7601, -84.1915, "Suite 5")
    assert place.coordinates_approximate is False and summary.updated == 1


def test_a_zip_centre_follows_a_new_zip_code():
    # With a frid the facility keeps its key when its ZIP code changes.
    columns = [*BASE_COLUMNS, "frid", "OP"]
    row = facility(zip="45402", city="Dayton", latitude="", longitude="", frid="77")
    run(make_csv([row], columns=columns))
    summary = run(make_csv([{**row, "zip": "45403"}], columns=columns))
    place = TreatmentCenter.objects.get().locations.get()
    assert summary.updated == 1
    assert (place.latitude, place.longitude) == approximate_coordinates("45403")
    assert place.coordinates_approximate and place.search_latitude == place.latitude


def test_state_may_be_spelled_out():
    row = facility(state="Ohio")
    run([row])
    assert center_for(row).locations.get().state == "OH"


def test_slugs_never_collide_with_existing_or_each_other():
    make_center(name="Hope House")
    rows = [facility(name1="Hope House"), facility(name1="Hope House")]
    run(rows)
    slugs = sorted(TreatmentCenter.objects.values_list("slug", flat=True))
    assert slugs == ["hope-house", "hope-house-2", "hope-house-3"]


def test_mental_health_only_facilities_are_skipped():
    mental_health = facility(["OP"], type_facility="MH", SA="0")
    both = facility(["OP"], type_facility="MH", SA="1")
    summary = run([mental_health, both])
    assert summary.created == 1
    assert TreatmentCenter.objects.get().name == both["name1"]
    assert any("mental-health-only" in m for m in summary.warnings)


def test_imported_centres_are_found_by_keyword_search_at_once():
    row = facility(name1="Riverbend Recovery Lodge")
    run([row])
    found = search_centers(TreatmentCenter.objects.all(), "riverbend")
    assert list(found) == [center_for(row)]


# --- Keying and re-imports --------------------------------------------------------------------


def test_key_ignores_spelling_noise():
    a = facility_key("Hope House, Inc.", "12 North Main Street", "43215")
    b = facility_key("HOPE  HOUSE INC", "12 N. Main St", "43215")
    assert a == b and a.startswith("43215-") and len(a) <= 120
    assert facility_key("Hope House", "12 Main St", "43216") != a
    assert facility_key("Hope Home", "12 Main St", "43215") != a


def test_long_frids_that_differ_late_stay_two_facilities():
    columns = [*BASE_COLUMNS, "frid", *EXPORT_CODES]
    rows = [
        facility(frid="F" * 130 + "1"),
        facility(frid="F" * 130 + "2", name1="Another Place", street1="9 Elm St"),
    ]
    summary = run(make_csv(rows, columns=columns))
    assert summary.created == 2 and not summary.rejected
    keys = set(TreatmentCenter.objects.values_list("source_id", flat=True))
    assert len(keys) == 2 and all(len(k) <= 120 for k in keys)


def test_frid_is_the_key_when_the_file_has_one():
    row = facility(frid="ABC123")
    columns = [*BASE_COLUMNS, "frid", *EXPORT_CODES]
    run(make_csv([row], columns=columns))
    center = TreatmentCenter.objects.get()
    assert center.source_id == "frid-ABC123"
    renamed = {**row, "name1": "A New Name"}
    summary = run(make_csv([renamed], columns=columns))
    assert (summary.created, summary.updated) == (0, 1)
    assert TreatmentCenter.objects.get().name == "A New Name"


def test_second_run_of_the_same_file_changes_nothing():
    rows = [facility(["OP", "BU", "MD", "SP", "PEER", "VET"]) for _ in range(5)]
    rows.append(facility(latitude="", longitude=""))
    text = make_csv(rows)
    first = run(text)
    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        second = run(text)
    assert first.created == 6
    assert (second.created, second.updated, second.unchanged) == (0, 0, 6)
    assert snapshot() == before
    writes = [q["sql"] for q in queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]
    assert writes == []


def test_a_changed_row_is_updated_and_its_status_and_curation_kept():
    row = facility(["OP", "MD", "SP"])
    other = facility(["RES"])
    run([row, other])
    center = center_for(row)
    center.status = PublicationStatus.PUBLISHED
    center.description = "Written by a curator."
    center.save()
    slug = center.slug

    changed = {**row, "website": "https://new.example.org", "MD": "0", "PI": "1", "OIT": "1"}
    changed.update(latitude="39.97", longitude="-83.0")
    summary = run([changed, other])
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    center.refresh_from_db()
    assert center.status == PublicationStatus.PUBLISHED
    assert (center.slug, center.description) == (slug, "Written by a curator.")
    assert center.website == "https://new.example.org"
    assert codes_of(center, "payment_options") == {"private-insurance"}
    assert codes_of(center, "levels_of_care") == {"outpatient", "iop"}
    place = center.locations.get()
    assert (place.latitude, place.search_latitude) == (39.97, 39.97)


@pytest.mark.parametrize("status", [PublicationStatus.PUBLISHED, PublicationStatus.ARCHIVED])
def test_curators_status_survives_any_reimport(status):
    row = facility(["OP"])
    run([row])
    TreatmentCenter.objects.update(status=status)
    run([{**row, "name2": "Renamed Unit", "OP": "0", "RES": "1"}])
    assert center_for(row).status == status


def test_reordered_columns_read_the_same():
    rows = [facility(["OP", "BU", "MD", "SP"]), facility(["RES", "PEER"])]
    text = make_csv(rows)
    run(text)
    before = snapshot()
    columns = [*BASE_COLUMNS, *EXPORT_CODES]
    random.Random(4).shuffle(columns)
    summary = run(make_csv(rows, columns=columns))
    assert (summary.unchanged, summary.updated, summary.created) == (2, 0, 0)
    assert snapshot() == before


def test_a_narrower_file_leaves_what_it_cannot_say_alone():
    row = facility(["OP", "MD", "SP"], website="https://site.example.org")
    run([row])
    center = center_for(row)
    center.languages.add(Language.objects.get(code="so"))  # no SAMHSA code for Somali
    narrow = [c for c in BASE_COLUMNS if c != "website"] + ["OP", "RES"]
    summary = run(make_csv([{**row, "RES": "1"}], columns=narrow))
    assert summary.updated == 1
    center.refresh_from_db()
    assert center.website == "https://site.example.org"
    assert codes_of(center, "payment_options") == {"medicaid"}
    assert codes_of(center, "languages") == {"en", "es", "so"}
    assert codes_of(center, "levels_of_care") == {"outpatient", "residential"}


def test_curator_added_location_is_left_and_a_removed_one_comes_back():
    row = facility()
    run([row])
    center = center_for(row)
    extra = Location.objects.create(city="Dublin", state="OH", street_address="1 Side St")
    center.locations.add(extra)
    run([{**row, "street2": "Floor 2"}])
    extra.refresh_from_db()
    assert extra.street_address == "1 Side St" and extra.address_line_2 == ""
    assert center.locations.exclude(pk=extra.pk).get().address_line_2 == "Floor 2"

    center.locations.clear()
    summary = run([row])
    assert summary.updated == 1
    assert center.locations.get().street_address == row["street1"]


# --- Tolerance --------------------------------------------------------------------------------


def test_bom_crlf_blank_lines_and_loose_flags():
    rows = [facility(), facility()]
    text = make_csv(rows, codes=["OP", "MD", "SP", "PEER"])
    header, first, second = text.strip().split("\r\n")
    first = first[: -len("0,0,0,0")] + "Y,yes, 1 ,x"
    second = second[: -len("0,0,0,0")] + "N,no,,false"
    data = ("\ufeff" + header + "\r\n\r\n" + first + "\r\n \r\n" + second + "\r\n\r\n").encode()
    summary = import_findtreatment(io.BytesIO(data))
    assert summary.created == 2 and not summary.rejected
    yes, no = center_for(rows[0]), center_for(rows[1])
    assert codes_of(yes, "payment_options") == {"medicaid"} and yes.offers_peer_support
    assert codes_of(no, "payment_options") == set() and not no.offers_peer_support


def test_uploaded_file_bytes_semicolons_and_windows_1252():
    row = facility(["OP"], name1="Café Recovery")
    data = make_csv([row], codes=["OP"], delimiter=";").encode("cp1252")
    summary = import_findtreatment(SimpleUploadedFile("export.csv", data))
    assert summary.created == 1
    assert TreatmentCenter.objects.get().name == "Café Recovery"
    assert any("Windows-1252" in m for m in summary.warnings)
    again = import_findtreatment(data)
    assert again.unchanged == 1


def test_unknown_code_columns_are_named_once_each():
    rows = [facility(["OP"], ZZQ="1", XNEW="0"), facility(XNEW="1")]
    text = make_csv(rows, codes=["OP", "ZZQ", "XNEW"])
    summary = run(text)
    assert summary.created == 2
    unknown = sorted(m for m in summary.warnings if "not a known" in m)
    assert len(unknown) == 2
    assert "“XNEW”" in unknown[0] and "“ZZQ”" in unknown[1]
    assert all(summary.warnings[m] == 1 for m in unknown)


def test_known_extra_columns_raise_no_warning():
    row = facility(_irow="7", miles="2.5")
    columns = ["_irow", *BASE_COLUMNS, "miles", "OP"]
    summary = run(make_csv([row], columns=columns))
    assert summary.created == 1 and summary.warnings == {}


# --- Bad rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"name1": "  "}, "no facility name"),
        ({"city": ""}, "no city or no state"),
        ({"state": ""}, "no city or no state"),
        ({"state": "XX"}, "not a US state"),
        ({"zip": "ABCDE"}, "not a US ZIP code"),
        ({"latitude": "95"}, "off the globe"),
        ({"longitude": "-200"}, "off the globe"),
        ({"latitude": "nan"}, "off the globe"),
        ({"latitude": "north"}, "not a pair of numbers"),
        ({"longitude": ""}, "only one of latitude and longitude"),
        ({"OP": "maybe"}, "the OP column holds “maybe”"),
        ({"city": "x" * 101}, "city is longer than 100"),
        ({"name1": "n" * 201}, "longer than 200"),
    ],
)
def test_bad_row_is_rejected_with_reason_and_others_load(values, reason):
    good_before, good_after = facility(["OP"]), facility(["OP"])
    bad = facility(["OP"], **values)
    summary = run([good_before, bad, good_after])
    assert summary.created == 2
    (rejection,) = summary.rejected
    assert reason in rejection.reason
    assert rejection.key.startswith("row 3")
    if bad["name1"].strip() and len(bad["name1"]) < 80:
        assert bad["name1"] in rejection.key
    assert TreatmentCenter.objects.count() == 2


def test_short_and_long_rows_are_rejected_and_repeated_ones_merged():
    first, second, third = facility(), facility(), facility()
    text = make_csv([first, second, third, {**first, "name2": "Annex"}], codes=["OP", "MD"])
    lines = text.split("\r\n")
    lines[2] = lines[2].rsplit(",", 1)[0]  # cut short
    lines[3] = lines[3] + ",surprise"  # one value too many
    summary = run("\r\n".join(lines))
    reasons = {r.key.split(" ")[1]: r.reason for r in summary.rejected}
    assert "cut short" in reasons["3"]
    assert "more values" in reasons["4"]
    assert "5" not in reasons
    assert summary.created == 1
    assert (summary.merged_rows, summary.merged_into) == (2, 1)


# --- One facility on several rows ------------------------------------------------------------


def test_rows_of_one_facility_become_one_centre_with_the_union_of_their_services():
    substance_use = facility(["OP", "MD", "SP"], intake1="614-555-0111")
    mental_health = {
        **substance_use,
        "type_facility": "MH",
        "SA": "0",
        "OP": "0",
        "MD": "0",
        "SP": "0",
        "BU": "1",
        "MC": "1",
        "PEER": "1",
        "intake1": "614-555-0199",
    }
    other = facility(["OP"])
    summary = run([substance_use, other, mental_health])
    assert (summary.created, len(summary.rejected)) == (2, 0)
    assert (summary.merged_rows, summary.merged_into) == (2, 1)
    assert "Merged 2 rows into 1 entry" in summary.headline()
    center = center_for(substance_use)
    assert codes_of(center, "levels_of_care") == {"outpatient", "mat", "obot"}
    assert codes_of(center, "medications") == {"buprenorphine"}
    assert codes_of(center, "payment_options") == {"medicaid", "medicare"}
    assert codes_of(center, "languages") == {"en", "es"}
    assert center.offers_peer_support
    assert center.intake_phone == "614-555-0111"  # the first row's number wins
    assert center.locations.count() == 1
    # The same file again finds the one centre and changes nothing.
    again = run([substance_use, other, mental_health])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_rows_with_one_frid_merge_and_a_mental_health_only_facility_stays_out():
    columns = [*BASE_COLUMNS, "frid", "OP", "BU", "SA", "MD"]
    first = facility(["OP"], frid="77")
    second = facility(["BU", "MD"], frid="77", type_facility="MH", SA="0")
    mh_only = facility(type_facility="MH", SA="0")
    mh_only_again = {**mh_only, "MD": "1"}
    summary = run(make_csv([first, second, mh_only, mh_only_again], columns=columns))
    assert summary.created == 1
    assert (summary.merged_rows, summary.merged_into) == (4, 2)
    center = TreatmentCenter.objects.get(source_id="frid-77")
    assert center.name == first["name1"]
    assert codes_of(center, "medications") == {"buprenorphine"}
    assert codes_of(center, "payment_options") == {"medicaid"}
    assert any("mental-health-only" in w and n == 2 for w, n in summary.warnings.items())


# --- Bad files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"PK\x03\x04\x14\x00\x06\x00", "not CSV"),
        (b'{"rows": [{"name1": "Hope"}]}', "Is this a FindTreatment.gov facility download"),
        (b"name1,street1,state,zip,OP\r\nHope,1 Main,OH,43215,1\r\n", "no city column"),
        (b"name1,street1,city,state,zip\r\n", "no facilities"),
        (b"name1,street1,city,state,zip,OP,op\r\nA,1 Main,X,OH,43215,1,1\r\n", "twice"),
        (b"name1,street1,city,state,zip\r\n\x81\x8d\x8f\x90\x9d,1,2,OH,4\r\n", "not readable"),
    ],
)
def test_unreadable_file_raises_and_changes_nothing(data, message):
    run([facility(["OP"])])
    before = snapshot()
    with pytest.raises(ImportFileError, match=re.escape(message)):
        import_findtreatment(io.BytesIO(data))
    assert snapshot() == before


def test_text_with_nul_characters_is_binary():
    with pytest.raises(ImportFileError, match="binary"):
        import_findtreatment(io.StringIO("name1,street1,city,state,zip\r\n\x00\x00,1,2,OH,3\r\n"))


def test_source_must_be_given():
    with pytest.raises(ValueError, match="source"):
        run([facility()], source=" ")


def test_dry_run_reports_but_saves_nothing():
    rows = [facility(["OP"]), facility(["RES"])]
    run(rows[:1])
    before = snapshot()
    summary = run([{**rows[0], "OP": "0", "OIT": "1"}, rows[1]], dry_run=True)
    assert (summary.created, summary.updated) == (1, 1)
    assert summary.headline().startswith("Dry run, nothing saved")
    assert snapshot() == before


def test_sources_are_kept_apart():
    row = facility()
    run([row], source="ft-ohio")
    summary = run([row], source="ft-national")
    assert summary.created == 1
    assert (
        TreatmentCenter.objects.filter(source_id=center_for(row, "ft-ohio").source_id).count() == 2
    )


# --- The command ------------------------------------------------------------------------------


def test_command_prints_progress_and_summary(tmp_path, monkeypatch):
    monkeypatch.setattr(findtreatment, "PROGRESS_EVERY", 2)
    path = tmp_path / "export.csv"
    rows = [facility(["OP"]) for _ in range(4)] + [facility(state="XX")]
    path.write_text(make_csv(rows), encoding="utf-8")
    out = io.StringIO()
    call_command("import_findtreatment", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert "Checked 2 of 5 rows." in lines and "Checked 4 of 5 rows." in lines
    assert "findtreatment: 4 created, 0 updated, 0 unchanged, 0 unpublished, 1 rejected." in lines
    assert any(line.startswith("Rejected row 6") for line in lines)

    out = io.StringIO()
    call_command("import_findtreatment", str(path), "--dry-run", "--source=other", stdout=out)
    assert "other: Dry run, nothing saved: 4 created" in out.getvalue()
    assert not TreatmentCenter.objects.filter(source="other").exists()


def test_command_fails_on_a_bad_file(tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04rest of a workbook")
    with pytest.raises(CommandError, match="not CSV.*Nothing was changed"):
        call_command("import_findtreatment", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_findtreatment", str(tmp_path / "missing.csv"))


def test_command_exit_code_is_non_zero_on_a_bad_file(tmp_path, capsys):
    # Last in its test: the command closes the connection when it ends.
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_findtreatment", str(path)])
    assert exit_info.value.code == 1
    assert "The file is empty" in capsys.readouterr().err


# --- Cost ---------------------------------------------------------------------------------------


def _insert_statements(model, rows):
    """INSERTs bulk_create needs for `rows` new rows on this database (SQLite caps params)."""
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    fields = [f for f in fields if not isinstance(f, AutoField)]
    size = min(BATCH, max(connection.ops.bulk_batch_size(fields, [None] * rows), 1))
    return math.ceil(rows / size)


def _tables():
    models = {TreatmentCenter._meta.db_table: TreatmentCenter, Location._meta.db_table: Location}
    for name in M2M_FIELDS:
        through = getattr(TreatmentCenter, name).through
        models[through._meta.db_table] = through
    return models


def _csv(header, made):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(made)
    return out.getvalue()


def _profile(n, source):
    header, made = synthetic_rows(n, seed=n, clean=True)
    text = _csv(header, made)
    tables = _tables()
    counts_before = {t: m.objects.count() for t, m in tables.items()}
    with CaptureQueriesContext(connection) as first:
        import_findtreatment(io.StringIO(text), source=source)
    inserted = {t: m.objects.count() - counts_before[t] for t, m in tables.items()}
    with CaptureQueriesContext(connection) as again:
        summary = import_findtreatment(io.StringIO(text), source=source)
    assert summary.unchanged == n
    # Every facility changes its phone and whether it takes Medicaid.
    changed = [
        {**row, "phone": row["phone"][:-1] + "x", "MD": "0" if row["MD"] == "1" else "1"}
        for row in made
    ]
    with CaptureQueriesContext(connection) as update:
        summary = import_findtreatment(io.StringIO(_csv(header, changed)), source=source)
    assert summary.updated == n
    inserts = Counter()
    other = 0
    for query in first:
        match = re.match(r'\s*INSERT INTO "(\w+)"', query["sql"])
        if match:
            inserts[match.group(1)] += 1
        else:
            other += 1
    expected = {t: _insert_statements(tables[t], k) for t, k in inserted.items() if k}
    return other, dict(inserts), expected, len(again), len(update)


def test_query_count_does_not_grow_with_rows():
    small = _profile(50, "bench-50")
    large = _profile(200, "bench-200")
    # Reads and other statements: the same number for 50 and 200 facilities.
    assert small[0] == large[0]
    # Inserts: one per batch, as few batches as the database allows.
    assert small[1] == small[2] and large[1] == large[2]
    # A second, unchanged run only reads: a fixed handful of queries.
    assert small[3] == large[3] <= 15
    # Updating every row: still the same statements, whatever the number of rows.
    assert small[4] == large[4] <= 25
