package io.flotilla.store.timeseries;

/**
 * Settings of the PostgreSQL engine.
 *
 * @param poolSize            connections in the pool
 * @param partitionPastDays   points up to this many days old get a daily partition; older ones (a device
 *                            sending a long backlog) go to the DEFAULT partition
 * @param partitionFutureDays points up to this many days ahead get a daily partition; later ones (a device
 *                            with a wrong clock) go to the DEFAULT partition until their day comes near
 */
public record PostgresSettings(int poolSize, int partitionPastDays, int partitionFutureDays) {
  public static final PostgresSettings DEFAULTS = new PostgresSettings(8, 35, 2);

  public PostgresSettings {
    if (poolSize < 2 || partitionPastDays < 0 || partitionFutureDays < 0) {
      throw new IllegalArgumentException("poolSize must be at least 2 and the partition windows not negative");
    }
  }
}
