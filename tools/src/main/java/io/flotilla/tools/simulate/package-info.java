/**
 * The fleet simulator behind {@code flotilla simulate}: virtual devices built on the device SDK, each
 * with sensors (random walk, sine, step faults, dropouts) that publish at a set rate and answer
 * commands and twin changes. Nothing here is null unless typed Optional.
 */
package io.flotilla.tools.simulate;
