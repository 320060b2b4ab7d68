package io.github.infer4j.examples.pull;

import io.github.infer4j.Infer4jException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSourceTest {
    @Test
    void huggingFaceReferenceResolvesOnTheMainBranch() {
        ModelSource source = ModelSource.parse("hf://owner/repo/dir/model Q8.gguf", ModelSource.DEFAULT_HF_ENDPOINT);

        assertThat(source.uri()).isEqualTo(URI.create("https://huggingface.co/owner/repo/resolve/main/dir/model%20Q8.gguf"));
        assertThat(source.cachePath()).isEqualTo(Path.of("huggingface", "owner", "repo", "dir", "model Q8.gguf"));
    }

    @Test
    void huggingFaceEndpointCanBeReplaced() {
        ModelSource source = ModelSource.parse("hf://o/r/m.gguf", "http://127.0.0.1:8080/mirror/");

        assertThat(source.uri()).isEqualTo(URI.create("http://127.0.0.1:8080/mirror/o/r/resolve/main/m.gguf"));
    }

    @Test
    void urlIsCachedUnderItsHostAndPath() {
        ModelSource source = ModelSource.parse("http://example.org:8080/models/m.gguf?download=1", "unused");

        assertThat(source.uri()).isEqualTo(URI.create("http://example.org:8080/models/m.gguf?download=1"));
        assertThat(source.cachePath()).isEqualTo(Path.of("example.org_8080", "models", "m.gguf"));
    }

    @Test
    void rejectsReferencesWithoutFileOrWithClimbingSegments() {
        assertThatThrownBy(() -> ModelSource.parse("hf://owner/repo", "https://huggingface.co"))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("hf://OWNER/REPO/FILE");
        assertThatThrownBy(() -> ModelSource.parse("hf://owner/repo/../../etc/passwd", "https://huggingface.co"))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("'..'");
        assertThatThrownBy(() -> ModelSource.parse("https://example.org/models/", "unused"))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("must name a file");
        assertThatThrownBy(() -> ModelSource.parse("ftp://example.org/m.gguf", "unused"))
                .isInstanceOf(Infer4jException.class).hasMessageContaining("not a model URL");
    }

    @Test
    void onlyUrlsAreRemote() {
        assertThat(ModelSource.isRemote("hf://o/r/f")).isTrue();
        assertThat(ModelSource.isRemote("https://x/f")).isTrue();
        assertThat(ModelSource.isRemote("models/f.gguf")).isFalse();
    }
}
