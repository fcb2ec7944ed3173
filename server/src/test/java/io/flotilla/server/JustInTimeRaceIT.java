package io.flotilla.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.core.service.DeviceAuthentication;
import io.flotilla.store.sql.TemporaryPostgresDatabase;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connects that race with the same new certificate register one device, on PostgreSQL (where transactions
 * really run side by side): the database's uniqueness decides, and every racer is let in as that device.
 */
@Timeout(120)
class JustInTimeRaceIT {
  @TempDir
  Path dataDir;
  @TempDir
  Path work;
  TemporaryPostgresDatabase database;
  FlotillaServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (database != null) {
      database.close();
    }
  }

  @Test
  void racingConnectsWithOneNewCertificateRegisterOneDevice() throws Exception {
    database = TemporaryPostgresDatabase.create();
    server = TestServers.start(dataDir, Optional.of(database.jdbcUrl()));
    ApiClient admin = new ApiClient(server.httpPort(), Optional.of(TestServers.ADMIN_TOKEN));
    admin.post("/api/v1/device-profiles", "{\"id\":\"meter\"}");
    OwnCa ca = OwnCa.make(work, "acme-ca", "/CN=Acme Race CA");
    assertThat(ca.register(admin, "{\"profile\":\"meter\"}").status()).isEqualTo(201);
    X509Certificate certificate;
    try (InputStream in = Files.newInputStream(ca.sign("meter-1", "/CN=meter-1"))) {
      certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }

    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<DeviceAuthentication.Result>> results = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return server.services().deviceAuthentication().byCertificate(certificate);
        }));
      }
      start.countDown();
      for (Future<DeviceAuthentication.Result> result : results) {
        assertThat(result.get()).isInstanceOf(DeviceAuthentication.Result.Accepted.class);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(admin.get("/api/v1/devices").json().path("items").findValuesAsText("id")).containsExactly("meter-1");
    assertThat(admin.get("/api/v1/devices/meter-1/credentials").json().path("items")).hasSize(1);
    assertThat(admin.get("/api/v1/audit?limit=100").json().path("items").findValuesAsText("action")
        .stream().filter("device.jit-registered"::equals)).hasSize(1);
  }
}
