"""Read the whole sitemap as a crawler does: the index, then every file it lists."""

import re

from django.urls import reverse

LOC = re.compile(r"<loc>([^<]+)</loc>")


def sitemap_text(client):
    index = client.get(reverse("sitemap"))
    assert index.status_code == 200
    parts = []
    for url in LOC.findall(index.content.decode()):
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        parts.append(response.content.decode())
    return "\n".join(parts)
