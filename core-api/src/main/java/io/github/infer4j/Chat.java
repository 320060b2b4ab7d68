package io.github.infer4j;

import io.github.infer4j.chat.ChatMessage;
import io.github.infer4j.chat.ChatTemplate;
import io.github.infer4j.chat.ChatTemplates;
import io.github.infer4j.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A multi-turn conversation. Each turn renders the whole conversation with the chat template, but only the tokens
 * after the longest prefix already in the session's KV cache are processed.
 */
public final class Chat implements AutoCloseable {
    private final Model model;
    private final ChatOptions options;
    private final ChatTemplate template;
    private final Session session;
    private final List<ChatMessage> messages = new ArrayList<>();

    Chat(Model model, ChatOptions options) {
        this.model = model;
        this.options = options;
        this.template = resolveTemplate(model, options);
        this.session = model.newSession();
        addSystemPrompt();
    }

    /**
     * A template name in the options wins; otherwise the model's own Jinja template renders the chat, with the
     * tokenizer's BOS and EOS texts, and a BOS it writes first is dropped when the tokenizer adds BOS itself, so
     * the prompt holds exactly one (see {@link io.github.infer4j.chat.JinjaChatTemplate}).
     */
    private static ChatTemplate resolveTemplate(Model model, ChatOptions options) {
        if (options.templateName() != null) {
            return ChatTemplates.byName(options.templateName());
        }
        Tokenizer tokenizer = model.tokenizer();
        try {
            return ChatTemplates.fromModel(model.info().chatTemplate(), tokenText(tokenizer, tokenizer.bosId()),
                    tokenText(tokenizer, tokenizer.eosId()), tokenizer.addBosByDefault());
        } catch (Infer4jException e) {
            throw new Infer4jException(model.info().file() + ": " + e.getMessage()
                    + "; choose one with ChatOptions.template(NAME) or --template NAME, one of " + ChatTemplates.names(), e);
        }
    }

    /** The text a special token stands for, as llama.cpp hands it to templates ("" when the vocabulary has none). */
    private static String tokenText(Tokenizer tokenizer, int id) {
        return id < 0 ? "" : new String(tokenizer.tokenBytes(id, true), StandardCharsets.UTF_8);
    }

    private void addSystemPrompt() {
        if (options.systemPrompt() != null && !options.systemPrompt().isBlank()) {
            messages.add(ChatMessage.system(options.systemPrompt()));
        }
    }

    /** Sends a user message and streams the assistant's reply to {@code listener}. */
    public GenerationResult send(String userMessage, TokenListener listener) {
        messages.add(ChatMessage.user(userMessage));
        String prompt = template.render(messages, true);
        int[] tokens = model.tokenizer().encode(prompt, true, true);
        int common = commonPrefix(session.tokens(), tokens);
        // At least one token must be processed to get fresh logits for the reply.
        int keep = Math.min(common, tokens.length - 1);
        session.truncate(keep);
        int[] fresh = java.util.Arrays.copyOfRange(tokens, keep, tokens.length);
        GenerationResult result;
        try {
            result = session.generate(fresh, options.generation(), listener);
        } catch (RuntimeException e) {
            messages.removeLast();
            throw e;
        }
        messages.add(ChatMessage.assistant(result.text()));
        return result;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** Tokens of this conversation in the KV cache; a later turn processes only what comes after them. */
    public int processedTokens() {
        return session.position();
    }

    /** Forgets the conversation but keeps the system prompt. */
    public void reset() {
        messages.clear();
        addSystemPrompt();
        session.reset();
    }

    public List<ChatMessage> history() {
        return Collections.unmodifiableList(new ArrayList<>(messages));
    }

    @Override
    public void close() {
        session.close();
    }
}
