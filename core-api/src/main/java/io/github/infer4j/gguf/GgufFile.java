package io.github.infer4j.gguf;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.internal.MappedFiles;
import io.github.infer4j.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A GGUF file (version 2 or 3) mapped into memory. The whole header is validated by {@link #open}, so afterwards
 * every tensor is known to lie inside the file, aligned and without overlap; {@link #tensor} then hands out
 * zero-copy views of the mapping. Views stay valid until {@link #close}; reading one afterwards throws
 * {@link IllegalStateException} rather than touching unmapped memory.
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final GgufParser.Header header;
    private final Map<String, GgufTensorInfo> byName;
    private boolean closed;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufParser.Header header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = header;
        this.byName = new HashMap<>();
        for (GgufTensorInfo t : header.tensors()) {
            byName.put(t.name(), t);
        }
    }

    /**
     * Maps and validates {@code path}. Throws {@link GgufFormatException} when the content is not a valid GGUF
     * file Infer4j can read, and {@link Infer4jException} when the file cannot be read at all.
     */
    public static GgufFile open(Path path) {
        Objects.requireNonNull(path, "path");
        return MappedFiles.map(path, "GGUF file",
                (arena, mapping) -> new GgufFile(path, arena, mapping, GgufParser.parse(path, mapping)));
    }

    public Path path() {
        return path;
    }

    public int version() {
        return header.version();
    }

    /** Alignment of tensor data in bytes ({@code general.alignment}, 32 when absent). */
    public int alignment() {
        return header.alignment();
    }

    /** Byte offset in the file where the data section (and so tensor offset 0) starts. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    /** Tensor descriptions in file order; unmodifiable. */
    public List<GgufTensorInfo> tensorInfos() {
        return header.tensors();
    }

    public boolean hasTensor(String name) {
        return byName.containsKey(name);
    }

    /** A read-only view of the tensor's bytes in the mapping; nothing is copied. */
    public Tensor tensor(String name) {
        GgufTensorInfo info = byName.get(name);
        if (info == null) {
            throw new Infer4jException(path + ": no tensor named '" + name + "' (the file has "
                    + byName.size() + " tensors)");
        }
        synchronized (this) {
            if (closed) {
                throw new Infer4jException(path + ": cannot read tensor '" + name + "', the file is closed");
            }
        }
        MemorySegment bytes = mapping.asSlice(header.dataOffset() + info.offset(), info.byteSize());
        return new Tensor(info.name(), info.type(), info.dims(), bytes);
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
        return "GgufFile[" + path + ", v" + version() + ", " + byName.size() + " tensors]";
    }
}
