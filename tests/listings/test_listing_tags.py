from django import forms
from django.http import QueryDict
from django.utils import translation

from listings.filters import CheckboxMultiple
from listings.templatetags.listing_tags import filter_control
from programs.filters import ProgramFilter


def control(data, choices, widget=forms.Select, field=forms.ChoiceField):
    class Form(forms.Form):
        day = field(label="Day", choices=choices, widget=widget, required=False)

    return filter_control(Form(data)["day"])


DAYS = [("", "---------"), ("1", "Monday"), ("2", "Tuesday")]


def test_a_select_shows_the_value_chosen_each_time():
    assert '<option value="1" selected>' in control({"day": "1"}, DAYS)
    again = control({"day": "2"}, DAYS)
    assert '<option value="2" selected>' in again
    assert '<option value="1">' in again
    assert '<option value="" selected>Any</option>' in control({}, DAYS)


def test_new_options_show_at_once():
    control({}, DAYS)
    grown = control({}, [*DAYS, ("3", "Wednesday")])
    assert '<option value="3">Wednesday</option>' in grown
    renamed = control({}, [("", "---------"), ("1", "Lunes"), ("2", "Tuesday")])
    assert '<option value="1">Lunes</option>' in renamed


def test_a_group_is_written_in_the_page_language():
    choices = [("1", translation.gettext_lazy("Monday"))]
    with translation.override("en"):
        english = control({"day": ["1"]}, choices, CheckboxMultiple, forms.MultipleChoiceField)
    with translation.override("es"):
        spanish = control({"day": ["1"]}, choices, CheckboxMultiple, forms.MultipleChoiceField)
    assert "> Monday</label>" in english
    assert "> lunes</label>" in spanish.lower()
    assert 'value="1" checked>' in spanish


def test_the_blank_choice_is_named_in_the_page_language():
    with translation.override("en"):
        assert '<option value="" selected>Any</option>' in control({}, DAYS)
    with translation.override("es"):
        assert '<option value="" selected>Cualquiera</option>' in control({}, DAYS)


def test_a_group_in_error_is_marked_and_a_later_valid_one_is_not():
    choices = [("1", "Monday"), ("2", "Tuesday")]
    wrong = control({"day": ["9"]}, choices, CheckboxMultiple, forms.MultipleChoiceField)
    assert 'aria-describedby="id_day_error"' in wrong
    assert 'aria-invalid="true"' in wrong
    right = control({"day": ["2"]}, choices, CheckboxMultiple, forms.MultipleChoiceField)
    assert "aria-invalid" not in right
    assert 'value="2" checked>' in right


def program_form(query):
    return ProgramFilter(QueryDict(query)).form


def test_a_shared_field_is_written_for_each_value_and_language():
    # A filter set's forms share their fields; what is kept for one must not leak into the next.
    assert program_form("q=")["q"].field is program_form("q=")["q"].field
    assert 'value="cafe"' in filter_control(program_form("q=cafe")["q"])
    assert 'value="&lt;b&gt;"' in filter_control(program_form("q=<b>")["q"])
    assert 'value=""' in filter_control(program_form("")["q"])
    with translation.override("en"):
        english = filter_control(program_form("kind=sober-living")["kind"])
    with translation.override("es"):
        spanish = filter_control(program_form("kind=sober-living")["kind"])
        unchosen = filter_control(program_form("")["kind"])
    assert "Sober living" in english
    assert "Sober living" not in spanish
    assert 'value="sober-living" checked' in spanish
    assert 'value="sober-living" checked' not in unchosen
