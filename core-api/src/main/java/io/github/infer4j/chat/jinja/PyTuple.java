package io.github.infer4j.chat.jinja;

import java.util.AbstractList;
import java.util.List;

/**
 * A Python tuple: a list to every operation here except printing ({@code (1, 2)}) and equality (a tuple never
 * equals a list). Tuple literals and the pairs of {@code items()} are tuples.
 */
final class PyTuple extends AbstractList<Object> {
    private final List<Object> items;

    PyTuple(List<Object> items) {
        this.items = items;
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
