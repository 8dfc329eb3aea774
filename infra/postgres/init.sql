-- Runs once, on the first start of an empty data volume (docker-entrypoint-initdb.d).
-- One database per service: a service owns its data and its migrations, and no service can join
-- another's tables by accident. Names match SERVICE_DEFAULTS.database in services/<name>/src/config.ts
-- (test/infra/compose.spec.ts fails when they drift apart).
CREATE DATABASE casebook_chatbot;
CREATE DATABASE casebook_query;
CREATE DATABASE casebook_moderation;
