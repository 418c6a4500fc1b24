"""The opt-in map: markers for a page of results and the CSP allowance for its tiles."""

from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.conf import settings
from django.utils.translation import get_language


def tile_origin():
    parts = urlsplit(settings.MAP_TILE_URL)
    # Tile URL templates may use {s} sub-domains; allow them without opening other hosts.
    host = parts.netloc.replace("{s}.", "*.")
    return f"{parts.scheme}://{host}"


def with_map(view):
    """Allow the tile server's images on this view's pages (and nowhere else)."""

    def wrapped(request, *args, **kwargs):
        return csp_update({"img-src": [tile_origin()]})(view)(request, *args, **kwargs)

    wrapped.__name__ = getattr(view, "__name__", "view")
    wrapped.__doc__ = view.__doc__
    return wrapped


def marker(name, url, location):
    """A marker at the place's searchable position: approximate for confidential places."""
    if location is None or location.search_latitude is None:
        return None
    return {
        "name": name,
        "url": url,
        "lat": round(location.search_latitude, 5),
        "lng": round(location.search_longitude, 5),
        "approximate": location.is_confidential or location.coordinates_approximate,
    }


def markers_for(listings):
    """Markers for programs, treatment centres (every location) or activities.

    A listing's markers are kept on it for each language (its page's address is in the
    language read): a list's rows are kept between requests, and with them their markers.
    """
    # Here, not at the top: fragments reads the listings' version (cache), which wraps
    # views with_map from this module.
    from .fragments import kept_on

    language = get_language()
    out = []
    for listing in listings:
        out += kept_on(listing, "_markers", language, _markers_of)
    return out


def _markers_of(listing):
    url = listing.get_absolute_url()
    places = (
        listing.locations.all()
        if hasattr(listing, "locations")
        else [getattr(listing, "location", None)]
    )
    return [m for m in (marker(listing.name, url, place) for place in places) if m]


def osm_link(lat, lng, zoom=12):
    """Without scripts the map button is a plain link to the same area on OpenStreetMap."""
    return f"https://www.openstreetmap.org/#map={zoom}/{lat:.4f}/{lng:.4f}"


def map_context(listings, place=None):
    markers = markers_for(listings)
    if place is not None and place.found:
        link = osm_link(place.latitude, place.longitude)
    elif markers:
        link = osm_link(markers[0]["lat"], markers[0]["lng"])
    else:
        link = ""
    return {"markers": markers, "map_link": link}


def detail_map(listing, places):
    """A detail page's map: its places, and a directions link for the script-free button."""
    markers, seen = [], set()
    for place in places:
        m = place and place.pk not in seen and marker(listing.name, "", place)
        if m:
            seen.add(place.pk)
            markers.append(m)
    context = map_context([], None)
    context["markers"] = markers
    public = [p for p in places if p and p.has_coordinates and not p.is_confidential]
    if public:
        context["map_link"] = (
            "https://www.openstreetmap.org/directions?to="
            f"{public[0].latitude}%2C{public[0].longitude}"
        )
    elif markers:
        context["map_link"] = osm_link(markers[0]["lat"], markers[0]["lng"])
    return context
