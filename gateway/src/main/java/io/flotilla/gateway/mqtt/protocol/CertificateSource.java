package io.flotilla.gateway.mqtt.protocol;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Where a connection's TLS client certificate chain comes from, read when its CONNECT arrives. */
@FunctionalInterface
public interface CertificateSource {

  Optional<List<X509Certificate>> certificates(Channel channel);

  /** No certificates: plain TCP. */
  CertificateSource NONE = channel -> Optional.empty();

  /** The verified peer chain of the first {@link SslHandler} in the pipeline, if any and if it has one. */
  CertificateSource SSL_HANDLER = channel -> {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      List<X509Certificate> x509 = new ArrayList<>(chain.length);
      for (Certificate c : chain) {
        if (c instanceof X509Certificate x) {
          x509.add(x);
        }
      }
      return x509.isEmpty() ? Optional.empty() : Optional.of(List.copyOf(x509));
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  };
}
