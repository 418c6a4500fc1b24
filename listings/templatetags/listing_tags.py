import json

from django import template
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..fragments import Kept
from ..fragments import text as _
from ..phone import DialIn, dialable

register = template.Library()

# The same escapes as Django's json_script: nothing in the data can close the <script> tag.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def jsonld(data):
    """schema.org data in a <script type="application/ld+json"> block (a data block: CSP-safe)."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.filter
def map_data(markers):
    """The map's markers for map.js, as compact JSON in a data block (a list page's bytes)."""
    payload = json.dumps(markers, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_ESCAPES
    )
    block = '<script id="map-data" type="application/json">{}</script>'
    return format_html(block, mark_safe(payload))  # noqa: S308


@register.filter
def getlist(query, name):
    """Every value a GET parameter has (request.GET|getlist:"language")."""
    return query.getlist(name)


@register.filter
def tel(number):
    """A tel: URL target: digits and a leading plus, then any pauses and codes written after
    the number ("+16465550100,,123#"), which would otherwise run into it."""
    return DialIn.read(number).one_tap or dialable(number)


@register.filter
def dial_in(phone, notes=""):
    """A meeting's dial-in read with its notes: `.tel` for the number alone, `.one_tap` for the
    number with the meeting ID and passcode dialled after pauses (empty when none is known)."""
    return DialIn.read(phone, notes)


# --- Filter controls ---------------------------------------------------------------------------
#
# List pages render every filter of a form on every request; going through Django's widget
# templates costs milliseconds per page and bytes per option. These controls are written
# out directly, with the same accessible structure: a label or a fieldset and legend, the
# error list tied to the control by aria-describedby, aria-invalid on what was wrong.

# Widget attributes that say something about the value; the rest are presentation.
_KEPT_ATTRS = ("maxlength", "min", "max", "step", "inputmode", "autocomplete")


# Controls as written for a field, a value and a language: a list page writes twenty of
# them, mostly as they were for the last visitor, and the type list alone has some sixty
# options to escape. A filter form's fields are shared by all its forms
# (listings.filters.ListingFilterSet.get_form_class), so the field itself stands in the
# key for everything fixed in code: its label, its attributes and any options listed in
# code, whose labels follow the language. Options read from the database are in the key
# as they read now, so a change to them (a fellowship added) makes a new entry.
_OPTION_KINDS = frozenset(
    ("Select", "SelectMultiple", "RadioSelect", "CheckboxSelectMultiple", "CheckboxMultiple")
)
_written = Kept(1000)


@register.simple_tag
def filter_control(bound):
    field = bound.field
    kind = type(field.widget).__name__
    if bound.errors:
        return _control(bound, kind)
    options = None
    if kind in _OPTION_KINDS and not isinstance(
        getattr(field.choices, "choices", None), list | tuple
    ):
        options = tuple((key, str(label)) for key, label in _options(field))
    value = bound.value()
    key = (
        field,
        kind,
        bound.html_name,
        bound.auto_id,
        get_language(),
        tuple(value) if isinstance(value, list | tuple) else value,
        options,
    )
    return _written.get_or_make(key, lambda: _control(bound, kind, options))


def _control(bound, kind, options=None):
    field, widget = bound.field, bound.field.widget
    if options is None:
        options = _options(field)
    errors, error_id = bound.errors, f"{bound.auto_id}_error"
    described = format_html(' aria-describedby="{}"', error_id) if errors else ""
    invalid = format_html(' aria-invalid="true"{}', described) if errors else ""
    # In a group the fieldset points at the message, as Django's own markup does, so the
    # message is read once rather than at every option.
    option_invalid = mark_safe(' aria-invalid="true"') if errors else ""  # noqa: S308
    error_list = (
        format_html(
            '<ul class="errorlist" id="{}">{}</ul>',
            error_id,
            format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
        )
        if errors
        else ""
    )
    value = bound.value()
    if kind == "HiddenInput":
        # As Django's own widget writes it: no value attribute while there is none.
        shown = format_html(' value="{}"', value) if value not in (None, "") else ""
        return format_html(
            '<input type="hidden" name="{}"{} id="{}">', bound.html_name, shown, bound.auto_id
        )
    if kind in ("CheckboxSelectMultiple", "CheckboxMultiple", "RadioSelect"):
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        input_type = "radio" if kind == "RadioSelect" else "checkbox"
        options = format_html_join(
            "",
            '<label class="option"><input type="{}" name="{}" value="{}"{}{}> {}</label>',
            (
                (
                    input_type,
                    bound.html_name,
                    key,
                    _on(key in chosen, "checked"),
                    option_invalid,
                    label,
                )
                for key, label in options
            ),
        )
        return format_html(
            "<fieldset{}><legend>{}</legend>{}{}</fieldset>",
            described,
            bound.label,
            error_list,
            options,
        )
    if kind == "CheckboxInput":
        return format_html(
            '{}<div class="checkbox-field"><input type="checkbox" name="{}" id="{}"{}{}>'
            '<label for="{}">{}</label></div>',
            error_list,
            bound.html_name,
            bound.auto_id,
            _on(widget.check_test(value), "checked"),
            invalid,
            bound.auto_id,
            bound.label,
        )
    label = format_html('<label for="{}">{}</label>', bound.auto_id, bound.label)
    if kind in ("Select", "SelectMultiple"):
        multiple = kind == "SelectMultiple"
        chosen = (
            {str(v) for v in (value or [])} if multiple else {"" if value is None else str(value)}
        )
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, _on(key in chosen, "selected"), text or _("Any")) for key, text in options),
        )
        return format_html(
            '{}{}<select name="{}" id="{}"{}{}>{}</select>',
            label,
            error_list,
            bound.html_name,
            bound.auto_id,
            _on(multiple, "multiple"),
            invalid,
            options,
        )
    attrs = {**widget.attrs}
    attrs.setdefault("maxlength", getattr(field, "max_length", None))
    extra = format_html_join(
        "", ' {}="{}"', ((k, v) for k, v in attrs.items() if k in _KEPT_ATTRS and v is not None)
    )
    return format_html(
        '{}{}<input type="{}" name="{}" value="{}"{} id="{}"{}>',
        label,
        error_list,
        getattr(widget, "input_type", "text"),
        bound.html_name,
        "" if value in (None, "") else value,
        extra,
        bound.auto_id,
        invalid,
    )


@register.simple_tag
def filter_field(bound):
    """One filter control. Meeting types are short labels, so a link to what they mean
    follows them."""
    control = filter_control(bound)
    if bound.name != "type":
        return control
    return format_html(
        '{}<p class="filter-help"><a href="{}">{}</a></p>',
        control,
        reverse("programs:meeting_types"),
        _("What do these mean?"),
    )


@register.simple_tag
def filter_sections(form, primary, omitted=""):
    """A filter form's fields in the parts the form shows them in: the primary fields (the
    template writes each, "where" with its extras), the hidden ones' controls, and the
    boxes of the rest, behind "More filters", written out here: a dozen fields looped over
    twice in the template cost more than their controls.
    """
    # Names in a string ("q where radius") or a list.
    primary, omitted = (n.split() if isinstance(n, str) else n for n in (primary, omitted))
    shown, more, hidden = [], [], []
    for bound in form:
        if bound.is_hidden:
            hidden.append(filter_control(bound))
        elif bound.name in omitted:
            continue
        elif bound.name in primary:
            shown.append(bound)
        else:
            more.append(
                f'<div class="filter-field filter-{escape(bound.name)}">{filter_field(bound)}</div>'
            )
    return shown, mark_safe("".join(hidden)), mark_safe("".join(more))  # noqa: S308 (escaped)


def _on(condition, attribute):
    return f" {attribute}" if condition else ""


def _options(field):
    for key, label in field.choices:
        key = getattr(key, "value", key)  # ModelChoiceIteratorValue
        # A lazy label is never the blank choice: comparing it would translate it twice.
        blank = isinstance(label, str) and label == "---------"
        yield ("" if key is None else str(key)), ("" if blank else label)


@register.simple_tag(takes_context=True)
def pagination(context):
    """The links to a list's other pages, each keeping the filters chosen.

    Written here rather than as a template with a {% querystring %} per link: that cost
    about half a millisecond of every list page. The numbers shown are the first and last
    pages and those around the current one (Paginator.get_elided_page_range).
    """
    page = context.get("page_obj")
    if page is None or page.paginator.num_pages <= 1:
        return "\n"
    language = get_language()
    before, after = _around_page(context.request.GET)
    hidden = escape(_("Page", language))

    def link(number, attributes=""):
        return f'<a href="?{before}{number}{after}"{attributes}>'

    items = []
    if page.has_previous():
        previous = _('Previous<span class="visually-hidden"> page</span>', language)
        start = link(page.previous_page_number(), ' rel="prev"')
        items.append(f"<li>{start}‹ {previous}</a></li>")
    for number in page.paginator.get_elided_page_range(page.number):
        if number == page.paginator.ELLIPSIS:
            items.append('<li><span aria-hidden="true">…</span></li>')
        else:
            current = ' aria-current="page"' if number == page.number else ""
            items.append(
                f'<li>{link(number, current)}<span class="visually-hidden">{hidden} </span>'
                f"{number}</a></li>"
            )
    if page.has_next():
        following = _('Next<span class="visually-hidden"> page</span>', language)
        start = link(page.next_page_number(), ' rel="next"')
        items.append(f"<li>{start}{following} ›</a></li>")
    label = escape(_("Pages of results", language))
    return mark_safe(  # noqa: S308 (escaped above; the rest is this function's markup)
        f'<nav class="pagination" aria-label="{label}"><ul>{"".join(items)}</ul></nav>\n\n'
    )


def _around_page(query):
    """The query string of a link to another page, escaped for an attribute, split where
    its page number goes: what {% querystring page=n %} writes, for every n at once."""
    params = query.copy()
    # A control character marks the place: none can be in the query itself, which is
    # refused with a 400 before any page is made (RequestInputMiddleware).
    params["page"] = "\x00"
    before, _marker, after = params.urlencode().partition("%00")
    return escape(before), escape(after)
