#!/bin/sh
# The nightly database backup: a custom-format pg_dump, kept BACKUP_DAYS days (default 35).
#   /srv/directory/deploy/backup.sh
# Reads DATABASE_URL from the environment file (/etc/directory/env, or DIRECTORY_ENV) and
# writes to BACKUP_DIR (default /var/backups/directory). The referral key ring is never in
# the dump: keep it elsewhere (docs/operations.md, "Backup and restore").
set -eu
set -a
. "${DIRECTORY_ENV:-/etc/directory/env}"
set +a
dir="${BACKUP_DIR:-/var/backups/directory}"
days="${BACKUP_DAYS:-35}"
mkdir -p "$dir"
file="$dir/directory-$(date -u +%Y%m%dT%H%M%SZ).dump"
# Written under another name first, so a failed run never leaves a dump that looks whole.
"${PG_DUMP:-pg_dump}" --format=custom --file="$file.part" --dbname="$DATABASE_URL"
mv "$file.part" "$file"
find "$dir" -name 'directory-*.dump' -mtime +"$days" -delete
echo "$file"
