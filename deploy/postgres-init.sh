#!/bin/sh
# One database and one owner per service, so no service can read another's tables.
# Run once by the postgres image on an empty data volume; the passwords come from the
# environment (the same variables the services' database URLs use).
set -eu
for service in intake dispatch shelter notify; do
    var=$(echo "${service}_DB_PASSWORD" | tr '[:lower:]' '[:upper:]')
    eval "password=\${$var:-$service}"
    psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
        -v name="$service" -v password="$password" <<'SQL'
CREATE USER :"name" PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
