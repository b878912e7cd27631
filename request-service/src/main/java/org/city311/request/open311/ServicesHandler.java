package org.city311.request.open311;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import reactor.core.publisher.Mono;

import org.city311.contracts.ServiceType;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.UriComponentsBuilder;

/** GET services, GET services/{service_code} and discovery: the catalog routing-service published, the Open311 way. */
@Component
class ServicesHandler {

    static final String SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";

    private final ServiceCatalogCopy catalog;
    private final Calls calls;
    private final Open311Properties properties;

    ServicesHandler(ServiceCatalogCopy catalog, Calls calls, Open311Properties properties) {
        this.catalog = catalog;
        this.calls = calls;
        this.properties = properties;
    }

    Mono<ServerResponse> services(ServerRequest request) {
        Format format = Calls.format(request);
        calls.query(request);
        return Calls.ok(format, Node.items("services", catalog.current().services().stream()
                .map(ServicesHandler::service)
                .toList()));
    }

    Mono<ServerResponse> definition(ServerRequest request) {
        Format format = Calls.format(request);
        calls.query(request);
        String code = request.pathVariable("code");
        CatalogSnapshot.Service service = catalog.current().service(code).orElseThrow(() -> Open311Exception
                .notFound("service_code: no service '" + Parameters.abbreviate(code) + "'; GET services lists them"));
        return Calls.ok(format, definition(service));
    }

    Mono<ServerResponse> discovery(ServerRequest request) {
        Format format = Calls.format(request);
        calls.query(request);
        String url = UriComponentsBuilder.fromUri(request.uri()).replacePath("/open311/v2").replaceQuery(null)
                .fragment(null).build().toUriString();
        return Calls.ok(format, Node.group("discovery",
                Node.field("changeset", properties.changeset()),
                Node.field("contact", properties.contact()),
                Node.field("key_service", properties.keyService()),
                Node.items("endpoints", List.of(Node.group("endpoint",
                        Node.field("specification", SPECIFICATION),
                        Node.field("url", url),
                        Node.field("changeset", properties.changeset()),
                        Node.field("type", "production"),
                        Node.items("formats", List.of(Node.field("format", "text/xml"),
                                Node.field("format", "application/json"))))))));
    }

    /** Batch services answer a token first; every other service is realtime. */
    static String type(CatalogSnapshot.Service service) {
        return (service.batch() ? ServiceType.BATCH : ServiceType.REALTIME).wireName();
    }

    static Node.Group service(CatalogSnapshot.Service service) {
        return Node.group("service",
                Node.field("service_code", service.code()),
                Node.field("service_name", service.name()),
                Node.field("description", service.description()),
                Node.field("metadata", !service.attributes().isEmpty()),
                Node.field("type", type(service)),
                // FixMyStreet splits on commas without trimming, so no spaces after them
                Node.field("keywords", service.keywords().isEmpty() ? null : String.join(",", service.keywords())),
                Node.field("group", service.group()));
    }

    static Node.Group definition(CatalogSnapshot.Service service) {
        return Node.group("service_definition",
                Node.field("service_code", service.code()),
                Node.items("attributes", service.attributes().stream()
                        .sorted(Comparator.comparingInt(CatalogSnapshot.Attribute::order))
                        .map(ServicesHandler::attribute)
                        .toList()));
    }

    /** Values only for the list datatypes; {@code datatype_description} always, possibly empty. */
    private static Node.Group attribute(CatalogSnapshot.Attribute attribute) {
        List<Node> fields = new ArrayList<>(List.of(
                Node.field("variable", attribute.variable()),
                Node.field("code", attribute.code()),
                Node.field("datatype", attribute.datatype()),
                Node.field("required", attribute.required()),
                Node.field("datatype_description", attribute.datatypeDescription()),
                Node.field("order", attribute.order()),
                Node.field("description", attribute.description())));
        if (attribute.list()) {
            fields.add(Node.items("values", attribute.values().stream()
                    .map(value -> Node.group("value", Node.field("key", value.key()), Node.field("name", value.name())))
                    .toList()));
        }
        return Node.group("attribute", fields);
    }
}
