-- Panel's five databases, one per service (a service never reads another's).
-- Run by the postgres image once, when its data volume is empty (docker-entrypoint-initdb.d),
-- as POSTGRES_USER, who owns them. The tables come from each image's --migrate run.
CREATE DATABASE membershipdb;
CREATE DATABASE surveysdb;
CREATE DATABASE feedbackdb;
CREATE DATABASE reportingdb;
CREATE DATABASE gatewaydb;
