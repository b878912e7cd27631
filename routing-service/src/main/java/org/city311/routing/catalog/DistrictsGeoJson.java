package org.city311.routing.catalog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.stereotype.Component;

/**
 * The catalog's districts as one GeoJSON FeatureCollection, for maps: each district's geometry and properties as
 * its file has them, its {@code code} and {@code name}, and {@code routing}: the district rules that send a
 * service's requests inside it to another department. Written once per catalog in force, with its content hash
 * as the entity tag.
 */
@Component
class DistrictsGeoJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body and its entity tag, for the catalog in force it was written from. */
    record Written(ServiceCatalog.InForce from, byte[] body, String etag) {
    }

    private final ServiceCatalog catalog;
    private final AtomicReference<Written> last = new AtomicReference<>();

    DistrictsGeoJson(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    Written current() {
        ServiceCatalog.InForce inForce = catalog.inForce();
        Written written = last.get();
        if (written == null || written.from() != inForce) {
            written = write(inForce);
            last.set(written);
        }
        return written;
    }

    private static Written write(ServiceCatalog.InForce inForce) {
        Catalog current = inForce.catalog();
        ObjectNode collection = JSON.createObjectNode().put("type", "FeatureCollection");
        ArrayNode features = collection.putArray("features");
        for (Catalog.District district : current.districtMap()) {
            ObjectNode feature = features.addObject().put("type", "Feature");
            ObjectNode properties = feature.putObject("properties");
            district.properties().properties().forEach(property -> properties.set(property.getKey(),
                    property.getValue()));
            properties.put("code", district.code()).put("name", district.name());
            ArrayNode routing = properties.putArray("routing");
            for (Catalog.Rule rule : current.rules(Catalog.Rule.DISTRICT)) {
                if (rule.districts().contains(district.code())) {
                    routing.addObject()
                            .put("service", rule.service())
                            .put("serviceName", current.service(rule.service()).map(Catalog.Service::name)
                                    .orElse(rule.service()))
                            .put("department", rule.department())
                            .put("departmentName", current.department(rule.department())
                                    .map(Catalog.Department::name).orElse(rule.department()));
                }
            }
            feature.set("geometry", district.geometry());
        }
        byte[] body = JSON.writeValueAsBytes(collection);
        return new Written(inForce, body, sha256(body));
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
