"""Write a realistic, deterministic Meeting Guide feed for timing the importer.

    .venv/bin/python tests/benchmarks/make_meeting_guide_feed.py 2000 > /tmp/feed-2000.json

About three meetings per group and a few groups per venue, as in the large area feeds, with
the quirks real feeds carry sprinkled in at steady rates: numbers and booleans as strings,
day lists and day names, 12-hour times, 24:00, missing or old-style zone names, HTML in
notes, join links only in the notes, unknown and obsolete type codes, missing and repeated
slugs, and a few items no importer can place (by appointment, no address and no link).
"""

import json
import random
import sys

CITIES = [
    ("Columbus", "OH", ["43201", "43204", "43206", "43211", "43215"]),
    ("Cincinnati", "OH", ["45202", "45205", "45220"]),
    ("Cleveland", "OH", ["44102", "44113", "44120"]),
    ("Dayton", "OH", ["45402", "45403", "45410"]),
    ("Toledo", "OH", ["43604", "43609"]),
    ("Akron", "OH", ["44303", "44308"]),
]
STREETS = ["Main St", "High St", "Broad St", "Oak Ave", "Park Ave", "Church St", "Market St"]
TYPES = ["O", "C", "D", "SP", "B", "ST", "TR", "W", "M", "Y", "X", "BE", "LIT", "MED", "S"]
NAMES = ["Serenity", "Hope", "New Day", "Freedom", "Keep It Simple", "Easy Does It", "Promises"]


def feed(n, seed=7):
    rng = random.Random(seed)
    venues = []
    for v in range(max(1, n // 4)):
        city, state, zips = rng.choice(CITIES)
        venues.append(
            {
                "location": f"{rng.choice(['Grace', 'St Paul', 'Unity', 'Trinity'])} Hall {v}",
                "address": f"{100 + v} {rng.choice(STREETS)}",
                "city": city,
                "state": state,
                "postal_code": rng.choice(zips),
            }
        )
    items = []
    for i in range(n):
        group = i // 3
        venue = venues[group % len(venues)]
        item = {
            "name": f"{NAMES[group % len(NAMES)]} Group {group}",
            "slug": f"{NAMES[group % len(NAMES)].lower().replace(' ', '-')}-{group}-{i}",
            "day": rng.randrange(7),
            "time": f"{rng.choice([6, 7, 10, 12, 17, 18, 19, 20])}:{rng.choice(['00', '30'])}",
            "timezone": "America/New_York",
            "types": rng.sample(TYPES, rng.randint(1, 4)),
            "group": f"{NAMES[group % len(NAMES)]} Group {group}",
            "updated": "2026-10-01 12:00:00",
            **venue,
        }
        item["end_time"] = f"{(int(item['time'].split(':')[0]) + 1) % 24:02d}:00"
        roll = rng.random()
        if roll < 0.10:
            item["conference_url"] = f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}"
            item["approximate"] = rng.choice(["no", "yes", False])
            if item["approximate"] in ("yes",):
                item.pop("address")
        quirk = rng.random()
        if quirk < 0.05:
            item["day"] = str(item["day"])
        elif quirk < 0.07:
            item["day"] = [item["day"], (item["day"] + 2) % 7]
        elif quirk < 0.09:
            item["day"] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday"][i % 5]
        elif quirk < 0.12:
            item["time"] = "7:30 PM"
        elif quirk < 0.13:
            item["time"] = "24:00"
        elif quirk < 0.16:
            item.pop("timezone")
        elif quirk < 0.18:
            item["timezone"] = "US/Eastern"
        elif quirk < 0.23:
            item["notes"] = "<p>Meets in the <b>basement</b>.<br>Park at the back &amp; ring.</p>"
        elif quirk < 0.26:
            item["notes"] = f"Join online: https://us02web.zoom.us/j/{rng.randrange(10**9, 10**10)}"
        elif quirk < 0.28:
            item["types"] = [*item["types"], "POTLUCK"]
        elif quirk < 0.30:
            item["types"] = [*item["types"], "ONL"]
        elif quirk < 0.31:
            item["slug"] = items[-1].get("slug", item["slug"]) if items else item["slug"]
        elif quirk < 0.32:
            item.pop("slug")
        elif quirk < 0.325:
            item.pop("day"), item.pop("time")  # by appointment: rejected
        elif quirk < 0.328:
            for key in ("address", "city", "state", "postal_code", "location"):
                item.pop(key, None)  # nowhere to go and no link: rejected
            item.pop("conference_url", None)
        items.append(item)
    return items


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    json.dump(feed(count), sys.stdout, indent=1)
