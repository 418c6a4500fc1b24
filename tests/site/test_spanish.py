"""The whole public site in Spanish, by address: /es/... is Spanish, every other path English.

The walk below reads every public page in both languages and fails on any visible English
sentence the Spanish page still shows: text is compared node by node with the English page,
so only what is identical in both (and not a name, a number or listing data) is caught.
"""

import csv
import datetime
import io
import os
import re
import shutil
import zoneinfo
from html.parser import HTMLParser

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from programs.models import Audience, Fellowship, Language, MeetingType, ServiceOption
from programs.query import CENTRES, MEETINGS, PROGRAMS, RIGHT_NOW, understand
from referrals.models import Referral
from tests.factories import make_activity, make_center, make_meeting, make_program
from tests.factories import referral_form_data as form_data
from tests.site.test_public_urls import public_urls, sample  # noqa: F401  (fixture)
from tests.sitemaps import sitemap_text

pytestmark = pytest.mark.django_db

NY = zoneinfo.ZoneInfo("America/New_York")

# Words that are the same in both languages, or names: never a sign of a missed translation.
ALLOWED = {
    "AA", "NA", "CA", "SMART", "SMART Recovery", "LifeRing", "NAMI", "DBSA", "Al-Anon",
    "Medicaid", "Medicare", "TRICARE", "OpenStreetMap", "Meeting Guide", "Open Referral",
    "HSDS", "FindTreatment.gov", "Error:", "Email", "No", "mi", "×", "‹", "›", "…", "·", "–",
    "Español", "English", "This page in English", "Celebrate Recovery", "Recovery Dharma",
    "Refuge Recovery", "Women for Sobriety", "LifeRing Secular Recovery", "NAMI Connection",
    "Recovery Dharma, Refuge Recovery", "LifeRing Secular Recovery, Women for Sobriety",
    "Cost:", "Online", "Total", "ASL", "Esc",
}  # fmt: skip


class VisibleText(HTMLParser):
    """Text a reader sees or hears: text nodes and the attributes read aloud, leaving out
    scripts and anything marked as being in another language (lang="en" on a Spanish page
    is a deliberate English fragment, such as a curator's untranslated description)."""

    READ_ALOUD = ("aria-label", "placeholder", "title", "alt")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}  # fmt: skip

    def __init__(self, page_language):
        super().__init__()
        self.page_language = page_language
        self.stack = []  # (tag, skip)
        self.texts = []

    def skipping(self):
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang", "")
        # Code and key names are the same in every language.
        skip = tag in ("script", "style", "code", "kbd") or (
            bool(lang) and tag != "html" and not lang.startswith(self.page_language)
        )
        if not (skip or self.skipping()):
            self.texts += [attrs[a] for a in self.READ_ALOUD if attrs.get(a)]
            if tag == "meta" and attrs.get("name") == "description":
                self.texts.append(attrs.get("content", ""))
        if tag not in self.VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self.skipping():
            self.texts.append(data)


def visible_texts(html, language):
    parser = VisibleText(language)
    parser.feed(html)
    return {" ".join(t.split()) for t in parser.texts} - {""}


def lookup_names():
    """The lookup tables' English names: shown where curators gave no Spanish name."""
    words = set()
    for model in (MeetingType, Fellowship, Audience, Language, ServiceOption):
        words |= {str(x) for x in model.objects.all()}
    return words


def untranslated(english_html, spanish_html, extra_allowed=()):
    english = visible_texts(english_html, "en")
    spanish = visible_texts(spanish_html, "es")
    left = set()
    for text in english & spanish:
        text = text.removesuffix(f" – {settings.SITE_NAME}")  # a page title's name
        letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", text)
        if len(letters) < 3 or text in ALLOWED or text in extra_allowed:
            continue
        if text.rstrip(":") in (settings.SITE_NAME, settings.ORGANISATION_NAME):
            continue
        # Listing data: names of the sample listings, places, zones, URLs and codes.
        if re.fullmatch(
            r"(Sample .*|Program \d+|Treatment Centre \d+|Activity \d+|Community Hall \d+"
            r"|.*\d{3}.*|[A-Z]{2,4}|[A-Z][a-z]+, [A-Z]{2}|https?://.*|/.*|\(code .*\))",
            text,
        ):
            continue
        left.add(text)
    return left


# Machine endpoints: one address, whatever the language.
ONE_ADDRESS = {"robots", "sitemap", "sitemap_section", "health", "meeting_guide_feed"}


def spanish_url(url):
    return "/es" + url


def test_every_public_page_reads_in_spanish(client, sample):  # noqa: F811
    extra = lookup_names()
    for name, url in public_urls(sample):
        if name in ONE_ADDRESS or name.startswith("hsds:"):
            continue
        english = client.get(url)
        spanish = client.get(spanish_url(url))
        assert spanish.status_code == english.status_code, url
        if not english["Content-Type"].startswith("text/html") or english.status_code >= 300:
            continue
        html = spanish.content.decode()
        assert '<html lang="es">' in html, url
        assert spanish["Content-Language"] == "es", url
        left = untranslated(english.content.decode(), html, extra)
        assert not left, f"{spanish_url(url)} ({name}) still shows English: {sorted(left)}"


def test_english_pages_stay_english_whatever_the_browser_asks(client):
    response = client.get("/programs/", HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="en">' in response.content.decode()
    assert "Meetings and peer-support programs" in response.content.decode()


def test_machine_endpoints_have_no_spanish_address(client):
    for url in ("/meetings.json", "/api/hsds/services", "/sitemap.xml", "/robots.txt"):
        assert client.get(url).status_code == 200, url
        assert client.get("/es" + url).status_code == 404, url


def test_the_switch_keeps_the_filters_both_ways(client):
    make_program(name="Grupo Esperanza")
    html = client.get("/programs/?day=2&q=big+book&attendance=online").content.decode()
    assert 'href="/es/programs/?day=2&amp;q=big+book&amp;attendance=online"' in html
    assert 'lang="es" hreflang="es">Español</a>' in html
    html = client.get("/es/programs/?day=2&q=big+book").content.decode()
    assert 'href="/programs/?day=2&amp;q=big+book"' in html
    assert 'lang="en" hreflang="en">English</a>' in html


def test_hreflang_alternates_name_both_languages_and_a_default(client):
    html = client.get("/es/treatment-centres/?level=detox").content.decode()
    base = settings.SITE_URL
    assert f'hreflang="en" href="{base}/treatment-centres/?level=detox"' in html
    assert f'hreflang="es" href="{base}/es/treatment-centres/?level=detox"' in html
    assert f'hreflang="x-default" href="{base}/treatment-centres/?level=detox"' in html


def test_sitemap_lists_each_page_in_both_languages(client):
    xml = sitemap_text(client)
    assert "<loc>http://testserver/es/privacy/</loc>" in xml
    assert 'hreflang="es"' in xml and 'hreflang="x-default"' in xml


def test_spanish_pages_set_no_cookies(client, sample):  # noqa: F811
    for name, url in public_urls(sample):
        if name in ONE_ADDRESS or name.startswith("hsds:"):
            continue
        if name == "referral" or name == "programs:report_problem":
            continue  # the forms' CSRF cookie is tested with the English pages
        response = client.get(spanish_url(url), secure=True)
        assert not response.cookies, f"{spanish_url(url)} set {set(response.cookies)}"
        client.cookies.clear()
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert not response.cookies


class TestLanguageSuggestion:
    def test_a_browser_asking_for_spanish_is_offered_it_without_a_redirect(self, client):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
        assert response.status_code == 200
        html = response.content.decode()
        assert '<p class="language-suggestion" lang="es"><a href="/es/" hreflang="es">' in html
        assert "Accept-Language" in response["Vary"]

    def test_the_cached_page_does_not_carry_one_visitors_suggestion_to_another(
        self, client, settings
    ):
        settings.PAGE_CACHE_SECONDS = 60
        cache.clear()
        client.get("/", HTTP_ACCEPT_LANGUAGE="es")
        plain = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert "language-suggestion" not in plain
        again = client.get("/", HTTP_ACCEPT_LANGUAGE="es-ES").content.decode()
        assert "language-suggestion" in again

    def test_spanish_home_offers_english_to_an_english_browser(self, client):
        html = client.get("/es/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'lang="en"><a href="/" hreflang="en">Would you rather read in English?' in html


class TestAdmin:
    @pytest.fixture
    def staff(self, client):
        user = User.objects.create_user("curator", password="a-long-password-1", is_staff=True)
        user.groups.add(Group.objects.get(name="Curators"))
        client.force_login(user)
        return client

    def test_admin_is_english_by_default(self, staff):
        assert '<html lang="en"' in staff.get("/admin/").content.decode()

    def test_admin_follows_a_staff_browser_that_asks_for_spanish(self, staff):
        response = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE="es")
        assert '<html lang="es"' in response.content.decode()
        assert "Accept-Language" in response["Vary"]


class TestCatalogue:
    PO = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
    MO = PO.with_suffix(".mo")

    def test_the_compiled_catalogue_matches_the_po_file(self):
        from babel.messages.mofile import read_mo
        from babel.messages.pofile import read_po

        with self.PO.open("rb") as po, self.MO.open("rb") as mo:
            source, compiled = read_po(po), read_mo(mo)

        def entries(catalogue):
            return {
                (m.context, tuple(m.id) if isinstance(m.id, list | tuple) else m.id): (
                    tuple(m.string) if isinstance(m.string, list | tuple) else m.string
                )
                for m in catalogue
                if m.id and not m.fuzzy
            }

        wanted, have = entries(source), entries(compiled)
        assert have == wanted, "Run `make translations` and commit the .mo file."

    @pytest.mark.skipif(
        not shutil.which("xgettext") and not os.environ.get("CI"),
        reason="makemessages needs GNU gettext (apt-get install gettext); CI installs it",
    )
    def test_makemessages_leaves_nothing_untranslated_or_fuzzy(self, tmp_path, settings):
        from babel.messages.pofile import read_po

        # makemessages writes to the `locale` folder beside the code it reads: it reads a
        # copy of the code here, so that the committed catalogue stays as it is.
        source = tmp_path / "source"
        shutil.copytree(
            settings.BASE_DIR,
            source,
            ignore=shutil.ignore_patterns(
                ".*", "tests", "staticfiles", "var", "node_modules", "__pycache__", "*.sqlite3"
            ),
        )
        target = source / "locale" / "es" / "LC_MESSAGES"
        settings.LOCALE_PATHS = [source / "locale"]
        here = os.getcwd()
        os.chdir(source)
        try:
            call_command(
                "makemessages",
                locale=["es"],
                ignore_patterns=["tests/*", ".tools/*", "staticfiles/*", "var/*", ".venv/*"],
                no_location=True,
                no_obsolete=True,
                verbosity=0,
            )
        finally:
            os.chdir(here)
        with (target / "django.po").open("rb") as handle:
            catalogue = read_po(handle)
        missing = [
            m.id
            for m in catalogue
            if m.id
            and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
        ]
        assert not missing, f"Translate these in {self.PO}: {missing}"
        # And nothing translated has dropped out of what the code says: a message looked
        # up where xgettext cannot see it (inside an f-string) would vanish at the next run.
        with self.PO.open("rb") as handle:
            committed = {m.id for m in read_po(handle) if m.id}
        lost = sorted(str(m) for m in committed - {m.id for m in catalogue if m.id})
        assert not lost, f"No longer found in the code: {lost}"


class TestFormats:
    @time_machine.travel(datetime.datetime(2026, 11, 30, 12, 0, tzinfo=NY), tick=False)
    def test_days_and_times_read_the_spanish_way(self, client):
        group = make_program(name="Grupo Esperanza")
        make_meeting(program=group, weekday=2, start_time=datetime.time(20, 0), types=["S"])
        make_activity(
            name="Picnic",
            starts_at=datetime.datetime(2026, 12, 1, 20, 0, tzinfo=NY),
            host_program=group,
        )
        html = client.get(group.get_absolute_url().replace("/program/", "/es/program/"))
        html = html.content.decode()
        assert "<strong>Martes</strong>, de 8:00 p. m. a " in html
        assert "martes 1 de diciembre de 2026, 8:00 p. m." not in html  # no activity page here
        activity = client.get("/es/activities/").content.decode()
        assert "martes 1 de diciembre, 8:00 p. m." in activity
        english = client.get(group.get_absolute_url()).content.decode()
        assert "<strong>Tuesday</strong>, 8:00 PM to " in english

    def test_numbers_are_written_the_us_spanish_way(self):
        from django.template import Context, Template
        from django.utils import translation

        template = Template("{{ miles|floatformat:1 }} {{ big|floatformat:'0g' }}")
        with translation.override("es"):
            assert template.render(Context({"miles": 2.46, "big": 1234})) == "2.5 1,234"

    def test_a_calendar_taken_from_a_spanish_page_is_in_spanish(self, client):
        meeting = make_meeting(types=["O", "S"], notes="")
        url = reverse(
            "programs:meeting_ics", kwargs={"slug": meeting.program.slug, "pk": meeting.pk}
        )
        english = client.get(url).content.decode()
        spanish = client.get("/es" + url).content.decode()
        assert "Details and changes" in english
        assert "Detalles y cambios" in spanish and "Details and changes" not in spanish
        assert "Abierta" in spanish.replace("\r\n ", "")


class TestLookupNames:
    def test_spanish_names_show_on_spanish_pages_and_fall_back_to_english(self, client):
        program = make_program(name="Grupo Unido")
        program.audiences.add(Audience.objects.get(slug="women"))
        own = Audience.objects.create(name="Truck drivers", slug="truckers")
        program.audiences.add(own)
        html = client.get("/es" + program.get_absolute_url()).content.decode()
        assert "Mujeres" in html and "Truck drivers" in html
        html = client.get(program.get_absolute_url()).content.decode()
        assert "Women" in html and "Mujeres" not in html

    def test_meeting_types_show_their_stored_spanish_names(self, client):
        meeting = make_meeting(types=["O", "W"])
        html = client.get("/es" + meeting.program.get_absolute_url()).content.decode()
        open_type = MeetingType.objects.get(code="O")
        assert open_type.name_es and f">{open_type.name_es}</a>" in html

    def test_meeting_types_are_explained_in_spanish(self, client):
        make_meeting(types=["O"])
        html = client.get("/es/meeting-types/").content.decode()
        assert "Puede ir cualquier persona" in html and "Anyone may come" not in html
        css = client.get("/es/meeting-types.css").content.decode()
        assert "Puede ir cualquier persona" in css
        assert "Anyone may come" in client.get("/meeting-types.css").content.decode()

    def test_spanish_language_meetings_are_marked_and_can_be_chosen(self, client):
        spanish = make_program(name="Grupo Esperanza")
        make_meeting(program=spanish, types=["S"])
        make_meeting(program=make_program(name="English group"))
        html = client.get("/es/programs/").content.decode()
        assert 'href="?language=es">Ver solo reuniones en español</a>' in html
        assert '<span class="badge badge-spanish" lang="es">Reunión en español</span>' in html
        chosen = client.get("/es/programs/?language=es")
        assert {p.name for p in chosen.context["object_list"]} == {"Grupo Esperanza"}
        # The marker is in Spanish on the English pages too, for the people it is for.
        assert 'lang="es">Reunión en español' in client.get("/programs/").content.decode()


def spanish_search(client, text, where=""):
    return client.get("/es/search/", {"q": text, "where": where}, follow=True)


def shown(page, key="object_list"):
    return {getattr(x, "name", None) for x in page.context[key]}


class TestSpanishSearch:
    """The directory's five searches, typed in Spanish on the Spanish pages."""

    @pytest.mark.parametrize(
        ("text", "destination", "params", "place"),
        [
            ("reunión de AA 43215", MEETINGS, {"fellowship": ["aa"]}, "43215"),
            ("Alcohólicos Anónimos", MEETINGS, {"fellowship": ["aa"]}, ""),
            ("reuniones en línea hoy", MEETINGS, {"attendance": ["online"], "today": ["on"]}, ""),
            ("mujeres", MEETINGS, {"audience": ["women"]}, ""),
            ("tratamiento", CENTRES, {}, ""),
            ("desintoxicación", CENTRES, {"level": ["detox"]}, ""),
            ("desintoxicacion cerca de mí", CENTRES, {"level": ["detox"]}, ""),
            ("metadona", CENTRES, {"medication": ["methadone"]}, ""),
            ("reunión en español", MEETINGS, {"language": ["es"]}, ""),
            ("spanish", MEETINGS, {"language": ["es"]}, ""),
            (
                "vivienda sobria para hombres",
                PROGRAMS,
                {"kind": ["sober-living"], "gender": ["men"]},
                "",
            ),  # noqa: E501
            ("grupos sin doce pasos", MEETINGS, {"approach": ["secular"]}, ""),
            ("ahora mismo", RIGHT_NOW, {}, ""),
        ],
    )
    def test_spanish_words(self, text, destination, params, place):
        found = understand(text)
        assert (found.destination, found.params, found.place, found.words) == (
            destination,
            params,
            place,
            [],
        )

    @time_machine.travel(datetime.datetime(2026, 11, 30, 23, 0, tzinfo=NY), tick=False)
    def test_aa_43215_tonight(self, client):
        aa = Fellowship.objects.get(slug="aa")
        group = make_program(name="Downtown AA", fellowship=aa)
        make_meeting(program=group, name="Late AA", weekday=1, start_time=datetime.time(22, 30))
        na = make_program(name="NA group", fellowship=Fellowship.objects.get(slug="na"))
        make_meeting(program=na, weekday=1, start_time=datetime.time(22, 45))
        page = spanish_search(client, "reunión de AA 43215 esta noche")
        assert page.request["PATH_INFO"] == "/es/meetings/"
        names = [o.meeting.name for o in page.context["occurrences"]]
        assert names == ["Late AA"]
        assert '<html lang="es">' in page.content.decode()

    def test_buprenorphine_near_dayton(self, client):
        from tests.factories import make_location

        dayton = make_location(
            city="Dayton", postal_code="45402", latitude=39.758, longitude=-84.19
        )
        bup = make_center(name="Dayton Bup Clinic")
        bup.locations.set([dayton])
        bup.medications.add(ServiceOption.objects.get(code="buprenorphine"))
        other = make_center(name="Dayton Counselling")
        other.locations.set([dayton])
        page = spanish_search(client, "buprenorfina cerca de Dayton")
        assert page.request["PATH_INFO"] == "/es/treatment-centres/"
        assert shown(page) == {"Dayton Bup Clinic"}

    def test_women_sober_living_ohio(self, client):
        make_program(name="Casa Hannah", kind="sober-living", gender_served="women")
        make_program(name="Casa Hermanos", kind="sober-living", gender_served="men")
        page = spanish_search(client, "vivienda sobria para mujeres en Ohio")
        assert page.request["PATH_INFO"] == "/es/programs/"
        assert shown(page) == {"Casa Hannah"}
        chips = [c["label"] for c in page.context["active_filters"]]
        assert "Tipo de programa: Vivienda sobria" in chips
        assert "Vivienda sobria para: Mujeres" in chips

    def test_espanol_finds_spanish_language_groups(self, client):
        spanish = make_program(name="Grupo Esperanza")
        spanish.languages.add(Language.objects.get(code="es"))
        make_meeting(program=spanish)
        typed = make_program(name="Grupo Nueva Vida")
        make_meeting(program=typed, types=["S"])
        make_meeting(program=make_program(name="English group"))
        page = spanish_search(client, "reuniones en español")
        found = {o.meeting.program.name for o in page.context["occurrences"]}
        assert found == {"Grupo Esperanza", "Grupo Nueva Vida"}

    def test_no_twelve_steps(self, client):
        smart = make_program(name="SMART group", fellowship=Fellowship.objects.get(slug="smart"))
        aa = make_program(name="AA group", fellowship=Fellowship.objects.get(slug="aa"))
        for program in (smart, aa):
            make_meeting(program=program)
        page = spanish_search(client, "grupos sin doce pasos")
        assert {o.meeting.program.name for o in page.context["occurrences"]} == {"SMART group"}

    def test_detox_in_spanish(self, client):
        detox = make_center(name="Detox Centre")
        detox.levels_of_care.add(ServiceOption.objects.get(code="detox"))
        make_center(name="Counselling Only")
        assert shown(spanish_search(client, "desintoxicación")) == {"Detox Centre"}


class TestReferralLanguage:
    def test_a_request_from_the_spanish_form_records_spanish(self, client):
        page = client.get("/es/get-help/")
        assert page.context["form"].initial["contact_language"] == "es"
        assert re.search(r'value="es"[^>]*checked', page.content.decode())
        data = form_data(interpreter="no")
        response = client.post("/es/get-help/", data)
        assert response.status_code == 302 and response["Location"].startswith("/es/get-help/")
        referral = Referral.objects.get()
        assert referral.page_language == "es"
        assert referral.contact_language == "es" and referral.interpreter_needed is False

    def test_another_language_needs_its_name_and_is_kept_encrypted(self, client):
        response = client.post("/get-help/", form_data(contact_language="other"))
        assert response.status_code == 400
        assert "Tell us which language you speak" in response.content.decode()
        client.post("/get-help/", form_data(contact_language="other", other_language="Somali"))
        referral = Referral.objects.get()
        assert referral.page_language == "en" and referral.other_language == "Somali"
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT other_language FROM referrals_referral")
            assert "Somali" not in cursor.fetchone()[0]

    def test_coordinators_see_and_filter_the_language(self, client):
        client.post("/es/get-help/", form_data(contact_language="es"))
        client.post("/get-help/", form_data(contact_language="en"))
        user = User.objects.create_user("coord", password="a-long-password-1", is_staff=True)
        user.groups.add(Group.objects.get(name="Referral coordinators"))
        client.force_login(user)
        url = reverse("admin:referrals_referral_changelist")
        listing = client.get(url, {"contact_language__exact": "es"})
        assert listing.status_code == 200
        assert [r.contact_language for r in listing.context["cl"].result_list] == ["es"]
        assert "Spanish" in listing.content.decode()
        by_page = client.get(url, {"page_language__exact": "es"})
        assert len(by_page.context["cl"].result_list) == 1
        spanish = Referral.objects.get(page_language="es")
        export = client.post(url, {"action": "export_csv", "_selected_action": [spanish.pk]})
        row = next(csv.DictReader(io.StringIO(export.content.decode())))
        assert row["language to contact them in"] == "Spanish"
        assert row["language of the form"] == "Español"
        assert row["needs an interpreter"] == "not answered"


def test_spanish_error_messages_are_spanish(client):
    response = client.post("/es/get-help/", {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Hay un problema" in html and "Elija quién pide ayuda" in html


@pytest.mark.postgres_only
def test_spanish_pages_search_with_spanish_stemming():
    from django.utils import translation

    from programs.models import Program
    from programs.search import search_programs

    make_program(name="Grupo Esperanza", description="Cada semana compartimos experiencias.")
    make_program(name="Sunrise Group", description="We share every week.")
    with translation.override("es"):
        found = search_programs(Program.objects.published(), "compartir experiencia")
        assert [p.name for p in found] == ["Grupo Esperanza"]
    with translation.override("en"):
        found = search_programs(Program.objects.published(), "sharing")
        assert [p.name for p in found] == ["Sunrise Group"]
