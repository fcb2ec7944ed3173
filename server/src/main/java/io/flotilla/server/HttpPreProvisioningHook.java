package io.flotilla.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flotilla.core.json.Json;
import io.flotilla.core.provisioning.PreProvisioningHook;
import io.flotilla.core.provisioning.SymmetricKeyProof;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pre-provisioning hook over HTTP: the request is POSTed as JSON with {@code X-Flotilla-Signature:
 * sha256=<hex HMAC-SHA256(secret, body)>}; a 2xx answer {@code {"allow":true|false,"reason":…,"deviceId":…,
 * "tags":{…},"profile":…}} decides. No answer within {@link #TIMEOUT}, another status or another body denies, with
 * a reason that says which.
 */
final class HttpPreProvisioningHook implements PreProvisioningHook {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final String SIGNATURE_HEADER = "X-Flotilla-Signature";
  private static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(HttpPreProvisioningHook.class);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER).build();

  @Override
  public Decision ask(String url, byte[] secret, ObjectNode request) {
    byte[] body = Json.canonical(request).getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> response;
    try {
      response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
          .header("Content-Type", "application/json").header(SIGNATURE_HEADER, "sha256=" + sign(secret, body))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return deny(url, "the pre-provisioning hook did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      return deny(url, "the pre-provisioning hook could not be reached (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return deny(url, "the request to the pre-provisioning hook was interrupted");
    }
    if (response.statusCode() / 100 != 2) {
      return deny(url, "the pre-provisioning hook answered HTTP " + response.statusCode());
    }
    if (response.body().length > MAX_ANSWER_BYTES) {
      return deny(url, "the pre-provisioning hook's answer is larger than " + MAX_ANSWER_BYTES + " bytes");
    }
    JsonNode answer;
    try {
      answer = Json.MAPPER.readTree(response.body());
    } catch (IOException e) {
      return deny(url, "the pre-provisioning hook's answer is not JSON");
    }
    if (answer == null || !answer.path("allow").isBoolean()) {
      return deny(url, "the pre-provisioning hook's answer has no \"allow\": true or false");
    }
    if (!answer.path("allow").booleanValue()) {
      String reason = answer.path("reason").isTextual() ? answer.path("reason").asText() : "no reason given";
      return new Decision.Deny(reason.length() > 500 ? reason.substring(0, 500) : reason);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    answer.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
    return new Decision.Allow(text(answer, "deviceId"), tags, text(answer, "profile"));
  }

  private static Optional<String> text(JsonNode answer, String field) {
    return answer.path(field).isTextual() ? Optional.of(answer.path(field).asText()) : Optional.empty();
  }

  private static Decision deny(String url, String reason) {
    LOG.warn("Denied a provisioning request: {} ({})", reason, URI.create(url).getHost());
    return new Decision.Deny(reason);
  }

  static String sign(byte[] secret, byte[] body) {
    return HexFormat.of().formatHex(SymmetricKeyProof.hmacSha256(secret, body));
  }
}
