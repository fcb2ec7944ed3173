package io.flotilla.gateway.mqtt.session;

/**
 * A publishing connection that can stop being read from for a while: a session whose queue grows long
 * while its client is online pauses the publishers feeding it and resumes them once it has drained, so
 * a fast publisher slows down to the pace of its subscribers instead of their messages being dropped.
 */
public interface Throttle {

  /** Stop reading from this publisher; called on its own event loop while it publishes. */
  void pause();

  /** One session that paused this publisher has drained; may be called from any thread. */
  void resume();
}
