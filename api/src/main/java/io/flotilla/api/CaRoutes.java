package io.flotilla.api;

import io.flotilla.core.ca.Crl;
import io.flotilla.core.service.TenantCaService;
import io.javalin.http.Context;
import java.util.List;

/** {@code /api/v1/ca}: the caller's tenant CA, for whoever must trust its device certificates, and its CRL. */
final class CaRoutes {
  static final String PEM = "application/x-pem-file";
  static final String DER_CRL = "application/pkix-crl";

  private final TenantCaService cas;

  CaRoutes(TenantCaService cas) {
    this.cas = cas;
  }

  List<Route> routes() {
    Routes r = new Routes("ca");
    r.get("/api/v1/ca/certificate", "tenantCaCertificate",
        "The tenant CA's certificate (PEM); the CA is created on first use", this::certificate).produces(PEM).add();
    r.get("/api/v1/ca/crl", "tenantCaCrl",
        "A fresh CRL of the tenant CA with every revoked, unexpired certificate; valid 24 hours, its CRL number "
            + "higher than the last", this::crl)
        .query("format", "string", "der (default, application/pkix-crl) or pem (application/x-pem-file)")
        .produces(DER_CRL, PEM).add();
    return r.all();
  }

  private void certificate(Context ctx) {
    ctx.contentType(PEM).result(cas.certificate(Authentication.principal(ctx)).certificatePem());
  }

  private void crl(Context ctx) {
    String format = ctx.queryParamAsClass("format", String.class).getOrDefault("der");
    if (!format.equals("der") && !format.equals("pem")) {
      throw new BadRequestException("format must be der or pem, not '" + format + "'");
    }
    Crl crl = cas.crl(Authentication.principal(ctx));
    ctx.header("Cache-Control", "no-cache");
    if (format.equals("pem")) {
      ctx.contentType(PEM).result(crl.pem());
    } else {
      ctx.contentType(DER_CRL).result(crl.der());
    }
  }
}
