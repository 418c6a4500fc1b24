"""A hand-written, fictional demo data set for `manage.py seed_demo`.

Everything here is invented for demonstrations and tests: the groups, houses and centres do
not exist, phone numbers sit in the 555-0100..0199 range reserved for fiction, and web
addresses live under example.org. Street names and ZIP codes are real Ohio ones so that maps
and distance searches behave as they would with real listings; house numbers are made up.

The loader looks coordinates and time zones up from the ZIP code, so a venue only names its
ZIP. Meeting days are short day names ("mon"), which the loader reads with
listings.week.DAY_WORDS into Meeting Guide's numbering.
Online groups based outside Ohio name only their home town (a real ZIP code there), as
Meeting Guide feeds do: it sets their meetings' clock, so the next-meetings page has
something in progress or about to start at any hour, from Eastern to Pacific time. Every
program states its approach (12-step, secular, faith-based...).
"""

# Keys are only used to refer to venues from the lists below; a venue is stored once and
# found again on later runs by its name, street, city and state.
VENUES = {
    # --- Columbus ---
    "cbus-downtown": {
        "name": "Broad Street Fellowship Hall",
        "street_address": "412 E Broad St",
        "city": "Columbus",
        "postal_code": "43215",
        "wheelchair_accessible": True,
        "accessibility_notes": "Ramp at the east door; the lift goes to the second floor.",
        "directions": "Use the side door on 5th Street after 6 pm; the room is on floor two.",
    },
    "cbus-short-north": {
        "name": "Short North Community Room",
        "street_address": "1021 N High St",
        "city": "Columbus",
        "postal_code": "43201",
        "wheelchair_accessible": True,
        "directions": "Street-level room behind the coffee shop; metered parking on High St.",
    },
    "cbus-german-village": {
        "name": "Third Street Chapel",
        "street_address": "598 S 3rd St",
        "city": "Columbus",
        "postal_code": "43206",
        "wheelchair_accessible": False,
        "accessibility_notes": "The meeting room is down eight steps and there is no lift.",
    },
    "cbus-clintonville": {
        "name": "Clintonville Community Church, lower hall",
        "street_address": "3160 Indianola Ave",
        "city": "Columbus",
        "postal_code": "43202",
        "wheelchair_accessible": True,
        "accessibility_notes": "Level entrance from the rear car park; accessible restroom.",
    },
    "cbus-hilltop": {
        "name": "Centro Comunitario del Hilltop",
        "street_address": "2835 Sullivant Ave",
        "city": "Columbus",
        "postal_code": "43204",
        "wheelchair_accessible": True,
    },
    "cbus-olde-towne": {
        "name": "Bryden Road Parish House",
        "street_address": "1150 Bryden Rd",
        "city": "Columbus",
        "postal_code": "43205",
        "wheelchair_accessible": True,
        "directions": "Enter through the garden gate; the parlour is the first door on the left.",
    },
    "cbus-bexley": {
        "name": "Main Street Family Center",
        "street_address": "2400 E Main St",
        "city": "Columbus",
        "postal_code": "43209",
        "wheelchair_accessible": True,
    },
    "cbus-south-side": {
        "name": "Southside Recovery Community Center",
        "street_address": "1380 Parsons Ave",
        "city": "Columbus",
        "postal_code": "43207",
        "wheelchair_accessible": True,
        "accessibility_notes": "Automatic doors, accessible restroom and a quiet room.",
    },
    "cbus-linden": {
        "name": "Linden Neighborhood Hub",
        "street_address": "1500 Cleveland Ave",
        "city": "Columbus",
        "postal_code": "43211",
        "wheelchair_accessible": True,
    },
    "cbus-grandview": {
        "name": "Fifth Avenue Wellness Loft",
        "street_address": "1320 W 5th Ave",
        "city": "Columbus",
        "postal_code": "43212",
        "wheelchair_accessible": False,
        "accessibility_notes": "Second-floor studio reached by stairs only.",
    },
    "cbus-mt-vernon": {
        "name": "Mt Vernon Avenue Arts Studio",
        "street_address": "761 Mt Vernon Ave",
        "city": "Columbus",
        "postal_code": "43203",
        "wheelchair_accessible": True,
    },
    "cbus-whetstone": {
        "name": "Whetstone Park, Rose Garden lawn",
        "street_address": "3923 N High St",
        "city": "Columbus",
        "postal_code": "43214",
        "wheelchair_accessible": True,
        "accessibility_notes": "Paved path from the car park to the lawn; bring a mat or chair.",
    },
    "cbus-goodale-park": {
        "name": "Goodale Park gazebo",
        "street_address": "120 W Goodale St",
        "city": "Columbus",
        "postal_code": "43215",
        "wheelchair_accessible": True,
    },
    "cbus-karl-road-lanes": {
        "name": "Karl Road Lanes",
        "street_address": "4500 Karl Rd",
        "city": "Columbus",
        "postal_code": "43224",
        "wheelchair_accessible": True,
    },
    "cbus-parsons-club": {
        "name": "Parsons Avenue Fellowship Club",
        "street_address": "1120 Parsons Ave",
        "city": "Columbus",
        "postal_code": "43206",
        "wheelchair_accessible": True,
        "directions": "After 10 pm the front door is locked; ring the bell at the side door.",
    },
    # --- Cincinnati ---
    "cin-otr": {
        "name": "Vine Street Fellowship Room",
        "street_address": "1525 Vine St",
        "city": "Cincinnati",
        "postal_code": "45202",
        "wheelchair_accessible": True,
    },
    "cin-northside": {
        "name": "Northside Neighborhood House",
        "street_address": "4165 Hamilton Ave",
        "city": "Cincinnati",
        "postal_code": "45223",
        "wheelchair_accessible": True,
        "directions": "Meetings are in the back room; follow the coffee smell.",
    },
    "cin-clifton": {
        "name": "Ludlow Avenue Meeting Room",
        "street_address": "340 Ludlow Ave",
        "city": "Cincinnati",
        "postal_code": "45220",
        "wheelchair_accessible": True,
    },
    "cin-walnut-hills": {
        "name": "McMillan Street Church Hall",
        "street_address": "920 E McMillan St",
        "city": "Cincinnati",
        "postal_code": "45206",
        "wheelchair_accessible": False,
        "accessibility_notes": "Six steps up to the door; volunteers bring out a portable ramp.",
    },
    "cin-queen-city-hub": {
        "name": "Queen City Recovery Hub",
        "street_address": "1730 Central Pkwy",
        "city": "Cincinnati",
        "postal_code": "45214",
        "wheelchair_accessible": True,
    },
    "cin-hyde-park": {
        "name": "Erie Avenue Wellness Room",
        "street_address": "3500 Erie Ave",
        "city": "Cincinnati",
        "postal_code": "45208",
        "wheelchair_accessible": True,
    },
    "cin-price-hill": {
        "name": "Glenway Community Room",
        "street_address": "3600 Glenway Ave",
        "city": "Cincinnati",
        "postal_code": "45205",
        "wheelchair_accessible": True,
    },
    "cin-eden-park": {
        "name": "Eden Park overlook pavilion",
        "street_address": "950 Eden Park Dr",
        "city": "Cincinnati",
        "postal_code": "45202",
        "wheelchair_accessible": True,
    },
    # --- Dayton ---
    "day-oregon": {
        "name": "Oregon District Community Room",
        "street_address": "520 E 5th St",
        "city": "Dayton",
        "postal_code": "45402",
        "wheelchair_accessible": True,
    },
    "day-wayne": {
        "name": "Wayne Avenue Fellowship Hall",
        "street_address": "1230 Wayne Ave",
        "city": "Dayton",
        "postal_code": "45410",
        "wheelchair_accessible": True,
    },
    "day-north-main": {
        "name": "North Main Church Annex",
        "street_address": "2300 N Main St",
        "city": "Dayton",
        "postal_code": "45405",
        "wheelchair_accessible": False,
        "accessibility_notes": "Older building with a step at the entrance and narrow halls.",
    },
    "day-gem-city": {
        "name": "Gem City Recovery Community Center",
        "street_address": "800 E 3rd St",
        "city": "Dayton",
        "postal_code": "45403",
        "wheelchair_accessible": True,
    },
    "day-belmont": {
        "name": "Belmont Celebration Church",
        "street_address": "2700 Wilmington Ave",
        "city": "Dayton",
        "postal_code": "45420",
        "wheelchair_accessible": True,
        "directions": "Childcare is in the west wing; the large group meets in the sanctuary.",
    },
    "day-riverscape": {
        "name": "RiverScape MetroPark pavilion",
        "street_address": "237 E Monument Ave",
        "city": "Dayton",
        "postal_code": "45402",
        "wheelchair_accessible": True,
    },
    # --- Cleveland, Toledo, Akron ---
    "cle-ohio-city": {
        "name": "Lorain Avenue Church Hall",
        "street_address": "2800 Lorain Ave",
        "city": "Cleveland",
        "postal_code": "44113",
        "wheelchair_accessible": True,
    },
    "cle-midtown": {
        "name": "Euclid Avenue Community Stage",
        "street_address": "4700 Euclid Ave",
        "city": "Cleveland",
        "postal_code": "44103",
        "wheelchair_accessible": True,
    },
    "tol-old-west-end": {
        "name": "Collingwood Candlelight Room",
        "street_address": "2200 Collingwood Blvd",
        "city": "Toledo",
        "postal_code": "43620",
        "wheelchair_accessible": False,
    },
    "tol-glass-city": {
        "name": "Glass City Peer Recovery Center",
        "street_address": "1700 Adams St",
        "city": "Toledo",
        "postal_code": "43604",
        "wheelchair_accessible": True,
    },
    "akr-highland": {
        "name": "Highland Square Community Room",
        "street_address": "800 W Market St",
        "city": "Akron",
        "postal_code": "44303",
        "wheelchair_accessible": True,
    },
    "akr-rubber-city": {
        "name": "Rubber City Recovery Commons",
        "street_address": "430 E Exchange St",
        "city": "Akron",
        "postal_code": "44308",
        "wheelchair_accessible": True,
    },
    "akr-towpath": {
        "name": "Cascade Locks trailhead",
        "street_address": "57 W North St",
        "city": "Akron",
        "postal_code": "44308",
        "wheelchair_accessible": False,
        "accessibility_notes": "Crushed-gravel trail with a few short slopes.",
    },
    # --- Home towns of online groups based elsewhere: no room, only the town and its clock ---
    "town-chicago": {
        "name": "",
        "street_address": "",
        "city": "Chicago",
        "state": "IL",
        "postal_code": "60601",
    },
    "town-denver": {
        "name": "",
        "street_address": "",
        "city": "Denver",
        "state": "CO",
        "postal_code": "80202",
    },
    "town-phoenix": {
        "name": "",
        "street_address": "",
        "city": "Phoenix",
        "state": "AZ",
        "postal_code": "85004",
    },
    "town-los-angeles": {
        "name": "",
        "street_address": "",
        "city": "Los Angeles",
        "state": "CA",
        "postal_code": "90012",
    },
    # --- Sober living homes: the public only ever sees the town ---
    "home-maple": {
        "name": "Maple House",
        "street_address": "1180 E 17th Ave",
        "city": "Columbus",
        "postal_code": "43211",
        "is_confidential": True,
        "wheelchair_accessible": True,
    },
    "home-prism": {
        "name": "Prism House",
        "street_address": "1400 Fair Ave",
        "city": "Columbus",
        "postal_code": "43205",
        "is_confidential": True,
        "wheelchair_accessible": False,
    },
    "home-hollyhock": {
        "name": "Hollyhock House",
        "street_address": "2450 Park Ave",
        "city": "Cincinnati",
        "postal_code": "45206",
        "is_confidential": True,
        "wheelchair_accessible": False,
    },
    "home-oak-hill": {
        "name": "Oak Hill House",
        "street_address": "1900 Salem Ave",
        "city": "Dayton",
        "postal_code": "45406",
        "is_confidential": True,
        "wheelchair_accessible": True,
    },
    "home-second-wind": {
        "name": "Second Wind House",
        "street_address": "3300 Fulton Rd",
        "city": "Cleveland",
        "postal_code": "44102",
        "is_confidential": True,
        "wheelchair_accessible": False,
    },
    "home-cascade": {
        "name": "Cascade Commons",
        "street_address": "1100 Copley Rd",
        "city": "Akron",
        "postal_code": "44320",
        "is_confidential": True,
        "wheelchair_accessible": True,
    },
    # --- Treatment centre sites ---
    "brh-columbus": {
        "name": "Buckeye Recovery Health – Columbus",
        "street_address": "2200 N High St",
        "city": "Columbus",
        "postal_code": "43201",
        "wheelchair_accessible": True,
    },
    "brh-dayton": {
        "name": "Buckeye Recovery Health – Dayton",
        "street_address": "1400 Wayne Ave",
        "city": "Dayton",
        "postal_code": "45410",
        "wheelchair_accessible": True,
    },
    "brh-cincinnati": {
        "name": "Buckeye Recovery Health – Avondale",
        "street_address": "3100 Reading Rd",
        "city": "Cincinnati",
        "postal_code": "45229",
        "wheelchair_accessible": True,
    },
    "rts-cincinnati": {
        "name": "Riverbend Treatment Services – Corryville",
        "street_address": "2500 Burnet Ave",
        "city": "Cincinnati",
        "postal_code": "45219",
        "wheelchair_accessible": True,
    },
    "rts-dayton": {
        "name": "Riverbend Treatment Services – Salem Avenue",
        "street_address": "3300 Salem Ave",
        "city": "Dayton",
        "postal_code": "45406",
        "wheelchair_accessible": True,
    },
    "mvrp-dayton": {
        "name": "Miami Valley Recovery Partners",
        "street_address": "1000 Xenia Ave",
        "city": "Dayton",
        "postal_code": "45410",
        "wheelchair_accessible": True,
    },
    "mvrp-columbus": {
        "name": "Miami Valley Recovery Partners – Northland",
        "street_address": "2150 Morse Rd",
        "city": "Columbus",
        "postal_code": "43229",
        "wheelchair_accessible": True,
    },
    "lbh-cleveland": {
        "name": "Lakeshore Behavioral Health – Midtown",
        "street_address": "4500 Euclid Ave",
        "city": "Cleveland",
        "postal_code": "44103",
        "wheelchair_accessible": True,
    },
    "lbh-toledo": {
        "name": "Lakeshore Behavioral Health – Toledo",
        "street_address": "2600 Monroe St",
        "city": "Toledo",
        "postal_code": "43620",
        "wheelchair_accessible": True,
    },
    "lbh-akron": {
        "name": "Lakeshore Behavioral Health – Akron",
        "street_address": "1200 S Main St",
        "city": "Akron",
        "postal_code": "44311",
        "wheelchair_accessible": True,
    },
    "ndw-columbus": {
        "name": "New Dawn Women's Treatment – Parsons Avenue",
        "street_address": "1700 Parsons Ave",
        "city": "Columbus",
        "postal_code": "43207",
        "wheelchair_accessible": True,
    },
    "ndw-cincinnati": {
        "name": "New Dawn Women's Treatment – Walnut Hills",
        "street_address": "2900 Gilbert Ave",
        "city": "Cincinnati",
        "postal_code": "45206",
        "wheelchair_accessible": True,
    },
    "ovot-cincinnati": {
        "name": "Ohio Valley Opioid Treatment – West End",
        "street_address": "1400 Central Pkwy",
        "city": "Cincinnati",
        "postal_code": "45214",
        "wheelchair_accessible": True,
    },
    "ovot-dayton": {
        "name": "Ohio Valley Opioid Treatment – North Dayton",
        "street_address": "2000 N Main St",
        "city": "Dayton",
        "postal_code": "45405",
        "wheelchair_accessible": True,
    },
    "ovot-columbus": {
        "name": "Ohio Valley Opioid Treatment – Franklinton",
        "street_address": "1600 W Broad St",
        "city": "Columbus",
        "postal_code": "43222",
        "wheelchair_accessible": True,
    },
    "cyr-columbus": {
        "name": "Crossroads Youth Recovery – Columbus",
        "street_address": "4200 Cleveland Ave",
        "city": "Columbus",
        "postal_code": "43224",
        "wheelchair_accessible": True,
    },
    "cyr-akron": {
        "name": "Crossroads Youth Recovery – Akron",
        "street_address": "1500 Copley Rd",
        "city": "Akron",
        "postal_code": "44320",
        "wheelchair_accessible": True,
    },
    "spr-akron": {
        "name": "Summit Path Recovery – Akron",
        "street_address": "700 E Market St",
        "city": "Akron",
        "postal_code": "44305",
        "wheelchair_accessible": True,
    },
    "spr-cleveland": {
        "name": "Summit Path Recovery – Detroit Shoreway",
        "street_address": "3800 Detroit Ave",
        "city": "Cleveland",
        "postal_code": "44113",
        "wheelchair_accessible": False,
        "accessibility_notes": "Historic building; the ground-floor office is reachable by ramp.",
    },
    "csc-columbus": {
        "name": "Clear Sky Recovery Clinic – Olde Towne East",
        "street_address": "1400 E Main St",
        "city": "Columbus",
        "postal_code": "43205",
        "wheelchair_accessible": True,
    },
    "csc-toledo": {
        "name": "Clear Sky Recovery Clinic – Toledo",
        "street_address": "3200 Sylvania Ave",
        "city": "Toledo",
        "postal_code": "43613",
        "wheelchair_accessible": True,
    },
    "hwm-dayton": {
        "name": "Heartland Withdrawal Management – Dayton",
        "street_address": "500 S Main St",
        "city": "Dayton",
        "postal_code": "45402",
        "wheelchair_accessible": True,
    },
    "hwm-columbus": {
        "name": "Heartland Withdrawal Management – Columbus",
        "street_address": "600 E Livingston Ave",
        "city": "Columbus",
        "postal_code": "43205",
        "wheelchair_accessible": True,
    },
    "mrr-toledo": {
        "name": "Maumee River Recovery Center",
        "street_address": "1900 Broadway St",
        "city": "Toledo",
        "postal_code": "43609",
        "wheelchair_accessible": True,
    },
    "mrr-cleveland": {
        "name": "Maumee River Recovery Center – Cleveland",
        "street_address": "2500 W 25th St",
        "city": "Cleveland",
        "postal_code": "44113",
        "wheelchair_accessible": True,
    },
}

# Codes refer to ServiceOption.code, Audience.slug and Language.code rows seeded by migration.
CENTERS = [
    {
        "slug": "buckeye-recovery-health",
        "name": "Buckeye Recovery Health",
        "description": (
            "A nonprofit with three sites offering everything from a few days of medically "
            "supervised detox to evening outpatient groups. Peer recovery coaches meet every "
            "new patient and stay in touch after discharge."
        ),
        "website": "https://example.org/buckeye-recovery-health",
        "email": "intake@buckeye-recovery.example.org",
        "intake_phone": "614-555-0150",
        "hotline_phone": "614-555-0151",
        "venues": ["brh-columbus", "brh-dayton", "brh-cincinnati"],
        "levels": ["detox", "residential", "iop", "outpatient", "mat"],
        "medications": ["buprenorphine", "naltrexone"],
        "payments": ["medicaid", "medicare", "private-insurance", "self-pay"],
        "populations": ["women", "veterans", "young-people"],
        "languages": ["en", "es"],
        "peer_support": True,
        "verified_days_ago": 18,
    },
    {
        "slug": "riverbend-treatment-services",
        "name": "Riverbend Treatment Services",
        "description": (
            "Outpatient and intensive outpatient care with same-week appointments. Riverbend "
            "prescribes buprenorphine in the office and by video visit, and keeps evening hours "
            "for people who work days."
        ),
        "website": "https://example.org/riverbend",
        "email": "hello@riverbend.example.org",
        "intake_phone": "513-555-0150",
        "hotline_phone": "513-555-0151",
        "venues": ["rts-cincinnati", "rts-dayton"],
        "levels": ["iop", "outpatient", "obot", "telehealth"],
        "medications": ["buprenorphine", "naltrexone"],
        "payments": ["medicaid", "private-insurance", "sliding-scale"],
        "populations": ["lgbtq", "justice-involved"],
        "languages": ["en"],
        "peer_support": True,
        "verified_days_ago": 44,
    },
    {
        "slug": "miami-valley-recovery-partners",
        "name": "Miami Valley Recovery Partners",
        "description": (
            "Day treatment and intensive outpatient programs with a track for veterans and "
            "another for adults over 55. Family sessions are included at no extra charge."
        ),
        "website": "https://example.org/miami-valley-recovery",
        "email": "admissions@mvrp.example.org",
        "intake_phone": "937-555-0150",
        "hotline_phone": "937-555-0151",
        "venues": ["mvrp-dayton", "mvrp-columbus"],
        "levels": ["php", "iop", "outpatient"],
        "medications": ["naltrexone"],
        "payments": ["private-insurance", "medicare", "tricare"],
        "populations": ["veterans", "seniors"],
        "languages": ["en"],
        "peer_support": True,
        "verified_days_ago": 95,
    },
    {
        "slug": "lakeshore-behavioral-health",
        "name": "Lakeshore Behavioral Health",
        "description": (
            "Residential and hospital-level programs across northern Ohio, including a "
            "confidential track for nurses, doctors and pharmacists. Arabic-speaking "
            "counsellors work at the Toledo site."
        ),
        "website": "https://example.org/lakeshore-behavioral",
        "email": "care@lakeshore.example.org",
        "intake_phone": "216-555-0150",
        "hotline_phone": "216-555-0151",
        "venues": ["lbh-cleveland", "lbh-toledo", "lbh-akron"],
        "levels": ["detox", "residential", "php", "iop"],
        "medications": ["buprenorphine", "naltrexone"],
        "payments": ["medicaid", "medicare", "private-insurance"],
        "populations": ["men", "women", "professionals"],
        "languages": ["en", "ar"],
        "peer_support": True,
        "verified_days_ago": 130,
    },
    {
        "slug": "new-dawn-womens-treatment",
        "name": "New Dawn Women's Treatment",
        "description": (
            "Treatment designed with and for women, including pregnant women and new mothers. "
            "Children up to five can stay with their mother in the residential program."
        ),
        "website": "https://example.org/new-dawn",
        "email": "welcome@newdawn.example.org",
        "intake_phone": "614-555-0152",
        "hotline_phone": "614-555-0153",
        "venues": ["ndw-columbus", "ndw-cincinnati"],
        "levels": ["residential", "iop", "outpatient", "mat"],
        "medications": ["buprenorphine", "methadone"],
        "payments": ["medicaid", "sliding-scale", "free"],
        "populations": ["women", "pregnant-postpartum", "families"],
        "languages": ["en", "es"],
        "peer_support": True,
        "verified_days_ago": 12,
    },
    {
        "slug": "ohio-valley-opioid-treatment",
        "name": "Ohio Valley Opioid Treatment",
        "description": (
            "An opioid treatment program dispensing methadone daily and prescribing "
            "buprenorphine and naltrexone. Walk-in intake runs weekday mornings until 10."
        ),
        "website": "https://example.org/ohio-valley-otp",
        "email": "frontdesk@ovot.example.org",
        "intake_phone": "513-555-0152",
        "hotline_phone": "513-555-0153",
        "venues": ["ovot-cincinnati", "ovot-dayton", "ovot-columbus"],
        "levels": ["mat", "outpatient", "obot"],
        "medications": ["methadone", "buprenorphine", "naltrexone"],
        "payments": ["medicaid", "medicare", "self-pay", "sliding-scale"],
        "populations": ["justice-involved"],
        "languages": ["en", "es", "so"],
        "peer_support": True,
        "verified_days_ago": 60,
    },
    {
        "slug": "crossroads-youth-recovery",
        "name": "Crossroads Youth Recovery",
        "description": (
            "After-school intensive outpatient care for teenagers and young adults up to 25, "
            "with a weekly group for parents. Sessions can be joined by video on snow days."
        ),
        "website": "https://example.org/crossroads-youth",
        "email": "team@crossroads-youth.example.org",
        "intake_phone": "614-555-0154",
        "hotline_phone": "614-555-0155",
        "venues": ["cyr-columbus", "cyr-akron"],
        "levels": ["iop", "outpatient", "telehealth"],
        "medications": ["naltrexone"],
        "payments": ["medicaid", "private-insurance"],
        "populations": ["young-people", "families"],
        "languages": ["en"],
        "peer_support": True,
        "verified_days_ago": 210,
    },
    {
        "slug": "summit-path-recovery",
        "name": "Summit Path Recovery",
        "description": (
            "A residential program with step-down transitional housing, started by two Army "
            "veterans. TRICARE is accepted and staff know the VA referral process well."
        ),
        "website": "https://example.org/summit-path",
        "email": "admissions@summitpath.example.org",
        "intake_phone": "330-555-0150",
        "hotline_phone": "330-555-0151",
        "venues": ["spr-akron", "spr-cleveland"],
        "levels": ["residential", "transitional-housing", "iop"],
        "medications": ["buprenorphine"],
        "payments": ["private-insurance", "tricare", "self-pay"],
        "populations": ["veterans", "men"],
        "languages": ["en"],
        "peer_support": False,
        "verified_days_ago": 420,
    },
    {
        "slug": "clear-sky-recovery-clinic",
        "name": "Clear Sky Recovery Clinic",
        "description": (
            "A small primary-care style clinic for opioid and alcohol use disorders. Most "
            "follow-up visits happen by phone or video, and the staff are openly LGBTQ+ "
            "affirming."
        ),
        "website": "https://example.org/clear-sky",
        "email": "visits@clearsky.example.org",
        "intake_phone": "614-555-0156",
        "hotline_phone": "614-555-0157",
        "venues": ["csc-columbus", "csc-toledo"],
        "levels": ["obot", "telehealth", "outpatient"],
        "medications": ["buprenorphine", "naltrexone"],
        "payments": ["medicaid", "medicare", "private-insurance", "sliding-scale"],
        "populations": ["lgbtq"],
        "languages": ["en", "es"],
        "peer_support": True,
        "verified_days_ago": 33,
    },
    {
        "slug": "heartland-withdrawal-management",
        "name": "Heartland Withdrawal Management",
        "description": (
            "Around-the-clock medically monitored withdrawal, usually three to seven days, "
            "followed by a warm hand-off to a longer program of your choice."
        ),
        "website": "https://example.org/heartland-detox",
        "email": "beds@heartland.example.org",
        "intake_phone": "937-555-0152",
        "hotline_phone": "937-555-0153",
        "venues": ["hwm-dayton", "hwm-columbus"],
        "levels": ["detox", "residential"],
        "medications": ["buprenorphine"],
        "payments": ["medicaid", "private-insurance", "self-pay"],
        "populations": ["men", "women"],
        "languages": ["en"],
        "peer_support": False,
        "verified_days_ago": 75,
    },
    {
        "slug": "maumee-river-recovery-center",
        "name": "Maumee River Recovery Center",
        "description": (
            "Medication treatment and outpatient counselling, plus a few transitional beds for "
            "people leaving jail or prison. Nobody is turned away for inability to pay."
        ),
        "website": "https://example.org/maumee-river",
        "email": "intake@maumeeriver.example.org",
        "intake_phone": "419-555-0150",
        "hotline_phone": "419-555-0151",
        "venues": ["mrr-toledo", "mrr-cleveland"],
        "levels": ["iop", "outpatient", "mat", "transitional-housing"],
        "medications": ["methadone", "buprenorphine"],
        "payments": ["medicaid", "free", "sliding-scale"],
        "populations": ["justice-involved", "veterans"],
        "languages": ["en", "es"],
        "peer_support": True,
        "verified_days_ago": 150,
    },
]

_ZOOM = "https://zoom.us/j/"


def every_day(start, end, types, **details):
    """The same meeting on each day of the week, as many online and late-night groups hold."""
    days = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
    return [{"day": day, "start": start, "end": end, "types": types, **details} for day in days]


# Meetings: day, start, end (24-hour, local to the venue) and Meeting Guide type codes. A
# meeting without "venue" uses its program's place; online meetings carry "url"/"phone".
PROGRAMS = [
    # --- 12-step groups ---
    {
        "slug": "downtown-early-birds",
        "name": "Downtown Early Birds",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-downtown",
        "description": (
            "A coffee-and-conversation AA group that meets before the workday starts, and over "
            "breakfast at weekends. Newcomers are welcome to simply listen, and someone always "
            "stays after to talk."
        ),
        "phone": "614-555-0101",
        "website": "https://example.org/downtown-early-birds",
        "verified_days_ago": 30,
        "meetings": [
            {"day": "mon", "start": "07:00", "end": "08:00", "types": "O D X"},
            {"day": "tue", "start": "07:00", "end": "08:00", "types": "O BE X"},
            {"day": "wed", "start": "07:00", "end": "08:00", "types": "O DR X"},
            {"day": "thu", "start": "07:00", "end": "08:00", "types": "O D X"},
            {"day": "fri", "start": "07:00", "end": "08:00", "types": "O D X"},
            {"day": "sat", "start": "08:00", "end": "09:00", "types": "O BRK X"},
            {"day": "sun", "start": "08:00", "end": "09:00", "types": "O BRK X"},
        ],
    },
    {
        "slug": "short-north-sunset-group",
        "name": "Short North Sunset Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-short-north",
        "description": (
            "An evening AA group with a relaxed, welcoming feel and plenty of people in their "
            "first year. Sunday's late meeting eases people into the week, and Saturday's "
            "speaker meeting is also streamed for those who can't come."
        ),
        "phone": "614-555-0102",
        "email": "sunset.group@example.org",
        "website": "https://example.org/short-north-sunset",
        "verified_days_ago": 9,
        "meetings": [
            {"day": "sun", "start": "21:00", "end": "22:00", "types": "O D X"},
            {"day": "tue", "start": "19:30", "end": "20:30", "types": "O D X"},
            {"day": "thu", "start": "19:30", "end": "20:30", "types": "O B X"},
            {
                "day": "sat",
                "start": "20:00",
                "end": "21:00",
                "types": "O SP H X",
                "attendance": "hybrid",
                "url": _ZOOM + "81455501021",
                "url_notes": "Passcode: sunset",
            },
        ],
    },
    {
        "slug": "clintonville-big-book-group",
        "name": "Clintonville Big Book Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-clintonville",
        "description": (
            "We read a few pages of the Big Book aloud and talk about how they apply today. "
            "Wednesday's meeting works through the Twelve and Twelve and can be joined online."
        ),
        "phone": "614-555-0103",
        "website": "https://example.org/clintonville-big-book",
        "verified_days_ago": 64,
        "meetings": [
            {"day": "mon", "start": "19:00", "end": "20:00", "types": "O B X"},
            {
                "day": "wed",
                "start": "19:00",
                "end": "20:00",
                "types": "O 12x12 X",
                "attendance": "hybrid",
                "url": _ZOOM + "82055501032",
                "phone": "646-555-0132",
                "phone_notes": "Meeting ID 820 5550 1032",
            },
        ],
    },
    {
        "slug": "german-village-serenity-group",
        "name": "German Village Serenity Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-german-village",
        "description": (
            "A small, long-running AA group in a brick chapel. Sunday is an open discussion; "
            "Friday brings in a speaker from around central Ohio."
        ),
        "phone": "614-555-0104",
        "verified_days_ago": 120,
        "meetings": [
            {"day": "sun", "start": "19:00", "end": "20:00", "types": "O D"},
            {"day": "fri", "start": "20:00", "end": "21:00", "types": "O SP"},
        ],
    },
    {
        "slug": "grupo-nueva-vida-aa",
        "name": "Grupo Nueva Vida",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-hilltop",
        "description": (
            "A Spanish-speaking AA group on the Hilltop. Meetings are held entirely in Spanish "
            "and families are welcome at the open ones."
        ),
        "languages": ["es"],
        "phone": "614-555-0105",
        "verified_days_ago": 45,
        "meetings": [
            {"day": "tue", "start": "20:00", "end": "21:30", "types": "O S D X"},
            {"day": "fri", "start": "20:00", "end": "21:30", "types": "C S X"},
            {"day": "sun", "start": "17:00", "end": "18:30", "types": "O S SP X"},
        ],
    },
    {
        "slug": "over-the-rhine-noon-group",
        "name": "Over-the-Rhine Noon Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cin-otr",
        "description": (
            "A lunchtime AA meeting for people who work downtown, or who simply need a "
            "meeting in the middle of the day. Bring your lunch; we finish on time."
        ),
        "phone": "513-555-0101",
        "website": "https://example.org/otr-noon",
        "verified_days_ago": 22,
        "meetings": [
            {"day": "mon", "start": "12:00", "end": "13:00", "types": "O D X"},
            {"day": "wed", "start": "12:00", "end": "13:00", "types": "O D X"},
            {"day": "thu", "start": "12:00", "end": "13:00", "types": "C ST X"},
            {"day": "fri", "start": "12:00", "end": "13:00", "types": "O LIT X"},
        ],
    },
    {
        "slug": "northside-young-peoples-aa",
        "name": "Northside Young People's Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cin-northside",
        "description": (
            "Late-night AA with a younger crowd, mostly in their twenties and thirties. Anyone "
            "who wants to stop drinking is welcome, whatever their age."
        ),
        "audiences": ["young-people"],
        "phone": "513-555-0102",
        "verified_days_ago": 81,
        "meetings": [
            {"day": "wed", "start": "21:00", "end": "22:00", "types": "C Y D X"},
            {"day": "sat", "start": "21:00", "end": "22:00", "types": "O Y SP X"},
        ],
    },
    {
        "slug": "oregon-district-womens-aa",
        "name": "Oregon District Women's Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "day-oregon",
        "description": (
            "An AA group run by and for women. Tuesday is a closed discussion; Sunday morning's "
            "speaker meeting is open to anyone curious about AA."
        ),
        "audiences": ["women"],
        "phone": "937-555-0101",
        "verified_days_ago": 37,
        "meetings": [
            {"day": "tue", "start": "18:30", "end": "19:30", "types": "C W D X"},
            {"day": "sun", "start": "10:00", "end": "11:00", "types": "O W SP X"},
        ],
    },
    {
        "slug": "dayton-mens-step-study",
        "name": "Dayton Men's Step Study",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "day-north-main",
        "description": (
            "Men working the steps together, one step a month on Thursdays, with an early "
            "Monday discussion to start the week steady."
        ),
        "audiences": ["men"],
        "phone": "937-555-0102",
        "verified_days_ago": 400,
        "meetings": [
            {"day": "mon", "start": "06:30", "end": "07:30", "types": "O M D"},
            {"day": "thu", "start": "19:00", "end": "20:30", "types": "C M ST"},
        ],
    },
    {
        "slug": "ohio-city-lunch-bunch",
        "name": "Ohio City Lunch Bunch",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cle-ohio-city",
        "description": (
            "A fifty-minute AA discussion over lunch near the West Side Market. The Thursday "
            "meeting is paused while the church hall is repaired."
        ),
        "phone": "216-555-0101",
        "verified_days_ago": 150,
        "meetings": [
            {"day": "tue", "start": "12:10", "end": "13:00", "types": "O D X"},
            {
                "day": "thu",
                "start": "12:10",
                "end": "13:00",
                "types": "O D TC",
                "closed": True,
                "notes": "The hall is closed for roof repairs; join the Tuesday meeting meanwhile.",
            },
        ],
    },
    {
        "slug": "old-west-end-candlelight-aa",
        "name": "Old West End Candlelight Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "tol-old-west-end",
        "description": (
            "A quiet, candlelit AA meeting for night owls and anyone who finds the evenings "
            "hardest. Coffee is decaf after nine."
        ),
        "phone": "419-555-0101",
        "verified_days_ago": 200,
        "meetings": [
            {"day": "wed", "start": "22:00", "end": "23:00", "types": "O CAN D"},
            {"day": "sat", "start": "22:00", "end": "23:00", "types": "O CAN SP"},
        ],
    },
    {
        "slug": "clean-and-serene-na-columbus",
        "name": "Clean and Serene",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "venue": "cbus-linden",
        "description": (
            "A Narcotics Anonymous group in Linden that puts newcomers first: Monday's meeting "
            "is built around questions from people who are new to NA."
        ),
        "phone": "614-555-0106",
        "website": "https://example.org/clean-and-serene",
        "verified_days_ago": 15,
        "meetings": [
            {"day": "mon", "start": "20:00", "end": "21:00", "types": "O BE X"},
            {"day": "thu", "start": "20:00", "end": "21:00", "types": "C D X"},
            {"day": "sat", "start": "12:00", "end": "13:00", "types": "O LIT X"},
        ],
    },
    {
        "slug": "just-for-today-na-cincinnati",
        "name": "Just for Today",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "venue": "cin-walnut-hills",
        "description": (
            "An NA group in Walnut Hills that reads from the daily meditation book before "
            "sharing. Sunday's meeting can be joined by phone or video."
        ),
        "phone": "513-555-0103",
        "verified_days_ago": 50,
        "meetings": [
            {"day": "tue", "start": "19:00", "end": "20:00", "types": "O D"},
            {"day": "fri", "start": "19:00", "end": "20:00", "types": "C ST"},
            {
                "day": "sun",
                "start": "19:00",
                "end": "20:00",
                "types": "O D",
                "attendance": "hybrid",
                "url": _ZOOM + "83155501033",
                "phone": "646-555-0133",
                "phone_notes": "Meeting ID 831 5550 1033, passcode 2024",
            },
        ],
    },
    {
        "slug": "gem-city-miracles-na",
        "name": "Gem City Miracles",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "venue": "day-wayne",
        "description": (
            "A lively NA group in Dayton with a speaker every Saturday night and fellowship "
            "afterwards at the diner down the street."
        ),
        "phone": "937-555-0103",
        "verified_days_ago": 28,
        "meetings": [
            {"day": "wed", "start": "19:30", "end": "20:30", "types": "O D X"},
            {"day": "sat", "start": "19:30", "end": "20:30", "types": "O SP X"},
        ],
    },
    {
        "slug": "freedom-group-ca-cincinnati",
        "name": "Freedom Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "ca",
        "venue": "cin-price-hill",
        "description": (
            "Cocaine Anonymous on the west side of Cincinnati. Members share their experience "
            "with cocaine and every other mind-altering substance."
        ),
        "phone": "513-555-0104",
        "verified_days_ago": 110,
        "meetings": [
            {"day": "wed", "start": "20:00", "end": "21:00", "types": "O D X"},
            {"day": "sat", "start": "18:00", "end": "19:00", "types": "C ST X"},
        ],
    },
    {
        "slug": "clear-path-cma-columbus",
        "name": "Clear Path",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "cma",
        "venue": "cbus-olde-towne",
        "description": (
            "Crystal Meth Anonymous with a strong LGBTQ+ membership. The Thursday lunch meeting "
            "is online so people can join from work or home."
        ),
        "audiences": ["lgbtq"],
        "phone": "614-555-0107",
        "verified_days_ago": 70,
        "meetings": [
            {"day": "mon", "start": "19:30", "end": "20:30", "types": "O LGBTQ D X"},
            {
                "day": "thu",
                "start": "12:00",
                "end": "13:00",
                "types": "O LGBTQ",
                "attendance": "online",
                "url": _ZOOM + "84255501074",
            },
        ],
    },
    {
        "slug": "bexley-al-anon-family-group",
        "name": "Bexley Al-Anon Family Group",
        "kind": "12-step",
        "approach": "family",
        "fellowship": "al-anon",
        "venue": "cbus-bexley",
        "description": (
            "For anyone worried about someone else's drinking. We share what has helped us "
            "find some calm, whether or not our loved one is still drinking."
        ),
        "audiences": ["families"],
        "phone": "614-555-0108",
        "verified_days_ago": 41,
        "meetings": [
            {"day": "tue", "start": "10:00", "end": "11:00", "types": "O D X"},
            {"day": "thu", "start": "19:00", "end": "20:00", "types": "O BE X"},
        ],
    },
    {
        "slug": "dayton-al-anon-hope-group",
        "name": "Hope Group of Al-Anon",
        "kind": "12-step",
        "approach": "family",
        "fellowship": "al-anon",
        "venue": "day-belmont",
        "description": (
            "An Al-Anon group for family members and friends of alcoholics in south Dayton. "
            "The Saturday literature meeting is on hold while the building is used as a "
            "warming centre."
        ),
        "audiences": ["families"],
        "phone": "937-555-0104",
        "verified_days_ago": 390,
        "meetings": [
            {"day": "mon", "start": "19:30", "end": "20:30", "types": "O D X"},
            {
                "day": "sat",
                "start": "10:00",
                "end": "11:00",
                "types": "O LIT TC",
                "closed": True,
                "notes": "Paused until spring; Monday evenings continue as usual.",
            },
        ],
    },
    {
        "slug": "akron-nar-anon-family-group",
        "name": "Akron Nar-Anon Family Group",
        "kind": "12-step",
        "approach": "family",
        "fellowship": "nar-anon",
        "venue": "akr-highland",
        "description": (
            "Support for parents, partners and friends of someone using drugs. It helps to sit "
            "with people who understand without needing it explained."
        ),
        "audiences": ["families"],
        "phone": "330-555-0101",
        "verified_days_ago": 95,
        "meetings": [
            {"day": "wed", "start": "19:00", "end": "20:00", "types": "C D X"},
        ],
    },
    {
        "slug": "toledo-heroin-anonymous",
        "name": "Toledo Heroin Anonymous",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "ha",
        "venue": "tol-glass-city",
        "description": (
            "A Heroin Anonymous group that meets at the Glass City peer centre. People on "
            "medication for opioid use disorder are welcome and share like anyone else."
        ),
        "phone": "419-555-0102",
        "verified_days_ago": 58,
        "meetings": [
            {"day": "mon", "start": "18:30", "end": "19:30", "types": "O D X"},
            {"day": "fri", "start": "18:30", "end": "19:30", "types": "O BE X"},
        ],
    },
    # --- Early, late and online 12-step meetings: something at any hour ---
    {
        "slug": "first-light-na-cincinnati",
        "name": "First Light",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "venue": "cin-otr",
        "description": (
            "An early NA meeting every day of the week, for before work or after a long night. "
            "The coffee is on by a quarter past six and we finish on time."
        ),
        "phone": "513-555-0112",
        "verified_days_ago": 12,
        "meetings": every_day("06:30", "07:30", "O D X"),
    },
    {
        "slug": "night-shift-group-columbus",
        "name": "Night Shift Group",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "venue": "cbus-parsons-club",
        "description": (
            "Late-night AA for people coming off a second shift and anyone who finds the hours "
            "after ten the hardest. Friday runs a little longer, and Saturday's meeting goes on "
            "past midnight."
        ),
        "phone": "614-555-0119",
        "verified_days_ago": 33,
        "meetings": [
            {"day": "sun", "start": "22:00", "end": "23:00", "types": "O D X"},
            {"day": "mon", "start": "22:00", "end": "23:00", "types": "O D X"},
            {"day": "tue", "start": "22:00", "end": "23:00", "types": "O BE X"},
            {"day": "wed", "start": "22:00", "end": "23:00", "types": "O D X"},
            {"day": "thu", "start": "22:00", "end": "23:00", "types": "O ST X"},
            {"day": "fri", "start": "22:00", "end": "23:30", "types": "O SP X"},
            {"day": "sat", "start": "23:00", "end": "00:30", "types": "O D X"},
        ],
    },
    {
        "slug": "before-the-alarm-online",
        "name": "Before the Alarm",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "description": (
            "A daily online AA meeting for early risers, people finishing a night shift and "
            "anyone awake with too much on their mind. A short reading, open sharing, and done "
            "by half past six."
        ),
        "website": "https://example.org/before-the-alarm",
        "verified_days_ago": 18,
        "meetings": every_day(
            "05:30",
            "06:30",
            "O D",
            attendance="online",
            url=_ZOOM + "80155501201",
            phone="646-555-0120",
            phone_notes="Meeting ID 801 5550 1201",
        ),
    },
    {
        "slug": "pacific-coffee-break-aa",
        "name": "Pacific Coffee Break",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "description": (
            "A morning AA meeting run every day from Los Angeles, which lands in the late "
            "morning back east. Cameras are optional and newcomers are asked to stay on for a "
            "few minutes afterwards if they would like a phone list."
        ),
        "website": "https://example.org/pacific-coffee-break",
        "verified_days_ago": 27,
        "meetings": every_day(
            "08:00",
            "09:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80255501202",
            venue="town-los-angeles",
        ),
    },
    {
        "slug": "lakeshore-lunch-na",
        "name": "Lakeshore Lunch",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "description": (
            "A lunchtime NA meeting held online by a Chicago group, open to anyone who wants "
            "to stop using. Each day starts with a reading from the Basic Text."
        ),
        "website": "https://example.org/lakeshore-lunch",
        "verified_days_ago": 40,
        "meetings": every_day(
            "12:00",
            "13:00",
            "O LIT",
            attendance="online",
            url=_ZOOM + "80355501203",
            venue="town-chicago",
        ),
    },
    {
        "slug": "night-owls-online-aa",
        "name": "Night Owls Online",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "description": (
            "A late online AA meeting for anyone who can't sleep or would rather not be alone "
            "with the night. A Chicago group hosts it; people join from all over the country."
        ),
        "website": "https://example.org/night-owls-online",
        "verified_days_ago": 8,
        "meetings": every_day(
            "22:00",
            "23:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80455501204",
            venue="town-chicago",
        ),
    },
    {
        "slug": "after-dark-na-online",
        "name": "After Dark",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "na",
        "description": (
            "Late-night NA from Colorado. The meeting is small and unhurried, and someone stays "
            "on afterwards for anyone who needs to keep talking."
        ),
        "website": "https://example.org/after-dark-na",
        "verified_days_ago": 23,
        "meetings": every_day(
            "22:00",
            "23:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80555501205",
            venue="town-denver",
        ),
    },
    {
        "slug": "desert-midnight-cma",
        "name": "Desert Midnight",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "cma",
        "description": (
            "A late-night Crystal Meth Anonymous meeting run from Phoenix. Newcomers, and "
            "people coming back after a slip, are especially welcome."
        ),
        "website": "https://example.org/desert-midnight",
        "verified_days_ago": 61,
        "meetings": every_day(
            "23:00",
            "00:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80655501206",
            venue="town-phoenix",
        ),
    },
    {
        "slug": "pacific-night-owls-aa",
        "name": "Pacific Night Owls",
        "kind": "12-step",
        "approach": "12-step",
        "fellowship": "aa",
        "description": (
            "An online AA meeting from Los Angeles for the late hours: night-shift workers, "
            "new parents and anyone awake when they would rather not be. In the East it runs "
            "in the small hours."
        ),
        "website": "https://example.org/pacific-night-owls",
        "verified_days_ago": 16,
        "meetings": every_day(
            "23:00",
            "00:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80755501207",
            phone="646-555-0121",
            phone_notes="Meeting ID 807 5550 1207",
            venue="town-los-angeles",
        ),
    },
    # --- SMART Recovery ---
    {
        "slug": "smart-recovery-grandview",
        "name": "SMART Recovery Grandview",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "venue": "cbus-grandview",
        "description": (
            "A science-based, self-empowering alternative to 12-step groups. Each meeting "
            "starts with a check-in and then works through one practical tool together."
        ),
        "phone": "614-555-0109",
        "website": "https://example.org/smart-grandview",
        "verified_days_ago": 26,
        "meetings": [
            {"day": "mon", "start": "18:00", "end": "19:30", "types": "O D"},
            {"day": "thu", "start": "18:00", "end": "19:30", "types": "O D"},
        ],
    },
    {
        "slug": "smart-recovery-corryville",
        "name": "SMART Recovery Corryville",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "host_center": "riverbend-treatment-services",
        "venue": "rts-cincinnati",
        "description": (
            "Hosted in Riverbend's group room but open to anyone, patient or not. The "
            "facilitator is a trained volunteer with several years of recovery."
        ),
        "phone": "513-555-0105",
        "verified_days_ago": 19,
        "meetings": [
            {"day": "wed", "start": "17:30", "end": "19:00", "types": "O D X"},
        ],
    },
    {
        "slug": "smart-recovery-dayton",
        "name": "SMART Recovery Dayton",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "venue": "day-wayne",
        "description": (
            "Weekend and weeknight SMART meetings in Dayton. Tuesday evenings can also be "
            "joined by video."
        ),
        "phone": "937-555-0105",
        "verified_days_ago": 88,
        "meetings": [
            {"day": "sat", "start": "10:00", "end": "11:30", "types": "O D X"},
            {
                "day": "tue",
                "start": "18:00",
                "end": "19:30",
                "types": "O D X",
                "attendance": "hybrid",
                "url": _ZOOM + "85355501053",
            },
        ],
    },
    {
        "slug": "smart-recovery-online-ohio-evenings",
        "name": "SMART Recovery Online – Ohio Evenings",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "description": (
            "Online SMART meetings run by Ohio facilitators for anyone with an internet "
            "connection. Cameras on or off, whatever is comfortable."
        ),
        "website": "https://example.org/smart-online-ohio",
        "verified_days_ago": 7,
        "meetings": [
            {
                "day": "tue",
                "start": "20:00",
                "end": "21:30",
                "types": "O D",
                "attendance": "online",
                "url": _ZOOM + "86455501064",
                "url_notes": "Waiting room opens ten minutes early.",
            },
            {
                "day": "sun",
                "start": "19:00",
                "end": "20:30",
                "types": "O D",
                "attendance": "online",
                "url": _ZOOM + "86455501065",
            },
        ],
    },
    {
        "slug": "smart-recovery-online-lunchtime",
        "name": "SMART Recovery Online Lunchtime",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "description": (
            "A one-hour online SMART meeting at midday on Fridays, handy before the weekend. "
            "You can also dial in by phone."
        ),
        "verified_days_ago": 35,
        "meetings": [
            {
                "day": "fri",
                "start": "12:00",
                "end": "13:00",
                "types": "O D",
                "attendance": "online",
                "url": _ZOOM + "87555501075",
                "phone": "646-555-0175",
                "phone_notes": "Meeting ID 875 5550 1075",
            },
        ],
    },
    {
        "slug": "smart-family-friends-columbus",
        "name": "SMART Recovery Family & Friends Columbus",
        "kind": "smart-recovery",
        "approach": "family",
        "fellowship": "smart",
        "venue": "cbus-bexley",
        "description": (
            "For people who love someone with an addiction. Based on the CRAFT approach, it "
            "teaches ways to look after yourself and improve communication at home."
        ),
        "audiences": ["families"],
        "phone": "614-555-0110",
        "verified_days_ago": 52,
        "meetings": [
            {
                "day": "wed",
                "start": "19:00",
                "end": "20:30",
                "types": "O",
                "attendance": "hybrid",
                "url": _ZOOM + "88655501086",
            },
            {
                "day": "sat",
                "start": "11:00",
                "end": "12:00",
                "types": "O",
                "attendance": "online",
                "url": _ZOOM + "88655501087",
            },
        ],
    },
    {
        "slug": "smart-recovery-akron",
        "name": "SMART Recovery Akron",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "venue": "akr-rubber-city",
        "description": (
            "A Thursday evening SMART meeting at the Rubber City recovery centre. Good for "
            "people who want to think through cravings and setbacks in a structured way."
        ),
        "phone": "330-555-0102",
        "verified_days_ago": 140,
        "meetings": [
            {"day": "thu", "start": "19:00", "end": "20:30", "types": "O D X"},
        ],
    },
    {
        "slug": "smart-recovery-online-mile-high-mornings",
        "name": "SMART Recovery Online – Mile High Mornings",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "description": (
            "A morning SMART meeting hosted every day by facilitators in Denver. Each day picks "
            "one tool, such as planning for a risky situation, and people try it on their week."
        ),
        "website": "https://example.org/smart-mile-high",
        "verified_days_ago": 34,
        "meetings": every_day(
            "07:00",
            "08:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80855501208",
            venue="town-denver",
        ),
    },
    {
        "slug": "smart-recovery-online-after-work",
        "name": "SMART Recovery Online – After Work",
        "kind": "smart-recovery",
        "approach": "secular",
        "fellowship": "smart",
        "description": (
            "An hour at the end of the working day to look at cravings, setbacks and plans for "
            "the evening, with a trained facilitator from Chicago."
        ),
        "website": "https://example.org/smart-after-work",
        "verified_days_ago": 44,
        "meetings": every_day(
            "16:00",
            "17:00",
            "O D",
            attendance="online",
            url=_ZOOM + "80955501209",
            venue="town-chicago",
        ),
    },
    # --- Sober living ---
    {
        "slug": "maple-house-for-women",
        "name": "Maple House for Women",
        "kind": "sober-living",
        "approach": "all-pathways",
        "venue": "home-maple",
        "description": (
            "A peer-run home for eight women in early recovery, whatever path they follow. "
            "Residents on buprenorphine or methadone are welcome, and the house helps with "
            "rides to appointments."
        ),
        "audiences": ["women"],
        "cost": "fee",
        "cost_notes": "$165 a week including utilities; the first week can be deferred.",
        "phone": "614-555-0111",
        "email": "maplehouse@example.org",
        "gender_served": "women",
        "accepts_mat_residents": True,
        "beds": 8,
        "peer_specialist_led": True,
        "verified_days_ago": 20,
    },
    {
        "slug": "hollyhock-house",
        "name": "Hollyhock House",
        "kind": "sober-living",
        "approach": "12-step",
        "venue": "home-hollyhock",
        "description": (
            "A quiet women's recovery residence with a house manager living on site. Residents "
            "keep a job or school schedule and go to at least three 12-step meetings a week."
        ),
        "audiences": ["women"],
        "cost": "fee",
        "cost_notes": "$140 a week; two weeks' deposit.",
        "phone": "513-555-0106",
        "gender_served": "women",
        "accepts_mat_residents": False,
        "beds": 10,
        "verified_days_ago": 160,
    },
    {
        "slug": "oak-hill-mens-recovery-house",
        "name": "Oak Hill Men's Recovery House",
        "kind": "sober-living",
        "approach": "12-step",
        "venue": "home-oak-hill",
        "description": (
            "Structured sober living for men built around the twelve steps, with weekly house "
            "meetings and chores. Residents on prescribed medication for addiction are accepted."
        ),
        "audiences": ["men", "justice-involved"],
        "cost": "fee",
        "cost_notes": "$125 a week; shared rooms.",
        "phone": "937-555-0106",
        "gender_served": "men",
        "accepts_mat_residents": True,
        "beds": 12,
        "verified_days_ago": 66,
    },
    {
        "slug": "prism-house",
        "name": "Prism House",
        "kind": "sober-living",
        "approach": "all-pathways",
        "venue": "home-prism",
        "description": (
            "An LGBTQ+ affirming recovery home where residents choose rooms that fit their "
            "gender identity. Small, close-knit, open to any path to recovery and run by "
            "people in long-term recovery."
        ),
        "audiences": ["lgbtq"],
        "cost": "sliding-scale",
        "cost_notes": "$90–$170 a week depending on income.",
        "phone": "614-555-0112",
        "gender_served": "lgbtq",
        "accepts_mat_residents": True,
        "beds": 6,
        "peer_specialist_led": True,
        "verified_days_ago": 31,
    },
    {
        "slug": "second-wind-house",
        "name": "Second Wind House",
        "kind": "sober-living",
        "approach": "faith-based",
        "venue": "home-second-wind",
        "description": (
            "A men's sober house run by a church mission on Cleveland's near west side, close "
            "to bus lines and day labour offices. Residents are invited, never required, to "
            "Sunday worship; curfew is relaxed after the first month."
        ),
        "audiences": ["men"],
        "cost": "fee",
        "cost_notes": "$130 a week.",
        "phone": "216-555-0102",
        "gender_served": "men",
        "accepts_mat_residents": False,
        "beds": 9,
        "verified_days_ago": 450,
    },
    {
        "slug": "cascade-commons-recovery-residence",
        "name": "Cascade Commons Recovery Residence",
        "kind": "sober-living",
        "approach": "all-pathways",
        "venue": "home-cascade",
        "host_center": "summit-path-recovery",
        "description": (
            "Co-ed transitional housing linked to Summit Path Recovery, with separate floors "
            "for men and women. Many residents are veterans; each chooses their own path to "
            "recovery and meets a peer coach weekly."
        ),
        "audiences": ["veterans"],
        "cost": "fee",
        "cost_notes": "$150 a week; VA housing vouchers accepted.",
        "phone": "330-555-0103",
        "gender_served": "any",
        "accepts_mat_residents": True,
        "beds": 14,
        "verified_days_ago": 99,
    },
    # --- Dual diagnosis ---
    {
        "slug": "dda-columbus",
        "name": "Dual Diagnosis Anonymous Columbus",
        "kind": "dual-diagnosis",
        "approach": "12-step",
        "fellowship": "dda",
        "host_center": "buckeye-recovery-health",
        "venue": "brh-columbus",
        "description": (
            "For people living with both a mental illness and an addiction. We use the twelve "
            "steps plus five more that speak to mental health and medication."
        ),
        "phone": "614-555-0113",
        "verified_days_ago": 24,
        "meetings": [
            {"day": "tue", "start": "13:00", "end": "14:00", "types": "O DD X"},
            {"day": "fri", "start": "13:00", "end": "14:00", "types": "O DD X"},
        ],
    },
    {
        "slug": "dda-dayton",
        "name": "Dual Diagnosis Anonymous Dayton",
        "kind": "dual-diagnosis",
        "approach": "12-step",
        "fellowship": "dda",
        "venue": "day-gem-city",
        "description": (
            "A late-morning DDA meeting at the Gem City centre. Talking about psychiatric "
            "medication is welcome here."
        ),
        "phone": "937-555-0107",
        "verified_days_ago": 73,
        "meetings": [
            {"day": "wed", "start": "11:00", "end": "12:00", "types": "O DD X"},
        ],
    },
    {
        "slug": "nami-connection-cincinnati",
        "name": "NAMI Connection Recovery Support Group – Cincinnati",
        "kind": "dual-diagnosis",
        "approach": "secular",
        "fellowship": "nami",
        "venue": "cin-hyde-park",
        "description": (
            "A peer-led group for adults with mental health conditions, many of whom also "
            "manage substance use. Facilitators have lived experience and are NAMI trained."
        ),
        "phone": "513-555-0107",
        "website": "https://example.org/nami-connection-cincinnati",
        "peer_specialist_led": True,
        "verified_days_ago": 40,
        "meetings": [
            {"day": "mon", "start": "18:30", "end": "20:00", "types": "O DD X"},
            {
                "day": "thu",
                "start": "18:30",
                "end": "20:00",
                "types": "O DD",
                "attendance": "online",
                "url": _ZOOM + "89755501097",
            },
        ],
    },
    # --- Mental-health peer support ---
    {
        "slug": "nami-family-support-columbus",
        "name": "NAMI Family Support Group – Columbus",
        "kind": "mental-health",
        "approach": "family",
        "fellowship": "nami",
        "venue": "cbus-clintonville",
        "description": (
            "A confidential group for family members and friends of someone with a mental "
            "health condition. Come to vent, learn and find you are not alone."
        ),
        "audiences": ["families"],
        "phone": "614-555-0114",
        "verified_days_ago": 55,
        "meetings": [
            {"day": "tue", "start": "19:00", "end": "20:30", "types": "C X"},
        ],
    },
    {
        "slug": "dbsa-columbus",
        "name": "DBSA Columbus",
        "kind": "mental-health",
        "approach": "secular",
        "fellowship": "dbsa",
        "venue": "cbus-grandview",
        "description": (
            "Peer support for people living with depression or bipolar disorder. Meetings "
            "split into small circles so everyone who wants to talk gets time."
        ),
        "phone": "614-555-0115",
        "website": "https://example.org/dbsa-columbus",
        "verified_days_ago": 14,
        "meetings": [
            {"day": "wed", "start": "19:00", "end": "20:30", "types": "O"},
            {"day": "sat", "start": "14:00", "end": "15:30", "types": "O"},
        ],
    },
    {
        "slug": "dbsa-online-ohio",
        "name": "DBSA Online Peer Support – Ohio",
        "kind": "mental-health",
        "approach": "secular",
        "fellowship": "dbsa",
        "description": (
            "Online DBSA groups for anyone who cannot get to an in-person meeting. A trained "
            "peer facilitator keeps things supportive and on track."
        ),
        "website": "https://example.org/dbsa-online-ohio",
        "verified_days_ago": 10,
        "meetings": [
            {
                "day": "mon",
                "start": "20:00",
                "end": "21:00",
                "types": "O",
                "attendance": "online",
                "url": _ZOOM + "81055501108",
            },
            {
                "day": "thu",
                "start": "20:00",
                "end": "21:00",
                "types": "O",
                "attendance": "online",
                "url": _ZOOM + "81055501109",
                "phone": "646-555-0109",
            },
        ],
    },
    {
        "slug": "dbsa-cincinnati-young-adults",
        "name": "DBSA Cincinnati Young Adults",
        "kind": "mental-health",
        "approach": "secular",
        "fellowship": "dbsa",
        "venue": "cin-clifton",
        "description": (
            "A DBSA group for people aged 18 to 30 dealing with mood disorders, school, work "
            "and everything in between."
        ),
        "audiences": ["young-people"],
        "phone": "513-555-0108",
        "verified_days_ago": 380,
        "meetings": [
            {"day": "fri", "start": "18:00", "end": "19:30", "types": "O Y X"},
        ],
    },
    # --- Recovery community centres ---
    {
        "slug": "southside-recovery-community-center",
        "name": "Southside Recovery Community Center",
        "kind": "recovery-community",
        "approach": "all-pathways",
        "venue": "cbus-south-side",
        "description": (
            "A drop-in centre run by people in recovery, open to every pathway. Stop by for "
            "coffee, a peer coach, help with a job search, or one of the all-recovery meetings."
        ),
        "phone": "614-555-0116",
        "email": "hello@southside-rcc.example.org",
        "website": "https://example.org/southside-rcc",
        "peer_specialist_led": True,
        "verified_days_ago": 5,
        "meetings": [
            {
                "day": "mon",
                "start": "12:00",
                "end": "13:00",
                "types": "O D X",
                "name": "All Recovery Lunch",
            },
            {
                "day": "wed",
                "start": "17:30",
                "end": "18:30",
                "types": "O D X",
                "name": "All Recovery Wednesday",
            },
        ],
    },
    {
        "slug": "queen-city-recovery-hub",
        "name": "Queen City Recovery Hub",
        "kind": "recovery-community",
        "approach": "all-pathways",
        "venue": "cin-queen-city-hub",
        "description": (
            "Peer recovery support, a computer lab and a busy calendar of groups and events. "
            "Staff can connect you with housing, treatment and family support."
        ),
        "languages": ["en", "es"],
        "phone": "513-555-0109",
        "website": "https://example.org/queen-city-hub",
        "peer_specialist_led": True,
        "verified_days_ago": 11,
        "meetings": [
            {"day": "tue", "start": "12:00", "end": "13:00", "types": "O D X"},
            {"day": "sat", "start": "11:00", "end": "12:00", "types": "O D X"},
        ],
    },
    {
        "slug": "gem-city-recovery-community-center",
        "name": "Gem City Recovery Community Center",
        "kind": "recovery-community",
        "approach": "all-pathways",
        "venue": "day-gem-city",
        "description": (
            "Dayton's peer-run recovery centre. Walk in for a chat with a recovery coach or "
            "join the weekly all-pathways meeting and monthly community events."
        ),
        "phone": "937-555-0108",
        "website": "https://example.org/gem-city-rcc",
        "peer_specialist_led": True,
        "verified_days_ago": 17,
        "meetings": [
            {"day": "thu", "start": "17:00", "end": "18:00", "types": "O D X"},
        ],
    },
    {
        "slug": "rubber-city-recovery-commons",
        "name": "Rubber City Recovery Commons",
        "kind": "recovery-community",
        "approach": "harm-reduction",
        "venue": "akr-rubber-city",
        "description": (
            "A welcoming space in Akron with peer coaching, a clothing closet and free "
            "naloxone. Nobody has to have stopped using to come in, and Friday's open meeting "
            "is for anyone on any path, including people still deciding."
        ),
        "phone": "330-555-0104",
        "peer_specialist_led": True,
        "verified_days_ago": 46,
        "meetings": [
            {"day": "fri", "start": "17:30", "end": "18:30", "types": "O D X"},
        ],
    },
    {
        "slug": "glass-city-peer-recovery-center",
        "name": "Glass City Peer Recovery Center",
        "kind": "recovery-community",
        "approach": "all-pathways",
        "venue": "tol-glass-city",
        "description": (
            "Toledo's recovery community centre, run by certified peer supporters. Sunday "
            "afternoons bring an all-recovery meeting followed by a shared meal."
        ),
        "phone": "419-555-0103",
        "peer_specialist_led": True,
        "verified_days_ago": 29,
        "meetings": [
            {"day": "sun", "start": "14:00", "end": "15:00", "types": "O D X"},
        ],
    },
    {
        "slug": "all-recovery-after-midnight",
        "name": "All Recovery After Midnight",
        "kind": "recovery-community",
        "approach": "all-pathways",
        "run_by": "A peer-run recovery centre in Los Angeles",
        "description": (
            "An online all-recovery meeting held just after midnight Pacific time, open to "
            "every path: twelve steps, SMART, faith, medication or none. It lasts ninety "
            "minutes, so nobody is rushed."
        ),
        "website": "https://example.org/all-recovery-after-midnight",
        "peer_specialist_led": True,
        "verified_days_ago": 13,
        "meetings": every_day(
            "00:00",
            "01:30",
            "O D",
            attendance="online",
            url=_ZOOM + "81055501210",
            venue="town-los-angeles",
        ),
    },
    # --- Other peer support ---
    {
        "slug": "recovery-dharma-columbus",
        "name": "Recovery Dharma Columbus",
        "kind": "other",
        "approach": "buddhist-inspired",
        "fellowship": "recovery-dharma",
        "venue": "cbus-olde-towne",
        "description": (
            "Buddhist-inspired recovery using meditation and mindful inquiry. No prior "
            "experience with meditation or Buddhism is needed."
        ),
        "phone": "614-555-0117",
        "website": "https://example.org/recovery-dharma-columbus",
        "verified_days_ago": 38,
        "meetings": [
            {"day": "sun", "start": "10:00", "end": "11:15", "types": "O MED X"},
            {
                "day": "wed",
                "start": "19:30",
                "end": "20:45",
                "types": "O MED X",
                "venue": "cbus-short-north",
            },
        ],
    },
    {
        "slug": "refuge-recovery-cincinnati",
        "name": "Refuge Recovery Cincinnati",
        "kind": "other",
        "approach": "buddhist-inspired",
        "fellowship": "refuge-recovery",
        "venue": "cin-northside",
        "description": (
            "A meditation-based recovery meeting: twenty minutes of sitting, a short reading, "
            "then sharing. Cushions and chairs are both available."
        ),
        "phone": "513-555-0110",
        "verified_days_ago": 125,
        "meetings": [
            {"day": "mon", "start": "19:00", "end": "20:15", "types": "O MED X"},
        ],
    },
    {
        "slug": "lifering-columbus",
        "name": "LifeRing Columbus",
        "kind": "other",
        "approach": "secular",
        "fellowship": "lifering",
        "venue": "cbus-downtown",
        "description": (
            "Secular, abstinence-based recovery. We talk about the past week and the week "
            "ahead rather than the distant past, and nobody is asked to believe in anything."
        ),
        "phone": "614-555-0118",
        "website": "https://example.org/lifering-columbus",
        "verified_days_ago": 62,
        "meetings": [
            {"day": "thu", "start": "18:30", "end": "19:30", "types": "O A X"},
            {
                "day": "sat",
                "start": "10:00",
                "end": "11:00",
                "types": "O A",
                "attendance": "online",
                "url": _ZOOM + "82155501182",
            },
        ],
    },
    {
        "slug": "celebrate-recovery-dayton",
        "name": "Celebrate Recovery Dayton",
        "kind": "other",
        "approach": "faith-based",
        "fellowship": "celebrate-recovery",
        "venue": "day-belmont",
        "description": (
            "A Christ-centred recovery evening for any hurt, habit or hang-up: a shared meal, "
            "worship, then small gender-specific groups. Free childcare."
        ),
        "phone": "937-555-0109",
        "website": "https://example.org/celebrate-recovery-dayton",
        "verified_days_ago": 90,
        "meetings": [
            {"day": "fri", "start": "18:00", "end": "21:00", "types": "O CF X"},
        ],
    },
    {
        "slug": "women-for-sobriety-online",
        "name": "Women for Sobriety Online Ohio",
        "kind": "other",
        "approach": "secular",
        "fellowship": "women-for-sobriety",
        "description": (
            "A weekly online WFS meeting for women who want to build confidence and a sober "
            "life using the New Life program's thirteen statements."
        ),
        "audiences": ["women"],
        "website": "https://example.org/wfs-online-ohio",
        "verified_days_ago": 21,
        "meetings": [
            {
                "day": "wed",
                "start": "20:00",
                "end": "21:00",
                "types": "W",
                "attendance": "online",
                "url": _ZOOM + "83255501193",
            },
        ],
    },
    {
        "slug": "women-for-sobriety-cincinnati",
        "name": "Women for Sobriety Cincinnati",
        "kind": "other",
        "approach": "secular",
        "fellowship": "women-for-sobriety",
        "venue": "cin-hyde-park",
        "description": (
            "An in-person WFS group meeting on Saturday mornings. Tea, honest talk and a focus "
            "on positive change."
        ),
        "audiences": ["women"],
        "phone": "513-555-0111",
        "verified_days_ago": 77,
        "meetings": [
            {"day": "sat", "start": "09:30", "end": "10:45", "types": "W X"},
        ],
    },
    {
        "slug": "recovery-dharma-online-west-coast",
        "name": "Recovery Dharma Online – West Coast",
        "kind": "other",
        "approach": "buddhist-inspired",
        "fellowship": "recovery-dharma",
        "description": (
            "A daily online Recovery Dharma meeting from Los Angeles: twenty minutes of guided "
            "meditation, a short reading, then sharing. Cameras can stay off."
        ),
        "website": "https://example.org/recovery-dharma-west-coast",
        "verified_days_ago": 48,
        "meetings": every_day(
            "12:00",
            "13:15",
            "O MED",
            attendance="online",
            url=_ZOOM + "81155501211",
            venue="town-los-angeles",
        ),
    },
]

# Activities are dated relative to the day the loader runs: "in_days" from today, "start" in
# local (Eastern) time, "hours" long. Negative offsets make the archive of past events.
ACTIVITIES = [
    # --- Art ---
    {
        "slug": "watercolour-open-studio",
        "name": "Open Studio: Watercolour Afternoon",
        "category": "art",
        "description": (
            "Paints, paper and brushes are provided. No skill needed: the point is to slow "
            "down and enjoy making something with other people in recovery."
        ),
        "in_days": 6,
        "start": "14:00",
        "hours": 2.5,
        "venue": "cbus-south-side",
        "host_program": "southside-recovery-community-center",
    },
    {
        "slug": "collage-your-story",
        "name": "Collage Your Story",
        "category": "art",
        "description": (
            "Cut, paste and rearrange magazines, photos and words into a picture of where "
            "you've been and where you're heading. Space is limited, so please sign up."
        ),
        "in_days": 13,
        "start": "18:00",
        "hours": 2,
        "venue": "cin-queen-city-hub",
        "host_program": "queen-city-recovery-hub",
        "registration_url": "https://example.org/events/collage-your-story",
        "registration_required": True,
    },
    {
        "slug": "art-journaling-online",
        "name": "Art Journaling Online",
        "category": "art",
        "description": (
            "Grab a notebook and whatever pens or pencils you have. We'll try simple prompts "
            "that mix drawing with a few words, then share if you like."
        ),
        "in_days": 9,
        "start": "19:00",
        "hours": 1.5,
        "online_url": _ZOOM + "84355502001",
        "host_program": "women-for-sobriety-online",
    },
    {
        "slug": "clay-and-coffee",
        "name": "Clay and Coffee: Hand-Building Pottery",
        "category": "art",
        "description": (
            "Learn pinch pots and coil building with a local potter. Pieces are fired and "
            "ready to collect two weeks later."
        ),
        "in_days": 20,
        "start": "10:00",
        "hours": 2,
        "venue": "day-gem-city",
        "host_program": "gem-city-recovery-community-center",
        "is_free": False,
        "cost_notes": "$10 for clay and firing; waived for anyone who asks.",
        "registration_url": "https://example.org/events/clay-and-coffee",
    },
    {
        "slug": "community-mural-day",
        "name": "Community Mural Painting Day",
        "category": "art",
        "description": (
            "Help paint a mural about hope and healing on the studio's outside wall. Wear old "
            "clothes; lunch is provided."
        ),
        "in_days": 38,
        "start": "10:00",
        "hours": 4,
        "venue": "cbus-mt-vernon",
        "host_center": "new-dawn-womens-treatment",
    },
    # --- Social ---
    {
        "slug": "board-game-night-queen-city",
        "name": "Board Game Night",
        "category": "social",
        "description": (
            "Card games, board games and snacks. A low-pressure way to meet people and spend "
            "an evening without alcohol."
        ),
        "in_days": 4,
        "start": "18:30",
        "hours": 3,
        "venue": "cin-queen-city-hub",
        "host_program": "queen-city-recovery-hub",
    },
    {
        "slug": "coffee-and-connection-akron",
        "name": "Coffee and Connection",
        "category": "social",
        "description": (
            "Saturday-morning coffee and pastries with the Rubber City community. Bring a "
            "friend or come on your own."
        ),
        "in_days": 10,
        "start": "09:00",
        "hours": 1.5,
        "venue": "akr-rubber-city",
        "host_program": "rubber-city-recovery-commons",
    },
    {
        "slug": "alcohol-free-karaoke-dayton",
        "name": "Alcohol-Free Karaoke Night",
        "category": "social",
        "description": (
            "Sing, cheer or just listen. Mocktails are on the house and the song list runs "
            "from Motown to metal."
        ),
        "in_days": 17,
        "start": "20:00",
        "hours": 2.5,
        "venue": "day-oregon",
        "host_program": "gem-city-miracles-na",
    },
    {
        "slug": "goodale-park-potluck",
        "name": "Potluck in Goodale Park",
        "category": "social",
        "description": (
            "Bring a dish to share, or just bring yourself. Frisbees, lawn games and good "
            "company by the gazebo."
        ),
        "in_days": 24,
        "start": "12:00",
        "hours": 3,
        "venue": "cbus-goodale-park",
        "host_program": "short-north-sunset-group",
    },
    {
        "slug": "sober-bowling-night",
        "name": "Sober Bowling Night",
        "category": "social",
        "description": (
            "A few lanes reserved for the recovery community. Teams are mixed up on the night "
            "so nobody bowls alone."
        ),
        "in_days": 34,
        "start": "19:00",
        "hours": 2.5,
        "venue": "cbus-karl-road-lanes",
        "host_program": "clean-and-serene-na-columbus",
        "is_free": False,
        "cost_notes": "$12 covers shoes and two games.",
    },
    # --- Skills ---
    {
        "slug": "naloxone-training-columbus",
        "name": "Naloxone Training: Be Ready to Reverse an Overdose",
        "category": "skills",
        "description": (
            "Learn to spot an opioid overdose and give naloxone nasal spray. Everyone leaves "
            "with a free kit."
        ),
        "in_days": 8,
        "start": "17:30",
        "hours": 1.5,
        "venue": "brh-columbus",
        "host_center": "buckeye-recovery-health",
        "registration_url": "https://example.org/events/naloxone-training",
    },
    {
        "slug": "resume-workshop-cincinnati",
        "name": "Résumé and Interview Workshop",
        "category": "skills",
        "description": (
            "Practical help with gaps in your work history, background checks and interview "
            "nerves. Bring a draft résumé if you have one."
        ),
        "in_days": 15,
        "start": "13:00",
        "hours": 2,
        "venue": "rts-cincinnati",
        "host_center": "riverbend-treatment-services",
        "registration_url": "https://example.org/events/resume-workshop",
        "registration_required": True,
    },
    {
        "slug": "budgeting-basics-online",
        "name": "Budgeting Basics in Recovery",
        "category": "skills",
        "description": (
            "An hour on building a simple budget, dealing with old debts and saving a little "
            "each week. Held online so you can join from anywhere."
        ),
        "in_days": 22,
        "start": "19:00",
        "hours": 1,
        "online_url": _ZOOM + "84455502002",
        "host_program": "smart-recovery-online-ohio-evenings",
    },
    {
        "slug": "family-boundaries-workshop",
        "name": "Setting Boundaries with Love",
        "category": "skills",
        "description": (
            "A workshop for family members on saying no, keeping yourself safe and staying "
            "connected to someone who is still using."
        ),
        "in_days": 27,
        "start": "10:00",
        "hours": 2.5,
        "venue": "cbus-bexley",
        "host_program": "smart-family-friends-columbus",
    },
    {
        "slug": "peer-supporter-info-session",
        "name": "Becoming a Peer Recovery Supporter",
        "category": "skills",
        "description": (
            "Curious about turning your lived experience into a career? Hear how Ohio's peer "
            "supporter certification works and ask current peer supporters anything."
        ),
        "in_days": 29,
        "start": "18:00",
        "hours": 1,
        "online_url": _ZOOM + "84555502003",
        "host_program": "southside-recovery-community-center",
        "registration_url": "https://example.org/events/peer-supporter-info",
    },
    {
        "slug": "cooking-on-a-budget-dayton",
        "name": "Cooking on a Budget",
        "category": "skills",
        "description": (
            "Cook three cheap, filling meals together and take the recipes home. Everyone "
            "eats at the end."
        ),
        "in_days": 33,
        "start": "17:00",
        "hours": 2,
        "venue": "mvrp-dayton",
        "host_center": "miami-valley-recovery-partners",
        "is_free": False,
        "cost_notes": "$5 suggested donation toward groceries.",
    },
    # --- Celebrations ---
    {
        "slug": "birthday-night-short-north",
        "name": "Monthly Birthday Night",
        "category": "celebration",
        "description": (
            "Cake, coins and stories for everyone celebrating a recovery anniversary this "
            "month, from thirty days to thirty years."
        ),
        "in_days": 12,
        "start": "19:30",
        "hours": 2,
        "venue": "cbus-short-north",
        "host_program": "short-north-sunset-group",
    },
    {
        "slug": "new-dawn-graduation",
        "name": "New Dawn Graduation Celebration",
        "category": "celebration",
        "description": (
            "Families and friends gather to honour the women finishing treatment this season. "
            "Light refreshments follow."
        ),
        "in_days": 26,
        "start": "15:00",
        "hours": 2,
        "venue": "ndw-cincinnati",
        "host_center": "new-dawn-womens-treatment",
    },
    {
        "slug": "milestones-potluck-toledo",
        "name": "Milestones Potluck",
        "category": "celebration",
        "description": (
            "A shared meal to mark recovery milestones big and small. Bring a dish and a story "
            "if you feel like it."
        ),
        "in_days": 31,
        "start": "17:00",
        "hours": 2.5,
        "venue": "tol-glass-city",
        "host_program": "glass-city-peer-recovery-center",
    },
    {
        "slug": "recovery-celebration-concert",
        "name": "Recovery Celebration Concert",
        "category": "celebration",
        "description": (
            "Local musicians in recovery take the stage for an alcohol-free night of music. "
            "Proceeds support scholarships for treatment."
        ),
        "in_days": 45,
        "start": "19:00",
        "hours": 3,
        "venue": "cle-midtown",
        "host_center": "lakeshore-behavioral-health",
        "is_free": False,
        "cost_notes": "$15; free for anyone in their first year of recovery.",
        "registration_url": "https://example.org/events/celebration-concert",
    },
    # --- Outdoors and wellness ---
    {
        "slug": "sunrise-yoga-whetstone",
        "name": "Sunrise Yoga in Whetstone Park",
        "category": "outdoor",
        "description": (
            "Gentle yoga on the grass, suitable for beginners. Moves inside to the shelter "
            "house if it rains."
        ),
        "in_days": 5,
        "start": "07:00",
        "hours": 1,
        "venue": "cbus-whetstone",
        "host_program": "recovery-dharma-columbus",
    },
    {
        "slug": "eden-park-walk-and-talk",
        "name": "Walk and Talk in Eden Park",
        "category": "outdoor",
        "description": (
            "An easy, hour-long loop around the park with time to chat. Comfortable shoes "
            "recommended; strollers welcome."
        ),
        "in_days": 11,
        "start": "10:00",
        "hours": 1.5,
        "venue": "cin-eden-park",
        "host_program": "women-for-sobriety-cincinnati",
    },
    {
        "slug": "towpath-trail-hike",
        "name": "Towpath Trail Group Hike",
        "category": "outdoor",
        "description": (
            "A four-mile out-and-back along the canal towpath at a relaxed pace. Water and "
            "snacks are provided at the halfway point."
        ),
        "in_days": 19,
        "start": "09:30",
        "hours": 2.5,
        "venue": "akr-towpath",
        "host_program": "rubber-city-recovery-commons",
    },
    {
        "slug": "recovery-5k-dayton",
        "name": "Recovery 5K Walk and Run",
        "category": "outdoor",
        "description": (
            "Walk, jog or run along the river to show that recovery happens. Every finisher "
            "gets a medal; the walk-only option is free."
        ),
        "in_days": 41,
        "start": "08:30",
        "hours": 3,
        "venue": "day-riverscape",
        "host_program": "gem-city-recovery-community-center",
        "is_free": False,
        "cost_notes": "$25 with a T-shirt; walking without a shirt is free.",
        "registration_url": "https://example.org/events/recovery-5k",
        "registration_required": True,
    },
    {
        "slug": "community-garden-workday",
        "name": "Community Garden Workday",
        "category": "outdoor",
        "description": (
            "Weeding, planting and watering the centre's raised beds. Gloves and tools "
            "provided; take home whatever is ripe."
        ),
        "in_days": 52,
        "start": "09:00",
        "hours": 3,
        "venue": "tol-glass-city",
        "host_program": "glass-city-peer-recovery-center",
    },
    # --- Support groups and sharing circles ---
    {
        "slug": "womens-recovery-circle-online",
        "name": "Women's Recovery Circle",
        "category": "support-group",
        "description": (
            "An online sharing circle for women in any stage of recovery. Come as you are; "
            "cameras optional."
        ),
        "in_days": 3,
        "start": "20:00",
        "hours": 1,
        "online_url": _ZOOM + "84655502004",
        "host_program": "women-for-sobriety-online",
    },
    {
        "slug": "family-sharing-circle",
        "name": "Family Sharing Circle",
        "category": "support-group",
        "description": (
            "For parents, partners and siblings who are tired and worried. Share as much or "
            "as little as you like."
        ),
        "in_days": 7,
        "start": "18:30",
        "hours": 1.5,
        "venue": "cbus-clintonville",
        "host_program": "nami-family-support-columbus",
    },
    {
        "slug": "grief-and-recovery-circle",
        "name": "Grief and Recovery Circle",
        "category": "support-group",
        "description": (
            "A facilitated circle for people who have lost someone to addiction or overdose. "
            "Please register so the facilitator can plan the group size."
        ),
        "in_days": 16,
        "start": "18:00",
        "hours": 1.5,
        "venue": "cbus-south-side",
        "host_program": "southside-recovery-community-center",
        "registration_url": "https://example.org/events/grief-circle",
        "registration_required": True,
    },
    {
        "slug": "veterans-peer-circle",
        "name": "Veterans' Peer Circle",
        "category": "support-group",
        "description": (
            "Veterans and service members talk about recovery, transition and life after the "
            "military with people who have been there."
        ),
        "in_days": 23,
        "start": "18:00",
        "hours": 1.5,
        "venue": "spr-akron",
        "host_center": "summit-path-recovery",
    },
    {
        "slug": "young-adults-check-in",
        "name": "Young Adults' Check-In Circle",
        "category": "support-group",
        "description": (
            "A relaxed monthly circle for people aged 18 to 30 juggling mental health, "
            "recovery, school and work."
        ),
        "in_days": 36,
        "start": "18:00",
        "hours": 1.5,
        "venue": "cin-clifton",
        "host_program": "dbsa-cincinnati-young-adults",
    },
    # --- Past events, for the archive ---
    {
        "slug": "recovery-art-show",
        "name": "Recovery Art Show",
        "category": "art",
        "description": (
            "An evening showing paintings, photographs and poems made by people in recovery "
            "across Cincinnati."
        ),
        "in_days": -12,
        "start": "18:00",
        "hours": 3,
        "venue": "cin-queen-city-hub",
        "host_program": "queen-city-recovery-hub",
    },
    {
        "slug": "riverside-picnic",
        "name": "Riverside Picnic",
        "category": "social",
        "description": (
            "Burgers, veggie dogs and lawn games by the river for the Dayton recovery "
            "community and their families."
        ),
        "in_days": -20,
        "start": "12:00",
        "hours": 4,
        "venue": "day-riverscape",
        "host_program": "gem-city-recovery-community-center",
    },
    {
        "slug": "recovery-friendly-job-fair",
        "name": "Recovery-Friendly Job Fair",
        "category": "skills",
        "description": (
            "Employers who hire people in recovery met job seekers face to face, with résumé "
            "help on the spot."
        ),
        "in_days": -8,
        "start": "10:00",
        "hours": 4,
        "venue": "brh-columbus",
        "host_center": "buckeye-recovery-health",
    },
    {
        "slug": "southside-anniversary-party",
        "name": "Southside Center Anniversary Party",
        "category": "celebration",
        "description": (
            "The Southside centre celebrated another year of open doors with music, food and "
            "thanks to its volunteers."
        ),
        "in_days": -26,
        "start": "16:00",
        "hours": 3,
        "venue": "cbus-south-side",
        "host_program": "southside-recovery-community-center",
    },
]

# National and Ohio resources for the resources page: real services, described in our words.
RESOURCES = [
    {
        "slug": "988-lifeline",
        "name": "988 Suicide & Crisis Lifeline",
        "kind": "line",
        "offers": (
            "Free, confidential support from a trained counsellor for anyone in emotional "
            "distress, a substance use crisis or thinking about suicide, or worried about "
            "someone who is. Answers day and night."
        ),
        "phone": "988",
        "website": "https://988lifeline.org",
        "how_to_reach": "Call or text 988, or chat on the website. Veterans: call 988 and press 1.",
        "languages": "English, Spanish; interpreters for many more",
    },
    {
        "slug": "samhsa-national-helpline",
        "name": "SAMHSA National Helpline",
        "kind": "line",
        "offers": (
            "Free, confidential information and referrals to local treatment, support groups "
            "and community organisations, for people facing addiction or mental illness and "
            "their families. Open every day, around the clock."
        ),
        "phone": "1-800-662-4357",
        "website": "https://www.samhsa.gov/find-help/helplines/national-helpline",
        "how_to_reach": "Call 1-800-662-HELP (4357).",
        "languages": "English, Spanish",
    },
    {
        "slug": "crisis-text-line",
        "name": "Crisis Text Line",
        "kind": "line",
        "offers": "A trained volunteer answers by text message, any time, about any crisis.",
        "website": "https://www.crisistextline.org",
        "how_to_reach": "Text HOME to 741741.",
        "languages": "English, Spanish",
    },
    {
        "slug": "ohio-careline",
        "name": "Ohio CareLine",
        "kind": "line",
        "offers": (
            "A free emotional support line run for the state of Ohio: someone to talk to when "
            "things feel heavy, day or night."
        ),
        "phone": "1-800-720-9616",
        "website": "https://mha.ohio.gov",
        "languages": "English",
    },
    {
        "slug": "smart-recovery-online",
        "name": "SMART Recovery Online",
        "kind": "online",
        "offers": (
            "Free online meetings every day of the week, plus a message board, using SMART "
            "Recovery's science-based tools. Family and friends have meetings of their own."
        ),
        "website": "https://smartrecovery.org",
        "how_to_reach": "Create a free account on the website to join a meeting.",
        "languages": "English, Spanish",
    },
    {
        "slug": "in-the-rooms",
        "name": "In The Rooms",
        "kind": "online",
        "offers": (
            "A free online recovery community with live video meetings of many fellowships "
            "and approaches, for people in recovery and those who love them."
        ),
        "website": "https://www.intherooms.com",
        "languages": "English",
    },
    {
        "slug": "naadac",
        "name": "NAADAC, the Association for Addiction Professionals",
        "kind": "training",
        "offers": (
            "Webinars and continuing education for addiction professionals and peer "
            "supporters, many of them free, and national credentials through its "
            "certification commission, including one for peer recovery support specialists."
        ),
        "website": "https://www.naadac.org",
        "languages": "English",
    },
    {
        "slug": "ncprs-credential",
        "name": "National Certified Peer Recovery Specialist (NCPRS) and similar credentials",
        "kind": "training",
        "offers": (
            "A national credential shows that a peer supporter has completed recognised "
            "training and supervised work and follows a code of ethics. Ask a training "
            "provider which national or state credential fits where you will work."
        ),
        "how_to_reach": "Start with your state's certification board or the organisations above.",
        "languages": "English",
    },
    {
        "slug": "ohio-peer-recovery-supporter",
        "name": "Ohio Peer Recovery Supporter certification",
        "kind": "state",
        "offers": (
            "Ohio's Department of Mental Health and Addiction Services trains and certifies "
            "peer recovery supporters, who may then work in certified treatment and "
            "recovery services across the state."
        ),
        "website": "https://mha.ohio.gov",
        "languages": "English",
    },
]
