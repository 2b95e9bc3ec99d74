package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JavaSessionTest {
    static JavaSession session;

    @BeforeAll
    static void start() {
        session = new JavaSession();
        session.importDefaults();
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void trailingExpressionGivesTheRealObject() throws Exception {
        JavaSession.Result r = session.run("var xs = new ArrayList<Integer>();\nxs.add(3);\nxs", 1);
        assertTrue(r.hasValue());
        assertEquals(List.of(3), r.value());
        assertTrue(r.value() instanceof java.util.ArrayList);
    }

    @Test
    void declarationsAndStatementsShowNothing() throws Exception {
        assertFalse(session.run("int k = 5;", 2).hasValue());
        assertFalse(session.run("System.out.print(\"\");", 3).hasValue());
        assertEquals(6, session.run("k + 1", 4).value());
    }

    @Test
    void userExceptionNamesItsClassAndCellLine() {
        CellError e = assertThrows(CellError.class,
                () -> session.run("int a = 1;\nint b = 0;\nint c = a / b;", 7));
        assertEquals("java.lang.ArithmeticException", e.ename());
        assertEquals("/ by zero", e.evalue());
        assertTrue(String.join("\n", e.traceback()).contains("cell [7], line 3"), e.traceback().toString());
    }

    @Test
    void exceptionInsideAMethodDefinedInAnEarlierCell() throws Exception {
        session.run("void boom(String s) {\n  throw new IllegalStateException(\"bad \" + s);\n}", 10);
        CellError e = assertThrows(CellError.class, () -> session.run("\nboom(\"x\");", 11));
        assertEquals("java.lang.IllegalStateException", e.ename());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("boom (") && tb.contains("cell [10], line 2"), tb);
        assertTrue(tb.contains("cell [11], line 2"), tb);
    }

    @Test
    void compileErrorPointsAtTheLine() {
        CellError e = assertThrows(CellError.class, () -> session.run("int ok = 1;\nint y = nope + 1;", 12));
        assertEquals("CompileError", e.ename());
        String tb = String.join("\n", e.traceback());
        assertTrue(tb.contains("line 2") && tb.contains("int y = nope + 1;"), tb);
    }

    @Test
    void busyLoopIsStoppedAndTheSessionSurvives() throws Exception {
        long t0 = System.nanoTime();
        Thread interrupter = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
            }
            session.interrupt(1000);
        });
        interrupter.start();
        CellError e = assertThrows(CellError.class, () -> session.run("long n = 0;\nwhile (true) { n++; }", 20));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals("InterruptedException", e.ename());
        assertTrue(seconds < 2.5, "took " + seconds);
        assertEquals(42, session.run("40 + 2", 21).value());
    }

    @Test
    void cooperativeLoopStopsAtOnce() throws Exception {
        session.run("int steps = 0;", 21);
        java.util.concurrent.atomic.AtomicLong sentAt = new java.util.concurrent.atomic.AtomicLong();
        Thread interrupter = new Thread(() -> {
            while (!session.isRunning()) Thread.onSpinWait(); // interrupt the loop itself, not its compilation
            sentAt.set(System.nanoTime());
            session.interrupt(5000); // a grace far above the bound below: only the interrupt flag can stop it in time
        });
        interrupter.start();
        CellError e = assertThrows(CellError.class, () -> session.run(
                "while (!Thread.currentThread().isInterrupted()) { steps++; }", 22));
        double seconds = (System.nanoTime() - sentAt.get()) / 1e9;
        assertEquals("InterruptedException", e.ename());
        assertTrue(seconds < 1.0, "took " + seconds);
        assertTrue((Integer) session.run("steps", 23).value() > 0);
    }

    @Test
    void interruptDuringCompilationIsNotLost() throws Exception {
        Thread interrupter = new Thread(() -> session.interrupt(5000)); // lands while JShell compiles
        CellError e = assertThrows(CellError.class, () -> {
            interrupter.start();
            session.run("long spins = 0;\nwhile (!Thread.currentThread().isInterrupted()) { spins++; }", 24);
        });
        assertEquals("InterruptedException", e.ename());
        assertEquals(5, (Integer) session.run("2 + 3", 25).value(), "the next cell runs normally");
    }
}
