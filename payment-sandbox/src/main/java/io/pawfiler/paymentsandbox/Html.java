package io.pawfiler.paymentsandbox;

import java.text.NumberFormat;
import java.util.Locale;

/** The sandbox's few pages. Everything that came from a request goes through {@link #escape}. */
final class Html {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:34em;margin:2em auto;"
            + "padding:0 1em;color:#222}.warn{background:#fff3cd;border:1px solid #e0c36c;padding:.6em;"
            + "border-radius:4px}table{border-collapse:collapse;margin:1em 0}th,td{text-align:left;"
            + "padding:.3em .8em .3em 0;vertical-align:top}td{word-break:break-all}form{display:inline-block;"
            + "margin-right:1em}button{font-size:1.1em;padding:.5em 1.4em;cursor:pointer}"
            + "code{background:#f3f3f3;padding:0 .2em}";

    private Html() {
    }

    /** HTML-escapes text for element content and quoted attribute values. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String checkout(Ledger.Order order, String successUrl, String failUrl) {
        String amount = NumberFormat.getIntegerInstance(Locale.KOREA).format(order.amount());
        StringBuilder hidden = new StringBuilder();
        hiddenField(hidden, "orderId", order.orderId());
        hiddenField(hidden, "orderName", order.orderName());
        hiddenField(hidden, "amount", String.valueOf(order.amount()));
        if (order.customerKey() != null) {
            hiddenField(hidden, "customerKey", order.customerKey());
        }
        hiddenField(hidden, "successUrl", successUrl);
        hiddenField(hidden, "failUrl", failUrl);
        return page("결제하기 — payment sandbox", """
                <h1>결제하기 (checkout)</h1>
                <table>
                <tr><th>주문 (order)</th><td>%s</td></tr>
                <tr><th>orderId</th><td><code>%s</code></td></tr>
                <tr><th>금액 (amount)</th><td>%s원 (KRW)</td></tr>
                %s</table>
                <form method="post" action="/checkout/pay">%s<button type="submit" name="action" value="pay">pay</button></form>
                <form method="post" action="/checkout/fail">%s<button type="submit" name="action" value="fail">fail</button></form>
                <p><small>pay: the card is authorized (IN_PROGRESS) and you go back to <code>%s</code> with
                paymentKey, orderId and amount; the shop must then confirm it. fail: you go back to
                <code>%s</code> with code PAY_PROCESS_CANCELED.</small></p>
                """.formatted(escape(order.orderName()), escape(order.orderId()), escape(amount),
                order.customerKey() == null ? ""
                        : "<tr><th>customerKey</th><td><code>" + escape(order.customerKey()) + "</code></td></tr>\n",
                hidden, hidden, escape(successUrl), escape(failUrl)));
    }

    static String error(int status, String code, String message) {
        return page("Error — payment sandbox", """
                <h1>%d %s</h1>
                <p>%s</p>
                """.formatted(status, escape(code), escape(message)));
    }

    static String index(String baseUrl) {
        return page("Pawfiler payment sandbox", """
                <h1>Pawfiler payment sandbox</h1>
                <p>Speaks a subset of Toss Payments' server API (v1) on loopback for tests and <code>./pawfiler
                up</code>. See <code>payment-sandbox/README.md</code>.</p>
                <ul>
                <li><code>GET %1$s/checkout?orderId=&amp;amount=&amp;orderName=&amp;successUrl=&amp;failUrl=</code></li>
                <li><code>POST %1$s/v1/payments/confirm</code>, <code>POST %1$s/v1/payments/{paymentKey}/cancel</code></li>
                <li><code>GET %1$s/v1/payments/{paymentKey}</code>, <code>GET %1$s/v1/payments/orders/{orderId}</code></li>
                <li><a href="/sandbox/payments">/sandbox/payments</a>, <a href="/sandbox/webhooks">/sandbox/webhooks</a></li>
                </ul>
                """.formatted(escape(baseUrl)));
    }

    private static void hiddenField(StringBuilder out, String name, String value) {
        out.append("<input type=\"hidden\" name=\"").append(escape(name)).append("\" value=\"")
                .append(escape(value)).append("\">");
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="ko"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s</title><style>%s</style></head><body>
                <p class="warn"><strong>SANDBOX</strong> — not a real payment provider. No card is charged and no
                money moves.</p>
                %s</body></html>
                """.formatted(escape(title), STYLE, body);
    }
}
