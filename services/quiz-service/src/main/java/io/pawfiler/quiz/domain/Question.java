package io.pawfiler.quiz.domain;

import java.util.List;

import io.pawfiler.platform.errors.ApiException;

/**
 * A question with its correct answer. The answer fields are set according to the type: {@code correctIndex}
 * (MULTIPLE_CHOICE), {@code correctAnswer} (TRUE_FALSE), {@code correctRegions} + {@code tolerance}
 * (REGION_SELECT), {@code correctSide} "left"/"right" (COMPARISON).
 */
public record Question(String id, QuestionType type, String mediaType, String mediaUrl, String thumbnailEmoji,
                       Difficulty difficulty, String category, String explanation, List<String> options,
                       Integer correctIndex, Boolean correctAnswer, List<Region> correctRegions, Integer tolerance,
                       String comparisonMediaUrl, String correctSide) {

    /** What a player sent for a question; only the field of the question's type is read. */
    public record Submission(Integer selectedIndex, Boolean selectedAnswer, Double clickX, Double clickY,
                             String selectedSide) {
    }

    /** Whether the submission is right. @throws ApiException INVALID_ARGUMENT naming the field when it is unusable */
    public boolean isCorrect(Submission answer) {
        return switch (type) {
            case MULTIPLE_CHOICE -> {
                if (answer.selectedIndex() == null) {
                    throw ApiException.invalidArgument("selected_index", "is required for a multiple-choice question");
                }
                if (answer.selectedIndex() < 0 || answer.selectedIndex() >= options.size()) {
                    throw ApiException.invalidArgument("selected_index",
                            "must be between 0 and " + (options.size() - 1));
                }
                yield answer.selectedIndex().equals(correctIndex);
            }
            case TRUE_FALSE -> {
                if (answer.selectedAnswer() == null) {
                    throw ApiException.invalidArgument("selected_answer", "is required for a true/false question");
                }
                yield answer.selectedAnswer().equals(correctAnswer);
            }
            case REGION_SELECT -> {
                if (answer.clickX() == null || answer.clickY() == null) {
                    throw ApiException.invalidArgument("selected_region", "is required for a region question");
                }
                double slack = tolerance == null ? 0 : tolerance;
                yield correctRegions.stream().anyMatch(r -> r.contains(answer.clickX(), answer.clickY(), slack));
            }
            case COMPARISON -> {
                String side = answer.selectedSide() == null ? "" : answer.selectedSide().strip().toLowerCase();
                if (!side.equals("left") && !side.equals("right")) {
                    throw ApiException.invalidArgument("selected_side", "must be \"left\" or \"right\"");
                }
                yield side.equals(correctSide);
            }
        };
    }

    /** Whether the answer fields fit the type (admin input). @throws ApiException naming the field */
    public Question validated() {
        if (difficulty == null) {
            throw ApiException.invalidArgument("difficulty", "must be easy, medium or hard");
        }
        if (mediaUrl == null || mediaUrl.isBlank()) {
            throw ApiException.invalidArgument("media_url", "is required");
        }
        switch (type) {
            case MULTIPLE_CHOICE -> {
                if (options == null || options.size() < 2) {
                    throw ApiException.invalidArgument("options", "needs at least two options");
                }
                if (correctIndex == null || correctIndex < 0 || correctIndex >= options.size()) {
                    throw ApiException.invalidArgument("correct_index", "must point at one of the options");
                }
            }
            case TRUE_FALSE -> {
                if (correctAnswer == null) {
                    throw ApiException.invalidArgument("correct_answer", "is required");
                }
            }
            case REGION_SELECT -> {
                if (correctRegions == null || correctRegions.isEmpty()
                        || correctRegions.stream().anyMatch(r -> r.radius() <= 0)) {
                    throw ApiException.invalidArgument("correct_regions", "needs at least one region with a radius");
                }
                if (tolerance != null && tolerance < 0) {
                    throw ApiException.invalidArgument("tolerance", "must not be negative");
                }
            }
            case COMPARISON -> {
                if (!"left".equals(correctSide) && !"right".equals(correctSide)) {
                    throw ApiException.invalidArgument("correct_side", "must be \"left\" or \"right\"");
                }
                if (comparisonMediaUrl == null || comparisonMediaUrl.isBlank()) {
                    throw ApiException.invalidArgument("comparison_media_url", "is required");
                }
            }
        }
        return this;
    }
}
