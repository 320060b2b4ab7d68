package io.github.infer4j.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pre-tokenizers of byte-level BPE vocabularies, selected by the GGUF key {@code tokenizer.ggml.pre}. Each
 * splits text into words with llama.cpp's regex list for that name (applied one after the other, each inside the
 * pieces of the previous one, unmatched stretches kept as pieces of their own) and carries llama.cpp's per-name
 * tokenizer flags.
 */
enum PreTokenizer {
    DEFAULT(true, false, false, List.of("default"),
            "[\\p{P}\\$\\+<=>\\^~\\|]+",
            Regexes.GPT2,
            "\\p{N}+",
            "[0-9][0-9][0-9]"),
    LLAMA3(true, true, true, List.of("llama3", "llama-v3", "llama-bpe", "falcon3"),
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    GPT2(true, false, false, List.of("gpt-2", "phi-2", "mpt", "olmo"),
            Regexes.GPT2),
    QWEN2(false, false, false, List.of("qwen2", "deepseek-r1-qwen"),
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    SMOLLM(false, false, false, List.of("smollm"),
            "\\p{N}",
            Regexes.GPT2),
    STARCODER(true, false, false, List.of("starcoder", "refact", "codeshell"),
            "\\p{N}",
            Regexes.GPT2);

    private final boolean cleanSpaces;
    private final boolean ignoreMerges;
    private final boolean addBos;
    private final List<String> names;
    private final Pattern[] patterns;

    PreTokenizer(boolean cleanSpaces, boolean ignoreMerges, boolean addBos, List<String> names, String... regexes) {
        this.cleanSpaces = cleanSpaces;
        this.ignoreMerges = ignoreMerges;
        this.addBos = addBos;
        this.names = names;
        this.patterns = new Pattern[regexes.length];
        for (int i = 0; i < regexes.length; i++) {
            patterns[i] = LlamaRegex.compile(regexes[i]);
        }
    }

    /**
     * The pre-tokenizer llama.cpp uses for the GGUF value {@code name}, or {@code null} when it is not supported;
     * a file without the key gets {@link #DEFAULT}, as in llama.cpp.
     */
    static PreTokenizer forName(String name) {
        if (name.isEmpty()) {
            return DEFAULT;
        }
        for (PreTokenizer pre : values()) {
            if (pre.names.contains(name)) {
                return pre;
            }
        }
        return null;
    }

    static List<String> supportedNames() {
        List<String> all = new ArrayList<>();
        for (PreTokenizer pre : values()) {
            all.addAll(pre.names);
        }
        return all;
    }

    /** Whether decoding tidies " ," and " 's" the way llama.cpp's clean_up_tokenization_spaces does. */
    boolean cleanSpaces() {
        return cleanSpaces;
    }

    /** Whether a word that is itself a token is emitted whole instead of being merged from bytes. */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** llama.cpp's BOS default for this pre-tokenizer when the file has no tokenizer.ggml.add_bos_token. */
    boolean addBosByDefault() {
        return addBos;
    }

    /**
     * Splits {@code text} into words; {@code words} receives (start, end) char offset pairs, in order, covering
     * the whole text.
     */
    void split(String text, IntList words) {
        words.clear();
        words.add(0);
        words.add(text.length());
        IntList next = new IntList(16);
        for (Pattern pattern : patterns) {
            next.clear();
            Matcher matcher = pattern.matcher(text);
            for (int w = 0; w < words.size(); w += 2) {
                int start = words.get(w);
                int end = words.get(w + 1);
                matcher.region(start, end);
                int previous = start;
                while (matcher.find()) {
                    if (matcher.end() == matcher.start()) {
                        continue;
                    }
                    if (matcher.start() > previous) {
                        next.add(previous);
                        next.add(matcher.start());
                    }
                    next.add(matcher.start());
                    next.add(matcher.end());
                    previous = matcher.end();
                }
                if (previous < end) {
                    next.add(previous);
                    next.add(end);
                }
            }
            words.clear();
            for (int i = 0; i < next.size(); i++) {
                words.add(next.get(i));
            }
        }
    }

    /** Shared by several pre-tokenizers; a nested holder because enum constants cannot see their own statics. */
    private static final class Regexes {
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
    }
}
