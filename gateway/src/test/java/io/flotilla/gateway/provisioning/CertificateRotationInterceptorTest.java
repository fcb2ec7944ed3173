package io.flotilla.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CertificateRotationInterceptorTest {
  /** Only {@code devices/{id}/certificates/rotate} is a rotation request; its answers and look-alikes are not. */
  @Test
  void takesOnlyTheRotateTopic() {
    assertThat(CertificateRotationInterceptor.rotateTarget("devices/pump-1/certificates/rotate")).contains("pump-1");
    assertThat(CertificateRotationInterceptor.rotateTarget("devices/pump-1/certificates/rotate/accepted")).isEmpty();
    assertThat(CertificateRotationInterceptor.rotateTarget("devices/a/b/certificates/rotate")).isEmpty();
    assertThat(CertificateRotationInterceptor.rotateTarget("devices//certificates/rotate")).isEmpty();
    assertThat(CertificateRotationInterceptor.rotateTarget("fleet/pump-1/certificates/rotate")).isEmpty();
    assertThat(CertificateRotationInterceptor.rotateTarget("devices/pump-1/telemetry")).isEmpty();
  }
}
