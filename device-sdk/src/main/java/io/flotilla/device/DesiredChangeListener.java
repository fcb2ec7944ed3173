package io.flotilla.device;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Told when the platform publishes a twin delta: the desired properties that differ from reported,
 * and the twin version they belong to. Typically the device applies what it can and reports it back
 * with {@link FlotillaDevice#reportTwin}. Runs on a virtual thread of its own, so it may block.
 */
@FunctionalInterface
public interface DesiredChangeListener {
  /** Called with the desired properties that differ from reported, and the twin version they belong to. */
  void onDesiredChanged(ObjectNode delta, long version);
}
