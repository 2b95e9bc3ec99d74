package org.seqlab.kernel;

import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.factory.DataBufferFactory;
import org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Holds ND4J's arrays to the kernel's array budget ({@link MemoryPlan}) so that a cell asking for
 * more gets an {@link OutOfMemoryError} that says what to do, and the kernel lives on.
 *
 * <p>What bounds ND4J's arrays (1.0.0-M2.1, measured): not javacpp's {@code maxbytes} (ND4J
 * allocates its buffers in libnd4j, which javacpp does not count: an array of 3 GB was allocated
 * under {@code maxbytes=1G}), nor {@code SD_MAX_PRIMARY_BYTES} / {@code Environment.setMaxPrimaryMemory}
 * (a group limit libnd4j does not check when it allocates), but libnd4j's per-device counter:
 * {@code Nd4jCpu.Environment.setDeviceLimit(0, bytes)} makes an allocation beyond it fail before any
 * memory is touched ("Requested amount exceeds HOST device limits").
 *
 * <p>That counter also counts arrays that are garbage but not yet collected (ND4J frees them when
 * the GC finds their Java objects unreachable); ND4J itself runs the GC and retries a refused
 * allocation up to five times ({@code OpaqueDataBuffer.allocateDataBuffer}), so only an allocation
 * that still does not fit fails. Its message ("Allocation failed: [Requested amount exceeds HOST
 * device limits; Limit bytes: [...]") says neither how big nor what to do: the guard wraps ND4J's
 * buffer factory to turn it into an {@link OutOfMemoryError} that does.
 */
final class ArrayMemoryGuard implements InvocationHandler, AutoCloseable {
    private static final String REFUSED = "exceeds HOST device limits";
    private static final Pattern REQUESTED = Pattern.compile("Requested bytes: \\[(\\d+)]");

    private final DataBufferFactory factory;
    private final Nd4jCpu.Environment counter;
    private final MemoryPlan plan;

    private ArrayMemoryGuard(DataBufferFactory factory, Nd4jCpu.Environment counter, MemoryPlan plan) {
        this.factory = factory;
        this.counter = counter;
        this.plan = plan;
    }

    /**
     * Sets the limit from the plan {@code seqlab-java} passed as system properties (or, started
     * without it, from the memory detected here) and logs it. Loads ND4J (a second or two).
     */
    static void installFromSystemProperties(PrintStream log) {
        MemoryPlan plan = planFromSystemProperties();
        install(plan);
        log.println("seqlab: " + plan.describe());
    }

    static MemoryPlan planFromSystemProperties() {
        String arrays = System.getProperty(MemoryPlan.ARRAYS_PROPERTY);
        String total = System.getProperty(MemoryPlan.TOTAL_PROPERTY);
        if (arrays == null || total == null) {
            return MemoryPlan.of(AvailableMemory.detect());
        }
        AvailableMemory available = new AvailableMemory(Long.parseLong(total),
                System.getProperty(MemoryPlan.SOURCE_PROPERTY, "seqlab-java"));
        return new MemoryPlan(available, Runtime.getRuntime().maxMemory(), Long.parseLong(arrays),
                Long.getLong("org.bytedeco.javacpp.maxphysicalbytes", available.bytes()));
    }

    /**
     * Limits ND4J's arrays to {@code plan.arrays()} bytes and puts the explaining factory in place;
     * {@link #close()} undoes both. Null when ND4J's factory could not be wrapped (another ND4J
     * version): the limit then holds, with ND4J's own message.
     */
    static ArrayMemoryGuard install(MemoryPlan plan) {
        Nd4jCpu.Environment counter = Nd4jCpu.Environment.getInstance(); // loads ND4J's native library
        counter.setDeviceLimit(0, plan.arrays()); // the CPU backend counts every host buffer as device 0's
        try {
            Field field = factoryField();
            DataBufferFactory current = (DataBufferFactory) field.get(null);
            if (Proxy.isProxyClass(current.getClass()) && Proxy.getInvocationHandler(current) instanceof ArrayMemoryGuard g) {
                current = g.factory; // installed twice: wrap the real factory, not the guard
            }
            ArrayMemoryGuard guard = new ArrayMemoryGuard(current, counter, plan);
            field.set(null, Proxy.newProxyInstance(DataBufferFactory.class.getClassLoader(),
                    new Class<?>[] {DataBufferFactory.class}, guard));
            return guard;
        } catch (ReflectiveOperationException | RuntimeException e) {
            ServerLog.warn("ND4J's buffer factory could not be wrapped (" + e + "); an allocation beyond the "
                    + "array limit fails with ND4J's own message");
            return null;
        }
    }

    private static Field factoryField() throws NoSuchFieldException {
        Field field = Nd4j.class.getDeclaredField("DATA_BUFFER_FACTORY_INSTANCE");
        field.setAccessible(true);
        return field;
    }

    /** Puts ND4J's own factory back and lifts the limit (0: none). */
    @Override
    public void close() throws ReflectiveOperationException {
        factoryField().set(null, factory);
        counter.setDeviceLimit(0, 0);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(factory, args);
        } catch (InvocationTargetException e) {
            Throwable failure = e.getCause();
            if (isRefused(failure)) {
                OutOfMemoryError error = new OutOfMemoryError(explain(failure.getMessage()));
                error.initCause(failure);
                throw error;
            }
            throw failure;
        }
    }

    static boolean isRefused(Throwable failure) {
        return failure instanceof RuntimeException && failure.getMessage() != null && failure.getMessage().contains(REFUSED);
    }

    /** The cell's error message: how big, how much is in use, what the budget is and where it came from, what to do. */
    String explain(String nd4jMessage) {
        Matcher m = REQUESTED.matcher(nd4jMessage);
        String what = m.find() ? "an array of " + AvailableMemory.human(Long.parseLong(m.group(1))) : "an array";
        return what + " does not fit: the kernel's arrays may use " + AvailableMemory.human(plan.arrays())
                + " and " + AvailableMemory.human(counter.getDeviceCounter(0)) + " are in use (the kernel has "
                + AvailableMemory.human(plan.available().bytes()) + ": " + plan.available().source() + "). "
                + "Drop what you no longer need (set its variable to null, e.g. an old model or trace), use a smaller "
                + "model, batch or sequence, or give the kernel more memory and restart it (" + AvailableMemory.OVERRIDE
                + "=3g, where the machine has that much)";
    }
}
