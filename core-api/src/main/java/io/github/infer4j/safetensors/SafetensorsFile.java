package io.github.infer4j.safetensors;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.MappedFiles;
import io.github.infer4j.tensor.DType;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A safetensors file mapped into memory. {@link #open} validates the whole header, so afterwards every tensor is
 * known to lie inside the file without overlap; {@link #tensor} hands out zero-copy views of F32, F16 and BF16
 * tensors. Views stay valid until {@link #close}; reading one afterwards throws {@link IllegalStateException}
 * rather than touching unmapped memory.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final SafetensorsHeader.Parsed header;
    private final Map<String, SafetensorsTensorInfo> byName = new LinkedHashMap<>();
    private boolean closed;

    private SafetensorsFile(Path path, Arena arena, MemorySegment mapping, SafetensorsHeader.Parsed header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = header;
        for (SafetensorsTensorInfo t : header.tensors()) {
            byName.put(t.name(), t);
        }
    }

    /**
     * Maps and validates {@code path}. Throws {@link SafetensorsFormatException} when the content is not a valid
     * safetensors file, and {@link Infer4jException} when the file cannot be read at all.
     */
    public static SafetensorsFile open(Path path) {
        Objects.requireNonNull(path, "path");
        return MappedFiles.map(path, "safetensors file", (arena, mapping) ->
                new SafetensorsFile(path, arena, mapping, SafetensorsHeader.parse(path, mapping)));
    }

    public Path path() {
        return path;
    }

    /** File size in bytes. */
    public long byteSize() {
        return mapping.byteSize();
    }

    /** The header's {@code __metadata__} (e.g. {@code format = pt}); empty when absent. Unmodifiable. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Tensor descriptions in header order; unmodifiable. */
    public List<SafetensorsTensorInfo> tensorInfos() {
        return header.tensors();
    }

    /** Tensor names in header order; unmodifiable. */
    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    public boolean hasTensor(String name) {
        return byName.containsKey(name);
    }

    public SafetensorsTensorInfo info(String name) {
        SafetensorsTensorInfo info = byName.get(name);
        if (info == null) {
            throw new Infer4jException(path + ": no tensor named '" + name + "' (the file has " + byName.size()
                    + " tensors)");
        }
        return info;
    }

    /**
     * A read-only view of the tensor, dims in ggml order (the reverse of the header's shape); nothing is copied.
     * Fails with a {@link SafetensorsFormatException} for a dtype other than F32, F16 and BF16.
     */
    public Tensor tensor(String name) {
        SafetensorsTensorInfo info = info(name);
        DType type = SafetensorsDType.forName(info.dtype()).type();
        if (type == null) {
            throw new SafetensorsFormatException(path, "tensor '" + name + "' dtype", info.dtype()
                    + " cannot be used as weights; Infer4j reads F32, F16 and BF16");
        }
        synchronized (this) {
            if (closed) {
                throw new Infer4jException(path + ": cannot read tensor '" + name + "', the file is closed");
            }
        }
        MemorySegment bytes = mapping.asSlice(header.dataOffset() + info.begin(), info.byteSize());
        return new Tensor(name, type, info.ggmlDims(), bytes);
    }

    /** Unmaps the file; idempotent. Views handed out before become unusable. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + path + ", " + byName.size() + " tensors]";
    }
}
