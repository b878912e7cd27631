package org.city311.feedback.survey;

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
    SurveyNotifier surveyNotifier(SurveyProperties properties, ObjectProvider<MailSender> mailSender) {
        SurveyProperties.Mail mail = properties.mail();
        if (!mail.enabled()) {
            return new LogSurveyNotifier();
        }
        MailSender sender = mailSender.getIfAvailable();
        if (sender == null) {
            throw new IllegalStateException("city311.surveys.mail.enabled is set but no mail server is configured: "
                    + "set MAIL_HOST (spring.mail.host)");
        }
        ResidentContacts contacts = new RequestServiceContacts(mail.requestServiceUrl(), mail.lookupTimeout());
        return new MailSurveyNotifier(sender, contacts, mail.from(), mail.zone());
    }
}
