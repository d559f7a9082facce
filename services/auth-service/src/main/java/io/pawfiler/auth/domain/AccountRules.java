package io.pawfiler.auth.domain;

import java.text.BreakIterator;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

import io.pawfiler.platform.errors.ApiException;

/**
 * What makes an email, password, nickname and avatar acceptable. Each check names the request field it
 * rejects, so REST and gRPC callers learn which input to fix.
 */
public final class AccountRules {

    public static final int MIN_PASSWORD_LENGTH = 8;
    /** Argon2 hashes any length, but a megabyte-long "password" is only a way to burn CPU. */
    public static final int MAX_PASSWORD_LENGTH = 256;
    public static final int MIN_NICKNAME_LENGTH = 2;
    public static final int MAX_NICKNAME_LENGTH = 20;
    public static final String DEFAULT_AVATAR = "🐾";

    /** Pragmatic RFC 5322 subset: one @, a dot-separated domain with a 2+ letter top level, no spaces. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[\\p{L}\\p{N}.!#$%&'*+/=?^_`{|}~-]+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?\\.)+\\p{L}{2,63}$");

    private AccountRules() {
    }

    /** The canonical form stored and compared: trimmed, NFC, lower case. Rejects what is not an address. */
    public static String normaliseEmail(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.invalidArgument("email", "is required");
        }
        String email = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        if (email.length() > 254 || email.indexOf('@') > 64 || !EMAIL.matcher(email).matches() || email.contains("..")) {
            throw ApiException.invalidArgument("email", "is not a valid email address");
        }
        return email;
    }

    public static void checkPassword(String password, String normalisedEmail) {
        if (password == null || password.isEmpty()) {
            throw ApiException.invalidArgument("password", "is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD_LENGTH) {
            throw ApiException.invalidArgument("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (length > MAX_PASSWORD_LENGTH) {
            throw ApiException.invalidArgument("password", "must be at most " + MAX_PASSWORD_LENGTH + " characters");
        }
        if (password.strip().equalsIgnoreCase(normalisedEmail)) {
            throw ApiException.invalidArgument("password", "must not be the email address");
        }
    }

    /** Trimmed and NFC-normalised; 2-20 characters, no control characters. */
    public static String checkNickname(String raw) {
        String nickname = raw == null ? "" : Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        int length = nickname.codePointCount(0, nickname.length());
        if (length < MIN_NICKNAME_LENGTH || length > MAX_NICKNAME_LENGTH) {
            throw ApiException.invalidArgument("nickname",
                    "must be " + MIN_NICKNAME_LENGTH + "-" + MAX_NICKNAME_LENGTH + " characters");
        }
        if (nickname.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                && cp != 0x200D)) {
            throw ApiException.invalidArgument("nickname", "must not contain control characters");
        }
        return nickname;
    }

    /** A nickname for a signup that sent none (the original frontend sends only email and password). */
    public static String defaultNickname(String normalisedEmail) {
        String local = normalisedEmail.substring(0, normalisedEmail.indexOf('@'));
        int[] codePoints = local.codePoints().limit(MAX_NICKNAME_LENGTH).toArray();
        String nickname = new String(codePoints, 0, codePoints.length);
        return nickname.length() >= MIN_NICKNAME_LENGTH ? nickname : nickname + "님";
    }

    /**
     * Exactly one emoji: one user-perceived character (grapheme cluster, so flags, skin tones and ZWJ families
     * count once) that is drawn as an emoji.
     */
    public static String checkAvatar(String raw) {
        String avatar = raw == null ? "" : raw.strip();
        if (avatar.isEmpty()) {
            throw ApiException.invalidArgument("avatar_emoji", "is required");
        }
        BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
        graphemes.setText(avatar);
        graphemes.first();
        if (graphemes.next() != avatar.length() || !isEmoji(avatar)) {
            throw ApiException.invalidArgument("avatar_emoji", "must be a single emoji");
        }
        return avatar;
    }

    private static boolean isEmoji(String grapheme) {
        int first = grapheme.codePointAt(0);
        if (Character.isEmojiPresentation(first) || Character.isExtendedPictographic(first)) {
            return true;
        }
        // Text-default emoji (❤, ☺, keycaps like 1️⃣) count when they ask for emoji presentation (U+FE0F) or a keycap.
        return Character.isEmoji(first) && (grapheme.indexOf('\uFE0F') > 0 || grapheme.indexOf('\u20E3') > 0);
    }
}
