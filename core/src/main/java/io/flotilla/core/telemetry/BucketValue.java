package io.flotilla.core.telemetry;

import java.time.Instant;
import java.util.Map;

/**
 * The aggregates of one key in one bucket.
 *
 * @param values one entry per asked aggregate; COUNT as a double too
 */
public record BucketValue(String key, Instant bucketStart, Map<Aggregate, Double> values) {
  public BucketValue {
    values = Map.copyOf(values);
  }
}
