"""Confidential referrals: a person asks to be contacted about a program or treatment centre.

Everything a person types is encrypted before it reaches the database (`crypto`), writes with
side effects go through `services`, and only the "Referral coordinators" group can read them
in the admin, where every look is recorded.
"""
