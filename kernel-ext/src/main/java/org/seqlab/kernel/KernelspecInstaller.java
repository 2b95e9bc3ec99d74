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
 * Writes the kernelspec (kernel.json) that tells Jupyter how to start this kernel: which java,
 * the JVM memory options ND4J needs (it allocates off-heap), and OPENBLAS_CORETYPE for this CPU.
 * Locations follow {@code jupyter kernelspec install}: --user, --sys-prefix, --prefix DIR.
 */
final class KernelspecInstaller {
    static final String NAME = "seqlab";
    static final String DISPLAY_NAME = "Java (seqlab)";
    /** Heap for Java objects; ND4J's arrays live off-heap under the javacpp limits. */
    static final List<String> JVM_OPTIONS = List.of(
            "-Xmx4g",
            "-Dorg.bytedeco.javacpp.maxbytes=6G",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=10G",
            "-Djava.awt.headless=true",
            "-Xshare:auto");

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

    /** jupyter_core's user data dir on Linux: $JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
    static Path userDataDir() {
        String explicit = System.getenv("JUPYTER_DATA_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
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

    /** Writes {@code dir/kernel.json} (and a logo when packaged); returns the file. */
    static Path install(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("kernel.json");
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec());
        Path tmp = Files.createTempFile(dir, "kernel", ".json.tmp");
        Files.writeString(tmp, json + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        copyResource("logo-64x64.png", dir);
        return file;
    }

    static Map<String, Object> spec() {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_OPTIONS);
        argv.addAll(launchArgs());
        argv.add("kernel");
        argv.add("{connection_file}");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("argv", argv);
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        // "signal" would SIGINT the JVM and kill it; we interrupt the cell thread on a message
        spec.put("interrupt_mode", "message");
        Map<String, String> env = new LinkedHashMap<>();
        CpuCoreType.detect().ifPresent(t -> env.put("OPENBLAS_CORETYPE", t));
        spec.put("env", env);
        spec.put("metadata", Map.of("debugger", false));
        return spec;
    }

    /** -jar the running jar, or -cp the class path when run from a build tree. */
    static List<String> launchArgs() {
        try {
            Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            if (Files.isRegularFile(self) && self.toString().endsWith(".jar")) {
                return List.of("-jar", self.toString());
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the class path
        }
        List<String> absolute = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            absolute.add(Path.of(entry).toAbsolutePath().toString());
        }
        return List.of("-cp", String.join(java.io.File.pathSeparator, absolute), Main.class.getName());
    }

    private static void copyResource(String name, Path dir) throws IOException {
        try (InputStream in = KernelspecInstaller.class.getResourceAsStream("/kernelspec/" + name)) {
            if (in != null) {
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
