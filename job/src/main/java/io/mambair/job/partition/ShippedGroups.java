package io.mambair.job.partition;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups of items serialised once on the driver and shipped to the executors in one broadcast, so that
 * tasks carry only their group's number (no item lists in task closures, no task-size warning at millions of
 * items). Each group is its own serialised slice: a task decodes only its group, and strings shared by the
 * items of a group (the roots of their paths) travel once per group.
 */
public final class ShippedGroups<T extends Serializable> implements Serializable {
    private final byte[][] slices;

    private ShippedGroups(byte[][] slices) {
        this.slices = slices;
    }

    /** {@code groups}, serialised. */
    public static <T extends Serializable> ShippedGroups<T> of(List<? extends List<T>> groups) {
        byte[][] slices = new byte[groups.size()][];
        for (int i = 0; i < slices.length; i++) slices[i] = serialise(groups.get(i));
        return new ShippedGroups<>(slices);
    }

    /** How many groups. */
    public int size() {
        return slices.length;
    }

    /** The group numbers 0..size-1, one per partition of the RDD that runs them. */
    public List<Integer> numbers() {
        return IntStream.range(0, slices.length).boxed().toList();
    }

    /** Group {@code i}, decoded. */
    @SuppressWarnings("unchecked")
    public List<T> group(int i) {
        try (ObjectInputStream in = new TaskClassesInput(slices[i])) {
            return (List<T>) in.readObject();
        } catch (IOException e) {
            throw new UncheckedIOException("decoding work group " + i + " failed", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("decoding work group " + i + " failed", e);
        }
    }

    /**
     * A partition function over group numbers that hands {@code work} the groups it names, read from
     * {@code shipped}: {@code rdd(numbers()).mapPartitions(feeding(shipped, work))}.
     */
    public static <T extends Serializable, R> FlatMapFunction<Iterator<Integer>, R> feeding(
            Broadcast<ShippedGroups<T>> shipped, FlatMapFunction<Iterator<List<T>>, R> work) {
        return numbers -> {
            List<List<T>> groups = new ArrayList<>();
            while (numbers.hasNext()) groups.add(shipped.value().group(numbers.next()));
            return work.call(groups.iterator());
        };
    }

    /** Resolves classes through the task's class loader (the application jar on an executor), not the JVM's. */
    private static final class TaskClassesInput extends ObjectInputStream {
        TaskClassesInput(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader != null) {
                try {
                    return Class.forName(desc.getName(), false, loader);
                } catch (ClassNotFoundException e) {
                    // a primitive or a JDK class the task's loader does not see: the default resolution below
                }
            }
            return super.resolveClass(desc);
        }
    }

    private static byte[] serialise(List<?> group) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(group));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
