package org.city311.routing.catalog;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/** @param location the catalog file: the sample city by default, a city's own file in production */
@ConfigurationProperties("city311.catalog")
record CatalogProperties(@DefaultValue("classpath:catalog/sample-city.yml") Resource location) {
}
