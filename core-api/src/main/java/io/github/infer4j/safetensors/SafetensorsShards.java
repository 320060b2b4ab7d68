package io.github.infer4j.safetensors;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.json.Json;
import io.github.infer4j.internal.json.JsonObject;
import io.github.infer4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tensors of one model kept in one or more safetensors files of a folder, as Hugging Face stores them: the
 * files that {@value #INDEX} maps each tensor to when the folder has that index, else every {@code *.safetensors}
 * file in it, in which case no tensor name may appear twice. Every file is mapped and validated by {@link #open}.
 */
public final class SafetensorsShards implements AutoCloseable {
    public static final String INDEX = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = 64L << 20;
    private static final String SUFFIX = ".safetensors";

    private final Path folder;
    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byTensor;

    private SafetensorsShards(Path folder, List<SafetensorsFile> files, Map<String, SafetensorsFile> byTensor) {
        this.folder = folder;
        this.files = List.copyOf(files);
        this.byTensor = Collections.unmodifiableMap(byTensor);
    }

    /**
     * Opens the safetensors files of {@code folder}. Throws {@link SafetensorsFormatException} for a malformed file,
     * {@link io.github.infer4j.internal.json.JsonException} for a malformed index and {@link Infer4jException} when
     * the folder holds no safetensors file or the index names a file that is not there.
     */
    public static SafetensorsShards open(Path folder) {
        Objects.requireNonNull(folder, "folder");
        Path index = folder.resolve(INDEX);
        Map<String, SafetensorsFile> opened = new TreeMap<>();
        try {
            Map<String, SafetensorsFile> byTensor = Files.isRegularFile(index)
                    ? fromIndex(folder, index, opened) : fromListing(folder, opened);
            return new SafetensorsShards(folder, new ArrayList<>(opened.values()), byTensor);
        } catch (RuntimeException e) {
            for (SafetensorsFile file : opened.values()) {
                if (file != null) {
                    file.close();
                }
            }
            throw e;
        }
    }

    private static Map<String, SafetensorsFile> fromIndex(Path folder, Path index,
                                                          Map<String, SafetensorsFile> opened) {
        JsonObject weightMap = Json.readObject(index, MAX_INDEX_BYTES).getObject("weight_map");
        if (weightMap.size() == 0) {
            throw weightMap.invalid("maps no tensor");
        }
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        for (String tensor : weightMap.keys()) {
            String fileName = weightMap.getString(tensor);
            // The index comes with downloaded models: it must not lead the loader out of the model's folder.
            if (!fileName.endsWith(SUFFIX) || fileName.contains("/") || fileName.contains("\\")) {
                throw weightMap.invalid(tensor, "'" + fileName + "' is not the name of a " + SUFFIX
                        + " file in the same folder");
            }
            SafetensorsFile file = opened.get(fileName);
            if (file == null) {
                Path path = folder.resolve(fileName);
                if (!Files.isRegularFile(path)) {
                    throw weightMap.invalid(tensor, "the file " + fileName + " is not in " + folder);
                }
                file = SafetensorsFile.open(path);
                opened.put(fileName, file);
            }
            if (!file.hasTensor(tensor)) {
                throw weightMap.invalid(tensor, "the file " + fileName + " holds no tensor of that name");
            }
            byTensor.put(tensor, file);
        }
        return byTensor;
    }

    private static Map<String, SafetensorsFile> fromListing(Path folder, Map<String, SafetensorsFile> opened) {
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path path : listing) {
                if (Files.isRegularFile(path)) {
                    opened.put(path.getFileName().toString(), null);
                }
            }
        } catch (IOException e) {
            throw new Infer4jException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        if (opened.isEmpty()) {
            throw new Infer4jException(folder + ": no " + SUFFIX + " file and no " + INDEX);
        }
        Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
        for (String fileName : opened.keySet()) {
            SafetensorsFile file = SafetensorsFile.open(folder.resolve(fileName));
            opened.put(fileName, file);
            for (String tensor : file.names()) {
                SafetensorsFile other = byTensor.putIfAbsent(tensor, file);
                if (other != null) {
                    throw new SafetensorsFormatException(file.path(), "tensor '" + tensor + "'",
                            "also in " + other.path().getFileName() + "; without an " + INDEX
                                    + " every tensor must be in one file only");
                }
            }
        }
        return byTensor;
    }

    public Path folder() {
        return folder;
    }

    /** The files, by file name. */
    public List<SafetensorsFile> files() {
        return files;
    }

    /** Every tensor name, in index or file order; unmodifiable. */
    public Set<String> names() {
        return byTensor.keySet();
    }

    public boolean hasTensor(String name) {
        return byTensor.containsKey(name);
    }

    public SafetensorsTensorInfo info(String name) {
        return file(name).info(name);
    }

    /** A zero-copy view of the tensor, as {@link SafetensorsFile#tensor} gives it. */
    public Tensor tensor(String name) {
        return file(name).tensor(name);
    }

    /** Bytes of all files together. */
    public long byteSize() {
        long total = 0;
        for (SafetensorsFile f : files) {
            total += f.byteSize();
        }
        return total;
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = byTensor.get(name);
        if (file == null) {
            throw new Infer4jException(folder + ": no tensor named '" + name + "' in its safetensors files");
        }
        return file;
    }

    /** Unmaps every file; idempotent. */
    @Override
    public void close() {
        for (SafetensorsFile f : files) {
            f.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsShards[" + folder + ", " + files.size() + " files, " + byTensor.size() + " tensors]";
    }
}
