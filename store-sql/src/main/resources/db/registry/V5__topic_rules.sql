-- Tenant topic ACL rules: the ordinary topics a tenant's devices may publish and subscribe to besides their
-- own namespace devices/{deviceId}/#. The device gateway holds every rule in memory.
--
-- topic_filter is an MQTT topic filter that may contain {deviceId} as a whole level; the service refuses
-- filters under devices/ or $…, or starting with a wildcard.
-- actions is a JSON array of "publish" and "subscribe".
-- profile_id limits the rule to devices of that profile; NULL applies it to every device of the tenant. It is
-- not a foreign key (a device's profile is not one either): the services check it both ways.

CREATE TABLE topic_rules (
  tenant_id ${key_text} NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id ${key_text} NOT NULL,
  description TEXT NOT NULL,
  topic_filter TEXT NOT NULL,
  actions TEXT NOT NULL,
  profile_id ${key_text},
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
