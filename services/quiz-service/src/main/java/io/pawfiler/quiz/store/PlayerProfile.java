package io.pawfiler.quiz.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.pawfiler.quiz.domain.Energy;
import io.pawfiler.quiz.domain.Progress;
import io.pawfiler.quiz.domain.Tier;

/** A row of {@code user_profiles}: the stored form of {@link Progress} and {@link Energy}, plus answer counts. */
@Entity
@Table(name = "user_profiles")
public class PlayerProfile {

    @Id
    @Column(name = "user_id")
    private String userId;
    private String nickname;
    @Column(name = "avatar_emoji")
    private String avatarEmoji;
    @Column(name = "tier_rank")
    private short tierRank;
    @Column(name = "tier_xp")
    private int tierXp;
    @Column(name = "total_xp")
    private long totalXp;
    private long coins;
    private int energy;
    @Column(name = "max_energy")
    private int maxEnergy;
    @Column(name = "energy_refilled_at")
    private OffsetDateTime energyRefilledAt;
    @Column(name = "current_streak")
    private int currentStreak;
    @Column(name = "best_streak")
    private int bestStreak;
    @Column(name = "total_answered")
    private int totalAnswered;
    @Column(name = "correct_count")
    private int correctCount;
    @Column(name = "updated_at")
    private OffsetDateTime updatedAt;

    protected PlayerProfile() {
    }

    public String userId() {
        return userId;
    }

    public String nickname() {
        return nickname;
    }

    public String avatarEmoji() {
        return avatarEmoji;
    }

    public int totalAnswered() {
        return totalAnswered;
    }

    public int correctCount() {
        return correctCount;
    }

    public Progress progress() {
        return new Progress(Tier.values()[tierRank], tierXp, totalXp, coins, currentStreak, bestStreak);
    }

    public Energy energy() {
        return new Energy(energy, maxEnergy, energyRefilledAt.toInstant());
    }

    public void update(Progress progress, Energy newEnergy, Instant now) {
        this.tierRank = (short) progress.tier().ordinal();
        this.tierXp = progress.tierXp();
        this.totalXp = progress.totalXp();
        this.coins = progress.coins();
        this.currentStreak = progress.streak();
        this.bestStreak = progress.bestStreak();
        this.energy = newEnergy.current();
        this.maxEnergy = newEnergy.max();
        this.energyRefilledAt = newEnergy.refilledAt().atOffset(ZoneOffset.UTC);
        this.updatedAt = now.atOffset(ZoneOffset.UTC);
    }

    public void countAnswer(boolean correct) {
        totalAnswered++;
        if (correct) {
            correctCount++;
        }
    }

    public void rename(String newNickname, String newAvatar, Instant now) {
        if (newNickname != null) {
            this.nickname = newNickname;
        }
        if (newAvatar != null) {
            this.avatarEmoji = newAvatar;
        }
        this.updatedAt = now.atOffset(ZoneOffset.UTC);
    }
}
