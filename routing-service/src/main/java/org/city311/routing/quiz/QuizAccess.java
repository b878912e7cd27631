package org.city311.routing.quiz;

import org.city311.platform.security.AccessRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;

import static org.city311.platform.security.AccessRules.authorities;
import static org.city311.platform.security.Role.PEOPLE;
import static org.city311.platform.security.Role.SUPERVISOR;

/**
 * Anyone who signs in takes the knowledge check and reads their own checks (a check is found only by its taker);
 * a team's checks are for its supervisors; the share of right answers per department names no one and is for
 * everyone who signs in. Declared before the work's rules, which refuse every other {@code /api} path.
 */
@Configuration(proxyBeanMethods = false)
class QuizAccess {

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    AccessRules quizAccessRules() {
        return exchanges -> exchanges
                .pathMatchers(HttpMethod.GET, QuizController.QUIZ + "/team").hasAnyAuthority(authorities(SUPERVISOR))
                .pathMatchers(HttpMethod.POST, QuizController.QUIZ, QuizController.QUIZ + "/*/answers")
                        .hasAnyAuthority(authorities(PEOPLE))
                .pathMatchers(HttpMethod.GET, QuizController.QUIZ + "/**").hasAnyAuthority(authorities(PEOPLE));
    }
}
