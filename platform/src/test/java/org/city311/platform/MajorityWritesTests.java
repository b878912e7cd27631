package org.city311.platform;

import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MajorityWritesTests {

    private final PlatformAutoConfiguration platform = new PlatformAutoConfiguration();

    @Test
    void shouldWriteWithMajorityUnlessTheUriNamesAWriteConcern() {
        MongoClientSettings.Builder plain = MongoClientSettings.builder();
        platform.majorityWrites("mongodb://db-1,db-2,db-3/?replicaSet=rs0").customize(plain);
        assertThat(plain.build().getWriteConcern()).isEqualTo(WriteConcern.MAJORITY);

        MongoClientSettings.Builder chosen = MongoClientSettings.builder().writeConcern(WriteConcern.W1);
        platform.majorityWrites("mongodb://db-1/?replicaSet=rs0&w=1").customize(chosen);
        assertThat(chosen.build().getWriteConcern()).as("the city's own choice").isEqualTo(WriteConcern.W1);
    }
}
