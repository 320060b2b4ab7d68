package io.github.infer4j.chat;

import io.github.infer4j.Infer4jException;
import io.github.infer4j.chat.jinja.JinjaException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chat formats: the built-in ones, named as in llama.cpp ({@code --chat-template NAME}), each rendering exactly the
 * text llama.cpp's built-in formatter does, and the model's own Jinja template from the GGUF key
 * {@code tokenizer.chat_template} ({@link #fromModel}), which is preferred. {@link #detect} recognises the common
 * built-in formats from marker strings in a Jinja template.
 */
public final class ChatTemplates {
    private static final Map<String, ChatTemplate> BY_NAME = new LinkedHashMap<>();

    static {
        register(new HeaderedTemplate("chatml", "<|im_start|>", "\n", "<|im_end|>\n", false));
        register(new Llama2Template("llama2", false, false, false));
        register(new Llama2Template("llama2-sys", true, false, false));
        register(new Llama2Template("llama2-sys-bos", true, true, false));
        register(new Llama2Template("llama2-sys-strip", true, false, true));
        register(new HeaderedTemplate("llama3", "<|start_header_id|>", "<|end_header_id|>\n\n", "<|eot_id|>", true));
        register(new MistralTemplate("mistral-v1", " ", " ", false));
        register(new MistralTemplate("mistral-v3", "", " ", true));
        register(new MistralTemplate("mistral-v3-tekken", "", "", false));
        register(new MistralV7Template("mistral-v7", " "));
        register(new MistralV7Template("mistral-v7-tekken", ""));
        register(new GemmaTemplate());
        register(new HeaderedTemplate("phi3", "<|", "|>\n", "<|end|>\n", false));
        register(new HeaderedTemplate("zephyr", "<|", "|>\n", "<|endoftext|>\n", false));
    }

    private ChatTemplates() {
    }

    private static void register(ChatTemplate template) {
        BY_NAME.put(template.name(), template);
    }

    /** Every built-in format name, in a stable order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** @throws Infer4jException if no built-in format has that name; the message lists the names there are */
    public static ChatTemplate byName(String name) {
        ChatTemplate template = BY_NAME.get(name);
        if (template == null) {
            throw new Infer4jException("unknown chat template '" + name + "'; built-in templates: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return template;
    }

    /**
     * The format a model's chat template asks for: a built-in name given as the template selects that format;
     * otherwise the Jinja template itself renders the conversation ({@link JinjaChatTemplate}); if it cannot (it
     * does not parse, or uses something this Jinja subset lacks), the built-in format {@link #detect} finds.
     *
     * @param jinjaTemplateOrNull the GGUF's {@code tokenizer.chat_template}, or {@code null} when it has none
     * @param bosText             the text of the model's BOS token ("" if none), the template's {@code bos_token}
     * @param eosText             the text of the model's EOS token ("" if none), the template's {@code eos_token}
     * @param tokenizerAddsBos    whether the tokenizer adds BOS itself, so that a BOS the template writes first is
     *                            dropped instead of doubled
     * @throws Infer4jException when the model has no template, or neither the template nor a built-in format can
     *         render it; the message gives the reason
     */
    public static ChatTemplate fromModel(String jinjaTemplateOrNull, String bosText, String eosText,
                                         boolean tokenizerAddsBos) {
        if (jinjaTemplateOrNull == null) {
            throw new Infer4jException("the model has no chat template");
        }
        ChatTemplate named = BY_NAME.get(jinjaTemplateOrNull);
        if (named != null) {
            return named;
        }
        try {
            return JinjaChatTemplate.of(jinjaTemplateOrNull, bosText, eosText, tokenizerAddsBos);
        } catch (JinjaException e) {
            return detect(jinjaTemplateOrNull).orElseThrow(() -> new Infer4jException(
                    "the model's chat template cannot be rendered (" + e.getMessage()
                            + ") and matches none of the built-in formats", e));
        }
    }

    /**
     * Picks the built-in format matching a model's chat template, the way llama.cpp does: a built-in name given
     * as the template selects that format; otherwise marker strings decide (for example {@code <|im_start|>} means
     * ChatML, {@code <|start_header_id|>} Llama 3, {@code <start_of_turn>} Gemma, {@code [INST]} Llama 2 or a
     * Mistral flavour).
     *
     * @param jinjaTemplateOrNull the GGUF's {@code tokenizer.chat_template}, or {@code null} when it has none
     * @return empty when no built-in format matches: the caller should then ask for a template name
     */
    public static Optional<ChatTemplate> detect(String jinjaTemplateOrNull) {
        if (jinjaTemplateOrNull == null) {
            return Optional.empty();
        }
        ChatTemplate named = BY_NAME.get(jinjaTemplateOrNull);
        if (named != null) {
            return Optional.of(named);
        }
        String family = TemplateDetector.family(jinjaTemplateOrNull);
        return family == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(family));
    }
}
