package org.city311.feedback.survey;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.mail.MailSendException;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

import static org.assertj.core.api.Assertions.assertThat;

/** The SMTP adapter against a fake mail sender and a fake contact source: no network. */
class MailSurveyNotifierTests {

    private static final SurveyNotifier.Invitation RESIDENT = new SurveyNotifier.Invitation("311-00000042",
            "311-00000042", "transportation", "streetlight-out", "resident", null,
            "https://311.example.gov/surveys/AbCd", Instant.parse("2026-12-09T14:00:00Z"));

    private final List<SimpleMailMessage> sent = new ArrayList<>();
    private final MailSender mail = new MailSender() {
        @Override
        public void send(SimpleMailMessage... messages) {
            sent.addAll(List.of(messages));
        }
    };

    @Test
    void shouldEmailTheSurveyLinkToAResidentWhoConsented() {
        MailSurveyNotifier notifier = notifier(id -> List.of("resident@example.org"), mail);

        SurveyNotifier.Delivery delivery = notifier.deliver(RESIDENT);

        assertThat(delivery).isEqualTo(SurveyNotifier.Delivery.EMAILED);
        assertThat(sent).singleElement().satisfies(message -> {
            assertThat(message.getTo()).containsExactly("resident@example.org");
            assertThat(message.getFrom()).isEqualTo("surveys@city311.example");
            assertThat(message.getSubject()).contains("311-00000042");
            assertThat(message.getText()).contains("https://311.example.gov/surveys/AbCd")
                    .contains("Wednesday 9 December 2026");
        });
    }

    @Test
    void shouldEmailTheSameLinkToEachCallerWhoConsentedOneMessageEach() {
        MailSurveyNotifier notifier = notifier(id -> List.of("resident@example.org", "second@example.org"), mail);

        SurveyNotifier.Delivery delivery = notifier.deliver(RESIDENT);

        assertThat(delivery).isEqualTo(SurveyNotifier.Delivery.EMAILED);
        assertThat(sent).hasSize(2).allSatisfy(message -> {
            assertThat(message.getTo()).hasSize(1);
            assertThat(message.getCc()).isNull();
            assertThat(message.getText()).contains("https://311.example.gov/surveys/AbCd");
        });
        assertThat(sent).extracting(message -> message.getTo()[0])
                .containsExactly("resident@example.org", "second@example.org");
    }

    @Test
    void shouldCountTheSurveyEmailedWhenOneOfTheCallersCouldBeReached() {
        MailSurveyNotifier notifier = notifier(id -> List.of("bounces@example.org", "second@example.org"),
                new MailSender() {
                    @Override
                    public void send(SimpleMailMessage... messages) {
                        if (messages[0].getTo()[0].startsWith("bounces")) {
                            throw new MailSendException("mailbox unavailable");
                        }
                        sent.addAll(List.of(messages));
                    }
                });

        assertThat(notifier.deliver(RESIDENT)).isEqualTo(SurveyNotifier.Delivery.EMAILED);
        assertThat(sent).extracting(message -> message.getTo()[0]).containsExactly("second@example.org");
    }

    @Test
    void shouldLeaveTheSurveyToStaffByPhoneWithoutAnAddressOrConsent() {
        assertThat(notifier(id -> List.of(), mail).deliver(RESIDENT))
                .isEqualTo(SurveyNotifier.Delivery.FOR_PHONE);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldLeaveTheSurveyToStaffByPhoneWhenRequestServiceOrTheMailServerFails() {
        MailSurveyNotifier lookupFails = notifier(id -> {
            throw new IllegalStateException("request-service timed out");
        }, mail);
        MailSurveyNotifier mailFails = notifier(id -> List.of("resident@example.org"), new MailSender() {
            @Override
            public void send(SimpleMailMessage... messages) {
                throw new MailSendException("connection refused");
            }
        });

        assertThat(lookupFails.deliver(RESIDENT)).isEqualTo(SurveyNotifier.Delivery.FOR_PHONE);
        assertThat(mailFails.deliver(RESIDENT)).isEqualTo(SurveyNotifier.Delivery.FOR_PHONE);
    }

    @Test
    void shouldAskForAnotherTryWhileTheContactCannotBeKnownYet() {
        MailSurveyNotifier notResolvedThereYet = notifier(id -> {
            throw new ResidentContacts.NotYetKnown("not resolved in request-service yet", null);
        }, mail);

        assertThat(notResolvedThereYet.deliver(RESIDENT)).isEqualTo(SurveyNotifier.Delivery.RETRY);
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldNeverShowTheLinkWhenAnInvitationIsPrinted() {
        assertThat(RESIDENT.toString()).contains("311-00000042").doesNotContain("surveys/AbCd");
    }

    @Test
    void shouldOfferInternalRequestsSurveysToTheRequestingStaffWithoutLookingUpAnyone() {
        SurveyNotifier.Invitation internal = new SurveyNotifier.Invitation("311-00000043", "311-00000043",
                "transportation", "streetlight-out", "internal", "parks", "https://311.example.gov/surveys/EfGh",
                Instant.parse("2026-12-09T14:00:00Z"));
        MailSurveyNotifier notifier = notifier(id -> {
            throw new AssertionError("no resident to look up for an internal request");
        }, mail);

        assertThat(notifier.deliver(internal)).isEqualTo(SurveyNotifier.Delivery.STAFF_NOTIFIED);
        assertThat(sent).isEmpty();
    }

    private static MailSurveyNotifier notifier(ResidentContacts contacts, MailSender mail) {
        return new MailSurveyNotifier(mail, contacts, "surveys@city311.example", ZoneId.of("America/New_York"));
    }
}
