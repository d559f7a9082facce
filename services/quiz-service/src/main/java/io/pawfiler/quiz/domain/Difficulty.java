package io.pawfiler.quiz.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Question difficulty and what a correct answer to it earns (the original game's table). */
public enum Difficulty {
    EASY(10, 5),
    MEDIUM(25, 12),
    HARD(50, 25);

    private final int xp;
    private final int coins;

    Difficulty(int xp, int coins) {
        this.xp = xp;
        this.coins = coins;
    }

    public int xp() {
        return xp;
    }

    public int coins() {
        return coins;
    }

    /** The wire name: "easy", "medium", "hard". */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Difficulty> parse(String value) {
        return value == null ? Optional.empty() : Arrays.stream(values())
                .filter(d -> d.wireName().equals(value.strip().toLowerCase(Locale.ROOT))).findFirst();
    }
}
