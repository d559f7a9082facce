package io.pawfiler.quiz.store;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.json.JsonNumber;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pawfiler.platform.json.Jsons;
import io.pawfiler.quiz.domain.Difficulty;
import io.pawfiler.quiz.domain.Question;
import io.pawfiler.quiz.domain.QuestionType;
import io.pawfiler.quiz.domain.Region;

/** A row of {@code questions}; options and regions are JSON text. */
@Entity
@Table(name = "questions")
public class QuestionEntity {

    @Id
    private String id;
    private String type;
    @Column(name = "media_type")
    private String mediaType;
    @Column(name = "media_url")
    private String mediaUrl;
    @Column(name = "thumbnail_emoji")
    private String thumbnailEmoji;
    private String difficulty;
    private String category;
    private String explanation;
    private String options;
    @Column(name = "correct_index")
    private Integer correctIndex;
    @Column(name = "correct_answer")
    private Boolean correctAnswer;
    @Column(name = "correct_regions")
    private String correctRegions;
    private Integer tolerance;
    @Column(name = "comparison_media_url")
    private String comparisonMediaUrl;
    @Column(name = "correct_side")
    private String correctSide;
    private boolean retired;
    @Column(name = "created_at")
    private OffsetDateTime createdAt;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected QuestionEntity() {
    }

    public QuestionEntity(String id, OffsetDateTime now) {
        this.id = id;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public boolean retired() {
        return retired;
    }

    public void retire(OffsetDateTime now) {
        this.retired = true;
        this.updatedAt = now;
    }

    public void write(Question question, OffsetDateTime now) {
        this.type = question.type().name();
        this.mediaType = question.mediaType();
        this.mediaUrl = question.mediaUrl();
        this.thumbnailEmoji = question.thumbnailEmoji() == null ? "" : question.thumbnailEmoji();
        this.difficulty = question.difficulty().wireName();
        this.category = question.category();
        this.explanation = question.explanation();
        this.options = question.options() == null ? null : toJson(question.options());
        this.correctIndex = question.correctIndex();
        this.correctAnswer = question.correctAnswer();
        this.correctRegions = question.correctRegions() == null ? null : regionsJson(question.correctRegions());
        this.tolerance = question.tolerance();
        this.comparisonMediaUrl = question.comparisonMediaUrl();
        this.correctSide = question.correctSide();
        this.updatedAt = now;
    }

    public Question toDomain() {
        return new Question(id, QuestionType.valueOf(type), mediaType, mediaUrl, thumbnailEmoji,
                Difficulty.parse(difficulty).orElseThrow(), category, explanation,
                options == null ? List.of() : Jsons.parseArray(options).getValuesAs(jakarta.json.JsonString.class).stream()
                        .map(jakarta.json.JsonString::getString).toList(),
                correctIndex, correctAnswer,
                correctRegions == null ? List.of() : Jsons.parseArray(correctRegions).stream().map(v -> {
                    var o = v.asJsonObject();
                    return new Region(num(o.getJsonNumber("x")), num(o.getJsonNumber("y")), num(o.getJsonNumber("radius")));
                }).toList(),
                tolerance, comparisonMediaUrl, correctSide);
    }

    private static double num(JsonNumber number) {
        return number == null ? 0 : number.doubleValue();
    }

    private static String toJson(List<String> values) {
        var array = Jsons.array();
        values.forEach(array::add);
        return array.build().toString();
    }

    private static String regionsJson(List<Region> regions) {
        var array = Jsons.array();
        regions.forEach(r -> array.add(Jsons.object().add("x", r.x()).add("y", r.y()).add("radius", r.radius())));
        return array.build().toString();
    }
}
