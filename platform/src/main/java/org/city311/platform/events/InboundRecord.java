package org.city311.platform.events;

/**
 * One Kafka record of a batch, as a {@link BatchHandler} reads it.
 *
 * @param topic the topic it was read from
 * @param partition its partition
 * @param offset its offset in that partition
 * @param key the record's key (the request id), or null
 * @param payload its value (a structured-mode CloudEvent), or null for a tombstone
 * @param index its place in the batch, from 0
 */
public record InboundRecord(String topic, int partition, long offset, String key, byte[] payload, int index) {
}
