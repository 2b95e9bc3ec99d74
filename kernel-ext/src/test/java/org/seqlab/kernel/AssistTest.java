package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The static parts of completion, inspection, indentation and tracebacks. */
class AssistTest {

    @Test
    void completionKinds() {
        assertEquals("method", CodeAssist.kind("max(", "Math"));
        assertEquals("method", CodeAssist.kind("size()", "vocab"));
        assertEquals("field", CodeAssist.kind("PI", "Math"));
        assertEquals("keyword", CodeAssist.kind("class", "Math"));
        assertEquals("class", CodeAssist.kind("Vocab", null));
        assertEquals("class", CodeAssist.kind("List", "java.util"));
        assertEquals("package", CodeAssist.kind("util", "java"));
        assertEquals("package", CodeAssist.kind("java", null));
        assertEquals("variable", CodeAssist.kind("vocab", null));
        assertEquals("field", CodeAssist.kind("length", "args"));
        assertEquals("java.util", CodeAssist.qualifierBefore("java.util.Li", 10));
        assertEquals("Seq.model()", CodeAssist.qualifierBefore("Seq.model().emb", 12));
        assertNull(CodeAssist.qualifierBefore("Voc", 0));
    }

    @Test
    void indentOfTheNextLine() {
        assertEquals("    ", CodeAssist.nextIndent("void f() {"));
        assertEquals("  ", CodeAssist.nextIndent("void f() {\n  int x = 1;"));
        assertEquals("        ", CodeAssist.nextIndent("for (;;) {\n    if (x) {"));
        assertEquals("    ", CodeAssist.nextIndent("int[] a = {1,"));
        assertEquals("", CodeAssist.nextIndent("String s = \"{\" + // {"));
    }

    @Test
    void signaturesMatchDeclaredParameters() {
        assertEquals(List.of("String", "int"), CodeAssist.parameterTypes("String text, int minCount"));
        assertEquals(List.of("java.util.Map<String, Integer>"), CodeAssist.parameterTypes("java.util.Map<String, Integer> m"));
        assertTrue(CodeAssist.sameParameters(List.of("List<String>"), List.of("java.util.List<String>")));
        assertFalse(CodeAssist.sameParameters(List.of("String"), List.of("String", "int")));
    }

    @Test
    void shippedSourcesGiveSeqlabJavadoc() {
        SourceDocs.ClassDoc vocab = SourceDocs.forClass("org.seqlab.data.Vocab").orElseThrow();
        assertFalse(vocab.summary().isEmpty());
        SourceDocs.Member chars = SourceDocs.members("org.seqlab.data.Vocab", "chars").get(0);
        assertEquals("static Vocab chars(String text)", chars.signature());
        assertEquals("A character-level vocabulary of every character in text.", chars.summary());
        assertTrue(SourceDocs.forClass("java.lang.String").isEmpty());
        assertEquals("a b\n\nc", SourceDocs.plain("a\n {@code b}\n\n<p>c"));
    }

    @Test
    void jshellWrappersAreNotShownAsMethods() {
        assertNull(Tracebacks.userMethod("do_it$"));
        assertNull(Tracebacks.userMethod("do_it$Aux"));
        assertEquals("a lambda", Tracebacks.userMethod("lambda$do_it$Aux$0"));
        assertEquals("boom", Tracebacks.userMethod("boom"));
        assertEquals("boom (lambda)", Tracebacks.userMethod("lambda$boom$1"));
    }
}
