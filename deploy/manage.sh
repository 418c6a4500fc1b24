#!/bin/sh
# Run a management command with the site's production environment: for cron and operators.
#   /srv/directory/deploy/manage.sh purge_referrals
# The environment file is /etc/directory/env unless DIRECTORY_ENV names another.
set -eu
set -a
. "${DIRECTORY_ENV:-/etc/directory/env}"
set +a
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py "$@"
