"""Open data: the shared formats this directory reads and writes.

- `meeting_guide`: the Meeting Guide JSON feed (export at /meetings.json, and import).
- `findtreatment`: SAMHSA FindTreatment.gov facility downloads (import).
- `hsds`: Open Referral HSDS 3.0 (read-only API under /api/hsds/).
- `summary`: what every importer reports back.
"""
