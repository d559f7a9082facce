package io.pawfiler.community.domain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.pawfiler.platform.errors.ApiException;

/** What a post or comment may contain. Lengths count characters (code points), as the database columns do. */
public final class PostRules {

    public static final int MAX_TITLE = 100;
    public static final int MAX_BODY = 5000;
    public static final int MAX_COMMENT = 1000;
    public static final int MAX_TAGS = 10;
    public static final int MAX_TAG = 20;

    private PostRules() {
    }

    /** The title, stripped; INVALID_ARGUMENT (field {@code title}) unless 1-100 characters. */
    public static String title(String title) {
        return text("title", title, MAX_TITLE);
    }

    /** The body, stripped; INVALID_ARGUMENT (field {@code body}) unless 1-5000 characters. */
    public static String body(String body) {
        return text("body", body, MAX_BODY);
    }

    /** A comment's body, stripped; INVALID_ARGUMENT (field {@code body}) unless 1-1000 characters. */
    public static String comment(String body) {
        return text("body", body, MAX_COMMENT);
    }

    /**
     * Tags as they are stored and matched: trimmed, lower-cased, duplicates dropped (first occurrence kept), blank
     * ones ignored; INVALID_ARGUMENT (field {@code tags}) for more than 10 or one longer than 20 characters.
     */
    public static List<String> tags(List<String> tags) {
        Set<String> normalised = new LinkedHashSet<>();
        for (String tag : tags) {
            String t = tag == null ? "" : tag.strip().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (t.codePoints().anyMatch(Character::isISOControl)) {
                throw ApiException.invalidArgument("tags", "a tag must not contain control characters");
            }
            if (length(t) > MAX_TAG) {
                throw ApiException.invalidArgument("tags", "each tag must be 1-" + MAX_TAG + " characters: \"" + t + "\"");
            }
            normalised.add(t);
        }
        if (normalised.size() > MAX_TAGS) {
            throw ApiException.invalidArgument("tags", "at most " + MAX_TAGS + " different tags (got " + normalised.size() + ")");
        }
        return List.copyOf(normalised);
    }

    /** A search term as tags are stored, so that "딥페이크 " or "AI" finds posts tagged 딥페이크 or ai. */
    public static String tagOf(String searchTerm) {
        return searchTerm.strip().toLowerCase(Locale.ROOT);
    }

    private static String text(String field, String value, int max) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty()) {
            throw ApiException.invalidArgument(field, "is required");
        }
        if (length(stripped) > max) {
            throw ApiException.invalidArgument(field, "must be at most " + max + " characters (got " + length(stripped) + ")");
        }
        return stripped;
    }

    /** Characters as the database counts them (code points). */
    public static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
