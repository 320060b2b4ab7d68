package io.github.infer4j.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** {@link TokenDecoder} over the token pieces of a {@link VocabTokenizer}, control tokens rendered as nothing. */
final class Utf8StreamDecoder implements TokenDecoder {
    private final VocabTokenizer tokenizer;
    private byte[] pending = new byte[32];
    private int pendingLength;

    Utf8StreamDecoder(VocabTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public String accept(int tokenId) {
        byte[] piece = tokenizer.piece(tokenId, false);
        if (pendingLength + piece.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + piece.length));
        }
        System.arraycopy(piece, 0, pending, pendingLength, piece.length);
        pendingLength += piece.length;
        int complete = Utf8.completePrefixLength(pending, pendingLength);
        if (complete == 0) {
            return "";
        }
        String text = new String(pending, 0, complete, StandardCharsets.UTF_8);
        System.arraycopy(pending, complete, pending, 0, pendingLength - complete);
        pendingLength -= complete;
        return text;
    }

    @Override
    public String flush() {
        String text = new String(pending, 0, pendingLength, StandardCharsets.UTF_8);
        pendingLength = 0;
        return text;
    }
}
