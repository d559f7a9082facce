package io.pawfiler.community.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.api.community.RankingEntry;
import io.pawfiler.community.clients.QuizRanking;
import io.pawfiler.community.domain.AuthorCard;
import io.pawfiler.community.store.CommunityStore;
import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;

/** The board's side panel: hot topic, notices, top detective, ranking; and one user's activity counts. */
@ApplicationScoped
public class SidePanel {

    /** The tag that makes a post a notice (admin posts are notices too). */
    public static final String NOTICE_TAG = "공지";
    public static final int NOTICES = 3;
    /** When no post of today has a tag, the hot topic is taken over this many days. */
    static final Duration HOT_TOPIC_FALLBACK = Duration.ofDays(14);

    public record HotTopic(String tag, long count) {
    }

    public record TopDetective(AuthorCard card, long likesReceived, long posts) {
    }

    @Inject
    CommunityStore store;

    @Inject
    QuizRanking ranking;

    private final ZoneId zone;

    private final Clock clock = Clock.systemUTC();

    @Inject
    SidePanel(@ConfigProperty(name = "pawfiler.community.zone", defaultValue = "Asia/Seoul") String zone) {
        this.zone = ZoneId.of(zone);
    }

    /** Today's most used tag, else the last 14 days', else "없음" (as the original showed it). */
    @Transactional
    public HotTopic hotTopic() {
        Instant now = clock.instant();
        Instant today = LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
        return store.topTag(today).or(() -> store.topTag(now.minus(HOT_TOPIC_FALLBACK)))
                .map(t -> new HotTopic(t.tag(), t.count())).orElse(new HotTopic("없음", 0));
    }

    @Transactional
    public List<CommunityStore.PostRow> notices() {
        return store.notices(NOTICE_TAG, NOTICES);
    }

    /** Who received the most likes on their posts this month (the month of the board's time zone). */
    @Transactional
    public Optional<TopDetective> topDetective() {
        Instant monthStart = LocalDate.ofInstant(clock.instant(), zone).withDayOfMonth(1).atStartOfDay(zone).toInstant();
        return store.mostLikedAuthor(monthStart).map(top -> new TopDetective(
                store.authorCard(top.getKey()).orElse(AuthorCard.unknown(top.getKey())), top.getValue(),
                store.postsSince(top.getKey(), monthStart)));
    }

    /** quiz-service's ranking through its fault-tolerant client; the caller's token goes along. */
    public List<RankingEntry> ranking(String sortBy, String bearerToken) {
        String order = sortBy == null || sortBy.isBlank() ? "tier" : sortBy.strip().toLowerCase(Locale.ROOT);
        if (order.length() > 20) {
            throw ApiException.invalidArgument("sort_by", "must be tier, accuracy, coins or correct");
        }
        return ranking.top(order, bearerToken);
    }

    /** One user's counts: the caller's own, or anyone's for admins and services (dashboard-bff). */
    @Transactional
    public CommunityStore.ActivityCounts activityCounts(Caller caller, String userId) {
        String subject = userId == null || userId.isBlank() ? caller.userId() : userId;
        if (!subject.equals(caller.userId()) && !caller.isAdmin() && !caller.hasRole("service")) {
            throw ApiException.permissionDenied("user_id must be your own");
        }
        return store.activityCounts(subject);
    }
}
