package io.github.infer4j.internal;

import io.github.infer4j.Infer4jException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Whole files mapped read-only, for the model file formats; not for users. */
public final class MappedFiles {
    private MappedFiles() {
    }

    /** Reads a mapped file into its format's object; owns {@code arena} from then on. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(Arena arena, MemorySegment mapping);
    }

    /**
     * Maps {@code path} into a shared arena (backends read weights from worker threads) and hands it to
     * {@code reader}. The arena is closed if the reader throws; a file that cannot be read at all is an
     * {@link Infer4jException} "cannot read {@code kind} PATH: reason".
     */
    public static <T> T map(Path path, String kind, Reader<T> reader) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            return reader.read(arena, channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena));
        } catch (IOException e) {
            arena.close();
            throw new Infer4jException("cannot read " + kind + " " + path + ": " + reason(e), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static String reason(IOException e) {
        return switch (e) {
            case NoSuchFileException _ -> "no such file";
            case AccessDeniedException _ -> "permission denied";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
