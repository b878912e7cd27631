/**
 * What the services' business rules share: the refusal they throw ({@link org.city311.platform.domain.DomainException}),
 * free of HTTP and of the store.
 */
package org.city311.platform.domain;
