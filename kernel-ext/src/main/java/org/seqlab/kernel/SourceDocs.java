package org.seqlab.kernel;

import com.sun.source.doctree.DocCommentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Javadoc of seqlab's own classes for Shift+Tab. The build copies our sources into the jar
 * ({@value #ROOT}, see kernel-ext/pom.xml); a class's file is parsed on first use with the JDK's
 * compiler tree API (parse only, no compilation) and its doc comments kept as plain text.
 * JShell's own documentation only knows the JDK's sources.
 */
final class SourceDocs {
    static final String ROOT = "seqlab-sources/";

    /** One documented member: how it reads in Java, its first sentence, its whole comment. */
    record Member(String name, String signature, List<String> parameterTypes, String summary, String text) {}

    /** A class: its name, comment, and its public members in source order. */
    record ClassDoc(String name, String summary, String text, List<Member> members) {}

    private static final Map<String, Optional<ClassDoc>> CACHE = new ConcurrentHashMap<>();
    private static final Pattern INLINE_TAG = Pattern.compile("\\{@(?:code|link|linkplain|literal|value)\\s+([^}]*)}");
    private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");

    private SourceDocs() {}

    /** The documentation of a class by its binary-ish name ({@code org.seqlab.data.Vocab}, nested with dots). */
    static Optional<ClassDoc> forClass(String qualifiedName) {
        return CACHE.computeIfAbsent(qualifiedName, SourceDocs::load);
    }

    /** The members of {@code qualifiedName} called {@code name} (overloads in source order). */
    static List<Member> members(String qualifiedName, String name) {
        return forClass(qualifiedName).map(c -> c.members().stream().filter(m -> m.name().equals(name)).toList())
                .orElse(List.of());
    }

    private static Optional<ClassDoc> load(String qualifiedName) {
        if (!qualifiedName.startsWith("org.seqlab.")) {
            return Optional.empty();
        }
        // Outer.Inner lives in Outer.java: try the longest prefix that names a file
        String[] parts = qualifiedName.split("\\.");
        for (int top = parts.length; top >= 3; top--) {
            String path = ROOT + String.join("/", List.of(parts).subList(0, top)) + ".java";
            String source = read(path);
            if (source != null) {
                List<String> nested = List.of(parts).subList(top - 1, parts.length);
                return parse(source, path, nested);
            }
        }
        return Optional.empty();
    }

    private static String read(String resource) {
        try (InputStream in = SourceDocs.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses {@code source} and returns the class reached by the simple names {@code path} (top level first). */
    private static Optional<ClassDoc> parse(String source, String fileName, List<String> path) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            return Optional.empty();
        }
        SimpleJavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + fileName), SimpleJavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, null, d -> {}, List.of("-proc:none"), null, List.of(file));
        DocTrees docs = DocTrees.instance(task);
        Iterable<? extends CompilationUnitTree> units;
        try {
            units = task.parse();
        } catch (IOException e) {
            return Optional.empty();
        }
        ClassDoc[] found = new ClassDoc[1];
        for (CompilationUnitTree unit : units) {
            new TreePathScanner<Void, Integer>() {
                @Override
                public Void visitClass(ClassTree c, Integer depth) {
                    if (found[0] != null || depth >= path.size() || !c.getSimpleName().contentEquals(path.get(depth))) {
                        return null;
                    }
                    if (depth == path.size() - 1) {
                        found[0] = describe(c, getCurrentPath(), docs);
                        return null;
                    }
                    for (Tree member : c.getMembers()) {
                        scan(new TreePath(getCurrentPath(), member), depth + 1);
                    }
                    return null;
                }
            }.scan(unit, 0);
        }
        return Optional.ofNullable(found[0]);
    }

    private static ClassDoc describe(ClassTree c, TreePath classPath, DocTrees docs) {
        boolean isInterface = c.getKind() == Tree.Kind.INTERFACE;
        List<Member> members = new ArrayList<>();
        for (Tree t : c.getMembers()) {
            TreePath p = new TreePath(classPath, t);
            if (t instanceof MethodTree m && isVisible(m.getModifiers(), isInterface)) {
                String name = m.getName().contentEquals("<init>") ? c.getSimpleName().toString() : m.getName().toString();
                List<String> params = m.getParameters().stream().map(v -> v.getType().toString()).toList();
                String returns = m.getReturnType() == null ? "" : m.getReturnType() + " ";
                String statics = m.getModifiers().getFlags().contains(Modifier.STATIC) ? "static " : "";
                String signature = statics + returns + name + "("
                        + String.join(", ", m.getParameters().stream().map(v -> v.getType() + " " + v.getName()).toList()) + ")";
                members.add(member(name, signature, params, docs.getDocCommentTree(p)));
            } else if (t instanceof VariableTree v && isVisible(v.getModifiers(), isInterface)) {
                String statics = v.getModifiers().getFlags().contains(Modifier.STATIC) ? "static " : "";
                members.add(member(v.getName().toString(), statics + v.getType() + " " + v.getName(), List.of(),
                        docs.getDocCommentTree(p)));
            }
        }
        DocCommentTree own = docs.getDocCommentTree(classPath);
        return new ClassDoc(c.getSimpleName().toString(), summary(own), text(own), members);
    }

    private static Member member(String name, String signature, List<String> params, DocCommentTree doc) {
        return new Member(name, signature, params, summary(doc), text(doc));
    }

    private static boolean isVisible(ModifiersTree m, boolean inInterface) {
        return m.getFlags().contains(Modifier.PUBLIC) || m.getFlags().contains(Modifier.PROTECTED)
                || (inInterface && !m.getFlags().contains(Modifier.PRIVATE));
    }

    private static String summary(DocCommentTree doc) {
        return doc == null ? "" : plain(join(doc.getFirstSentence()));
    }

    private static String text(DocCommentTree doc) {
        if (doc == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(plain(join(doc.getFullBody())));
        doc.getBlockTags().forEach(tag -> s.append("\n").append(plain(tag.toString())));
        return s.toString().strip();
    }

    /** The source text of a run of doc tree nodes (a List's toString would add brackets and commas). */
    private static String join(List<? extends com.sun.source.doctree.DocTree> nodes) {
        StringBuilder s = new StringBuilder();
        nodes.forEach(n -> s.append(n));
        return s.toString();
    }

    /** Doc comment markup as plain text: {@code {@code x}} becomes x, tags go, paragraphs become blank lines. */
    static String plain(String markup) {
        String s = markup.replaceAll("(?i)<p>", "\n\n").replaceAll("(?i)<li>", "\n - ");
        Matcher m = INLINE_TAG.matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1).replace('#', '.').strip()));
        s = HTML_TAG.matcher(s).replaceAll("");
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        // source line breaks inside a paragraph become spaces; blank lines and list items stay breaks
        StringBuilder out = new StringBuilder();
        boolean breakBefore = true;
        for (String line : s.lines().map(String::strip).toList()) {
            if (line.isEmpty()) {
                if (out.length() > 0 && !breakBefore) {
                    out.append("\n\n");
                }
                breakBefore = true;
                continue;
            }
            if (!breakBefore) {
                out.append(line.startsWith("- ") || line.startsWith("@") ? "\n" : " ");
            }
            out.append(line);
            breakBefore = false;
        }
        return out.toString().strip();
    }
}
