package org.seqlab.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.seqlab.kernel.wire.GuardedConnection;

/**
 * {@code java -jar seqlab-kernel.jar install [--user|--sys-prefix|--prefix DIR]} writes the
 * kernelspec; {@code java -jar seqlab-kernel.jar kernel CONNECTION_FILE} is what Jupyter runs.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        List<String> rest = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "install" -> System.exit(KernelspecInstaller.main(rest));
            case "kernel" -> {
                if (rest.size() != 1) {
                    usage();
                    System.exit(2);
                }
                runKernel(Path.of(rest.get(0)));
            }
            case "-h", "--help", "help" -> usage();
            default -> {
                if (args.length == 1 && Files.isRegularFile(Path.of(args[0]))) {
                    runKernel(Path.of(args[0])); // IJava-style: the connection file alone
                } else {
                    usage();
                    System.exit(2);
                }
            }
        }
    }

    static void runKernel(Path connectionFile) throws Exception {
        ServerLog.init(); // before anything replaces System.out/err
        System.setProperty("java.awt.headless", "true");
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(connectionFile));
        // ND4J loads while JShell warms up; no cell runs before the array limit is in place
        CompletableFuture<Void> memory = CompletableFuture.runAsync(() -> ArrayMemoryGuard.installFromSystemProperties(ServerLog.err()));
        SeqlabKernel kernel = new SeqlabKernel();
        GuardedConnection connection = new GuardedConnection(props);
        kernel.becomeHandlerForConnection(connection);
        kernel.onStartup();
        try {
            memory.join();
        } catch (CompletionException e) {
            ServerLog.warn("the array memory limit is not in place: " + e.getCause());
        }
        connection.connect();
        ParentWatch.start(System.getenv("JPY_PARENT_PID"), kernel::isShuttingDown, Main::exitOrphaned);
        connection.waitUntilClose();
        System.exit(0);
    }

    /** The Jupyter process is gone: nobody can reach this kernel any more. */
    private static void exitOrphaned() {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
            }
            Runtime.getRuntime().halt(1); // a shutdown hook that hangs must not keep the orphan alive
        }, "seqlab-halt");
        halt.setDaemon(true);
        halt.start();
        System.exit(1);
    }

    private static void usage() {
        System.err.println("""
                seqlab kernel
                  java -jar seqlab-kernel.jar install [--user|--sys-prefix|--prefix DIR] [--name NAME]
                  java -jar seqlab-kernel.jar kernel CONNECTION_FILE""");
    }
}
