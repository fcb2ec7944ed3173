/**
 * Benchmarks that measure Flotilla through its real services and stores, each a picocli command
 * that {@code flotilla bench} runs as a subcommand. They print progress to stderr and one
 * Markdown table to stdout, ready to paste into the README. Nothing here is null unless typed
 * Optional.
 */
package io.flotilla.tools.bench;
