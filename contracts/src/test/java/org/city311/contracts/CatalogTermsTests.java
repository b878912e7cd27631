package org.city311.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's terms as code names them are the ones the catalog event's schema allows: a datatype, unit or type
 * added to one and not the other fails here, not in a service that meets it.
 */
class CatalogTermsTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldNameTheDatatypesTheSchemaAllows() throws IOException {
        assertThat(wireNames(AttributeDatatype.values(), AttributeDatatype::wireName))
                .containsExactlyElementsOf(allowed("/$defs/attribute/properties/datatype/enum"));
        assertThat(AttributeDatatype.of("multivaluelist")).contains(AttributeDatatype.MULTIVALUELIST);
        assertThat(AttributeDatatype.of("MultiValueList")).isEmpty();
        assertThat(AttributeDatatype.of(null)).isEmpty();
        assertThat(Arrays.stream(AttributeDatatype.values()).filter(AttributeDatatype::isList))
                .containsExactly(AttributeDatatype.SINGLEVALUELIST, AttributeDatatype.MULTIVALUELIST);
    }

    @Test
    void shouldNameTheTargetUnitsTheSchemaAllows() throws IOException {
        assertThat(wireNames(TargetUnit.values(), TargetUnit::wireName))
                .containsExactlyInAnyOrderElementsOf(allowed("/$defs/duration/properties/unit/enum"));
        assertThat(TargetUnit.of("business_days")).contains(TargetUnit.BUSINESS_DAYS);
        assertThat(TargetUnit.of("days")).isEmpty();
    }

    @Test
    void shouldNameTheServiceTypesTheSchemaAllows() throws IOException {
        assertThat(wireNames(ServiceType.values(), ServiceType::wireName))
                .containsExactlyInAnyOrderElementsOf(allowed("/$defs/service/properties/type/enum"));
        assertThat(ServiceType.of("batch")).contains(ServiceType.BATCH);
    }

    private static <T> List<String> wireNames(T[] values, Function<T, String> name) {
        return Arrays.stream(values).map(name).toList();
    }

    private static List<String> allowed(String pointer) throws IOException {
        try (InputStream in = CatalogTermsTests.class.getClassLoader()
                .getResourceAsStream("city311/contracts/schemas/" + EventContract.CATALOG_PUBLISHED + ".json")) {
            JsonNode values = JSON.readTree(in).at(pointer);
            assertThat(values.isArray()).as(pointer).isTrue();
            List<String> names = new ArrayList<>();
            values.forEach(value -> names.add(value.asText()));
            return names;
        }
    }
}
