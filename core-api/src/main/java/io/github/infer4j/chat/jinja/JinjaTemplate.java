package io.github.infer4j.chat.jinja;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Jinja2 template in the subset chat templates use, rendered the way Hugging Face's
 * {@code apply_chat_template} renders it: {@code trim_blocks} and {@code lstrip_blocks} on, {@code break} and
 * {@code continue} available, {@code tojson} as Python's {@code json.dumps} (no HTML escaping, non-ASCII kept),
 * and the globals {@code raise_exception(message)}, {@code strftime_now(format)}, {@code namespace(...)},
 * {@code range(...)} and {@code dict(...)}.
 *
 * <p>Supported: text, {@code {{ }}}, {@code {% %}} and {@code {# #}} with {@code -}/{@code +} whitespace control;
 * {@code if}/{@code elif}/{@code else}, {@code for} (with an {@code if} filter, {@code else} and the {@code loop}
 * variable), {@code set} (also {@code ns.attr} and block form), {@code macro}, {@code break}, {@code continue} and
 * Hugging Face's {@code generation} block; Python's operators, literals, slices, string and dict methods; and the
 * common filters and tests. Known differences from Jinja2: integers are 64-bit; {@code map}/{@code select} results,
 * {@code range()} and a dict's {@code items()}/{@code keys()}/{@code values()} are plain lists (they print as
 * lists, not as generators, ranges or views); string methods outside the common set (such as {@code format} or
 * {@code zfill}) are missing.
 *
 * <p>Instances are immutable and thread-safe; parse once, render many times.
 */
public final class JinjaTemplate {
    private final List<Stmt> body;

    private JinjaTemplate(List<Stmt> body) {
        this.body = body;
    }

    /**
     * @throws TemplateSyntaxException when the text is not a valid template or uses a tag, filter or test this
     *         subset lacks; the message names the line and column and what was expected
     */
    public static JinjaTemplate parse(String source) {
        return new JinjaTemplate(Parser.parse(Objects.requireNonNull(source, "source")));
    }

    /**
     * Renders with {@code strftime_now} reading the system clock.
     *
     * @param variables the template's variables: strings, numbers, booleans, {@code null} (None), lists and maps
     *                  of those
     * @throws TemplateRaisedException when the template calls {@code raise_exception}
     * @throws JinjaException          when rendering fails or exceeds the work limits; the message names the line
     */
    public String render(Map<String, ?> variables) {
        return render(variables, Clock.systemDefaultZone());
    }

    /** Renders with {@code strftime_now} reading {@code clock}, for reproducible dates. */
    public String render(Map<String, ?> variables, Clock clock) {
        try {
            return new Interpreter(clock).render(body, variables);
        } catch (EvalError e) {
            throw new JinjaException(e.getMessage());
        } catch (StackOverflowError e) {
            // The depth limits keep this out of reach on ordinary stacks; a caller on a tiny thread stack still
            // gets an error it can handle instead of a dead thread.
            throw new JinjaException("the template nests too deeply for this thread's stack");
        }
    }
}
