package io.pawfiler.dashboard.domain;

/**
 * The feed's display texts and icons, in Korean as the original app showed them ("🎮 딥페이크 퀴즈 완료",
 * "📜 커뮤니티 게시글 작성"); the other lines follow the same style.
 */
public final class ActivityTexts {

    /** A title and an emoji. */
    public record Text(String title, String icon) {
    }

    private ActivityTexts() {
    }

    public static Text signedUp() {
        return new Text("탐정 등록 완료", "🐣");
    }

    public static Text profileChanged() {
        return new Text("프로필 변경", "🪪");
    }

    public static Text quizAnswered(boolean correct) {
        return new Text(correct ? "딥페이크 퀴즈 정답!" : "딥페이크 퀴즈 완료", "🎮");
    }

    public static Text tierPromoted(String tierName) {
        return new Text(tierName.isBlank() ? "티어 승급" : "티어 승급: " + tierName, "🏆");
    }

    /** XP or coins from outside the quiz, by the grant's reason. */
    public static Text granted(String reason) {
        if (reason.startsWith(DailyQuests.REASON)) {
            return new Text("일일 퀘스트 완료", "✅");
        }
        return switch (reason) {
            case "payment.bonus" -> new Text("구독 보너스 코인", "🪙");
            default -> new Text("보상 획득", "✨");
        };
    }

    public static Text videoUploaded() {
        return new Text("영상 업로드", "📤");
    }

    public static Text analysisCompleted(boolean failed) {
        return failed ? new Text("영상 분석 실패", "⚠️") : new Text("딥페이크 영상 분석 완료", "🔍");
    }

    public static Text paymentCompleted() {
        return new Text("프리미엄 결제 완료", "💳");
    }

    public static Text premiumChanged(String reason) {
        return "refund".equals(reason) ? new Text("결제 환불", "↩️") : new Text("프리미엄 만료", "⌛");
    }

    public static Text community(Activity.Kind kind) {
        return switch (kind) {
            case POST_CREATED -> new Text("커뮤니티 게시글 작성", "📜");
            case POST_DELETED -> new Text("게시글 삭제", "🗑️");
            case COMMENT_CREATED -> new Text("댓글 작성", "💬");
            case COMMENT_DELETED -> new Text("댓글 삭제", "🗑️");
            case POST_LIKED -> new Text("게시글 좋아요", "❤️");
            case POST_UNLIKED -> new Text("좋아요 취소", "💔");
            case POST_VOTED -> new Text("진짜/가짜 투표", "🗳️");
            default -> throw new IllegalArgumentException("not a community activity: " + kind);
        };
    }
}
