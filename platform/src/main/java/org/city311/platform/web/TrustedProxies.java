package org.city311.platform.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;

/**
 * The proxies whose word is taken for the client's address, and the reading of that word. A request that comes
 * straight from a client is that client's, whatever headers it sends. A request from a trusted proxy is read from
 * the right: the proxy's own peer is the last hop of {@code X-Forwarded-For} (or, when that header is absent, the
 * last {@code for=} of {@code Forwarded}); a hop that is itself a trusted proxy hands over to the hop before it. The
 * client is the first hop, from the right, that is not a trusted proxy: what a client wrote further left is never
 * read, so a proxy that appends to the header is as safe as one that overwrites it.
 * <p>
 * Only IP literals are read: a name, {@code unknown} or an obfuscated identifier ends the reading at the last
 * address known, and nothing here ever asks DNS.
 */
public final class TrustedProxies {

    /** Hops read at most, from the right: the header's length is the client's to choose. */
    static final int MAX_HOPS = 32;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<Range> ranges;

    /** @param cidrs CIDRs or single addresses; one that is not an IP literal or range fails here, at start */
    public TrustedProxies(List<String> cidrs) {
        this.ranges = cidrs.stream().map(Range::parse).toList();
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    public boolean contains(InetAddress address) {
        return address != null && ranges.stream().anyMatch(range -> range.contains(address));
    }

    /**
     * The client a request comes from.
     *
     * @param peer the address at the other end of the connection
     * @param headers the request's headers, read only when the peer is a trusted proxy
     */
    public InetAddress client(InetAddress peer, HttpHeaders headers) {
        if (!contains(peer)) {
            return peer;
        }
        List<String> hops = hops(headers);
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0 && hops.size() - i <= MAX_HOPS && contains(client); i--) {
            InetAddress hop = literal(node(hops.get(i)));
            if (hop == null) {
                break;
            }
            client = hop;
        }
        return client;
    }

    /** The forwarded hops, leftmost first: X-Forwarded-For's when present, else Forwarded's {@code for=}. */
    private static List<String> hops(HttpHeaders headers) {
        List<String> hops = new ArrayList<>();
        List<String> forwardedFor = headers.getValuesAsList("X-Forwarded-For");
        if (!forwardedFor.isEmpty()) {
            hops.addAll(forwardedFor);
            return hops;
        }
        for (String line : headers.getOrEmpty("Forwarded")) {
            for (String element : line.split(",")) {
                String node = "unknown";
                for (String pair : element.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase("for")) {
                        node = pair.substring(equals + 1).strip();
                    }
                }
                hops.add(node);
            }
        }
        return hops;
    }

    /** A node without its quotes and port: {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}. */
    private static String node(String hop) {
        String node = hop.strip();
        if (node.length() >= 2 && node.startsWith("\"") && node.endsWith("\"")) {
            node = node.substring(1, node.length() - 1);
        }
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            return close > 0 ? node.substring(1, close) : node;
        }
        int colon = node.indexOf(':');
        return colon > 0 && colon == node.lastIndexOf(':') ? node.substring(0, colon) : node;
    }

    /** The address an IP literal names, or null for anything else (a name is never looked up). */
    static InetAddress literal(String text) {
        try {
            var ipv4 = IPV4.matcher(text);
            if (ipv4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(ipv4.group(i + 1));
                    if (part > 255) {
                        return null;
                    }
                    bytes[i] = (byte) part;
                }
                return InetAddress.getByAddress(bytes);
            }
            // with a colon, the JDK reads an IPv6 literal and never asks DNS (an invalid one is an exception)
            if (text.indexOf(':') >= 0 && IPV6.matcher(text).matches()) {
                return InetAddress.getByName(text);
            }
        }
        catch (UnknownHostException | NumberFormatException ex) {
            return null;
        }
        return null;
    }

    /** An address and the number of its leading bits that must match. */
    private record Range(byte[] network, int bits) {

        static Range parse(String cidr) {
            String[] parts = cidr.strip().split("/", 2);
            InetAddress address = literal(parts[0].strip());
            if (address == null) {
                throw new IllegalArgumentException("city311.web.trusted-proxies: '" + cidr
                        + "' is not an IP address or a CIDR such as 10.244.0.0/16");
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (parts.length == 2) {
                try {
                    bits = Integer.parseInt(parts[1].strip());
                }
                catch (NumberFormatException ex) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("city311.web.trusted-proxies: '" + cidr
                            + "' needs a prefix length from 0 to " + max);
                }
            }
            return new Range(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[whole] & mask) == (network[whole] & mask);
        }
    }
}
