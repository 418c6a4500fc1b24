"""The language switch and hreflang alternates: the same page, in the other language."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


def path_in(language, path):
    """`path` (of a public page, in any language) as it reads in `language`.

    Every public page has the same address in each language apart from the /es/ prefix
    (i18n_patterns with no prefix for English), so the prefix alone is swapped; this also
    works on a 404 page, whose address resolves to nothing.
    """
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"


def _query(request):
    try:
        return f"?{request.GET.urlencode()}" if request.GET else ""
    except Exception:  # noqa: BLE001
        # The page saying the query string could not be read (too many parameters) must
        # not read it again; its switch leads to the page without the query.
        return ""


@register.simple_tag(takes_context=True)
def language_links(context):
    """[{code, name, url, current}] for each language: the switch, with the filters kept."""
    request = context.get("request")
    if request is None:
        return []
    current, query = translation.get_language(), _query(request)
    urls = {code: path_in(code, request.path) + query for code, _name in settings.LANGUAGES}
    return [
        {
            "code": code,
            "name": name,
            "url": urls[code],
            "absolute_url": settings.SITE_URL + urls[code],
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
