package io.github.infer4j.chat.jinja;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Python's {@code strftime} in the C locale, for the {@code strftime_now} function Hugging Face gives templates
 * (Llama 3.2 prints today's date with it): the clock's local date and time. The {@code -} flag (no padding) of the
 * C library is supported.
 */
final class StrfTime {
    private StrfTime() {
    }

    static String format(String pattern, ZonedDateTime time) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 >= pattern.length()) {
                out.append(c);
                continue;
            }
            boolean pad = true;
            char directive = pattern.charAt(++i);
            if (directive == '-' && i + 1 < pattern.length()) {
                pad = false;
                directive = pattern.charAt(++i);
            }
            String field = field(directive, time, pad);
            out.append(field != null ? field : (pad ? "%" : "%-") + directive);
        }
        return out.toString();
    }

    private static String field(char directive, ZonedDateTime time, boolean pad) {
        return switch (directive) {
            case 'a' -> time.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> time.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'b', 'h' -> time.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> time.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'd' -> number(time.getDayOfMonth(), 2, pad);
            case 'e' -> pad ? String.format("%2d", time.getDayOfMonth()) : Integer.toString(time.getDayOfMonth());
            case 'H' -> number(time.getHour(), 2, pad);
            case 'I' -> number((time.getHour() + 11) % 12 + 1, 2, pad);
            case 'j' -> number(time.getDayOfYear(), 3, pad);
            case 'm' -> number(time.getMonthValue(), 2, pad);
            case 'M' -> number(time.getMinute(), 2, pad);
            case 'S' -> number(time.getSecond(), 2, pad);
            case 'p' -> time.getHour() < 12 ? "AM" : "PM";
            case 'y' -> number(time.getYear() % 100, 2, pad);
            case 'Y' -> Integer.toString(time.getYear());
            case 'u' -> Integer.toString(time.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(time.getDayOfWeek().getValue() % 7);
            // Hugging Face formats datetime.now(), a local time without zone, for which Python prints no zone.
            case 'z', 'Z' -> "";
            case 'D' -> format("%m/%d/%y", time);
            case 'F' -> format("%Y-%m-%d", time);
            case 'T', 'X' -> format("%H:%M:%S", time);
            case 'x' -> format("%m/%d/%y", time);
            case 'c' -> format("%a %b %e %H:%M:%S %Y", time);
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> null;
        };
    }

    private static String number(int value, int width, boolean pad) {
        String digits = Integer.toString(value);
        return pad && digits.length() < width ? "0".repeat(width - digits.length()) + digits : digits;
    }
}
