package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.aether.resolution.DependencyResolutionException;

/**
 * Line magics: a line whose first character is {@code %} is a command to the kernel, not Java.
 * Magic lines are blanked out before the cell reaches JShell, so line numbers in errors still
 * match what the user sees. Java never starts a line with {@code %}, so the rule is unambiguous.
 *
 * <ul>
 *   <li>{@code %jars PATH...} (also {@code %jar}, {@code %classpath}) adds jars or class folders,
 *       globs allowed: {@code lib/*.jar};</li>
 *   <li>{@code %maven group:artifact:version...} adds an artifact and its runtime dependencies,
 *       resolved from Maven Central (see {@link MavenDependencies});</li>
 *   <li>{@code %maven-repo URL} (also {@code %mavenRepo}) adds a repository to resolve from.</li>
 * </ul>
 *
 * <p>All magic lines of a cell are resolved first; only when every one succeeded is anything
 * added, so a bad coordinate leaves the session as it was.
 */
final class Magics {

    /** What magics act on: the session's class path (extensions in new jars get installed) and the cell's output. */
    interface Effects {
        void addToClasspath(List<Path> entries);

        void say(String line);
    }

    private final Effects effects;
    private final MavenDependencies maven;

    Magics(Effects effects, MavenDependencies maven) {
        this.effects = effects;
        this.maven = maven;
    }

    /** Runs the magic lines of a cell and returns the cell with those lines blanked. */
    String apply(String cell, Path workingDir) throws CellError {
        String[] lines = cell.split("\n", -1);
        StringBuilder java = new StringBuilder(cell.length());
        Set<Path> entries = new LinkedHashSet<>();
        List<String> notes = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("%")) {
                run(line.strip().substring(1), workingDir, i + 1, entries, notes);
                line = "";
            }
            java.append(line);
            if (i < lines.length - 1) {
                java.append('\n');
            }
        }
        if (!entries.isEmpty()) {
            effects.addToClasspath(List.copyOf(entries));
        }
        notes.forEach(effects::say);
        return java.toString();
    }

    static boolean hasMagic(String cell) {
        return cell.lines().anyMatch(l -> l.stripLeading().startsWith("%"));
    }

    private void run(String command, Path workingDir, int lineNo, Set<Path> entries, List<String> notes) throws CellError {
        String[] words = command.strip().split("\\s+");
        String name = words[0];
        List<String> args = List.of(words).subList(1, words.length);
        switch (name) {
            case "jars", "jar", "classpath" -> jars(args, workingDir, lineNo, entries);
            case "maven" -> maven(args, lineNo, entries, notes);
            case "maven-repo", "mavenRepo" -> repository(args, lineNo, notes);
            default -> throw new CellError("UnknownMagic", "%" + name,
                    List.of("Unknown magic %" + name + " on line " + lineNo + ". Known: %jars PATH... (globs allowed),"
                            + " %maven group:artifact:version..., %maven-repo URL"));
        }
    }

    private void jars(List<String> args, Path workingDir, int lineNo, Set<Path> entries) throws CellError {
        if (args.isEmpty()) {
            throw new CellError("MagicError", "%jars needs at least one path", List.of("usage: %jars lib/a.jar lib/*.jar"));
        }
        for (String arg : args) {
            List<Path> matches = resolve(arg, workingDir);
            if (matches.isEmpty()) {
                throw new CellError("FileNotFoundException", arg,
                        List.of("%jars (line " + lineNo + "): no file matches " + arg + " (relative to " + workingDir
                                + "); nothing was added to the class path"));
            }
            matches.forEach(p -> entries.add(p.toAbsolutePath().normalize()));
        }
    }

    private void maven(List<String> args, int lineNo, Set<Path> entries, List<String> notes) throws CellError {
        if (args.isEmpty()) {
            throw new CellError("MagicError", "%maven needs coordinates",
                    List.of("usage: %maven group:artifact:version (for example %maven org.apache.commons:commons-text:1.10.0)"));
        }
        for (String coordinates : args) {
            List<MavenDependencies.Jar> jars;
            try {
                jars = maven.resolve(coordinates);
            } catch (IllegalArgumentException e) {
                throw new CellError("MagicError", "bad coordinates " + coordinates,
                        List.of("%maven (line " + lineNo + "): '" + coordinates + "' is not group:artifact:version"
                                + " (nor group:artifact:extension[:classifier]:version); nothing was added to the class path"));
            } catch (DependencyResolutionException | RuntimeException e) {
                throw new CellError("MavenResolutionException", "could not resolve " + coordinates,
                        List.of("%maven (line " + lineNo + "): could not resolve " + coordinates + " from "
                                        + String.join(", ", maven.repositoryUrls()) + ".",
                                "    " + rootMessage(e),
                                "Check the coordinates (search.maven.org lists every published version) and the network;"
                                        + " nothing was added to the class path."));
            }
            jars.forEach(j -> entries.add(j.file()));
            notes.add("%maven " + coordinates + ": " + jars.size() + (jars.size() == 1 ? " jar" : " jars") + " on the class path ("
                    + String.join(", ", jars.stream().map(j -> j.file().getFileName().toString()).toList()) + ")");
        }
    }

    private void repository(List<String> args, int lineNo, List<String> notes) throws CellError {
        if (args.size() != 1 || !args.get(0).matches("(?i)(https?|file):.*")) {
            throw new CellError("MagicError", "%maven-repo needs one URL",
                    List.of("%maven-repo (line " + lineNo + "): usage: %maven-repo https://repo.example.org/maven2/"));
        }
        maven.addRepository(args.get(0));
        notes.add("%maven-repo: " + args.get(0) + " will be searched after Maven Central");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.toString();
        return t == e ? m : e.getMessage() + (m.equals(e.getMessage()) ? "" : " (" + m + ")");
    }

    /** Expands one argument: a plain path, or a glob in its last element(s). */
    static List<Path> resolve(String arg, Path workingDir) {
        String expanded = arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg;
        Path direct = workingDir.resolve(expanded);
        if (!expanded.contains("*") && !expanded.contains("?") && !expanded.contains("[")) {
            return Files.exists(direct) ? List.of(direct) : List.of();
        }
        // glob: walk from the longest wildcard-free prefix directory
        Path abs = workingDir.resolve(expanded).normalize();
        Path base = abs.getRoot();
        for (Path part : abs) {
            if (part.toString().matches(".*[*?\\[].*")) {
                break;
            }
            base = base.resolve(part);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + abs);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(base, 8)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
