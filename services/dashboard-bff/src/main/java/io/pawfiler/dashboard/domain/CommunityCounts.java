package io.pawfiler.dashboard.domain;

/** The user's community counts, exact as community-service keeps them (cascaded deletions included). */
public record CommunityCounts(int posts, int comments, int likesReceived, int votesCast) {
}
