package org.city311.routing.quiz;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One knowledge check, as stored in {@code quizzes}: who took it, the questions as asked, and once handed in the
 * answers and their marks. Personal data: read only by the taker and their team's supervisors; never on an event.
 *
 * @param person the taker's id (the token's subject)
 * @param name how to show the taker to their supervisor
 * @param team the taker's team: {@code team:} and the token's team claim, else {@code department:} and their
 *        department; null if neither
 * @param total the number of questions, kept for the lists that do not read the questions
 * @param answers once handed in: the key chosen for each question, in order (null where none was chosen)
 * @param correct once handed in: how many were right
 * @param marks once handed in: per question, the department asked about and whether the answer was right (what the
 *        shares per department are counted from, without reading the questions)
 */
@Document(Quiz.COLLECTION)
record Quiz(@Id String id, String person, String name, String team, Instant startedAt, String catalogVersion,
        int total, List<Question> questions, Instant submittedAt, List<String> answers, Integer correct,
        List<Mark> marks) {

    static final String COLLECTION = "quizzes";

    record Mark(String department, boolean right) {
    }

    boolean handedIn() {
        return submittedAt != null;
    }

    /**
     * The answers given, by question number, as marked.
     *
     * @throws IllegalArgumentException naming the first answer that is not one of its question's choices
     */
    Quiz handIn(Map<Integer, String> given, Instant at) {
        for (Map.Entry<Integer, String> answer : given.entrySet()) {
            int number = answer.getKey();
            if (number < 1 || number > questions.size()) {
                throw new IllegalArgumentException("This check has questions 1 to " + questions.size()
                        + "; there is no question " + number + ".");
            }
            Question question = questions.get(number - 1);
            if (answer.getValue() != null
                    && question.choices().stream().noneMatch(choice -> choice.key().equals(answer.getValue()))) {
                throw new IllegalArgumentException("Question " + number + " has no choice '" + answer.getValue()
                        + "'.");
            }
        }
        List<String> chosen = new ArrayList<>(questions.size());
        List<Mark> marked = new ArrayList<>(questions.size());
        int right = 0;
        for (Question question : questions) {
            String key = given.get(question.number());
            chosen.add(key);
            boolean isRight = question.answer().equals(key);
            right += isRight ? 1 : 0;
            marked.add(new Mark(question.department(), isRight));
        }
        return new Quiz(id, person, name, team, startedAt, catalogVersion, total, questions, at, chosen, right,
                marked);
    }
}
