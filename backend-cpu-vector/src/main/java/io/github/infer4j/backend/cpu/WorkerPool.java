package io.github.infer4j.backend.cpu;

import io.github.infer4j.Infer4jException;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that, with the calling thread, share out the chunks of one task at a time. A step
 * of a model dispatches hundreds of tasks, each lasting microseconds, so dispatch allocates nothing and waiting
 * threads spin briefly before they park.
 *
 * <p>Chunks are claimed from one atomic ticket packing {@code generation | chunk count | next chunk}: a worker that
 * wakes late can only claim chunks of the task it was woken for, because its compare-and-set fails once the
 * generation has moved on, and the task cannot move on while a claimed chunk is unfinished.
 */
final class WorkerPool implements AutoCloseable {
    /** More chunks than this would not fit the ticket; no task needs nearly as many. */
    static final int MAX_CHUNKS = 0xFFFF;
    private static final int SPINS = 2000;
    private static final int CHUNK_BITS = 16;
    /** The ticket's low bits: chunk count and next chunk; the generation is above them. */
    private static final long COUNTERS = (1L << (2 * CHUNK_BITS)) - 1;

    private final Thread[] workers;
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    private volatile ParallelTask task;
    private volatile Thread caller;
    private volatile Throwable failure;
    private volatile boolean closed;
    private long generation;

    WorkerPool(int threads) {
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int worker = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name("infer4j-cpu-" + worker).unstarted(() -> work(worker));
            workers[i].start();
        }
    }

    /** Threads that run chunks, the caller included. */
    int size() {
        return workers.length + 1;
    }

    /**
     * Runs chunks {@code 0..chunks-1} of {@code work} and returns when all are done; the first exception a chunk
     * throws is rethrown here. Calls from several threads are serialized.
     */
    synchronized void run(ParallelTask work, int chunks) {
        if (closed) {
            throw new Infer4jException("the " + CpuVectorBackend.NAME + " backend is closed");
        }
        if (chunks < 1 || chunks > MAX_CHUNKS) {
            throw new IllegalArgumentException("chunk count " + chunks + " outside 1.." + MAX_CHUNKS);
        }
        if (workers.length == 0 || chunks == 1) {
            for (int c = 0; c < chunks; c++) {
                work.run(0, c);
            }
            return;
        }
        task = work;
        caller = Thread.currentThread();
        failure = null;
        unfinished.set(chunks);
        generation++;
        long gen = generation << (2 * CHUNK_BITS);
        ticket.set(gen | ((long) chunks << CHUNK_BITS));
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        drain(gen, 0);
        int spins = 0;
        while (unfinished.get() != 0) {
            if (spins < SPINS) {
                spins++;
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        task = null;
        Throwable thrown = failure;
        if (thrown != null) {
            failure = null;
            if (thrown instanceof RuntimeException e) {
                throw e;
            }
            if (thrown instanceof Error e) {
                throw e;
            }
            throw new Infer4jException("a " + CpuVectorBackend.NAME + " worker failed", thrown);
        }
    }

    /** Claims and runs chunks of generation {@code gen} until none is left or a newer task has begun. */
    private void drain(long gen, int worker) {
        while (true) {
            long current = ticket.get();
            int next = (int) (current & MAX_CHUNKS);
            int count = (int) ((current >>> CHUNK_BITS) & MAX_CHUNKS);
            if ((current & ~COUNTERS) != gen || next >= count) {
                return;
            }
            if (!ticket.compareAndSet(current, current + 1)) {
                continue;
            }
            try {
                task.run(worker, next);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                if (unfinished.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private void work(int worker) {
        long seen = 0;
        int spins = 0;
        while (!closed) {
            long gen = ticket.get() & ~COUNTERS;
            if (gen == seen) {
                if (spins < SPINS) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
                continue;
            }
            seen = gen;
            spins = 0;
            drain(gen, worker);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
