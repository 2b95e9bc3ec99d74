package org.seqlab.kernel;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs the kernelspec: a folder that Jupyter finds (--user, --sys-prefix, --prefix DIR, as
 * {@code jupyter kernelspec install} places them) holding everything the kernel needs to start:
 *
 * <ul>
 *   <li>{@code kernel.json}: argv runs {@code seqlab-java} with the java that ran the installer, the jar
 *       beside it, and {@code Main kernel {connection_file}}; interrupts by message;</li>
 *   <li>{@code seqlab-java}: decides the memory limits and the OpenBLAS core type when the kernel
 *       starts, on the machine it starts on ({@link LaunchSetup});</li>
 *   <li>{@code seqlab-kernel.jar}: a copy of the jar that ran the installer, so that {@code mvn clean}
 *       or a rebuild does not break (or change under) an installed kernel, as JJava's releases do;</li>
 *   <li>the logos JupyterLab's launcher shows.</li>
 * </ul>
 */
final class KernelspecInstaller {
    static final String NAME = "seqlab";
    static final String DISPLAY_NAME = "Java (seqlab)";
    static final String LAUNCHER = "seqlab-java";
    static final String JAR = "seqlab-kernel.jar";
    static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png", "logo-svg.svg");

    enum Scope { USER, SYS_PREFIX, PREFIX }

    static int main(List<String> args) throws IOException {
        Scope scope = Scope.USER;
        Path prefix = null;
        String name = NAME;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--user" -> scope = Scope.USER;
                case "--sys-prefix" -> scope = Scope.SYS_PREFIX;
                case "--prefix" -> {
                    scope = Scope.PREFIX;
                    prefix = Path.of(args.get(++i));
                }
                case "--name" -> name = args.get(++i);
                default -> {
                    if (args.get(i).startsWith("--prefix=")) {
                        scope = Scope.PREFIX;
                        prefix = Path.of(args.get(i).substring("--prefix=".length()));
                    } else {
                        System.err.println("unknown option " + args.get(i)
                                + "\nusage: java -jar seqlab-kernel.jar install [--user|--sys-prefix|--prefix DIR] [--name NAME]");
                        return 2;
                    }
                }
            }
        }
        Path dir = kernelsDir(scope, prefix).resolve(name);
        Path written = install(dir);
        System.out.println("Installed kernelspec " + name + " in " + written.getParent());
        return 0;
    }

    static Path kernelsDir(Scope scope, Path prefix) {
        return switch (scope) {
            case PREFIX -> prefix.toAbsolutePath().resolve("share/jupyter/kernels");
            case SYS_PREFIX -> sysPrefix().resolve("share/jupyter/kernels");
            case USER -> userDataDir().resolve("kernels");
        };
    }

    /** jupyter_core's user data dir on Linux: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else $HOME/.local/share/jupyter. */
    static Path userDataDir() {
        String explicit = System.getenv("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        // $HOME as Python's expanduser reads it, which is not always Java's user.home (/etc/passwd)
        String home = System.getenv("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "share");
        return base.resolve("jupyter");
    }

    /** Python's sys.prefix for the environment Jupyter runs in: a venv or conda env, else python3's. */
    static Path sysPrefix() {
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String v = System.getenv(var);
            if (v != null && !v.isBlank()) {
                return Path.of(v);
            }
        }
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.prefix)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
                return Path.of(out);
            }
        } catch (IOException | InterruptedException e) {
            // fall through
        }
        return Path.of("/usr");
    }

    /** Writes the kernelspec folder {@code dir}; returns its kernel.json. */
    static Path install(Path dir) throws IOException {
        Files.createDirectories(dir);
        String classPath = installClassPath(dir, runningJar());
        copyResource(LAUNCHER, dir, true);
        for (String logo : LOGOS) {
            copyResource(logo, dir, false);
        }
        Path file = dir.resolve("kernel.json");
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec(dir, classPath));
        writeAtomically(file, (json + "\n").getBytes(StandardCharsets.UTF_8), false);
        return file;
    }

    static Map<String, Object> spec(Path dir, String classPath) {
        List<String> argv = new ArrayList<>();
        argv.add(dir.resolve(LAUNCHER).toAbsolutePath().toString());
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add(classPath);
        argv.add(Main.class.getName());
        argv.add("kernel");
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        // "signal" would SIGINT the JVM and kill it; we interrupt the cell thread on a message
        spec.put("interrupt_mode", "message");
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /**
     * The class path the kernel runs from: the running jar, copied into dir (kept when it is already
     * the same file), or, run from a build tree (development), that tree's class path as it is.
     */
    static String installClassPath(Path dir, Path self) throws IOException {
        if (self == null) {
            List<String> absolute = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                absolute.add(Path.of(entry).toAbsolutePath().toString());
            }
            return String.join(java.io.File.pathSeparator, absolute);
        }
        Path target = dir.resolve(JAR).toAbsolutePath();
        boolean same = Files.isRegularFile(target) && (Files.isSameFile(self, target)
                || (Files.size(self) == Files.size(target)
                    // a copy keeps the time to the microsecond (utimes), not to the nanosecond
                    && Files.getLastModifiedTime(self).toMillis() == Files.getLastModifiedTime(target).toMillis()));
        if (!same) {
            Path tmp = Files.createTempFile(dir, "seqlab-kernel", ".jar.tmp");
            try {
                Files.copy(self, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                tmp.toFile().setReadable(true, false);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return target.toString();
    }

    /** The jar this class was loaded from, or null when it comes from a directory. */
    static Path runningJar() {
        try {
            Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            return Files.isRegularFile(self) && self.toString().endsWith(".jar") ? self : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static void copyResource(String name, Path dir, boolean executable) throws IOException {
        try (InputStream in = KernelspecInstaller.class.getResourceAsStream("/kernelspec/" + name)) {
            if (in == null) {
                throw new IOException("kernelspec/" + name + " is missing from the kernel's resources (rebuild the jar)");
            }
            writeAtomically(dir.resolve(name), in.readAllBytes(), executable);
        }
    }

    /** Through a temporary file and a rename: a kernel starting meanwhile sees the old file or the new, never half. */
    private static void writeAtomically(Path file, byte[] bytes, boolean executable) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            // readable by everyone (a --sys-prefix install serves other users); createTempFile makes it 0600
            tmp.toFile().setReadable(true, false);
            if (executable) {
                tmp.toFile().setExecutable(true, false);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
