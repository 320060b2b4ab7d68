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
 * Writes Llama-family GGUF files with seeded random weights, named and shaped as llama.cpp names and shapes them, for
 * tests that need a whole model without a real one and for benchmarks of real shapes ({@link Builder#shape} with a
 * {@link ModelShape}); the files load in llama.cpp too. {@link Builder#architecture} picks the family: {@code llama}
 * (the default), {@code qwen2} (query, key and value biases), {@code qwen3} (query and key norms), {@code gemma2} and
 * {@code gemma3} (post-norms, sliding windows, soft-caps; Gemma 2 always ties its classifier), {@code phi3} (fused
 * {@code attn_qkv} and gate-up {@code ffn_up}); each file holds exactly the tensors llama.cpp loads for that family,
 * with the family's metadata keys. Weights are N(0, scale) (scale 0.02 unless set), norm weights 1 + N(0, scale), so
 * activations and logits stay finite. Matrices use {@link Builder#weightType} unless {@link Builder#tensorType} names
 * another type for them (the mixes of llama.cpp's Q4_K_M and the like); norm vectors are always F32. Matrices are
 * generated row by row while the file is written, so even a 7B model needs little heap.
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

    /** The families {@link Builder#architecture} accepts. */
    public static final List<String> ARCHITECTURES = List.of("llama", "qwen2", "qwen3", "gemma2", "gemma3", "phi3");

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
        private String architecture = "llama";
        private int headDim = -1;
        private int slidingWindow = 4;
        private float attnLogitSoftcap = 50f;
        private float finalLogitSoftcap = 30f;
        private int dim = 64;
        private int layers = 2;
        private int heads = 4;
        private int kvHeads = 2;
        private int ffn = 128;
        private int vocab = -1;
        private int context = 256;
        private String modelName;
        private DType weightType = DType.F32;
        private final Map<String, DType> tensorTypes = new HashMap<>();
        private boolean tiedOutput = true;
        private GgufMetadata spmSource;
        private long seed = 42;
        private float scale = 0.02f;
        private float embeddingScale = -1;
        private float ropeFreqBase = 10000f;
        private float rmsEps = 1e-5f;

        private Builder() {
        }

        /** general.architecture: llama, qwen2, qwen3, gemma2, gemma3 or phi3; default llama. */
        public Builder architecture(String architecture) {
            this.architecture = Objects.requireNonNull(architecture);
            return this;
        }

        /** Size of each attention head ({@code attention.key_length}); default dim / heads. Llama needs the default. */
        public Builder headDim(int headDim) {
            this.headDim = headDim;
            return this;
        }

        /**
         * Gemma's {@code attention.sliding_window} (local layers see this many positions); default 4. For Gemma 3, 0
         * leaves the key out, which makes every layer global.
         */
        public Builder slidingWindow(int slidingWindow) {
            this.slidingWindow = slidingWindow;
            return this;
        }

        /** Gemma 2's {@code attn_logit_softcapping}; default 50, as in the real models. */
        public Builder attnLogitSoftcap(float cap) {
            this.attnLogitSoftcap = cap;
            return this;
        }

        /** Gemma's {@code final_logit_softcapping} (0: none, Gemma 3 only); default 30, as in Gemma 2. */
        public Builder finalLogitSoftcap(float cap) {
            this.finalLogitSoftcap = cap;
            return this;
        }

        /** Embedding width (embedding_length); default 64. */
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

        /**
         * Standard deviation of {@code token_embd.weight} alone; default the {@link #weightScale}. Gemma multiplies
         * embeddings by sqrt(dim) and ties them to the classifier, so with large embeddings the current token
         * outweighs everything else and is repeated forever; small ones let the layers decide.
         */
        public Builder embeddingScale(float embeddingScale) {
            this.embeddingScale = embeddingScale;
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
         * The architecture and every hyper-parameter of {@code shape}: widths, layers, heads, head size, vocabulary
         * size, context, RoPE base, RMS epsilon, whether the classifier is tied, and the Gemmas' sliding window and
         * soft-caps; the file is then named {@code synthetic-<shape name>}, with "phi3" written "phi" (llama.cpp
         * expects Phi-3's special tokens in a model so named).
         */
        public Builder shape(ModelShape shape) {
            architecture = shape.architecture();
            dim = shape.dim();
            layers = shape.layers();
            heads = shape.heads();
            kvHeads = shape.kvHeads();
            // Written only where it differs from dim / heads, as llama.cpp's converter does for Llama files.
            headDim = shape.headDim() * shape.heads() == shape.dim() ? -1 : shape.headDim();
            ffn = shape.ffn();
            vocab = shape.vocab();
            context = shape.context();
            ropeFreqBase = shape.ropeFreqBase();
            rmsEps = shape.rmsEps();
            tiedOutput = shape.tiedOutput();
            slidingWindow = shape.slidingWindow();
            attnLogitSoftcap = shape.attnLogitSoftcap();
            finalLogitSoftcap = shape.finalLogitSoftcap();
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
            require(ARCHITECTURES.contains(architecture), "architecture must be one of " + ARCHITECTURES + ", got "
                    + architecture);
            require(dim > 0 && layers > 0 && heads > 0 && kvHeads > 0 && ffn > 0 && context > 0,
                    "dim, layers, heads, kvHeads, ffn and context must be positive");
            require(headDim > 0 || dim % heads == 0, "dim " + dim + " is not a multiple of heads " + heads);
            require(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kvHeads " + kvHeads);
            require(headSize() % 2 == 0, "head size " + headSize() + " must be even for RoPE");
            require(!architecture.equals("llama") || headSize() * heads == dim, "llama needs head size dim / heads");
            require(!architecture.equals("gemma2") || tiedOutput, "gemma2 always uses token_embd as classifier");
            require(slidingWindow >= 0 && attnLogitSoftcap >= 0 && finalLogitSoftcap >= 0,
                    "sliding window and soft-caps must not be negative");
            require(!architecture.equals("gemma2") || slidingWindow > 0 && attnLogitSoftcap > 0
                    && finalLogitSoftcap > 0, "gemma2 needs a positive sliding window and soft-caps");
        }

        private int headSize() {
            return headDim > 0 ? headDim : dim / heads;
        }

        private boolean isGemma() {
            return architecture.startsWith("gemma");
        }

        private void putHyperParameters(GgufWriter w, int vocabSize) {
            String a = architecture + ".";
            // llama.cpp looks for Phi-3's special tokens (absent here) in any model whose name contains "phi3" or
            // "phi-3", and fails to load it when they are missing.
            String name = (modelName != null ? modelName : "synthetic-" + architecture)
                    .replaceAll("(?i)phi-?3", "phi");
            w.putString("general.architecture", architecture)
                    .putString("general.name", name)
                    .putUInt32("general.file_type", fileType(weightType))
                    .putUInt32(a + "context_length", context)
                    .putUInt32(a + "embedding_length", dim)
                    .putUInt32(a + "block_count", layers)
                    .putUInt32(a + "feed_forward_length", ffn)
                    .putUInt32(a + "attention.head_count", heads)
                    .putUInt32(a + "attention.head_count_kv", kvHeads)
                    .putFloat32(a + "rope.freq_base", ropeFreqBase)
                    .putFloat32(a + "attention.layer_norm_rms_epsilon", rmsEps)
                    .putUInt32(a + "rope.dimension_count", headSize())
                    .putUInt32(a + "vocab_size", vocabSize);
            if (headDim > 0) {
                w.putUInt32(a + "attention.key_length", headDim).putUInt32(a + "attention.value_length", headDim);
            }
            if (isGemma() && slidingWindow > 0) {
                w.putUInt32(a + "attention.sliding_window", slidingWindow);
            }
            if (isGemma()) {
                if (finalLogitSoftcap > 0) {
                    w.putFloat32(a + "final_logit_softcapping", finalLogitSoftcap);
                }
            }
            if (architecture.equals("gemma2")) {
                w.putFloat32(a + "attn_logit_softcapping", attnLogitSoftcap);
            }
            if (weightType.isQuantized()) {
                w.putUInt32("general.quantization_version", 2);
            }
        }

        /** Adds every tensor, in the order llama.cpp's converter writes them, and returns the matrices' names. */
        private Set<String> putTensors(GgufWriter w, int vocabSize) {
            Set<String> matrices = new HashSet<>();
            SplittableRandom random = new SplittableRandom(seed);
            int qDim = heads * headSize();
            int kvDim = kvHeads * headSize();
            matrices.add(matrix(w, random, "token_embd.weight", dim, vocabSize,
                    embeddingScale > 0 ? embeddingScale : scale));
            for (int l = 0; l < layers; l++) {
                String p = "blk." + l + ".";
                norm(w, random, p + "attn_norm.weight", dim);
                if (architecture.equals("phi3")) {
                    matrices.add(matrix(w, random, p + "attn_qkv.weight", dim, qDim + 2 * kvDim));
                } else {
                    matrices.add(matrix(w, random, p + "attn_q.weight", dim, qDim));
                    matrices.add(matrix(w, random, p + "attn_k.weight", dim, kvDim));
                    matrices.add(matrix(w, random, p + "attn_v.weight", dim, kvDim));
                }
                if (architecture.equals("qwen2")) {
                    bias(w, random, p + "attn_q.bias", qDim);
                    bias(w, random, p + "attn_k.bias", kvDim);
                    bias(w, random, p + "attn_v.bias", kvDim);
                }
                if (architecture.equals("qwen3") || architecture.equals("gemma3")) {
                    norm(w, random, p + "attn_q_norm.weight", headSize());
                    norm(w, random, p + "attn_k_norm.weight", headSize());
                }
                matrices.add(matrix(w, random, p + "attn_output.weight", qDim, dim));
                if (isGemma()) {
                    norm(w, random, p + "post_attention_norm.weight", dim);
                }
                norm(w, random, p + "ffn_norm.weight", dim);
                if (architecture.equals("phi3")) {
                    matrices.add(matrix(w, random, p + "ffn_up.weight", dim, 2 * ffn));
                } else {
                    matrices.add(matrix(w, random, p + "ffn_gate.weight", dim, ffn));
                    matrices.add(matrix(w, random, p + "ffn_up.weight", dim, ffn));
                }
                matrices.add(matrix(w, random, p + "ffn_down.weight", ffn, dim));
                if (isGemma()) {
                    norm(w, random, p + "post_ffw_norm.weight", dim);
                }
            }
            norm(w, random, "output_norm.weight", dim);
            if (!tiedOutput) {
                matrices.add(matrix(w, random, "output.weight", dim, vocabSize));
            }
            return matrices;
        }

        /** Adds a matrix of {@code rows} rows of {@code cols} inputs (ggml dims {cols, rows}); returns its name. */
        private String matrix(GgufWriter w, SplittableRandom random, String name, int cols, int rows) {
            return matrix(w, random, name, cols, rows, scale);
        }

        private String matrix(GgufWriter w, SplittableRandom random, String name, int cols, int rows, float sd) {
            DType type = tensorTypes.getOrDefault(name, weightType);
            require(cols % type.blockSize() == 0, name + ": " + type + " needs rows of a multiple of "
                    + type.blockSize() + " elements, got " + cols);
            w.addTensor(name, type, new long[] {cols, rows}, new NormalRows(random.nextLong(), cols, sd));
            return name;
        }

        private void norm(GgufWriter w, SplittableRandom random, String name, int length) {
            vector(w, random, name, length, 1);
        }

        private void bias(GgufWriter w, SplittableRandom random, String name, int length) {
            vector(w, random, name, length, 0);
        }

        /** An F32 vector of {@code center + N(0, scale)}. */
        private void vector(GgufWriter w, SplittableRandom random, String name, int length, float center) {
            float[] values = new float[length];
            for (int i = 0; i < length; i++) {
                values[i] = (float) (center + random.nextGaussian() * scale);
            }
            w.addTensor(name, DType.F32, new long[] {length}, values);
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
