package org.city311.routing.quiz;

import java.util.List;

/**
 * One question of a knowledge check, as generated from the catalog, with its answer and the service card that
 * explains it. The taker sees it without {@code answer} and {@code card} until the check is handed in.
 *
 * @param number from 1, in the order asked
 * @param kind {@value #WHO_HANDLES}, {@value #WHICH_DOES} or {@value #STANDARD}
 * @param prompt the question, as asked
 * @param quote for {@value #WHO_HANDLES}: what the resident says, in their words (the service's description); else
 *        null
 * @param choices the possible answers, in the order shown
 * @param answer the key of the right choice
 * @param department the department asked about: the share of right answers is counted per department
 * @param card the service the question is about, as the catalog had it when asked
 */
public record Question(int number, String kind, String prompt, String quote, List<Choice> choices, String answer,
        String department, Card card) {

    /** "A resident says …: which department handles it?" */
    public static final String WHO_HANDLES = "who-handles";
    /** "Which of these does the … department handle?" */
    public static final String WHICH_DOES = "which-does";
    /** "What is the published standard for resolving …?" */
    public static final String STANDARD = "standard";

    public Question {
        choices = List.copyOf(choices);
    }

    /** A possible answer: {@code key} is a letter, {@code label} what is shown. */
    public record Choice(String key, String label) {
    }

    /**
     * The service card that explains the answer.
     *
     * @param firstAction the published time to first action, as people say it ("2 business days"); null if none
     * @param resolution the published time to resolution; null if none
     */
    public record Card(String serviceCode, String serviceName, String group, String description, String department,
            String departmentName, String firstAction, String resolution) {
    }
}
