package org.city311.console;

import java.net.URI;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services are, and what the pages may link to.
 *
 * @param services the base URLs of the four services' APIs
 * @param grafanaUrl the operations dashboards, linked from the service-level pages; none when blank
 * @param map the map's optional background tiles: the city's own tile server, never a public one by default
 * @param staffUrl where the staff pages are, when the public pages are served on a host of their own (the public
 *        host routes no staff page): the public pages' "Staff sign-in" link goes there; the same host when blank
 */
@ConfigurationProperties("console")
public record ConsoleProperties(Services services, String grafanaUrl, Map map, String staffUrl) {

    public ConsoleProperties {
        grafanaUrl = grafanaUrl == null || grafanaUrl.isBlank() ? null : grafanaUrl;
        staffUrl = staffUrl == null || staffUrl.isBlank() ? "" : staffUrl.replaceAll("/+$", "");
        map = map == null ? new Map(null, null, List.of()) : map;
    }

    public record Services(@DefaultValue("http://localhost:8081") URI request,
            @DefaultValue("http://localhost:8082") URI routing, @DefaultValue("http://localhost:8083") URI feedback,
            @DefaultValue("http://localhost:8084") URI metrics) {
    }

    /**
     * @param tileUrl a tile URL template ({@code https://tiles.city.example/{z}/{x}/{y}.png}); without it the map
     *        shows the district outlines only, which needs no network beyond the console
     * @param tileAttribution the attribution the tile server's licence asks for
     * @param connectSources extra origins the map may load tiles from (derived from tileUrl when empty)
     */
    public record Map(String tileUrl, String tileAttribution, List<String> connectSources) {

        public Map {
            tileUrl = tileUrl == null || tileUrl.isBlank() ? null : tileUrl;
            connectSources = connectSources == null ? List.of() : List.copyOf(connectSources);
        }

        /** The tile server's origin, for the Content-Security-Policy's img-src; null without tiles. */
        public String tileOrigin() {
            if (tileUrl == null) {
                return null;
            }
            URI uri = URI.create(tileUrl.replace("{", "").replace("}", ""));
            return uri.getScheme() + "://" + uri.getRawAuthority();
        }
    }
}
