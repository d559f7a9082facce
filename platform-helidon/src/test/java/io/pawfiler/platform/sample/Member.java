package io.pawfiler.platform.sample;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "sample_member")
public class Member {
    @Id
    @Column(name = "user_id")
    String userId;

    @Column(name = "nickname")
    String nickname;

    /** Counts how often the welcome effect ran: must stay 1 however often the event is delivered. */
    @Column(name = "welcome_count")
    int welcomeCount;

    protected Member() {
    }

    Member(String userId, String nickname) {
        this.userId = userId;
        this.nickname = nickname;
    }
}
