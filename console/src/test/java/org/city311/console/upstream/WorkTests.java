package org.city311.console.upstream;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class WorkTests {

    @Test
    void shouldReadTheNextPagesCursorFromTheLinkHeader() {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.LINK, "</api/departments/parks/queue?view=all&limit=50&after=abc%3D%3D>; rel=\"next\"");

        assertThat(Work.nextCursor(headers)).isEqualTo("abc==");
    }

    @Test
    void shouldHaveNoNextPageWithoutALinkHeader() {
        assertThat(Work.nextCursor(new HttpHeaders())).isNull();
    }
}
