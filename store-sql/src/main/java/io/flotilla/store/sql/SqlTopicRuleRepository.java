package io.flotilla.store.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.flotilla.core.acl.TopicAction;
import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.json.Json;
import io.flotilla.core.store.DuplicateKeyException;
import io.flotilla.core.store.StoreException;
import io.flotilla.core.store.TopicRuleRepository;
import io.flotilla.core.tenant.TenantId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

final class SqlTopicRuleRepository implements TopicRuleRepository {
  private static final String COLUMNS =
      "tenant_id, id, description, topic_filter, actions, profile_id, created_at, updated_at, version";

  private final JdbcSession sql;

  SqlTopicRuleRepository(JdbcSession sql) {
    this.sql = sql;
  }

  @Override
  public void insert(TopicRule rule) {
    int inserted = sql.update("INSERT INTO topic_rules (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING",
        rule.tenant().value(), rule.id(), rule.description(), rule.topicFilter(), actions(rule.actions()),
        rule.profileId().orElse(null), Millis.of(rule.createdAt()), Millis.of(rule.updatedAt()), rule.version());
    if (inserted == 0) {
      throw new DuplicateKeyException("topic rule '" + rule.id() + "' exists already in tenant '" + rule.tenant()
          + "'", null);
    }
  }

  @Override
  public Optional<TopicRule> find(TenantId tenant, String id) {
    return sql.one("SELECT " + COLUMNS + " FROM topic_rules WHERE tenant_id = ? AND id = ?",
        SqlTopicRuleRepository::map, tenant.value(), id);
  }

  @Override
  public List<TopicRule> list(TenantId tenant) {
    return sql.list("SELECT " + COLUMNS + " FROM topic_rules WHERE tenant_id = ? ORDER BY id",
        SqlTopicRuleRepository::map, tenant.value());
  }

  @Override
  public List<TopicRule> listAll() {
    return sql.list("SELECT " + COLUMNS + " FROM topic_rules ORDER BY tenant_id, id", SqlTopicRuleRepository::map);
  }

  @Override
  public long count(TenantId tenant) {
    return sql.count("SELECT COUNT(*) FROM topic_rules WHERE tenant_id = ?", tenant.value());
  }

  @Override
  public boolean update(TopicRule rule, long expectedVersion) {
    return sql.update("UPDATE topic_rules SET description = ?, topic_filter = ?, actions = ?, profile_id = ?, "
            + "created_at = ?, updated_at = ?, version = ? WHERE tenant_id = ? AND id = ? AND version = ?",
        rule.description(), rule.topicFilter(), actions(rule.actions()), rule.profileId().orElse(null),
        Millis.of(rule.createdAt()), Millis.of(rule.updatedAt()), rule.version(), rule.tenant().value(), rule.id(),
        expectedVersion) == 1;
  }

  @Override
  public boolean delete(TenantId tenant, String id) {
    return sql.update("DELETE FROM topic_rules WHERE tenant_id = ? AND id = ?", tenant.value(), id) == 1;
  }

  private static String actions(Set<TopicAction> actions) {
    ArrayNode array = Json.array();
    for (TopicAction action : TopicAction.values()) {
      if (actions.contains(action)) {
        array.add(action.wireName());
      }
    }
    return Json.write(array);
  }

  private static Set<TopicAction> actions(String text) {
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      Set<TopicAction> actions = EnumSet.noneOf(TopicAction.class);
      if (node instanceof ArrayNode array) {
        array.forEach(a -> actions.add(TopicAction.fromWire("topic_rules.actions", a.asText())));
        return actions;
      }
    } catch (JsonProcessingException e) {
      throw corrupt(e);
    }
    throw corrupt(null);
  }

  private static TopicRule map(ResultSet row) throws SQLException {
    return new TopicRule(new TenantId(row.getString("tenant_id")), row.getString("id"), row.getString("description"),
        row.getString("topic_filter"), actions(row.getString("actions")),
        Optional.ofNullable(row.getString("profile_id")), Millis.read(row, "created_at"),
        Millis.read(row, "updated_at"), row.getLong("version"));
  }

  private static StoreException corrupt(Exception cause) {
    return new StoreException("The registry database holds a value in topic_rules.actions that is not a JSON "
        + "array of actions; the row was changed outside Flotilla", cause);
  }
}
