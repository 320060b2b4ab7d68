package io.github.infer4j;

import io.github.infer4j.gguf.GgufFile;
import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.gguf.GgufTensorInfo;
import io.github.infer4j.internal.BackendRegistry;
import io.github.infer4j.internal.Configuration;
import io.github.infer4j.internal.GgufWeights;
import io.github.infer4j.model.Architectures;
import io.github.infer4j.model.ModelGraph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/** Opens the file, builds the graph and tokenizer, and hands the weights to the chosen backend; undoes all on failure. */
final class ModelLoader {
    private static final int DEFAULT_MAX_CONTEXT = 4096;
    private static final int DEFAULT_BATCH = 32;

    private ModelLoader() {
    }

    static Model load(Path path, Configuration config, BackendRegistry registry) {
        if (!Files.isRegularFile(path)) {
            throw new Infer4jException(path + ": no such model file");
        }
        GgufFile file = GgufFile.open(path);
        Backend backend = null;
        LoadedWeights loaded = null;
        try {
            GgufMetadata meta = file.metadata();
            String source = path.toString();
            String arch = meta.getString("general.architecture");
            GgufWeights weights = new GgufWeights(file);
            ModelGraph graphs = Architectures.forName(arch, source).build(meta, weights, source);
            Tokenizer tokenizer = Tokenizer.fromGguf(meta);
            if (tokenizer.vocabSize() != graphs.vocabSize()) {
                throw new Infer4jException(source + ": tokenizer has " + tokenizer.vocabSize()
                        + " tokens but the embedding table has " + graphs.vocabSize() + " rows");
            }
            int context = config.getInt("context", Math.min(graphs.trainedContextLength(), DEFAULT_MAX_CONTEXT));
            if (context < 1) {
                throw new Infer4jException("infer4j.context must be positive, got " + context);
            }
            int batch = config.getInt("batch", DEFAULT_BATCH);
            if (batch < 1) {
                throw new Infer4jException("infer4j.batch must be positive, got " + batch);
            }
            DType kvType = new BackendOptions(config.asMap()).kvCacheType();
            ModelInfo info = info(path, file, meta, arch, graphs);

            backend = registry.create(config);
            for (DType t : info.tensorTypes().keySet()) {
                if (!backend.supportedWeightTypes().contains(t)) {
                    throw new Infer4jException(source + ": backend " + backend.name() + " does not support " + t
                            + " weights; it supports " + backend.supportedWeightTypes());
                }
            }
            loaded = backend.load(graphs.weights());
            Plan plan = backend.compile(graphs.lastTokenLogits(), loaded, batch);
            return new Model(file, info, tokenizer, graphs, backend, loaded, plan, context, kvType);
        } catch (RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            }
            if (backend != null) {
                backend.close();
            }
            file.close();
            throw e;
        }
    }

    private static ModelInfo info(Path path, GgufFile file, GgufMetadata meta, String arch, ModelGraph graphs) {
        Map<DType, Integer> types = new EnumMap<>(DType.class);
        long params = 0;
        for (GgufTensorInfo t : file.tensorInfos()) {
            types.merge(t.type(), 1, Integer::sum);
            long n = 1;
            for (long d : t.dims()) {
                n *= d;
            }
            params += n;
        }
        long size;
        try {
            size = Files.size(path);
        } catch (java.io.IOException e) {
            size = -1;
        }
        return new ModelInfo(path, size, arch, meta.getString("general.name", path.getFileName().toString()), params,
                types, graphs.trainedContextLength(), meta.getInt(arch + ".embedding_length"), graphs.layers(),
                meta.getInt(arch + ".attention.head_count"), graphs.kvHeads(), graphs.vocabSize(),
                meta.getString("tokenizer.ggml.model", "none"), meta.getString("tokenizer.chat_template", null));
    }
}
