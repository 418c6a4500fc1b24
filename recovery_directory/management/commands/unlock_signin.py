"""Lift an account's admin sign-in lockout from the command line (as the Users admin does).

axes' own axes_reset_username cannot find lockouts counted per account *and* address in the
cache, so this is the way for an operator without an admin session.
"""

from django.core.management.base import BaseCommand

from recovery_directory.lockout import unlock


class Command(BaseCommand):
    help = "Lift the sign-in lockout of an account, from every address it was locked at."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        lifted = unlock(username)
        if lifted:
            self.stdout.write(f"Lifted {lifted} lockout(s) of {username!r}.")
        else:
            self.stdout.write(f"{username!r} was not locked out.")
