package io.github.infer4j;

import io.github.infer4j.gguf.GgufMetadata;
import io.github.infer4j.huggingface.HfModelFolder;
import io.github.infer4j.internal.BackendRegistry;
import io.github.infer4j.internal.Configuration;
import io.github.infer4j.internal.GgufModelSource;
import io.github.infer4j.internal.LoadQuantization;
import io.github.infer4j.internal.ModelSource;
import io.github.infer4j.model.Architectures;
import io.github.infer4j.model.ModelGraph;
import io.github.infer4j.spi.Backend;
import io.github.infer4j.spi.BackendOptions;
import io.github.infer4j.spi.LoadedWeights;
import io.github.infer4j.spi.Plan;
import io.github.infer4j.spi.Weights;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import io.github.infer4j.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Opens the model (a GGUF file, or a Hugging Face folder of safetensors files), builds the graph and tokenizer, and
 * hands the weights to the chosen backend; undoes all on failure.
 */
final class ModelLoader {
    private static final int DEFAULT_MAX_CONTEXT = 4096;
    private static final int DEFAULT_BATCH = 32;

    private ModelLoader() {
    }

    static Model load(Path path, Configuration config, BackendRegistry registry) {
        ModelSource model = open(path, LoadQuantization.target(config));
        Backend backend = null;
        LoadedWeights loaded = null;
        try {
            GgufMetadata meta = model.metadata();
            String source = path.toString();
            String arch = meta.getString("general.architecture");
            Weights weights = model.weights();
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
            ModelInfo info = info(model, meta, arch, graphs);

            backend = registry.create(config);
            for (DType t : info.tensorTypes().keySet()) {
                if (!backend.supportedWeightTypes().contains(t)) {
                    throw new Infer4jException(source + ": backend " + backend.name() + " does not support " + t
                            + " weights; it supports " + backend.supportedWeightTypes());
                }
            }
            loaded = backend.load(graphs.weights());
            Plan plan = backend.compile(graphs.lastTokenLogits(), loaded, batch);
            return new Model(model, info, tokenizer, graphs, backend, loaded, plan, context, kvType);
        } catch (RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            }
            if (backend != null) {
                backend.close();
            }
            model.close();
            throw e;
        }
    }

    /** A directory is a Hugging Face model folder; anything else must be a GGUF file. */
    private static ModelSource open(Path path, DType quantizeTo) {
        if (Files.isDirectory(path)) {
            return HfModelFolder.open(path, quantizeTo);
        }
        if (!Files.isRegularFile(path)) {
            throw new Infer4jException(path + ": no such model file");
        }
        return GgufModelSource.open(path, quantizeTo);
    }

    private static ModelInfo info(ModelSource model, GgufMetadata meta, String arch, ModelGraph graphs) {
        Map<DType, Integer> types = new EnumMap<>(DType.class);
        long params = 0;
        Weights weights = model.weights();
        for (String name : weights.names()) {
            Tensor t = weights.tensor(name);
            types.merge(t.type(), 1, Integer::sum);
            params += t.elementCount();
        }
        Path path = model.path();
        String name = meta.getString("general.name", path.getFileName().toString());
        return new ModelInfo(path, model.fileSize(), arch, name, params, types, graphs.trainedContextLength(),
                meta.getInt(arch + ".embedding_length"), graphs.layers(), meta.getInt(arch + ".attention.head_count"),
                graphs.kvHeads(), graphs.vocabSize(), meta.getString("tokenizer.ggml.model", "none"),
                meta.getString("tokenizer.chat_template", null), model.format());
    }
}
