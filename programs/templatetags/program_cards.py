"""The pieces of programs' list pages that repeat: cards, meeting lines, types, occurrences.

Each is written once, here, and used by every page that shows it ({% load program_cards %}).
They produce the markup the included templates did, without the whitespace between tags
that {% spaceless %} used to remove; listings/fragments.py says why they are Python.
"""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from listings.cache import shared_version
from listings.fragments import Kept, clock, date, distance, escaped, fill, label, weekday
from listings.fragments import text as _
from listings.templatetags.listing_tags import tel

from ..models import CARD_MEETINGS, Approach, Attendance, Cost, ProgramKind

register = template.Library()

# A meeting held in Spanish (Meeting Guide type S), marked in Spanish on every page: the
# people it is for read it whichever language the page is in.
SPANISH_MARKER = format_html(
    '<span class="badge badge-spanish" lang="es">{}</span>', "Reunión en español"
)


@register.simple_tag
def spanish_marker(meeting):
    return SPANISH_MARKER if meeting.in_spanish else ""


_type_items = {}


@register.simple_tag
def meeting_types(meeting, describe=False, language=None):
    """A meeting's types, each a link to its definition in the page's glossary
    (includes/type_glossary.html), which a tap or Enter jumps to. On hover and keyboard focus
    the same words appear below the label, from /meeting-types.css, so a definition is
    printed once per page rather than beside every meeting. `describe` also makes the
    definition the link's accessible description: on a program's own page, not on lists,
    where it would be read out again at every meeting."""
    types = meeting.type_list
    if not types:
        return ""
    language = language or get_language()
    items = []
    for t in types:
        # A hundred meeting lines share a dozen types: each item is built once per
        # language and wording, and kept.
        key = (language, describe, t.code, t.name, t.name_es)
        item = _type_items.get(key)
        if item is None:
            described = format_html(' aria-describedby="def-{}"', t.code) if describe else ""
            item = format_html(
                '<li><a href="#{}"{}>{}</a></li>', t.anchor, described, t.display_name
            )
            _type_items[key] = item
        items.append(item)
    return mark_safe('<ul class="type-list">' + "".join(items) + "</ul>")  # noqa: S308 (built above)


def closed_badge(meeting, language=None):
    if not meeting.temporarily_closed:
        return ""
    closed = _("Temporarily closed", language)
    return mark_safe(f'<span class="badge badge-warning">{closed}</span>')  # noqa: S308 (a kept translation)


@register.simple_tag
def meeting_line(meeting, language=None):
    """One weekly meeting on a program's card: day, times, how to attend, types.

    The commonest fragment of all (a hundred on a page), so it is joined from pieces that
    are escaped already (the helpers escape what they return) rather than by format_html.
    """
    language = language or get_language()
    end = meeting.end_time
    return mark_safe(  # noqa: S308 (every piece below is escaped or fixed markup)
        f'<li class="meeting-line{" is-closed" if meeting.temporarily_closed else ""}"'
        f' id="meeting-{int(meeting.pk)}"><span class="meeting-when"><strong>'
        f"{weekday(meeting.weekday, language)}</strong> {clock(meeting.start_time, language)}"
        f'{"–" + clock(end, language) if end else ""}</span><span class="meeting-how">'
        f"{label(Attendance, meeting.attendance, language)}</span>"
        f"{closed_badge(meeting, language)}{spanish_marker(meeting)}"
        f"{meeting_types(meeting, language=language)}</li>"
    )


def approach_tag(program, css_class, language=None):
    if not program.shows_approach:
        return ""
    # Messages are looked up outside f-strings, where xgettext would not find them. The
    # class is one of two fixed strings; the rest is escaped by the helpers.
    heading = _("Approach:", language)
    return mark_safe(  # noqa: S308
        f'<span class="{css_class}"><span class="visually-hidden">{heading}'
        f" </span>{label(Approach, program.approach, language)}</span>"
    )


@register.simple_tag
def program_card(program):
    """A program in a list: what it is, where, and the meetings that matched the filters.

    Twenty to a page: written as an f-string of pieces escaped one by one (`escaped`, or
    helpers that escape what they return), as format_html would, at a fraction of its cost.
    A list view may have written it already, or kept it from another page (views.with_cards).
    """
    kept = program.__dict__.get("card_html")
    if kept is not None:
        return kept
    language = get_language()
    url = program.get_absolute_url()
    fellowship = program.fellowship
    location = program.location
    meta = (
        f'<span class="tag">{label(ProgramKind, program.kind, language)}</span>'
        + (f'<span class="tag">{escaped(fellowship.display_label)}</span>' if fellowship else "")
        + approach_tag(program, "tag tag-approach", language)
        + f'<span class="tag">{label(Cost, program.cost, language)}</span>'
        + distance(getattr(program, "distance_miles", None))
    )
    place = ""
    if location:
        on_request = ""
        if location.is_confidential:
            on_request = " " + _("(address on request)", language)
        place = (
            f'<p class="card-place">{escaped(location.city)}, {escaped(location.state)}'
            f"{on_request}</p>"
        )
    house = ""
    if program.kind == ProgramKind.SOBER_LIVING:
        who = ""
        if program.gender_served:
            who = format_html(
                "{} ", fill(_("For %(who)s."), who=program.get_gender_served_display().lower())
            )
        mat = program.accepts_mat_residents
        if mat:
            mat = _("Residents on medication (MAT) welcome.")
        elif mat is False:
            mat = _("Does not accept residents on MAT.")
        house = format_html('<p class="card-detail">{}{}</p>', who, mat or "")
    meetings = getattr(program, "shown_meetings", None)
    schedule = ""
    if meetings:
        more = ""
        if len(meetings) > CARD_MEETINGS:
            more = format_html(
                '<p class="more"><a href="{}#schedule">{}<span class="visually-hidden"> {}</span>'
                "</a></p>",
                url,
                fill(_("All %(count)s meeting times"), count=len(meetings)),
                fill(_("for %(name)s"), name=program.name),
            )
        lines = "".join(meeting_line(m, language) for m in meetings[:CARD_MEETINGS])
        schedule = f'<ul class="meeting-lines">{lines}</ul>{more}'
    pk = int(program.pk)
    return mark_safe(  # noqa: S308 (every piece is escaped above or by the helpers)
        f'<article class="card" aria-labelledby="program-{pk}-name"><h3 class="card-title"'
        f' id="program-{pk}-name"><a href="{escaped(url)}">{escaped(program.name)}</a></h3>'
        f'<p class="card-meta">{meta}</p>{place}{house}{schedule}</article>'
    )


# Occurrences as written (occurrence), per process, while the listings' version holds.
_occurrences = Kept(5000)


@register.simple_tag
def occurrence(occurrence):
    """A meeting's next occurrence on the next-meetings and "right now" pages (written as
    program_card is).

    A line depends on its meeting, the occurrence's times, how far off it is in whole
    minutes, the visitor's zone, the distance and the language; with a version every process
    shares, it is kept for them, so a busy page writes each line once a minute.
    """
    language = get_language()
    number = shared_version()
    if number is None:
        return _occurrence_line(occurrence, language)
    if occurrence.in_progress:
        minutes = ("ago", occurrence.started_minutes_ago)
    else:
        minutes = ("in", occurrence.starts_in_minutes)
    meeting = occurrence.meeting
    key = (
        meeting.pk,
        occurrence.starts,
        occurrence.ends,
        minutes,
        str(occurrence.zone),
        getattr(meeting, "distance_miles", None),
        language,
        number,
    )
    return _occurrences.get_or_make(key, lambda: _occurrence_line(occurrence, language))


def _occurrence_line(occurrence, language):
    meeting = occurrence.meeting
    program = meeting.program
    fellowship = program.fellowship
    if occurrence.in_progress:
        status = fill(
            _("started %(minutes)s min ago, ends %(end)s", language),
            minutes=occurrence.started_minutes_ago,
            end=clock(occurrence.end_clock, language),
        )
    elif occurrence.starts_in_minutes < 60:
        status = fill(_("in %(minutes)s min", language), minutes=occurrence.starts_in_minutes)
    else:
        status = fill(_("until %(end)s", language), end=clock(occurrence.end_clock, language))
    own_zone = ""
    if occurrence.own_zone_differs:
        own_zone = format_html(
            '<span class="occurrence-own-zone">({})</span>',
            fill(
                _("%(time)s %(zone)s where it meets", language),
                time=clock(occurrence.own_start_clock, language),
                zone=occurrence.own_zone_label,
            ),
        )
    if fellowship:
        kind = escaped(fellowship.abbreviation or fellowship.display_name)
    else:
        kind = label(ProgramKind, program.kind, language)
    place = meeting.place
    where = ""
    if place and meeting.is_in_person:
        where = f"<span>{escaped(place.city)}, {escaped(place.state)}</span>"
    starts = escaped(date(occurrence.starts, "c"))
    return mark_safe(  # noqa: S308 (every piece is escaped here or by the helpers)
        f'<li class="occurrence{" is-now" if occurrence.in_progress else ""}">'
        f'<p class="occurrence-when"><strong><time datetime="{starts}">'
        f"{clock(occurrence.start_clock, language)} {escaped(occurrence.zone_label)}"
        f'</time></strong><span class="occurrence-status">{status}</span>{own_zone}</p>'
        f'<p class="occurrence-name"><a href="{escaped(meeting.get_absolute_url())}">'
        f"{escaped(meeting.display_name)}</a></p>"
        f'<p class="occurrence-meta"><span class="tag">{kind}</span>'
        f"{approach_tag(program, 'tag tag-small', language)}"
        f'<span class="tag">{label(Attendance, meeting.attendance, language)}</span>'
        f"{spanish_marker(meeting)}{where}{distance(getattr(meeting, 'distance_miles', None))}"
        f"</p>{meeting_types(meeting, language=language)}</li>"
    )


def service_line(heading, options):
    if not options:
        return ""
    names = ", ".join(escaped(s.display_name) for s in options)
    return f'<p class="card-detail"><strong>{heading}</strong> {names}</p>'


@register.simple_tag
def center_card(center):
    """A treatment centre in a list: peer support, places, care, payment, intake line
    (its care and payment read by models.load_services). Written, and kept, as program_card
    is."""
    kept = center.__dict__.get("card_html")
    if kept is not None:
        return kept
    language = get_language()
    intake = ""
    if center.intake_phone:
        heading = _("Intake:", language)
        intake = (
            f'<p class="card-detail">{heading} <a href="tel:'
            f'{escaped(tel(center.intake_phone))}">{escaped(center.intake_phone)}</a></p>'
        )
    peer = ""
    if center.offers_peer_support:
        offers = _("Offers peer support", language)
        peer = f'<span class="tag tag-strong">{offers}</span>'
    places = " · ".join(f"{escaped(p.city)}, {escaped(p.state)}" for p in center.locations.all())
    care = service_line(_("Care:", language), center.care_list)
    payment = service_line(_("Accepts:", language), center.payment_list)
    pk = int(center.pk)
    return mark_safe(  # noqa: S308 (every piece is escaped here or by the helpers)
        f'<article class="card" aria-labelledby="center-{pk}-name"><h3 class="card-title"'
        f' id="center-{pk}-name"><a href="{escaped(center.get_absolute_url())}">'
        f'{escaped(center.name)}</a></h3><p class="card-meta">{peer}'
        f"{distance(getattr(center, 'distance_miles', None))}</p>"
        f'<p class="card-place">{places}</p>'
        f"{care}{payment}{intake}</article>"
    )


# A program's own page lists each of its meetings with its times and three links; written
# in Python, as the cards are, they cost a tenth of what the template's tags did.


@register.simple_tag
def meeting_when(meeting):
    """The day, times and zone heading a meeting on its program's page."""
    language = get_language()
    start, end = clock(meeting.start_time, language), meeting.end_time
    if end:
        times = fill(_("%(start)s to %(end)s", language), start=start, end=clock(end, language))
    else:
        times = start
    return mark_safe(  # noqa: S308 (escaped by the helpers)
        f'<p class="meeting-when"><strong>{weekday(meeting.weekday, language)}</strong>, '
        f"{times} {escaped(meeting.zone_label)}</p>"
    )


@register.simple_tag
def meeting_actions(meeting, program):
    """The items of a meeting's list of actions on its program's page: add it to a
    calendar, link to it (shared or copied by static/js/meeting.js), report a problem."""
    language = get_language()
    day = weekday(meeting.weekday, language, capital=False)
    time = clock(meeting.start_time, language)
    pk = int(meeting.pk)
    add = fill(
        _('Add to calendar<span class="visually-hidden"> (every %(day)s, %(time)s)</span>'),
        day=day,
        time=time,
    )
    link = fill(
        _('Link to this meeting<span class="visually-hidden"> (%(day)s, %(time)s)</span>'),
        day=day,
        time=time,
    )
    report = fill(
        _(
            'Report a problem<span class="visually-hidden"> with the %(day)s %(time)s '
            "meeting</span>"
        ),
        day=day,
        time=time,
    )
    share, copy = _("Share this meeting", language), _("Copy link to this meeting", language)
    copied = _("Link copied.", language)
    calendar_url = reverse("programs:meeting_ics", args=[program.slug, pk])
    report_url = reverse("programs:report_problem", args=["program", program.slug])
    title = f"{escaped(meeting.display_name)}, {day} {time}"
    indent = "\n              "
    return mark_safe(  # noqa: S308 (escaped here or by the helpers)
        f'{indent}<li><a href="{escaped(calendar_url)}">{add}</a></li>'
        f'{indent}<li><a href="{escaped(meeting.get_absolute_url())}" data-share'
        f' data-share-title="{title}" data-share-label="{escaped(share)}"'
        f' data-copy-label="{escaped(copy)}" data-copied-label="{escaped(copied)}">'
        f"{link}</a></li>"
        f'{indent}<li><a href="{escaped(report_url)}?meeting={pk}">{report}</a></li>{indent}'
    )


@register.simple_tag
def online_meeting_lines(meetings):
    """The lines of a place search's online meetings (programs/program_list.html): each
    meeting's name, day, time and zone, and how to join. Written here, not as a template
    loop: a dozen lines cost more than a millisecond that way."""
    language = get_language()
    # The meetings are those kept for the search (ProgramListView.online_meetings): each
    # keeps its line for the hour, per language (its zone is named as at its next start).
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    lines = []
    for meeting in meetings:
        kept = meeting.__dict__.get("_online_lines")
        if kept is None or kept[0] != hour:
            kept = meeting.__dict__["_online_lines"] = (hour, {})
        line = kept[1].get(language)
        if line is None:
            line = kept[1][language] = (
                '\n            <li class="meeting-line">'
                f'<a href="{escaped(meeting.get_absolute_url())}">{escaped(meeting.display_name)}'
                f"</a> <span>{escaped(meeting.get_weekday_display())} "
                f"{clock(meeting.start_time, language)} {escaped(meeting.zone_label)}</span> "
                f'<span class="meeting-how">{escaped(meeting.get_attendance_display())}</span>'
                "</li>\n          "
            )
        lines.append(line)
    return mark_safe("".join(lines))  # noqa: S308 (each value escaped)
