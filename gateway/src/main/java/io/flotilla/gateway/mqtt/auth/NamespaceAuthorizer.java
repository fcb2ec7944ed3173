package io.flotilla.gateway.mqtt.auth;

/**
 * The topic namespace rules every tenant shares. Platform topics live under {@code devices/{deviceId}/…}:
 * <ul>
 *   <li>a {@link ClientIdentity.Kind#DEVICE DEVICE} may publish and subscribe only within
 *       {@code devices/{its deviceId}/#}; a filter that could match another device's topics
 *       ({@code devices/+/…}, {@code devices/#}, {@code #}) is refused;</li>
 *   <li>an {@link ClientIdentity.Kind#APPLICATION APPLICATION} may use every topic of its tenant, a
 *       {@link ClientIdentity.Kind#READ_ONLY_APPLICATION READ_ONLY_APPLICATION} may only subscribe to them;</li>
 *   <li>an {@link ClientIdentity.Kind#ANONYMOUS ANONYMOUS} client may use ordinary topics but nothing that
 *       is or could match a topic under {@code devices/}.</li>
 * </ul>
 * and {@code $provisioning/…} belongs to {@link ClientIdentity.Kind#PROVISIONING PROVISIONING} clients alone:
 * they may publish {@code $provisioning/register} and subscribe within {@code $provisioning/responses/{their
 * client id}/}, and nothing else; no other client publishes or subscribes there (the answers carry credentials).
 * Tenancy itself is not decided here: the broker keeps each tenant's topic space apart.
 */
public final class NamespaceAuthorizer implements MqttAuthorizer {

  private static final String DEVICES = "devices";
  /** The first level of the provisioning topics. */
  public static final String PROVISIONING = "$provisioning";
  /** The one topic provisioning clients publish their requests to. */
  public static final String PROVISIONING_REGISTER = PROVISIONING + "/register";

  @Override
  public boolean mayPublish(ClientIdentity who, String topic) {
    if (who.kind() == ClientIdentity.Kind.PROVISIONING) {
      return topic.equals(PROVISIONING_REGISTER);
    }
    if (firstLevel(topic).equals(PROVISIONING)) {
      return false;
    }
    return switch (who.kind()) {
      case APPLICATION -> true;
      case READ_ONLY_APPLICATION -> false;
      case DEVICE -> withinDevice(topic, who.deviceId().orElseThrow());
      case ANONYMOUS -> !firstLevel(topic).equals(DEVICES);
      case PROVISIONING -> false;
    };
  }

  @Override
  public boolean maySubscribe(ClientIdentity who, String topicFilter) {
    if (who.kind() == ClientIdentity.Kind.PROVISIONING) {
      return withinResponses(topicFilter, who.principal());
    }
    if (firstLevel(topicFilter).equals(PROVISIONING)) {
      return false;
    }
    return switch (who.kind()) {
      case APPLICATION, READ_ONLY_APPLICATION -> true;
      case DEVICE -> withinDevice(topicFilter, who.deviceId().orElseThrow());
      case ANONYMOUS -> {
        String first = firstLevel(topicFilter);
        // "+" and "#" at the first level would also match devices/… topics.
        yield !first.equals(DEVICES) && !first.equals("+") && !first.equals("#");
      }
      case PROVISIONING -> false;
    };
  }

  /** The topic prefix of a provisioning client's answers: {@code $provisioning/responses/{clientId}/}. */
  public static String responsePrefix(String clientId) {
    return PROVISIONING + "/responses/" + clientId + "/";
  }

  /** True when the filter is below {@code $provisioning/responses/{clientId}/}; wildcards only below. */
  private static boolean withinResponses(String topicFilter, String clientId) {
    if (clientId.isEmpty() || clientId.indexOf('/') >= 0 || clientId.indexOf('+') >= 0 || clientId.indexOf('#') >= 0) {
      return false;
    }
    String prefix = responsePrefix(clientId);
    return topicFilter.startsWith(prefix) && topicFilter.length() > prefix.length();
  }

  /** True when the topic or filter is {@code devices/{deviceId}} or below it; wildcards only below. */
  private static boolean withinDevice(String topicOrFilter, String deviceId) {
    if (deviceId.isEmpty() || deviceId.indexOf('/') >= 0 || deviceId.indexOf('+') >= 0 || deviceId.indexOf('#') >= 0) {
      return false; // such an id could not name one namespace; refuse rather than widen it
    }
    String prefix = DEVICES + "/" + deviceId;
    if (!topicOrFilter.startsWith(prefix)) {
      return false;
    }
    return topicOrFilter.length() == prefix.length() || topicOrFilter.charAt(prefix.length()) == '/';
  }

  private static String firstLevel(String topicOrFilter) {
    int slash = topicOrFilter.indexOf('/');
    return slash < 0 ? topicOrFilter : topicOrFilter.substring(0, slash);
  }
}
