package io.pawfiler.payment.domain;

import java.time.Duration;
import java.util.List;

/** A plan as sold: the price is an integer in the currency's minor unit (KRW has none). */
public record Plan(String id, String name, long amount, String currency, String billingPeriod, int durationDays,
                   int bonusCoins, List<String> features) {

    public Plan {
        features = List.copyOf(features);
    }

    public Duration period() {
        return Duration.ofDays(durationDays);
    }
}
