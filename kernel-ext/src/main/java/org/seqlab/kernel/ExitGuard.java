package org.seqlab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a cell from ending the kernel process. The class files JShell compiles from a cell are
 * rewritten before they load: calls of {@code System.exit(int)}, {@code Runtime.exit(int)} and
 * {@code Runtime.halt(int)} become calls of the methods here, which throw
 * {@link ExitRefusedException}. The cell fails with that message; the kernel and its variables
 * stay.
 *
 * <p>Why bytecode and not a SecurityManager: installing one is refused on Java 18+ unless the JVM
 * was started with a flag, and it slows every permission check. The rewrite touches only the
 * call sites, keeps instruction lengths (so no offset or stack map changes) and leaves every
 * other class file byte for byte as javac wrote it.
 */
public final class ExitGuard {
    static final String OWNER = "org/seqlab/kernel/ExitGuard";
    private static final String RUNTIME_CALL = "(Ljava/lang/Runtime;I)V";

    private ExitGuard() {}

    /** What a cell's {@code System.exit(status)} runs instead. */
    public static void exit(int status) {
        throw refused("System.exit(" + status + ")");
    }

    /** What a cell's {@code Runtime.getRuntime().exit(status)} runs instead. */
    public static void exit(Runtime runtime, int status) {
        throw refused("Runtime.exit(" + status + ")");
    }

    /** What a cell's {@code Runtime.getRuntime().halt(status)} runs instead. */
    public static void halt(Runtime runtime, int status) {
        throw refused("Runtime.halt(" + status + ")");
    }

    private static ExitRefusedException refused(String call) {
        return new ExitRefusedException(call + " was refused: it would end the kernel and every variable with it."
                + " The kernel is still running. To leave a cell early, return or throw an exception;"
                + " to stop the kernel, use Kernel > Shut Down (or Restart).");
    }

    // ---- class file rewriting -------------------------------------------------------------------

    private static final int UTF8 = 1, INTEGER = 3, FLOAT = 4, LONG = 5, DOUBLE = 6, CLASS = 7, STRING = 8,
            FIELDREF = 9, METHODREF = 10, INTERFACE_METHODREF = 11, NAME_AND_TYPE = 12, METHOD_HANDLE = 15,
            METHOD_TYPE = 16, DYNAMIC = 17, INVOKE_DYNAMIC = 18, MODULE = 19, PACKAGE = 20;
    private static final int INVOKEVIRTUAL = 0xb6, INVOKESTATIC = 0xb8;

    /** One constant pool entry: its tag, where its payload starts in the file, and its text if UTF8. */
    private record Entry(int tag, int offset, String utf8) {}

    /** {@code classFile} with exit calls redirected here; the same array when it has none. */
    static byte[] rewrite(byte[] classFile) {
        try {
            return new Rewrite(classFile).run();
        } catch (RuntimeException e) {
            return classFile; // not a class file we understand: leave it as javac wrote it
        }
    }

    private static final class Rewrite {
        private final byte[] in;
        private final ByteBuffer buf;
        private final List<Entry> pool = new ArrayList<>();
        private int poolEnd;

        Rewrite(byte[] in) {
            this.in = in;
            this.buf = ByteBuffer.wrap(in);
        }

        byte[] run() {
            if (buf.getInt(0) != 0xCAFEBABE) {
                return in;
            }
            readPool();
            List<Integer> systemExit = new ArrayList<>();
            int runtimeExit = -1;
            int runtimeHalt = -1;
            for (int i = 1; i < pool.size(); i++) {
                Entry e = pool.get(i);
                if (e == null || e.tag != METHODREF) {
                    continue;
                }
                String owner = className(u2(e.offset));
                String name = utf8(u2(pool.get(u2(e.offset + 2)).offset));
                String type = utf8(u2(pool.get(u2(e.offset + 2)).offset + 2));
                if (!"(I)V".equals(type)) {
                    continue;
                }
                if ("java/lang/System".equals(owner) && "exit".equals(name)) {
                    systemExit.add(i);
                } else if ("java/lang/Runtime".equals(owner) && "exit".equals(name)) {
                    runtimeExit = i;
                } else if ("java/lang/Runtime".equals(owner) && "halt".equals(name)) {
                    runtimeHalt = i;
                }
            }
            if (systemExit.isEmpty() && runtimeExit < 0 && runtimeHalt < 0) {
                return in;
            }
            // new entries go at the end of the pool: existing indices stay valid
            ByteArrayOutputStream added = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(added);
            int next = pool.size();
            int ownerName = next++;
            int ownerClass = next++;
            int exitRef = -1;
            int haltRef = -1;
            try {
                writeUtf8(out, OWNER);
                out.writeByte(CLASS);
                out.writeShort(ownerName);
                if (runtimeExit >= 0) {
                    exitRef = addStaticMethod(out, next, ownerClass, "exit");
                    next += 4;
                }
                if (runtimeHalt >= 0) {
                    haltRef = addStaticMethod(out, next, ownerClass, "halt");
                    next += 4;
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            byte[] result = new byte[in.length + added.size()];
            System.arraycopy(in, 0, result, 0, poolEnd);
            System.arraycopy(added.toByteArray(), 0, result, poolEnd, added.size());
            System.arraycopy(in, poolEnd, result, poolEnd + added.size(), in.length - poolEnd);
            ByteBuffer res = ByteBuffer.wrap(result);
            res.putShort(8, (short) next);
            for (int ref : systemExit) { // System.exit(I)V -> ExitGuard.exit(I)V: same name and type
                res.putShort(pool.get(ref).offset, (short) ownerClass);
            }
            if (exitRef >= 0 || haltRef >= 0) {
                patchInvokes(res, poolEnd + added.size(), runtimeExit, exitRef, runtimeHalt, haltRef);
            }
            return result;
        }

        /** Appends Utf8 name, Utf8 descriptor, NameAndType and Methodref; returns the Methodref's index. */
        private static int addStaticMethod(DataOutputStream out, int first, int ownerClass, String name) throws IOException {
            writeUtf8(out, name);
            writeUtf8(out, RUNTIME_CALL);
            out.writeByte(NAME_AND_TYPE);
            out.writeShort(first);
            out.writeShort(first + 1);
            out.writeByte(METHODREF);
            out.writeShort(ownerClass);
            out.writeShort(first + 2);
            return first + 3;
        }

        private static void writeUtf8(DataOutputStream out, String s) throws IOException {
            out.writeByte(UTF8);
            out.writeUTF(s);
        }

        private void readPool() {
            int count = u2(8);
            pool.add(null);
            int p = 10;
            for (int i = 1; i < count; i++) {
                int tag = in[p] & 0xFF;
                int start = p + 1;
                switch (tag) {
                    case UTF8 -> {
                        int len = u2(start);
                        pool.add(new Entry(tag, start, new String(in, start + 2, len, StandardCharsets.UTF_8)));
                        p = start + 2 + len;
                    }
                    case INTEGER, FLOAT, FIELDREF, METHODREF, INTERFACE_METHODREF, NAME_AND_TYPE, DYNAMIC, INVOKE_DYNAMIC -> {
                        pool.add(new Entry(tag, start, null));
                        p = start + 4;
                    }
                    case LONG, DOUBLE -> {
                        pool.add(new Entry(tag, start, null));
                        pool.add(null); // takes two slots
                        i++;
                        p = start + 8;
                    }
                    case CLASS, STRING, METHOD_TYPE, MODULE, PACKAGE -> {
                        pool.add(new Entry(tag, start, null));
                        p = start + 2;
                    }
                    case METHOD_HANDLE -> {
                        pool.add(new Entry(tag, start, null));
                        p = start + 3;
                    }
                    default -> throw new IllegalArgumentException("constant pool tag " + tag);
                }
            }
            poolEnd = p;
        }

        /** Rewrites {@code invokevirtual Runtime.exit/halt} to {@code invokestatic ExitGuard.exit/halt} in every method. */
        private void patchInvokes(ByteBuffer res, int afterPool, int runtimeExit, int exitRef, int runtimeHalt, int haltRef) {
            int p = afterPool + 6; // access, this, super
            p += 2 + 2 * (res.getShort(p) & 0xFFFF); // interfaces
            p = skipMembers(res, p, null, 0, 0, 0, 0); // fields
            skipMembers(res, p, "Code", runtimeExit, exitRef, runtimeHalt, haltRef); // methods
        }

        private int skipMembers(ByteBuffer res, int p, String code, int runtimeExit, int exitRef, int runtimeHalt, int haltRef) {
            int count = res.getShort(p) & 0xFFFF;
            p += 2;
            for (int m = 0; m < count; m++) {
                p += 6;
                int attributes = res.getShort(p) & 0xFFFF;
                p += 2;
                for (int a = 0; a < attributes; a++) {
                    int nameIndex = res.getShort(p) & 0xFFFF;
                    int length = res.getInt(p + 2);
                    if (code != null && code.equals(utf8(nameIndex))) {
                        int codeLength = res.getInt(p + 10);
                        patchCode(res, p + 14, codeLength, runtimeExit, exitRef, runtimeHalt, haltRef);
                    }
                    p += 6 + length;
                }
            }
            return p;
        }

        private static void patchCode(ByteBuffer res, int start, int length, int runtimeExit, int exitRef, int runtimeHalt, int haltRef) {
            int pc = 0;
            while (pc < length) {
                int op = res.get(start + pc) & 0xFF;
                if (op == INVOKEVIRTUAL) {
                    int ref = res.getShort(start + pc + 1) & 0xFFFF;
                    int replacement = ref == runtimeExit ? exitRef : ref == runtimeHalt ? haltRef : -1;
                    if (replacement >= 0) {
                        res.put(start + pc, (byte) INVOKESTATIC);
                        res.putShort(start + pc + 1, (short) replacement);
                    }
                }
                pc += instructionLength(res, start, pc, op);
            }
        }

        /** Length in bytes of the instruction at {@code pc} (JVMS chapter 6). */
        private static int instructionLength(ByteBuffer res, int start, int pc, int op) {
            switch (op) {
                case 0x10, 0x12, 0x15, 0x16, 0x17, 0x18, 0x19, 0x36, 0x37, 0x38, 0x39, 0x3a, 0xa9, 0xbc:
                    return 2;
                case 0x11, 0x13, 0x14, 0x84, 0xa7, 0xa8, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xbb, 0xbd,
                        0xc0, 0xc1, 0xc6, 0xc7:
                    return 3;
                case 0xc5:
                    return 4;
                case 0xb9, 0xba, 0xc8, 0xc9:
                    return 5;
                case 0xc4: // wide
                    return (res.get(start + pc + 1) & 0xFF) == 0x84 ? 6 : 4;
                case 0xaa: { // tableswitch
                    int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                    int low = res.getInt(start + p + 4);
                    int high = res.getInt(start + p + 8);
                    return p + 12 + 4 * (high - low + 1) - pc;
                }
                case 0xab: { // lookupswitch
                    int p = pc + 1 + ((4 - (pc + 1) % 4) % 4);
                    int pairs = res.getInt(start + p + 4);
                    return p + 8 + 8 * pairs - pc;
                }
                default:
                    if (op >= 0x99 && op <= 0xa6) {
                        return 3; // if<cond>, if_icmp<cond>, if_acmp<cond>
                    }
                    return 1;
            }
        }

        private int u2(int offset) {
            return ((in[offset] & 0xFF) << 8) | (in[offset + 1] & 0xFF);
        }

        private String utf8(int index) {
            Entry e = pool.get(index);
            return e == null ? null : e.utf8;
        }

        private String className(int classIndex) {
            Entry c = pool.get(classIndex);
            return c == null || c.tag != CLASS ? null : utf8(u2(c.offset));
        }
    }
}
