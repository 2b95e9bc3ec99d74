package org.seqlab.kernel;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Line magics: a line whose first character is {@code %} is a command to the kernel, not Java.
 * Magic lines are blanked out before the cell reaches JShell, so line numbers in errors still
 * match what the user sees.
 *
 * <p>{@code %jars PATH...} adds jars (globs allowed: {@code lib/*.jar}) to the class path of this
 * session. Java never starts a line with {@code %}, so the rule is unambiguous.
 */
final class Magics {

    private final Consumer<String> addToClasspath;

    Magics(Consumer<String> addToClasspath) {
        this.addToClasspath = addToClasspath;
    }

    /** Runs the magic lines of a cell and returns the cell with those lines blanked. */
    String apply(String cell, Path workingDir) throws CellError {
        String[] lines = cell.split("\n", -1);
        StringBuilder java = new StringBuilder(cell.length());
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.stripLeading().startsWith("%")) {
                run(line.strip().substring(1), workingDir, i + 1);
                line = "";
            }
            java.append(line);
            if (i < lines.length - 1) {
                java.append('\n');
            }
        }
        return java.toString();
    }

    static boolean hasMagic(String cell) {
        return cell.lines().anyMatch(l -> l.stripLeading().startsWith("%"));
    }

    private void run(String command, Path workingDir, int lineNo) throws CellError {
        String[] words = command.strip().split("\\s+");
        String name = words[0];
        List<String> args = List.of(words).subList(1, words.length);
        switch (name) {
            case "jars", "jar", "classpath" -> jars(args, workingDir, lineNo);
            default -> throw new CellError("UnknownMagic", "%" + name,
                    List.of("Unknown magic %" + name + " on line " + lineNo + ". Known: %jars PATH... (globs allowed)"));
        }
    }

    private void jars(List<String> args, Path workingDir, int lineNo) throws CellError {
        if (args.isEmpty()) {
            throw new CellError("MagicError", "%jars needs at least one path", List.of("usage: %jars lib/a.jar lib/*.jar"));
        }
        List<Path> found = new ArrayList<>();
        for (String arg : args) {
            List<Path> matches = resolve(arg, workingDir);
            if (matches.isEmpty()) {
                throw new CellError("FileNotFoundException", arg,
                        List.of("%jars (line " + lineNo + "): no file matches " + arg + " (relative to " + workingDir + ")"));
            }
            found.addAll(matches);
        }
        for (Path p : found) {
            addToClasspath.accept(p.toAbsolutePath().normalize().toString());
        }
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
