-- How long a device profile's telemetry is kept per tier, in whole days: raw points, 1-minute and 1-hour
-- rollups. The three are written together; NULL in all three means the profile has no retention of its own
-- and follows the platform default, also when a later release changes that default. Profiles written
-- before this migration read that way.
--
-- One ALTER per column: SQLite adds a single column per statement, and PostgreSQL accepts the same, so one
-- script serves both engines. The service checks the values (1 to 36500, each tier at least as long as the
-- finer one), as it does for every other column.

ALTER TABLE device_profiles ADD COLUMN retention_raw_days INTEGER;
ALTER TABLE device_profiles ADD COLUMN retention_minute_days INTEGER;
ALTER TABLE device_profiles ADD COLUMN retention_hour_days INTEGER;
