/**
 * The server's settings: one enum of keys ({@link io.flotilla.server.config.Setting}), loaded
 * once by {@link io.flotilla.server.config.ConfigLoader} into the immutable
 * {@link io.flotilla.server.config.ServerConfig}. Precedence: defaults &lt; config file &lt;
 * {@code FLOTILLA_*} environment &lt; command-line flags. Nothing here is null unless typed
 * Optional.
 */
package io.flotilla.server.config;
