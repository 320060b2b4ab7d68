package io.github.infer4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts special-token text out of the input before the subword encoder sees it, like llama.cpp's
 * tokenizer_st_partition: one special token after the other, longest text (in UTF-8 bytes) first, each occurrence
 * in every remaining text fragment becomes that token. User-defined tokens are always cut out; control and unknown
 * tokens only when special-token parsing is asked for.
 */
final class SpecialTokenSplitter {
    private final int[] ids;
    private final String[] texts;
    private final boolean[] parsedOnRequest;

    SpecialTokenSplitter(TokenTable tokens, int[] attrs) {
        List<Integer> special = new ArrayList<>();
        Map<Integer, Integer> utf8Length = new HashMap<>();
        for (int id = 0; id < attrs.length; id++) {
            if ((attrs[id] & (TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN)) != 0) {
                special.add(id);
                utf8Length.put(id, tokens.text(id).getBytes(StandardCharsets.UTF_8).length);
            }
        }
        // llama.cpp measures in bytes, which orders some non-ASCII texts differently from a char count
        special.sort(Comparator.<Integer>comparingInt(utf8Length::get).reversed().thenComparingInt(id -> id));
        ids = new int[special.size()];
        texts = new String[special.size()];
        parsedOnRequest = new boolean[special.size()];
        for (int i = 0; i < ids.length; i++) {
            int id = special.get(i);
            ids[i] = id;
            texts[i] = tokens.text(id);
            parsedOnRequest[i] = (attrs[id] & (TokenAttr.CONTROL | TokenAttr.UNKNOWN)) != 0;
        }
    }

    /**
     * Splits {@code text} into fragments, written to {@code fragments} as pairs: a text fragment as
     * (start, end) char offsets, a special token as (-1 - id, 0).
     */
    void split(String text, boolean parseSpecial, IntList fragments) {
        fragments.clear();
        fragments.add(0);
        fragments.add(text.length());
        IntList next = new IntList(8);
        for (int k = 0; k < ids.length; k++) {
            if (parsedOnRequest[k] && !parseSpecial) {
                continue;
            }
            String special = texts[k];
            if (!text.contains(special)) {
                continue;
            }
            next.clear();
            for (int f = 0; f < fragments.size(); f += 2) {
                int start = fragments.get(f);
                int end = fragments.get(f + 1);
                if (start < 0) {
                    next.add(start);
                    next.add(end);
                    continue;
                }
                int position = start;
                int found;
                while ((found = text.indexOf(special, position, end)) >= 0) {
                    if (found > position) {
                        next.add(position);
                        next.add(found);
                    }
                    next.add(-1 - ids[k]);
                    next.add(0);
                    position = found + special.length();
                }
                if (position < end) {
                    next.add(position);
                    next.add(end);
                }
            }
            fragments.clear();
            for (int i = 0; i < next.size(); i++) {
                fragments.add(next.get(i));
            }
        }
    }
}
