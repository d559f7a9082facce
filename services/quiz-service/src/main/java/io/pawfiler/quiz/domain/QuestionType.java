package io.pawfiler.quiz.domain;

/** The four kinds of question, named as in quiz.proto. */
public enum QuestionType {
    MULTIPLE_CHOICE, TRUE_FALSE, REGION_SELECT, COMPARISON
}
