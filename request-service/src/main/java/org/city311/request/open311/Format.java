package org.city311.request.open311;

import java.util.Locale;

/** The two representations, chosen by the resource's extension ({@code services.xml}, {@code services.json}). */
enum Format {

    XML("text/xml; charset=utf-8"), JSON("application/json; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
        this.contentType = contentType;
    }

    String contentType() {
        return contentType;
    }

    byte[] render(Node root) {
        return this == XML ? Rendering.xml(root) : Rendering.json(root);
    }

    /** The format an extension names; any other extension is a resource we do not have (404). */
    static Format of(String extension) {
        String lower = extension == null ? "" : extension.toLowerCase(Locale.ROOT);
        if (lower.equals("xml")) {
            return XML;
        }
        if (lower.equals("json")) {
            return JSON;
        }
        throw Open311Exception.notFound("format '" + extension + "' is not served: use .xml or .json");
    }

    /** The format to answer an error in: the path's own when it names one, else XML, the mandatory format. */
    static Format ofPath(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash && path.substring(dot + 1).equalsIgnoreCase("json") ? JSON : XML;
    }
}
