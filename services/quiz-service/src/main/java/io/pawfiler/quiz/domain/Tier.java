package io.pawfiler.quiz.domain;

/**
 * The four tiers. XP earned inside a tier counts toward its promotion threshold; on promotion the threshold is
 * subtracted and the rest carries into the next tier. The last tier has no promotion; its levels step by 2000.
 */
public enum Tier {
    EGG("알", 1000),
    CHICK("삐약이", 2000),
    HAWK("맹금닭", 4000),
    PHOENIX("불사조", 10000);

    public static final int LEVELS = 5;

    private final String displayName;
    /** XP that promotes out of this tier; for the last tier only the scale of its levels. */
    private final int threshold;

    Tier(String displayName, int threshold) {
        this.displayName = displayName;
        this.threshold = threshold;
    }

    public String displayName() {
        return displayName;
    }

    public int threshold() {
        return threshold;
    }

    public boolean isLast() {
        return ordinal() == values().length - 1;
    }

    public Tier next() {
        return isLast() ? this : values()[ordinal() + 1];
    }

    /** Level 1-5 inside the tier: one level per fifth of the threshold. */
    public int level(int tierXp) {
        int step = threshold / LEVELS;
        return Math.min(LEVELS, 1 + Math.max(0, tierXp) / step);
    }

    /** "알 Lv.1". */
    public String title(int tierXp) {
        return displayName + " Lv." + level(tierXp);
    }

    public static Tier byDisplayName(String name) {
        for (Tier tier : values()) {
            if (tier.displayName.equals(name)) {
                return tier;
            }
        }
        throw new IllegalArgumentException("unknown tier " + name);
    }
}
