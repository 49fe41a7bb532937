-- One database (and owner) per service: no service can read another's tables.
CREATE USER intake PASSWORD 'intake';
CREATE USER dispatch PASSWORD 'dispatch';
CREATE USER shelter PASSWORD 'shelter';
CREATE USER notify PASSWORD 'notify';
CREATE DATABASE intake OWNER intake;
CREATE DATABASE dispatch OWNER dispatch;
CREATE DATABASE shelter OWNER shelter;
CREATE DATABASE notify OWNER notify;
