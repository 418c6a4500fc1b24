"""Write a synthetic FindTreatment.gov facility download for benchmarks and manual tests.

    .venv/bin/python tests/benchmarks/make_findtreatment_csv.py 600 > /tmp/ft600.csv
    .venv/bin/python tests/benchmarks/make_findtreatment_csv.py 600 --seed 2 -o /tmp/ft.csv

The file has the export's shape: the 17 facility columns (name1 ... type_facility), then one
0/1 column for each of the 315 service codes the Aug 2025 export carries, in the order of
programs/data/findtreatment-service-codes.csv, with CRLF line ends as the site writes them.
Facilities sit at real ZIP code centres (from the zipcodes package) a little jittered, and
each code is set with a rough real-world frequency, so the mapping sees realistic mixes.

The same N and --seed always give the same file. Like real downloads it is not perfectly
clean: about 10% of facilities are mental-health-only (type_facility MH; the importer skips
them), about 3% have no position (placed at their ZIP code's centre), some websites lack
"https://", and about 1% repeat an earlier facility's name and address with another name2
(the importer rejects the repeat). Use --clean for a file without any of that.

--changed writes the same facilities with every one of them changed a little (a new phone
number, Medicaid and telehealth flipped, moved about 100 m): the file for timing a
re-import that updates every row.

    .venv/bin/python tests/benchmarks/make_findtreatment_csv.py 600 --changed > /tmp/ft600b.csv
"""

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODES_FILE = ROOT / "opendata" / "data" / "findtreatment-service-codes.csv"

FACILITY_COLUMNS = [
    "name1", "name2", "street1", "street2", "city", "state", "zip", "zip4", "county",
    "phone", "intake_prompt", "intake1", "intake2", "website", "latitude", "longitude",
    "type_facility",
]  # fmt: skip

# Share of substance use facilities offering each code; codes not listed get DEFAULT_SHARE.
SU_SHARES = {
    "SA": 1.0, "MH": 0.35, "SUMH": 0.3, "OP": 0.8, "ORT": 0.75, "OIT": 0.3, "ODT": 0.12,
    "RES": 0.25, "RS": 0.18, "RL": 0.15, "HI": 0.05, "HIT": 0.04, "DT": 0.2, "HID": 0.04,
    "RD": 0.08, "OD": 0.1, "HH": 0.08, "OTP": 0.08, "SOTP": 0.08, "MU": 0.1, "METH": 0.1,
    "MM": 0.08, "BU": 0.5, "UB": 0.35, "BWN": 0.35, "BWON": 0.2, "BUM": 0.3, "NU": 0.4,
    "VTRL": 0.3, "NXN": 0.25, "TELE": 0.6, "MD": 0.8, "MC": 0.5, "PI": 0.75, "MI": 0.4,
    "SF": 0.9, "SS": 0.4, "NP": 0.05, "PA": 0.3, "PEER": 0.5, "RC": 0.3, "SHG": 0.4,
    "SP": 0.35, "AH": 0.2, "WN": 0.2, "MN": 0.15, "AD": 0.1, "TAY": 0.2, "SE": 0.15,
    "VET": 0.35, "ADM": 0.1, "MF": 0.1, "PW": 0.25, "CJ": 0.3, "DU": 0.15, "ADLT": 0.95,
    "FEM": 0.9, "MALE": 0.9, "CHLD": 0.1,
}  # fmt: skip
MH_SHARES = {"SA": 0.0, "SUMH": 0.0, "MH": 1.0, "OP": 0.8, "SP": 0.3, "MD": 0.85}
DEFAULT_SHARE = 0.12
LANGUAGE_SHARE = 0.03  # each of the F../N.. language codes

WORDS = ["Hope", "New Beginnings", "Recovery", "Serenity", "Pathways", "Harbor", "Bridge"]
KINDS = ["Treatment Center", "Behavioral Health", "Recovery Services", "Counseling Center"]
NAME2 = ["", "", "", "Outpatient Services", "Adult Services", "Addiction Services"]
STREETS = ["Main Street", "Oak Avenue", "Maple Street", "Center Street", "Park Avenue"]


def export_codes():
    with CODES_FILE.open(encoding="utf-8", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle) if row["in_2025_export"] == "Y"]


def zip_pool():
    import zipcodes

    return sorted(
        (z for z in zipcodes.list_all() if z["active"] and z["zip_code_type"] == "STANDARD"),
        key=lambda z: z["zip_code"],
    )


def facility(rng, place, codes, mental_health_only, clean):
    city = place["city"].title()
    area = (place.get("area_codes") or ["555"])[0]
    phone = f"{area}-555-{rng.randrange(10000):04d}"
    name1 = f"{rng.choice(WORDS)} {rng.choice(KINDS)} of {city}"
    lat = float(place["lat"]) + rng.uniform(-0.02, 0.02)
    lng = float(place["long"]) + rng.uniform(-0.02, 0.02)
    no_position = not clean and rng.random() < 0.03
    slug = name1.lower().replace(" ", "")
    website = f"www.{slug}.org" if not clean and rng.random() < 0.3 else f"https://{slug}.org"
    row = {
        "name1": name1,
        "name2": rng.choice(NAME2),
        "street1": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
        "street2": rng.choice(["", "", f"Suite {rng.randint(100, 400)}"]),
        "city": city,
        "state": place["state"],
        "zip": place["zip_code"],
        "zip4": f"{rng.randrange(10000):04d}" if rng.random() < 0.5 else "",
        "county": place["county"],
        "phone": phone,
        "intake_prompt": "For intake, call" if rng.random() < 0.3 else "",
        "intake1": phone if rng.random() < 0.5 else "",
        "intake2": "",
        "website": website if rng.random() < 0.85 else "",
        "latitude": "" if no_position else f"{lat:.6f}",
        "longitude": "" if no_position else f"{lng:.6f}",
        "type_facility": "MH" if mental_health_only else "SA",
    }
    shares = MH_SHARES if mental_health_only else SU_SHARES
    for code in codes:
        if code in shares:
            share = shares[code]
        elif code[0] in "FN" and code[1:].isdigit():
            share = LANGUAGE_SHARE
        else:
            share = DEFAULT_SHARE
        row[code] = "1" if rng.random() < share else "0"
    return row


def rows(n, seed, clean):
    rng = random.Random(seed)
    codes = export_codes()
    places = zip_pool()
    made = []
    for _ in range(n):
        if made and not clean and rng.random() < 0.01:
            # Real downloads list some facilities twice, differing only in name2.
            twin = dict(rng.choice(made))
            twin["name2"] = "Annex"
            made.append(twin)
            continue
        mental_health_only = not clean and rng.random() < 0.10
        made.append(facility(rng, rng.choice(places), codes, mental_health_only, clean))
    return [*FACILITY_COLUMNS, *codes], made


def changed(row):
    row = dict(row)
    row["phone"] = row["phone"][:-1] + "9"
    for code in ("MD", "TELE"):
        row[code] = "0" if row[code] == "1" else "1"
    if row["latitude"]:
        row["latitude"] = f"{float(row['latitude']) + 0.001:.6f}"
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="Number of facility rows.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="No imperfect rows.")
    parser.add_argument("--changed", action="store_true", help="Change every facility a bit.")
    parser.add_argument("-o", "--output", help="Write here instead of standard output.")
    args = parser.parse_args(argv)
    header, made = rows(args.n, args.seed, args.clean)
    if args.changed:
        made = [changed(row) for row in made]
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            write(out, header, made)
    else:
        write(sys.stdout, header, made)


def write(out, header, made):
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(made)


if __name__ == "__main__":
    main()
