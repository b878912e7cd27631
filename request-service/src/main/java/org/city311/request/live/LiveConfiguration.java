package org.city311.request.live;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Puts {@link RequestWrites} on the service's MongoClient: every acknowledged write to a request is seen. */
@Configuration(proxyBeanMethods = false)
class LiveConfiguration {

    @Bean
    RequestWrites requestWrites() {
        return new RequestWrites();
    }

    @Bean
    MongoClientSettingsBuilderCustomizer liveRequestWrites(RequestWrites writes) {
        return settings -> settings.addCommandListener(writes);
    }
}
