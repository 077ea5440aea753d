package io.github.infisicaljca.cli;

import io.github.infisicaljca.InfisicalConfig;
import io.github.infisicaljca.cli.DoctorReport.Diagnosis;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** {@code doctor}'s reachability steps: DNS, TCP and the TLS handshake, each bounded by the connect timeout. */
final class DoctorNetwork {
    private final InfisicalConfig config;
    private final DoctorReport report;
    private final String host;
    private final int port;
    private final int timeoutMillis;
    private InetAddress[] addresses;
    private InetAddress connected;

    DoctorNetwork(InfisicalConfig config, DoctorReport report) {
        this.config = config;
        this.report = report;
        URI url = config.url();
        this.host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        this.port = url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
        this.timeoutMillis = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
    }

    /** Steps 2 to 4; false when one failed (the later steps would only repeat it). */
    boolean check() {
        return dns() && tcp() && tls();
    }

    private boolean dns() {
        report.step(2, "DNS: resolve " + host);
        FutureTask<InetAddress[]> lookup = new FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread t = new Thread(lookup, "doctor-dns");
        t.setDaemon(true);
        t.start();
        try {
            addresses = lookup.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            report.failed("no answer within " + timeoutMillis + " ms", new Diagnosis(
                    "the DNS server is unreachable or slow", "check the resolver (/etc/resolv.conf, VPN, proxy)"));
            return false;
        } catch (ExecutionException e) {
            Diagnosis d = e.getCause() instanceof UnknownHostException
                    ? new Diagnosis("the host name does not exist, or this machine's DNS cannot see it (internal name"
                            + " outside the VPN?)", "check the host in INFISICAL_URL; try 'nslookup " + host + "'")
                    : new Diagnosis("the lookup failed", "check the host in INFISICAL_URL and the resolver");
            report.failed("cannot resolve " + host + ": " + DoctorReport.oneLine(e.getCause()), d);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.failed("interrupted", new Diagnosis("doctor was interrupted", "run it again"));
            return false;
        }
        report.ok(host + " -> " + String.join(", ", Arrays.stream(addresses).map(InetAddress::getHostAddress).toList()));
        return true;
    }

    private boolean tcp() {
        report.step(3, "TCP: connect to port " + port + " (timeout " + timeoutMillis + " ms)");
        IOException last = null;
        for (InetAddress a : addresses) {
            try (Socket s = new Socket()) {
                long start = System.nanoTime();
                s.connect(new InetSocketAddress(a, port), timeoutMillis);
                connected = a;
                report.ok("connected to " + a.getHostAddress() + ":" + port + " in "
                        + String.format("%.1f ms", (System.nanoTime() - start) / 1e6));
                return true;
            } catch (IOException e) {
                last = e;
                report.detail(a.getHostAddress() + ":" + port + ": " + DoctorReport.oneLine(e));
            }
        }
        Diagnosis d;
        if (last instanceof ConnectException && !(last instanceof NoRouteToHostException)) {
            d = new Diagnosis("nothing listens on " + host + ":" + port + ": the server is down, or the port in"
                    + " INFISICAL_URL is wrong", "start the server (./infisical-jca dev-server for the emulator) or fix"
                    + " the port in INFISICAL_URL");
        } else if (last instanceof SocketTimeoutException) {
            d = new Diagnosis("no answer within " + timeoutMillis + " ms: a firewall drops the traffic, or the host"
                    + " is down", "check firewalls, security groups and proxies between here and " + host);
        } else {
            d = new Diagnosis("no route to " + host + ": network or VPN problem",
                    "check the network path (VPN connected? proxy needed?)");
        }
        report.failed("cannot connect to " + host + ":" + port, d);
        return false;
    }

    private boolean tls() {
        report.step(4, "TLS handshake");
        if (!"https".equals(config.url().getScheme())) {
            report.skipped("http:// has no TLS" + (connected != null && connected.isLoopbackAddress()
                    ? " (fine for a local server such as the emulator)"
                    : "; use https:// for anything but a local test server"));
            return true;
        }
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(connected, port), timeoutMillis);
            plain.setSoTimeout(timeoutMillis);
            SSLContext ctx = context(config.caCertificates());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, false)) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                X509Certificate cert = (X509Certificate) s.getSession().getPeerCertificates()[0];
                report.detail("trust: " + (config.caCertificates().isEmpty() ? "the JDK's trust store"
                        : "infisical.caCertPath " + config.caCertPath().map(Object::toString).orElse("")));
                report.detail("subject: " + cert.getSubjectX500Principal().getName());
                report.detail("issuer:  " + cert.getIssuerX500Principal().getName());
                report.detail("expires: " + cert.getNotAfter().toInstant());
                report.ok(s.getSession().getProtocol() + " " + s.getSession().getCipherSuite());
                return true;
            }
        } catch (IOException | GeneralSecurityException e) {
            report.failed("handshake with " + host + ":" + port + " failed: " + DoctorReport.oneLine(e),
                    DoctorReport.tls(e));
            return false;
        }
    }

    private static SSLContext context(List<X509Certificate> cas) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (cas.isEmpty()) {
            ctx.init(null, null, null);
            return ctx;
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            trust.setCertificateEntry("ca-" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
