package org.city311.deploy.store;

import java.time.Instant;
import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BsonDocumentTypeTests {

    private static final ObjectId OWNER = new ObjectId();

    private final BsonDocumentType type = new BsonDocumentType();

    @Test
    void shouldReadBackEveryValueOfADocumentAsWrittenInLessThanHalfOfJavaSerializationsBytes() {
        Document ledger = ledger();
        WriteBuffer bson = new WriteBuffer();
        type.write(bson, ledger);
        WriteBuffer serialized = new WriteBuffer();
        new ObjectDataType().write(serialized, ledger);

        Object read = type.read(bson.getBuffer().flip());

        assertThat(read).isEqualTo(ledger);
        assertThat(((Document) read).get("entries")).isEqualTo(ledger.get("entries"));
        assertThat(bson.position()).as("BSON bytes against %s serialized", serialized.position())
                .isLessThan(serialized.position() / 2);
    }

    @Test
    void shouldReadDocumentsAndValuesOfAStoreFileWrittenBeforeAndThoseBesideThem() {
        // a page of values: one written as H2 wrote it before, a BSON one, and values that are not documents
        WriteBuffer page = new WriteBuffer();
        new ObjectDataType().write(page, ledger());
        type.write(page, ledger().append("_id", "311-2"));
        type.write(page, 42L);
        type.write(page, "dataSize");

        var buffer = page.getBuffer().flip();
        assertThat(type.read(buffer)).isEqualTo(ledger());
        assertThat(type.read(buffer)).isEqualTo(ledger().append("_id", "311-2"));
        assertThat(type.read(buffer)).isEqualTo(42L);
        assertThat(type.read(buffer)).isEqualTo("dataSize");
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Test
    void shouldWriteADocumentBsonCannotHoldAsBeforeRatherThanFailTheCommit() {
        // a Float has no BSON type: encoding it throws, and a commit that throws closes the whole store
        Document odd = ledger().append("ratio", 0.5f);
        WriteBuffer page = new WriteBuffer();

        type.write(page, odd);

        assertThat(type.read(page.getBuffer().flip())).isEqualTo(odd);
    }

    private static Document ledger() {
        Document entry = new Document("key", "routing:1").append("kind", "ROUTED")
                .append("at", Instant.parse("2026-03-01T09:00:00Z")).append("sequence", 1L)
                .append("department", "parks").append("pausedSeconds", 0).append("clockPaused", false)
                .append("ratio", 0.5).append("team", null);
        return new Document("_id", "311-1").append("partition", 2).append("owner", OWNER)
                .append("entries", List.of(entry, new Document(entry).append("key", "routing:2")
                        .append("sequence", 2L)));
    }
}
