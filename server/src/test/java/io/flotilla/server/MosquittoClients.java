package io.flotilla.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs Debian's mosquitto_pub and mosquitto_sub as a user would, with a time limit. */
final class MosquittoClients {
  // Each client's output is read on a thread of its own: the common pool has one thread on two
  // cores, and a background subscriber's read would block every later client's.
  private static final java.util.concurrent.ExecutorService READERS =
      java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

  private MosquittoClients() {}

  /** What a finished client printed and returned. */
  record Run(int exitCode, String output) {}

  /** Runs a client to completion (at most 20 s). */
  static Run run(String... command) {
    return finish(start(command));
  }

  /** Starts a client in the background; {@link #finish} collects it. */
  static Started start(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }, READERS);
      return new Started(process, output);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command[0] + "; is mosquitto-clients installed?", e);
    }
  }

  static Run finish(Started started) {
    try {
      if (!started.process().waitFor(20, TimeUnit.SECONDS)) {
        started.process().destroyForcibly();
        throw new IllegalStateException("the client did not finish within 20 s");
      }
      return new Run(started.process().exitValue(), started.output().get(5, TimeUnit.SECONDS));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The usual connection arguments: port, protocol version, client id, user and password. */
  static List<String> args(String tool, int port, String version, String clientId, String user, String password) {
    List<String> args = new ArrayList<>(List.of(tool, "-h", "127.0.0.1", "-p", Integer.toString(port), "-V", version,
        "-i", clientId));
    if (user != null) {
      args.addAll(List.of("-u", user, "-P", password));
    }
    return args;
  }

  /** A client started in the background. */
  record Started(Process process, CompletableFuture<String> output) {}
}
