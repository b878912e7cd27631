package org.city311.deploy.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;

/**
 * How a collection's documents are written to the H2 file: as BSON, the form they arrived in, instead of H2's
 * default for an object it does not know, Java serialization (a new {@code ObjectOutputStream} for every document at
 * every commit, with the class descriptions of a {@code LinkedHashMap} tree in each: a fifth of the store's CPU in a
 * rebuild, and some 5.8 KB on disk for a ledger).
 * <p>
 * A document is written as a tag H2's own types do not use, then its BSON. Anything else (and a document BSON cannot
 * hold), and every value of a store file written before, is read and written as H2 does: a file written before opens
 * here, and its documents are written as BSON as they change.
 */
final class BsonDocumentType extends ObjectDataType {

    /** The tag of a BSON document: H2's {@code ObjectDataType} tags are 0 to 119 (its byte arrays end at 104 + 15). */
    static final byte BSON = 120;
    /** The largest document BSON's decoder reads back, as MongoDB's limit. */
    static final int MAX_BSON_SIZE = 16 * 1024 * 1024;

    /** A running mean of the documents' BSON size, for H2's estimate of the memory a page takes. */
    private volatile int averageSize = 512;

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (!(value instanceof Document document)) {
            super.write(buffer, value);
            return;
        }
        ByteBuf bson = Unpooled.buffer(averageSize + 256);
        try {
            try {
                BsonEncoder.encodeDocument(document, bson);
            }
            catch (RuntimeException notBson) {
                // a value BSON has no type for (the backend's own Missing, a Float): written as before, because a
                // commit that throws here makes H2 close the whole store
                super.write(buffer, value);
                return;
            }
            int size = bson.readableBytes();
            if (size > MAX_BSON_SIZE) {
                // the decoder refuses a document over 16 MB, and with it the page that holds it
                super.write(buffer, value);
                return;
            }
            averageSize = (size + 15 * averageSize) / 16;
            buffer.put(BSON).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), size);
        }
        finally {
            bson.release();
        }
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != BSON) {
            return super.read(buffer);
        }
        int start = buffer.position() + 1;
        // BSON begins with its own length, a little-endian int32 that counts itself
        int size = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN).getInt(start);
        Document document = BsonDecoder.decodeBson(Unpooled.wrappedBuffer(buffer.slice(start, size)));
        buffer.position(start + size);
        return document;
    }

    @Override
    public int getMemory(Object value) {
        // a document held in memory (maps of boxed values) takes a few times its BSON
        return value instanceof Document ? 4 * averageSize : super.getMemory(value);
    }
}
