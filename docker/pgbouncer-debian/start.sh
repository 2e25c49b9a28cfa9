#!/bin/sh
# PgBouncer in transaction mode (its most common mode, and what RDS Proxy does): a server connection
# is lent for one transaction, so no session state survives between two. Every database of
# DB_HOST:DB_PORT is reachable through it, as DB_USER with DB_PASSWORD (SCRAM on both sides).
# Listens on LISTEN_HOST (127.0.0.1):PORT (6432). Fails fast instead of queueing: a query waiting
# longer than 3 s for a server connection (PostgreSQL down) gets an error, and a failed login to
# PostgreSQL is retried after 1 s, so that the API answers 503 during an outage and serves at once after.
set -eu
: "${DB_USER:?}" "${DB_PASSWORD:?}"
dir=$(mktemp -d)
printf '"%s" "%s"\n' "$DB_USER" "$DB_PASSWORD" >"$dir/userlist.txt"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=${DB_HOST:-127.0.0.1} port=${DB_PORT:-5432}

[pgbouncer]
listen_addr = ${LISTEN_HOST:-127.0.0.1}
listen_port = ${PORT}
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
pool_mode = transaction
max_client_conn = 1000
default_pool_size = ${POOL_SIZE:-20}
server_login_retry = 1
server_connect_timeout = 3
query_wait_timeout = 3
log_connections = 0
log_disconnections = 0
INI
exec /usr/sbin/pgbouncer "$dir/pgbouncer.ini"
