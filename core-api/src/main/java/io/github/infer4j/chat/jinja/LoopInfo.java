package io.github.infer4j.chat.jinja;

import java.util.List;

/** The {@code loop} variable of a for loop: position, length, neighbours and {@code cycle()}. */
final class LoopInfo {
    private final List<Object> items;
    private int index;

    LoopInfo(List<Object> items) {
        this.items = items;
    }

    void moveTo(int index) {
        this.index = index;
    }

    Object attribute(String name) {
        int length = items.size();
        return switch (name) {
            case "index" -> (long) index + 1;
            case "index0" -> (long) index;
            case "revindex" -> (long) (length - index);
            case "revindex0" -> (long) (length - index - 1);
            case "first" -> index == 0;
            case "last" -> index == length - 1;
            case "length" -> (long) length;
            case "depth" -> 1L;
            case "depth0" -> 0L;
            case "previtem" -> index > 0 ? items.get(index - 1)
                    : new Undefined("there is no previous item");
            case "nextitem" -> index < length - 1 ? items.get(index + 1)
                    : new Undefined("there is no next item");
            case "cycle" -> (Invocable) (interpreter, args) -> {
                if (args.positional().isEmpty()) {
                    throw new EvalError("no items for cycling given");
                }
                return args.positional().get(index % args.positional().size());
            };
            default -> Undefined.attribute(this, name);
        };
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index + 1) + "/" + items.size() + ">";
    }
}
