package io.github.infer4j.chat;

import io.github.infer4j.chat.jinja.JinjaException;
import io.github.infer4j.chat.jinja.JinjaTemplate;
import io.github.infer4j.chat.jinja.TemplateRaisedException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's own chat template (the Jinja text in {@code tokenizer.chat_template}), rendered as Hugging Face's
 * {@code apply_chat_template} renders it. The template sees {@code messages} (maps with {@code role} and
 * {@code content}), {@code add_generation_prompt}, {@code bos_token}, {@code eos_token}, and {@code tools} and
 * {@code documents} set to none.
 *
 * <p>Two rules make the text fit how Infer4j tokenizes it (special tokens parsed, BOS added by the tokenizer when
 * its vocabulary asks for it), both as llama.cpp applies them:
 * <ul>
 *   <li><b>BOS.</b> Many templates start with {@code {{ bos_token }}} while the tokenizer adds BOS too, which
 *       would give the model two. When the tokenizer adds BOS, a BOS text at the very start of the rendering is
 *       removed; a BOS text anywhere else stays (Llama 2 opens every turn with it). When the tokenizer does not
 *       add BOS, the text is left whole so that the template's BOS is the only one.</li>
 *   <li><b>System prompts.</b> A template that refuses system messages through {@code raise_exception} (Gemma 2)
 *       gets each system message merged into the next user message, joined by a newline, so that a chat with a
 *       system prompt still works. Templates that accept system messages render exactly as in Python.</li>
 * </ul>
 */
public final class JinjaChatTemplate implements ChatTemplate {
    private static final List<ChatMessage> ONE_USER_MESSAGE = List.of(ChatMessage.user("Hello"));
    private static final List<ChatMessage> SYSTEM_AND_USER = List.of(ChatMessage.system("Be brief."),
            ChatMessage.user("Hello"));

    private final JinjaTemplate template;
    private final String bosText;
    private final String eosText;
    private final boolean tokenizerAddsBos;
    private final boolean mergesSystemIntoUser;
    private final Clock clock;

    private JinjaChatTemplate(JinjaTemplate template, String bosText, String eosText, boolean tokenizerAddsBos,
                              boolean mergesSystemIntoUser, Clock clock) {
        this.template = template;
        this.bosText = bosText;
        this.eosText = eosText;
        this.tokenizerAddsBos = tokenizerAddsBos;
        this.mergesSystemIntoUser = mergesSystemIntoUser;
        this.clock = clock;
    }

    /**
     * Parses {@code source} and checks that it renders a one-message conversation.
     *
     * @param bosText          the text of the BOS token, given to the template as {@code bos_token} ("" if none)
     * @param eosText          the text of the EOS token, given as {@code eos_token} ("" if none)
     * @param tokenizerAddsBos whether the tokenizer puts BOS in front of the prompt itself; then a BOS text the
     *                         template writes at the start is removed
     * @throws JinjaException when the template does not parse, or fails on a one-message conversation or on a
     *         system message other than by refusing it; the message says where and why
     */
    public static JinjaChatTemplate of(String source, String bosText, String eosText, boolean tokenizerAddsBos) {
        JinjaTemplate template = JinjaTemplate.parse(source);
        JinjaChatTemplate chatTemplate = new JinjaChatTemplate(template, Objects.requireNonNull(bosText, "bosText"),
                Objects.requireNonNull(eosText, "eosText"), tokenizerAddsBos, false, Clock.systemDefaultZone());
        try {
            chatTemplate.renderExactly(ONE_USER_MESSAGE, true);
        } catch (JinjaException e) {
            throw new JinjaException("the template cannot render a conversation of one user message: " + e.getMessage());
        }
        try {
            chatTemplate.renderExactly(SYSTEM_AND_USER, true);
            return chatTemplate;
        } catch (TemplateRaisedException e) {
            return new JinjaChatTemplate(template, bosText, eosText, tokenizerAddsBos, true, chatTemplate.clock);
        } catch (JinjaException e) {
            throw new JinjaException("the template cannot render a system message: " + e.getMessage());
        }
    }

    /** A copy whose {@code strftime_now} reads {@code clock}; templates such as Llama 3.2's print today's date. */
    public JinjaChatTemplate withClock(Clock clock) {
        return new JinjaChatTemplate(template, bosText, eosText, tokenizerAddsBos, mergesSystemIntoUser,
                Objects.requireNonNull(clock, "clock"));
    }

    /** Always {@code "jinja"}: the format is the model's own, not one of the built-in names. */
    @Override
    public String name() {
        return "jinja";
    }

    /**
     * @throws TemplateRaisedException when the template refuses the conversation (for example roles that do not
     *         alternate); the message is the template's own
     * @throws JinjaException          when rendering fails for another reason
     */
    @Override
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String text = renderExactly(mergesSystemIntoUser ? mergeSystemIntoUser(messages) : messages, addGenerationPrompt);
        return tokenizerAddsBos && !bosText.isEmpty() && text.startsWith(bosText) ? text.substring(bosText.length()) : text;
    }

    private String renderExactly(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> conversation = new ArrayList<>(messages.size());
        for (ChatMessage message : messages) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("role", message.role());
            entry.put("content", message.content());
            conversation.add(entry);
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("messages", conversation);
        variables.put("add_generation_prompt", addGenerationPrompt);
        variables.put("bos_token", bosText);
        variables.put("eos_token", eosText);
        variables.put("tools", null);
        variables.put("documents", null);
        return template.render(variables, clock);
    }

    /**
     * llama.cpp's stand-in for a system role: system texts wait for the next user message and open it, one per
     * line; if another role comes first, or nothing, they become a user message of their own.
     */
    static List<ChatMessage> mergeSystemIntoUser(List<ChatMessage> messages) {
        List<ChatMessage> merged = new ArrayList<>(messages.size());
        StringBuilder pending = null;
        for (ChatMessage message : messages) {
            if (message.isSystem()) {
                pending = pending == null ? new StringBuilder(message.content()) : pending.append('\n').append(message.content());
                continue;
            }
            if (pending != null && message.isUser()) {
                String content = message.content().isEmpty() ? pending.toString() : pending + "\n" + message.content();
                merged.add(ChatMessage.user(content));
                pending = null;
                continue;
            }
            if (pending != null) {
                merged.add(ChatMessage.user(pending.toString()));
                pending = null;
            }
            merged.add(message);
        }
        if (pending != null) {
            merged.add(ChatMessage.user(pending.toString()));
        }
        return merged;
    }
}
