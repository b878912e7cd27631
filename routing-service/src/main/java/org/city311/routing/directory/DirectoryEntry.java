package org.city311.routing.directory;

/**
 * One hit of a directory search: a service and the department that handles it.
 *
 * @param department the department that handles the service: its owner, or the department a {@code service-code}
 *        rule reassigned it to
 * @param score higher is a better match; comparable within one search only
 * @param matchedOn what the words matched best: {@code keyword:<keyword>}, {@code name} or {@code description}
 */
record DirectoryEntry(String serviceCode, String serviceName, String department, String departmentName, String group,
        double score, String matchedOn) {
}
