package io.pawfiler.auth.domain;

import org.junit.jupiter.api.Test;

import io.pawfiler.platform.errors.ApiException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AccountRulesTest {

    @Test
    void emailsAreTrimmedAndLowerCasedAndMustLookLikeAddresses() {
        assertEquals("cat@pawfiler.io", AccountRules.normaliseEmail("  Cat@PawFiler.IO "));
        assertEquals("고양이@예시.한국", AccountRules.normaliseEmail("고양이@예시.한국"));
        for (String bad : new String[] {"", "cat", "cat@", "@pawfiler.io", "cat@pawfiler", "c at@pawfiler.io",
                "cat@@pawfiler.io", "cat..dog@pawfiler.io", "cat@-pawfiler.io", "a".repeat(65) + "@pawfiler.io"}) {
            assertField("email", () -> AccountRules.normaliseEmail(bad));
        }
    }

    @Test
    void passwordsNeedEightCharactersAndMustNotBeTheEmail() {
        AccountRules.checkPassword("12345678", "cat@pawfiler.io");
        AccountRules.checkPassword("비밀번호비밀번호", "cat@pawfiler.io");
        assertField("password", () -> AccountRules.checkPassword("1234567", "cat@pawfiler.io"));
        assertField("password", () -> AccountRules.checkPassword("비밀번호", "cat@pawfiler.io"));
        assertField("password", () -> AccountRules.checkPassword("CAT@pawfiler.io", "cat@pawfiler.io"));
        assertField("password", () -> AccountRules.checkPassword(null, "cat@pawfiler.io"));
        assertField("password", () -> AccountRules.checkPassword("x".repeat(257), "cat@pawfiler.io"));
    }

    @Test
    void nicknamesAreTwoToTwentyCharactersCountedAsCodePoints() {
        assertEquals("고양이", AccountRules.checkNickname("  고양이 "));
        assertEquals("ab", AccountRules.checkNickname("ab"));
        assertEquals("😺".repeat(20), AccountRules.checkNickname("😺".repeat(20)));
        assertField("nickname", () -> AccountRules.checkNickname("a"));
        assertField("nickname", () -> AccountRules.checkNickname("a".repeat(21)));
        assertField("nickname", () -> AccountRules.checkNickname("   "));
        assertField("nickname", () -> AccountRules.checkNickname("bad\u0000name"));
        assertField("nickname", () -> AccountRules.checkNickname("bad\u202Ename"));
    }

    @Test
    void avatarsAreExactlyOneEmojiIncludingSequences() {
        for (String ok : new String[] {"🐱", "👍🏽", "👨‍👩‍👧", "🇰🇷", "❤️", "1️⃣", "🐾"}) {
            assertEquals(ok, AccountRules.checkAvatar(ok), ok);
        }
        for (String bad : new String[] {"", "a", "1", "#", "🐱🐶", "cat", "ㄱ", "🐱a", "\u200D"}) {
            assertField("avatar_emoji", () -> AccountRules.checkAvatar(bad));
        }
    }

    @Test
    void defaultNicknameComesFromTheEmail() {
        assertEquals("mimi", AccountRules.defaultNickname("mimi@pawfiler.io"));
        assertEquals("a님", AccountRules.defaultNickname("a@pawfiler.io"));
        assertEquals("x".repeat(20), AccountRules.defaultNickname("x".repeat(30) + "@pawfiler.io"));
    }

    private static void assertField(String field, Runnable check) {
        ApiException e = assertThrows(ApiException.class, check::run);
        assertEquals(field, e.field().orElse(null), e.getMessage());
    }
}
