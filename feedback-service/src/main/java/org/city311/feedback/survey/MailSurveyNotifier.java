package org.city311.feedback.survey;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

/**
 * The SMTP adapter: e-mails the survey link to a resident who gave an address and consented to be contacted, and to
 * every caller added to the request who did too (looked up in request-service at the moment of sending): the same
 * link, one message to each, so that no one sees another's address; the first answer counts. Internal requests go
 * to the {@link LogSurveyNotifier}. When there is no address with consent, or request-service or the mail server
 * fails for all of them, the survey is left to staff to run by phone; nothing personal is logged.
 */
class MailSurveyNotifier implements SurveyNotifier {

    private static final Logger log = LoggerFactory.getLogger(MailSurveyNotifier.class);

    private final MailSender mail;
    private final ResidentContacts contacts;
    private final String from;
    private final DateTimeFormatter day;
    private final SurveyNotifier staff = new LogSurveyNotifier();

    /** @param zone the city's time zone, in which the last day of the survey is written */
    MailSurveyNotifier(MailSender mail, ResidentContacts contacts, String from, ZoneId zone) {
        this.mail = mail;
        this.contacts = contacts;
        this.from = from;
        this.day = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.US).withZone(zone);
    }

    @Override
    public Delivery deliver(Invitation invitation) {
        if (invitation.internal()) {
            return staff.deliver(invitation);
        }
        List<String> addresses;
        try {
            addresses = contacts.emailsOf(invitation.requestId());
        }
        catch (ResidentContacts.NotYetKnown later) {
            log.info("The contact of request {} is not known yet ({}); survey {} tried again later",
                    invitation.requestId(), later.getMessage(), invitation.surveyId());
            return Delivery.RETRY;
        }
        catch (RuntimeException ex) {
            log.warn("Could not look up the contact of request {} ({}); survey left to staff, by phone",
                    invitation.requestId(), ex.getMessage());
            return staff.deliver(invitation);
        }
        if (addresses.isEmpty()) {
            log.info("No e-mail address with consent for request {}; survey left to staff, by phone",
                    invitation.requestId());
            return staff.deliver(invitation);
        }
        int sent = 0;
        for (String address : addresses) {
            try {
                mail.send(message(address, invitation));
                sent++;
            }
            catch (RuntimeException ex) {
                log.warn("Could not e-mail the survey of request {} to one of its {} reporters ({})",
                        invitation.requestId(), addresses.size(), ex.getClass().getSimpleName());
            }
        }
        if (sent == 0) {
            log.warn("Could not e-mail the survey of request {}; left to staff, by phone", invitation.requestId());
            return staff.deliver(invitation);
        }
        log.info("Survey for request {} e-mailed to {} of its {} reporters with an address", invitation.requestId(),
                sent, addresses.size());
        return Delivery.EMAILED;
    }

    private SimpleMailMessage message(String to, Invitation invitation) {
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(from);
        message.setTo(to);
        message.setSubject("How did we do? Your 311 request " + invitation.requestId());
        message.setText("""
                Your 311 request %s has been resolved. Please tell us how it went: four short questions.

                %s

                If the problem is not fixed, say so in the survey and we will reopen your request.
                The survey is open until %s.

                You receive this because you agreed to be contacted about your request.
                """.formatted(invitation.requestId(), invitation.url(), day.format(invitation.expiresAt())));
        return message;
    }
}
