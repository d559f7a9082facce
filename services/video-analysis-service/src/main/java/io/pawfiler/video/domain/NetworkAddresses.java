package io.pawfiler.video.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which addresses a server-side fetch must never reach (SSRF): anything that is not a public unicast address,
 * i.e. this host, the private networks behind it, link-local (where cloud metadata services such as
 * 169.254.169.254 live), carrier-grade NAT, multicast and reserved ranges. IPv6 forms that embed an IPv4 address
 * (mapped, compatible, NAT64, 6to4) are judged by the embedded address.
 */
public final class NetworkAddresses {

    private NetworkAddresses() {
    }

    /** Why {@code address} must not be fetched from, or empty when it is a public address. */
    public static Optional<String> forbidden(InetAddress address) {
        if (address instanceof Inet4Address v4) {
            return forbidden4(v4.getAddress());
        }
        if (address instanceof Inet6Address v6) {
            return forbidden6(v6);
        }
        return Optional.of("an unknown address family");
    }

    private static Optional<String> forbidden4(byte[] a) {
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        if (b0 == 127) {
            return Optional.of("a loopback address");
        }
        if (b0 == 0) {
            return Optional.of("an any-local / \"this network\" address");
        }
        if (b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)) {
            return Optional.of("a private address");
        }
        if (b0 == 169 && b1 == 254) {
            return Optional.of("a link-local address");
        }
        if (b0 == 100 && (b1 & 0xC0) == 64) {
            return Optional.of("a carrier-grade NAT address");
        }
        if (b0 >= 224 && b0 <= 239) {
            return Optional.of("a multicast address");
        }
        if (b0 >= 240) {
            return Optional.of("a reserved or broadcast address");
        }
        if ((b0 == 192 && b1 == 0 && (a[2] & 0xFF) == 0) || (b0 == 198 && (b1 & 0xFE) == 18)) {
            return Optional.of("a special-purpose address");
        }
        return Optional.empty();
    }

    private static Optional<String> forbidden6(Inet6Address v6) {
        byte[] a = v6.getAddress();
        if (v6.isAnyLocalAddress()) {
            return Optional.of("an any-local address");
        }
        if (v6.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        int b0 = a[0] & 0xFF;
        int b1 = a[1] & 0xFF;
        if (b0 == 0xFF) {
            return Optional.of("a multicast address");
        }
        if (b0 == 0xFE && (b1 & 0xC0) == 0x80) {
            return Optional.of("a link-local address");
        }
        if (b0 == 0xFE && (b1 & 0xC0) == 0xC0) {
            return Optional.of("a site-local address");
        }
        if ((b0 & 0xFE) == 0xFC) {
            return Optional.of("a unique local (private) address");
        }
        // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible), 64:ff9b::a.b.c.d (NAT64): the last four bytes
        if (allZero(a, 0, 10) && (((a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF) || (a[10] == 0 && a[11] == 0))
                || (b0 == 0x00 && b1 == 0x64 && (a[2] & 0xFF) == 0xFF && (a[3] & 0xFF) == 0x9B && allZero(a, 4, 12))) {
            return forbidden4(new byte[] {a[12], a[13], a[14], a[15]});
        }
        if (b0 == 0x20 && b1 == 0x02) {  // 6to4: 2002:a.b.c.d::/48
            return forbidden4(new byte[] {a[2], a[3], a[4], a[5]});
        }
        return Optional.empty();
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** For tests and messages: an address literal without a DNS lookup. */
    public static InetAddress literal(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }
}
