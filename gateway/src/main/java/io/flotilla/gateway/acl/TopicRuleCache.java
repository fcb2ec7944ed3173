package io.flotilla.gateway.acl;

import io.flotilla.core.acl.TopicRule;
import io.flotilla.core.event.DomainEvent;
import io.flotilla.core.event.DomainEvents;
import io.flotilla.core.service.TopicRuleService;
import io.flotilla.core.tenant.TenantId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every tenant's topic rules in memory, for {@link TenantRulesAuthorizer} to read on the event loop. Loaded
 * whole when the gateway starts; a tenant's rules are read again, on a thread of the cache's own, when
 * {@value TopicRuleService#RULES_CHANGED} or {@code tenant.deleted} arrives for it. Reloads run one at a time in
 * the order the events came, and each reads the committed state, so the last one leaves the current rules. A
 * reload that fails keeps the previous rules and is retried every {@value #RETRY_SECONDS} seconds.
 */
public final class TopicRuleCache implements Function<String, TenantTopicRules>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicRuleCache.class);
  static final long RETRY_SECONDS = 5;

  private final TopicRuleService rules;
  private final Map<String, TenantTopicRules> byTenant = new ConcurrentHashMap<>();
  private final ScheduledExecutorService reloader = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("flotilla-topic-rules").daemon().factory());
  private volatile AutoCloseable subscription = () -> { };

  private TopicRuleCache(TopicRuleService rules) {
    this.rules = rules;
  }

  /** Subscribes to rule changes, then loads every tenant's rules; returns once they are loaded. */
  public static TopicRuleCache start(TopicRuleService rules, DomainEvents events) {
    TopicRuleCache cache = new TopicRuleCache(rules);
    try {
      cache.subscription = events.subscribe(cache::onEvent);
      cache.reloader.submit(cache::loadAll).get(60, TimeUnit.SECONDS);
      return cache;
    } catch (ExecutionException e) {
      cache.close();
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      cache.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Loading the tenants' topic rules did not finish", e);
    }
  }

  /** The tenant's rules as last loaded; {@link TenantTopicRules#EMPTY} for a tenant without rules. */
  @Override
  public TenantTopicRules apply(String tenant) {
    return byTenant.getOrDefault(tenant, TenantTopicRules.EMPTY);
  }

  /** Waits until the reloads asked for so far are done; for tests and orderly shutdown. */
  public void awaitReloaded() {
    try {
      reloader.submit(() -> { }).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Reloading topic rules did not finish", e);
    }
  }

  private void onEvent(DomainEvent event) {
    if (event.type().equals(TopicRuleService.RULES_CHANGED) || event.type().equals("tenant.deleted")) {
      TenantId tenant = event.tenant();
      reloader.execute(() -> reload(tenant));
    }
  }

  private void loadAll() {
    Map<String, List<TopicRule>> loaded = new LinkedHashMap<>();
    for (TopicRule rule : rules.allRules()) {
      loaded.computeIfAbsent(rule.tenant().value(), t -> new java.util.ArrayList<>()).add(rule);
    }
    Set<String> gone = new HashSet<>(byTenant.keySet());
    gone.removeAll(loaded.keySet());
    loaded.forEach((tenant, list) -> byTenant.put(tenant, TenantTopicRules.of(list)));
    gone.forEach(byTenant::remove);
    LOG.info("Loaded {} topic rules of {} tenants", loaded.values().stream().mapToInt(List::size).sum(),
        loaded.size());
  }

  private void reload(TenantId tenant) {
    try {
      TenantTopicRules fresh = TenantTopicRules.of(rules.rulesOf(tenant));
      if (fresh.isEmpty()) {
        byTenant.remove(tenant.value());
      } else {
        byTenant.put(tenant.value(), fresh);
      }
      LOG.debug("Reloaded the {} topic rules of tenant {}", fresh.size(), tenant);
    } catch (RuntimeException e) {
      LOG.warn("Reloading the topic rules of tenant {} failed; its previous rules stay until a retry in {} s "
          + "succeeds", tenant, RETRY_SECONDS, e);
      if (!reloader.isShutdown()) {
        reloader.schedule(() -> reload(tenant), RETRY_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.debug("Unsubscribing the topic rule cache from domain events failed", e);
    }
    reloader.shutdownNow();
  }
}
