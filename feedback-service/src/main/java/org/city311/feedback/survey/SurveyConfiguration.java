package org.city311.feedback.survey;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;

import org.city311.platform.security.SecurityProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailSender;

/** The survey's notifier adapter, chosen by configuration. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SurveyProperties.class)
class SurveyConfiguration {

    /** E-mail when {@code city311.surveys.mail.enabled} (and {@code spring.mail.host} names a server); else the log. */
    @Bean
    SurveyNotifier surveyNotifier(SurveyProperties properties, ObjectProvider<MailSender> mailSender,
            SecurityProperties security, Clock clock) throws IOException, GeneralSecurityException {
        SurveyProperties.Mail mail = properties.mail();
        if (!mail.enabled()) {
            return new LogSurveyNotifier();
        }
        MailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            throw new IllegalStateException("city311.surveys.mail.enabled is set but no mail server is configured: "
                    + "set MAIL_HOST (spring.mail.host)");
        }
        ResidentContacts contacts = new RequestServiceContacts(mail.requestServiceUrl(),
                identity(mail.identity(), security, clock), mail.lookupTimeout());
        return new MailSurveyNotifier(sender, contacts, mail.from(), mail.zone());
    }

    /** The city's identity provider when named; the local key in the local run; else no start, saying why. */
    static ServiceIdentity identity(SurveyProperties.Identity identity, SecurityProperties security, Clock clock)
            throws IOException, GeneralSecurityException {
        if (present(identity.tokenUri())) {
            return ServiceIdentity.clientCredentials(identity.tokenUri(), identity.clientId(),
                    identity.clientSecret(), identity.scope());
        }
        if (present(identity.privateKeyLocation())) {
            return ServiceIdentity.localKey(Path.of(identity.privateKeyLocation().replaceFirst("^file:", "")),
                    security.jwt().expectedIssuer(), security.jwt().audience(), clock);
        }
        throw new IllegalStateException("Surveys by e-mail need feedback-service's own identity to read residents' "
                + "addresses: set SERVICE_TOKEN_URI, SERVICE_CLIENT_ID and SERVICE_CLIENT_SECRET (a client of the "
                + "city's identity provider with the survey-sender role), or JWT_PRIVATE_KEY_LOCATION in the local run");
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
