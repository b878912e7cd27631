package org.city311.platform.events;

/** An event that can never be processed, whatever the retries: it belongs in the dead-letter topic. */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }
}
