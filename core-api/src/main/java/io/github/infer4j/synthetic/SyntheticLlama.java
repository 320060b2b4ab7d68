package io.github.infer4j.synthetic;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufWriter;
import io.github.infer4j.tensor.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes Llama GGUF files with seeded random weights, named and shaped as llama.cpp names and shapes them, for
 * tests that need a whole model without a real one and for benchmarks of real shapes ({@link Builder#shape}); the
 * files load in llama.cpp too. Weights are N(0, scale) (scale 0.02 unless set), norm weights 1 + N(0, scale), so
 * activations and logits stay finite. Matrices use {@link Builder#weightType} unless {@link Builder#tensorType}
 * names another type for them (the mixes of llama.cpp's Q4_K_M and the like); norm vectors are always F32.
 * Matrices are generated row by row while the file is written, so even a 7B model needs little heap.
 *
 * <p>The default tokenizer is a Llama-3-style byte-level BPE vocabulary ({@code tokenizer.ggml.model = gpt2},
 * {@code pre = llama-bpe}): ids 0..255 are the 256 bytes in GPT-2's byte-to-unicode order (as in Llama 3, id 0 is
 * "!"), then one token per entry of {@link #MERGES} in that order (merge rank = list index), then the
 * {@link #SPECIAL_TOKENS} (token type 3), then {@code <|reserved_special_token_N|>} (type 3) up to the requested
 * vocabulary size. BOS is {@code <|begin_of_text|>}, EOS is {@code <|eot_id|>} as in Llama 3 Instruct files, and
 * the chat template is Llama 3's.
 */
public final class SyntheticLlama {
    /** The BPE merges, highest priority first, in GGUF's "left right" form (Ġ is a space, Ċ a newline). */
    public static final List<String> MERGES = List.of(
            "Ġ t", "h e", "Ġ a", "i n", "Ġt he", "e r", "o n", "r e", "Ġ s", "e d", "Ġ w", "o u", "in g", "Ġ h",
            "l l", "Ġ o", "Ġ b", "e n", "a n", "Ġ c", "o r", "Ġ i", "Ġi s", "H e", "He ll", "Hell o", "Ġw or",
            "Ġwor l", "Ġworl d", "Ġ y", "Ġy ou", "Ġ Ġ", "Ċ Ċ", "a t", "i t", "Ġ f", "Ġ m", "Ġ d", "Ġ p", "e s");

    /** Llama 3's special tokens, in id order after the merged tokens. */
    public static final List<String> SPECIAL_TOKENS = List.of(
            "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    /** Meta's Llama 3 Instruct chat template (Jinja), the string llama.cpp recognises as "llama3". */
    public static final String LLAMA3_CHAT_TEMPLATE = "{% set loop_messages = messages %}"
            + "{% for message in loop_messages %}"
            + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
            + "+ message['content'] | trim + '<|eot_id|>' %}"
            + "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
            + "{{ content }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

    private static final int TOKEN_TYPE_NORMAL = 1;
    private static final int TOKEN_TYPE_CONTROL = 3;

    private SyntheticLlama() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Size of the BPE vocabulary without reserved tokens: bytes, merged tokens and special tokens. */
    public static int minimalBpeVocabSize() {
        return bpeTokens().size() + SPECIAL_TOKENS.size();
    }

    /** Options of one synthetic model; every setter returns {@code this}. */
    public static final class Builder {
        private int dim = 64;
        private int layers = 2;
        private int heads = 4;
        private int kvHeads = 2;
        private int ffn = 128;
        private int vocab = -1;
        private int context = 256;
        private String modelName = "synthetic-llama";
        private DType weightType = DType.F32;
        private final Map<String, DType> tensorTypes = new HashMap<>();
        private boolean tiedOutput = true;
        private GgufMetadata spmSource;
        private long seed = 42;
        private float scale = 0.02f;
        private float ropeFreqBase = 10000f;
        private float rmsEps = 1e-5f;

        private Builder() {
        }

        /** Embedding width (llama.embedding_length); default 64. */
        public Builder dim(int dim) {
            this.dim = dim;
            return this;
        }

        /** Number of transformer blocks; default 2. */
        public Builder layers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Query heads; default 4. Head size is dim / heads. */
        public Builder heads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Key/value heads (grouped-query attention when fewer than heads); default 2. */
        public Builder kvHeads(int kvHeads) {
            this.kvHeads = kvHeads;
            return this;
        }

        /** Hidden width of the SwiGLU feed-forward (llama.feed_forward_length); default 128. */
        public Builder ffn(int ffn) {
            this.ffn = ffn;
            return this;
        }

        /**
         * Vocabulary size. With the BPE tokenizer it must be at least {@link #minimalBpeVocabSize()} (the default);
         * with an SPM tokenizer it must equal the copied token count (the default).
         */
        public Builder vocab(int vocab) {
            this.vocab = vocab;
            return this;
        }

        /** llama.context_length; default 256. */
        public Builder context(int context) {
            this.context = context;
            return this;
        }

        /** Type of every matrix, token embeddings included; norms stay F32. Default F32. */
        public Builder weightType(DType weightType) {
            this.weightType = Objects.requireNonNull(weightType);
            return this;
        }

        /**
         * Type of the one matrix named {@code name} (as in the file, e.g. {@code blk.1.ffn_down.weight} or
         * {@code output.weight}), instead of {@link #weightType}. Its rows must be a multiple of the type's block.
         */
        public Builder tensorType(String name, DType type) {
            tensorTypes.put(Objects.requireNonNull(name), Objects.requireNonNull(type));
            return this;
        }

        /** Whether the classifier reuses token_embd.weight (no output.weight tensor); default true. */
        public Builder tiedOutput(boolean tiedOutput) {
            this.tiedOutput = tiedOutput;
            return this;
        }

        /** Use the Llama-3-style byte-level BPE vocabulary described on {@link SyntheticLlama} (the default). */
        public Builder bpeTokenizer() {
            this.spmSource = null;
            return this;
        }

        /** Copy every {@code tokenizer.*} key (an SPM vocabulary, e.g. stories260K's) from {@code source}. */
        public Builder spmTokenizerFrom(GgufMetadata source) {
            this.spmSource = Objects.requireNonNull(source);
            return this;
        }

        /** Seed of the weights; the same options and seed give the same file, byte for byte. Default 42. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Standard deviation of the weights; default 0.02. */
        public Builder weightScale(float scale) {
            this.scale = scale;
            return this;
        }

        /** llama.rope.freq_base; default 10000. */
        public Builder ropeFreqBase(float ropeFreqBase) {
            this.ropeFreqBase = ropeFreqBase;
            return this;
        }

        /** llama.attention.layer_norm_rms_epsilon; default 1e-5. */
        public Builder rmsEps(float rmsEps) {
            this.rmsEps = rmsEps;
            return this;
        }

        /**
         * Every hyper-parameter of {@code shape}: widths, layers, heads, vocabulary size, context, RoPE base, RMS
         * epsilon and whether the classifier is tied; the file is then named {@code synthetic-<shape name>}.
         */
        public Builder shape(LlamaShape shape) {
            dim = shape.dim();
            layers = shape.layers();
            heads = shape.heads();
            kvHeads = shape.kvHeads();
            ffn = shape.ffn();
            vocab = shape.vocab();
            context = shape.context();
            ropeFreqBase = shape.ropeFreqBase();
            rmsEps = shape.rmsEps();
            tiedOutput = shape.tiedOutput();
            modelName = "synthetic-" + shape.name();
            return this;
        }

        /** A writer holding the whole model (matrices as generators), for tests that add or override keys. */
        public GgufWriter toWriter() {
            validate();
            GgufWriter w = new GgufWriter();
            int vocabSize = spmSource != null ? putSpmTokenizer(w) : putBpeTokenizer(w);
            putHyperParameters(w, vocabSize);
            Set<String> matrices = putTensors(w, vocabSize);
            Set<String> unknown = new HashSet<>(tensorTypes.keySet());
            unknown.removeAll(matrices);
            require(unknown.isEmpty(), "tensorType names no matrix of this model: " + unknown);
            return w;
        }

        /** Writes the model to {@code file} and returns {@code file}. */
        public Path write(Path file) {
            toWriter().write(file);
            return file;
        }

        private void validate() {
            require(dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffn > 0 && context > 0,
                    "dim, layers, heads, kvHeads, ffn and context must be positive");
            require(dim % heads == 0, "dim " + dim + " is not a multiple of heads " + heads);
            require(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kvHeads " + kvHeads);
            require((dim / heads) % 2 == 0, "head size " + dim / heads + " must be even for RoPE");
        }

        private void putHyperParameters(GgufWriter w, int vocabSize) {
            w.putString("general.architecture", "llama")
                    .putString("general.name", modelName)
                    .putUInt32("general.file_type", fileType(weightType))
                    .putUInt32("llama.context_length", context)
                    .putUInt32("llama.embedding_length", dim)
                    .putUInt32("llama.block_count", layers)
                    .putUInt32("llama.feed_forward_length", ffn)
                    .putUInt32("llama.attention.head_count", heads)
                    .putUInt32("llama.attention.head_count_kv", kvHeads)
                    .putFloat32("llama.rope.freq_base", ropeFreqBase)
                    .putFloat32("llama.attention.layer_norm_rms_epsilon", rmsEps)
                    .putUInt32("llama.rope.dimension_count", dim / heads)
                    .putUInt32("llama.vocab_size", vocabSize);
            if (weightType.isQuantized()) {
                w.putUInt32("general.quantization_version", 2);
            }
        }

        /** Adds every tensor and returns the names of the matrices. */
        private Set<String> putTensors(GgufWriter w, int vocabSize) {
            Set<String> matrices = new HashSet<>();
            SplittableRandom random = new SplittableRandom(seed);
            int kvDim = dim / heads * kvHeads;
            matrices.add(matrix(w, random, "token_embd.weight", dim, vocabSize));
            for (int l = 0; l < layers; l++) {
                String p = "blk." + l + ".";
                norm(w, random, p + "attn_norm.weight");
                matrices.add(matrix(w, random, p + "attn_q.weight", dim, dim));
                matrices.add(matrix(w, random, p + "attn_k.weight", dim, kvDim));
                matrices.add(matrix(w, random, p + "attn_v.weight", dim, kvDim));
                matrices.add(matrix(w, random, p + "attn_output.weight", dim, dim));
                norm(w, random, p + "ffn_norm.weight");
                matrices.add(matrix(w, random, p + "ffn_gate.weight", dim, ffn));
                matrices.add(matrix(w, random, p + "ffn_up.weight", dim, ffn));
                matrices.add(matrix(w, random, p + "ffn_down.weight", ffn, dim));
            }
            norm(w, random, "output_norm.weight");
            if (!tiedOutput) {
                matrices.add(matrix(w, random, "output.weight", dim, vocabSize));
            }
            return matrices;
        }

        /** Adds a matrix of {@code rows} rows of {@code cols} inputs (ggml dims {cols, rows}); returns its name. */
        private String matrix(GgufWriter w, SplittableRandom random, String name, int cols, int rows) {
            DType type = tensorTypes.getOrDefault(name, weightType);
            require(cols % type.blockSize() == 0, name + ": " + type + " needs rows of a multiple of "
                    + type.blockSize() + " elements, got " + cols);
            w.addTensor(name, type, new long[] {cols, rows}, new NormalRows(random.nextLong(), cols, scale));
            return name;
        }

        private void norm(GgufWriter w, SplittableRandom random, String name) {
            float[] values = new float[dim];
            for (int i = 0; i < dim; i++) {
                values[i] = (float) (1 + random.nextGaussian() * scale);
            }
            w.addTensor(name, DType.F32, new long[] {dim}, values);
        }

        private int putBpeTokenizer(GgufWriter w) {
            List<String> tokens = new ArrayList<>(bpeTokens());
            tokens.addAll(SPECIAL_TOKENS);
            int size = vocab < 0 ? tokens.size() : vocab;
            require(size >= tokens.size(), "the BPE vocabulary needs at least " + tokens.size() + " tokens, got "
                    + size);
            for (int r = 0; tokens.size() < size; r++) {
                tokens.add("<|reserved_special_token_" + r + "|>");
            }
            int firstSpecial = bpeTokens().size();
            int[] types = new int[size];
            Arrays.fill(types, 0, firstSpecial, TOKEN_TYPE_NORMAL);
            Arrays.fill(types, firstSpecial, size, TOKEN_TYPE_CONTROL);
            w.putString("tokenizer.ggml.model", "gpt2")
                    .putString("tokenizer.ggml.pre", "llama-bpe")
                    .putStringArray("tokenizer.ggml.tokens", tokens)
                    .putInt32Array("tokenizer.ggml.token_type", types)
                    .putStringArray("tokenizer.ggml.merges", MERGES)
                    .putUInt32("tokenizer.ggml.bos_token_id", tokens.indexOf("<|begin_of_text|>"))
                    .putUInt32("tokenizer.ggml.eos_token_id", tokens.indexOf("<|eot_id|>"))
                    .putBool("tokenizer.ggml.add_bos_token", true)
                    .putString("tokenizer.chat_template", LLAMA3_CHAT_TEMPLATE);
            return size;
        }

        private int putSpmTokenizer(GgufWriter w) {
            int size = spmSource.getStringList("tokenizer.ggml.tokens").size();
            require(vocab < 0 || vocab == size, "the copied vocabulary has " + size + " tokens, not " + vocab);
            for (String key : spmSource.keys()) {
                if (key.startsWith("tokenizer.")) {
                    w.put(key, spmSource.find(key).orElseThrow());
                }
            }
            return size;
        }
    }

    /** The byte tokens followed by the result of each merge, in id order. */
    private static List<String> bpeTokens() {
        LinkedHashSet<String> tokens = new LinkedHashSet<>(ByteLevel.tokensInIdOrder());
        for (String merge : MERGES) {
            String[] parts = merge.split(" ");
            if (parts.length != 2 || !tokens.contains(parts[0]) || !tokens.contains(parts[1])
                    || !tokens.add(parts[0] + parts[1])) {
                throw new IllegalStateException("inconsistent merge '" + merge + "'");
            }
        }
        return List.copyOf(tokens);
    }

    /**
     * llama.cpp's LLAMA_FTYPE for a file whose matrices are mostly {@code type}; the K-quants map to the _M
     * variants, whose mixes {@link Builder#tensorType} can build.
     */
    private static int fileType(DType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q8_0 -> 7;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q4_K -> 15;
            case Q5_K -> 17;
            case Q6_K -> 18;
            case BF16 -> 32;
        };
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException("synthetic llama: " + problem);
        }
    }

    /** GPT-2's reversible mapping of bytes to printable characters, which byte-level BPE vocabularies are made of. */
    private static final class ByteLevel {
        private ByteLevel() {
        }

        /**
         * The 256 single-byte tokens in vocabulary order: first the bytes that are printable as themselves
         * ({@code !..~}, {@code ¡..¬}, {@code ®..ÿ}) in byte order, then the rest, mapped to U+0100 upwards.
         */
        static List<String> tokensInIdOrder() {
            List<String> tokens = new ArrayList<>(256);
            for (int b = 0; b < 256; b++) {
                if (printable(b)) {
                    tokens.add(String.valueOf((char) b));
                }
            }
            for (int b = 0; b < 256; b++) {
                if (!printable(b)) {
                    tokens.add(String.valueOf(encode(b)));
                }
            }
            return tokens;
        }

        /** The character that stands for byte {@code b} (0..255). */
        static char encode(int b) {
            if (printable(b)) {
                return (char) b;
            }
            int rank = 0;
            for (int c = 0; c < b; c++) {
                if (!printable(c)) {
                    rank++;
                }
            }
            return (char) (256 + rank);
        }

        private static boolean printable(int b) {
            return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        }
    }
}
