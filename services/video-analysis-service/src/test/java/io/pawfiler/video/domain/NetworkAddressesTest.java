package io.pawfiler.video.domain;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.pawfiler.video.domain.NetworkAddresses.forbidden;
import static io.pawfiler.video.domain.NetworkAddresses.literal;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254",                 // loopback
            "0.0.0.0", "0.1.2.3",                          // any-local, "this network"
            "10.0.0.1", "10.255.255.255",                  // private
            "172.16.0.1", "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254", "169.254.0.1",              // link-local, cloud metadata
            "100.64.0.1", "100.127.255.255",               // carrier-grade NAT
            "224.0.0.1", "239.255.255.250",                // multicast
            "240.0.0.1", "255.255.255.255",                // reserved, broadcast
            "198.18.0.1", "192.0.0.8",                     // special purpose
            "::", "::1",                                   // any-local, loopback
            "fe80::1", "febf::1",                          // link-local
            "fec0::1",                                     // site-local (deprecated)
            "fc00::1", "fd12:3456:789a::1",                // unique local
            "ff02::1",                                     // multicast
            "::ffff:127.0.0.1", "::ffff:169.254.169.254",  // IPv4-mapped
            "::10.0.0.1",                                  // IPv4-compatible
            "64:ff9b::a9fe:a9fe",                          // NAT64 of 169.254.169.254
            "2002:c0a8:0101::1",                           // 6to4 of 192.168.1.1
    })
    void refusesEverythingThatIsNotPublic(String address) {
        assertTrue(forbidden(literal(address)).isPresent(), address);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "93.184.216.34",
            "172.15.255.255", "172.32.0.1",                // just outside 172.16/12
            "100.63.255.255", "100.128.0.1",               // just outside 100.64/10
            "169.253.255.255", "11.0.0.1", "192.169.0.1",
            "223.255.255.255",
            "2001:4860:4860::8888", "2606:4700:4700::1111",
            "fbff::1", "fe7f::1",                          // just outside fc00::/7 and fe80::/10
            "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:0808:0808::1",
    })
    void allowsPublicAddresses(String address) {
        assertTrue(forbidden(literal(address)).isEmpty(), address + ": " + forbidden(literal(address)));
    }
}
