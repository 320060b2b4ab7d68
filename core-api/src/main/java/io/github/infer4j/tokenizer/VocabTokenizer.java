package io.github.infer4j.tokenizer;

import io.github.infer4j.Infer4jException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The tokenizer over a {@link Vocabulary}: the parts llama.cpp shares between vocabulary types (special-token
 * splitting, BOS/EOS, token pieces, whole-text decoding, end-of-generation set) around a {@link SubwordEncoder}.
 */
final class VocabTokenizer implements Tokenizer {
    /**
     * Token texts llama.cpp treats as end of generation whatever their type (and then marks as control tokens);
     * the model-specific exceptions llama.cpp makes for gpt-oss and Gemma 4 are not reproduced.
     */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
            "_<EOT>", "<|end_of_text|>", "<end_of_utterance>", "<｜end▁of▁sentence｜>");

    private static final byte[] NOTHING = new byte[0];

    private final TokenTable table;
    private final int vocabSize;
    private final int[] attrs;
    private final byte[][] pieces;
    private final BitSet endOfGeneration = new BitSet();
    private final SpecialTokenSplitter specialTokens;
    private final SubwordEncoder encoder;
    private final int bosId;
    private final int eosId;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;

    VocabTokenizer(Vocabulary vocabulary) {
        List<String> tokens = vocabulary.tokens();
        vocabSize = tokens.size();
        table = new TokenTable(vocabSize);
        attrs = new int[vocabSize];
        int[] types = vocabulary.tokenTypes();
        for (int id = 0; id < vocabSize; id++) {
            String text = tokens.get(id);
            if (text.isEmpty()) {
                // llama.cpp's stand-in: an empty string would match everywhere when splitting special tokens
                text = "[EMPTY_" + id + "]";
            }
            int existing = table.find(text);
            if (existing >= 0) {
                throw new Infer4jException("duplicate token in vocabulary: '" + text + "' has ids " + existing
                        + " and " + id);
            }
            table.add(text);
            attrs[id] = types == null ? TokenAttr.NORMAL : TokenAttr.fromGgufType(types[id]);
            if (END_OF_GENERATION_TEXTS.contains(text)) {
                endOfGeneration.set(id);
                attrs[id] |= TokenAttr.CONTROL;
            }
        }
        for (int id : new int[] {vocabulary.eosId(), vocabulary.eotId(), vocabulary.eomId()}) {
            if (id >= 0) {
                endOfGeneration.set(id);
            }
        }
        bosId = vocabulary.bosId();
        eosId = vocabulary.eosId();
        addBos = vocabulary.addBos();
        addEos = vocabulary.addEos();
        addSpacePrefix = vocabulary.addSpacePrefix();
        encoder = switch (vocabulary.type()) {
            case SPM -> new SpmEncoder(table, vocabulary);
            case BPE -> new BpeEncoder(table, vocabulary);
        };
        specialTokens = new SpecialTokenSplitter(table, attrs);
        pieces = new byte[vocabSize][];
        for (int id = 0; id < vocabSize; id++) {
            pieces[id] = renderPiece(id);
        }
    }

    /** llama.cpp's token_to_piece with special tokens rendered; which types show what follows its order of checks. */
    private byte[] renderPiece(int id) {
        int attr = attrs[id];
        String text = table.text(id);
        if ((attr & (TokenAttr.UNKNOWN | TokenAttr.CONTROL | TokenAttr.USER_DEFINED)) != 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if ((attr & TokenAttr.NORMAL) != 0) {
            return encoder.normalPiece(text);
        }
        if ((attr & TokenAttr.BYTE) != 0) {
            return new byte[] {(byte) byteValue(id, text)};
        }
        return NOTHING;
    }

    private static int byteValue(int id, String text) {
        if (text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            int high = Character.digit(text.charAt(3), 16);
            int low = Character.digit(text.charAt(4), 16);
            if (high >= 0 && low >= 0) {
                return high * 16 + low;
            }
        }
        throw new Infer4jException("token " + id + " '" + text + "' has type byte but is not of the form <0xAB>");
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        String input = Utf8.withoutLoneSurrogates(Objects.requireNonNull(text, "text"));
        IntList out = new IntList(input.length() / 3 + 4);
        if (addSpecial && addBos) {
            out.add(bosId);
        }
        if (!input.isEmpty()) {
            IntList fragments = new IntList(8);
            specialTokens.split(input, parseSpecial, fragments);
            boolean afterSpecial = true;
            for (int f = 0; f < fragments.size(); f += 2) {
                int start = fragments.get(f);
                if (start < 0) {
                    out.add(-1 - start);
                    afterSpecial = true;
                } else {
                    encoder.encode(input.substring(start, fragments.get(f + 1)), afterSpecial, out);
                    afterSpecial = false;
                }
            }
        }
        if (addSpecial && addEos) {
            out.add(eosId);
        }
        return out.toArray();
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return table.text(id);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return tokenBytes(id, false);
    }

    @Override
    public byte[] tokenBytes(int id, boolean renderSpecial) {
        return piece(id, renderSpecial).clone();
    }

    /** The cached piece, not copied: callers in this package must not modify it. */
    byte[] piece(int id, boolean renderSpecial) {
        checkId(id);
        if (!renderSpecial && (attrs[id] & (TokenAttr.UNKNOWN | TokenAttr.CONTROL)) != 0) {
            return NOTHING;
        }
        return pieces[id];
    }

    @Override
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        // the first token loses one leading space, the one SentencePiece encoding put there
        boolean stripSpace = addSpacePrefix;
        for (int id : ids) {
            byte[] piece = piece(id, renderSpecial);
            int skip = stripSpace && piece.length > 0 && piece[0] == ' ' ? 1 : 0;
            out.write(piece, skip, piece.length - skip);
            stripSpace = false;
        }
        byte[] bytes = out.toByteArray();
        int length = encoder.cleanSpaces() ? SpaceCleaner.clean(bytes) : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public TokenDecoder newStreamingDecoder() {
        return new Utf8StreamDecoder(this);
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public OptionalInt tokenId(String text) {
        int id = table.find(text);
        return id >= 0 && id < vocabSize ? OptionalInt.of(id) : OptionalInt.empty();
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    @Override
    public boolean addBosByDefault() {
        return addBos;
    }

    private void checkId(int id) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException("token id " + id + " outside the vocabulary [0, " + vocabSize + ")");
        }
    }
}
