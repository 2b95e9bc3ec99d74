package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

class ExitGuardTest {

    /** A class with every kind of exit call, and code around them whose behaviour must not change. */
    static final String SOURCE = """
            package probe;
            import java.util.function.IntConsumer;
            public class Exits {
                static final long BIG = 1L << 40; static final double D = 2.5; // two-slot constants
                public static void system() { System.exit(1); }
                public static void runtime() { Runtime.getRuntime().exit(2); }
                public static void halt() { Runtime.getRuntime().halt(3); }
                public static void reference() { IntConsumer c = System::exit; c.accept(4); }
                public static String around(int k, String s) {
                    int wide = 0;
                    int l0=0,l1=1,l2=2,l3=3,l4=4,l5=5,l6=6,l7=7,l8=8,l9=9;
                    int[] many = new int[300]; for (int i = 0; i < many.length; i++) many[i] = i; // locals > 255 not needed: iinc wide below
                    wide += 1000;
                    String table = switch (k) { case 0 -> "zero"; case 1 -> "one"; case 2 -> "two"; default -> "many"; };
                    String lookup = switch (s) { case "a" -> "A"; case "bb" -> "BB"; default -> "?"; };
                    return table + lookup + wide + (BIG > D ? "" : "x") + System.getProperty("java.version").isEmpty();
                }
            }""";

    @Test
    void exitCallsBecomeRefusalsAndNothingElseChanges() throws Exception {
        byte[] original = compile("probe.Exits", SOURCE);
        byte[] rewritten = ExitGuard.rewrite(original);
        Class<?> c = new ClassLoader(getClass().getClassLoader()) {
            Class<?> define() {
                return defineClass("probe.Exits", rewritten, 0, rewritten.length);
            }
        }.define();
        for (String name : List.of("system", "runtime", "halt", "reference")) {
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> c.getMethod(name).invoke(null), name);
            assertTrue(e.getCause() instanceof ExitRefusedException, name + ": " + e.getCause());
            assertTrue(e.getCause().getMessage().contains("was refused: it would end the kernel"), e.getCause().getMessage());
        }
        Method around = c.getMethod("around", int.class, String.class);
        assertEquals("oneBB1000false", around.invoke(null, 1, "bb"));
        assertEquals("many?1000false", around.invoke(null, 9, "z"));
    }

    @Test
    void classesWithoutExitCallsAreLeftAlone() throws Exception {
        byte[] plain = compile("probe.Plain", "package probe; public class Plain { int f() { return 1; } }");
        assertSame(plain, ExitGuard.rewrite(plain));
        byte[] junk = {1, 2, 3};
        assertSame(junk, ExitGuard.rewrite(junk));
    }

    static byte[] compile(String name, String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> out = new HashMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location l, String className, JavaFileObject.Kind k, FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className + ".class"), k) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out.computeIfAbsent(className, x -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignore) {
                return source;
            }
        };
        assertTrue(javac.getTask(null, files, null, List.of("--release", "17"), null, List.of(src)).call(), "compiles");
        return out.get(name).toByteArray();
    }
}
