package io.github.infer4j.tokenizer;

import io.github.infer4j.tokenizer.Vocabulary.VocabType;
import java.util.ArrayList;
import java.util.List;

/** Tiny vocabularies built in code, for behaviour that the real files cannot pin down on their own. */
final class SyntheticVocabs {
    private SyntheticVocabs() {
    }

    /** A SentencePiece vocabulary: {@code <unk> <s> </s>}, then {@code pieces} with their scores. */
    static Tokenizer spm(List<String> pieces, float[] pieceScores, int[] pieceTypes) {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        tokens.addAll(pieces);
        float[] scores = new float[tokens.size()];
        System.arraycopy(pieceScores, 0, scores, 3, pieceScores.length);
        int[] types = new int[tokens.size()];
        types[0] = 2;
        types[1] = 3;
        types[2] = 3;
        System.arraycopy(pieceTypes, 0, types, 3, pieceTypes.length);
        return new VocabTokenizer(new Vocabulary(VocabType.SPM, null, tokens, scores, types, List.of(),
                1, 2, 0, -1, -1, true, false, true));
    }

    /**
     * A byte-level BPE vocabulary: the 256 byte spellings as ids 0..255 (in byte order), then {@code extra}
     * tokens (types given by {@code extraTypes}), with {@code merges} in rank order.
     */
    static Tokenizer bpe(PreTokenizer pre, List<String> extra, int[] extraTypes, List<String> merges) {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.encode(b)));
        }
        tokens.addAll(extra);
        int[] types = new int[tokens.size()];
        java.util.Arrays.fill(types, 1);
        System.arraycopy(extraTypes, 0, types, 256, extraTypes.length);
        return new VocabTokenizer(new Vocabulary(VocabType.BPE, pre, tokens, null, types, merges,
                -1, -1, -1, -1, -1, false, false, false));
    }

    static int[] ids(int... ids) {
        return ids;
    }
}
