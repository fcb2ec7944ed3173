/**
 * The {@code flotilla} command line: the only code that writes to stdout and stderr directly.
 * Nothing here is null unless typed Optional.
 */
package io.flotilla.cli;
