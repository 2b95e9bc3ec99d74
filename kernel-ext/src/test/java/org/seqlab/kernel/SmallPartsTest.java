package org.seqlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager.ResultFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.kernel.render.TableRenderer;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class SmallPartsTest {

    @Test
    void coreTypeFromCpuFlags() {
        assertEquals(Optional.of("SkylakeX"), CpuCoreType.fromCpuInfo("processor: 0\nflags\t\t: fpu sse2 avx2 avx512f\n"));
        assertEquals(Optional.of("Haswell"), CpuCoreType.fromCpuInfo("flags\t: fpu sse2 avx avx2 fma\n"));
        assertEquals(Optional.empty(), CpuCoreType.fromCpuInfo("flags\t: fpu sse2 avx\n"));
        assertEquals(Optional.empty(), CpuCoreType.fromCpuInfo(""));
    }

    @Test
    void historySearchIsAWholeInputGlob() {
        CellHistory h = new CellHistory();
        h.record(1, "1+2", "3");
        h.record(2, "x = 12", null);
        h.record(3, "1+2", "3");
        EnumSet<ResultFlag> none = EnumSet.noneOf(ResultFlag.class);
        assertEquals(2, h.search("1?2*", 0, none).size());
        assertEquals(1, h.search("1?2*", 0, EnumSet.of(ResultFlag.UNIQUE)).size());
        assertEquals(3, h.search("*", 0, none).size());
        assertEquals(List.of(2), h.lookupRange(CellHistory.SESSION, 2, 3, none).stream().map(e -> e.getCellNumber()).toList());
        assertEquals("", h.lookupTail(2, EnumSet.of(ResultFlag.INCLUDE_OUTPUT)).get(0).getOutput());
    }

    @Test
    void longTablesShowHeadAndTail() {
        Table t = Table.create("big", IntColumn.indexColumn("i", 1000, 0));
        String html = TableRenderer.html(t);
        assertTrue(html.contains("<td>0</td>") && html.contains("<td>999</td>"));
        assertTrue(!html.contains("<td>500</td>") && html.contains("985 more rows"));
        String text = TableRenderer.text(t);
        assertTrue(text.endsWith("big: 1000 rows x 1 columns"), text);
        assertEquals(1 + TableRenderer.HEAD + 1 + TableRenderer.TAIL + 1, text.lines().count());
    }

    @Test
    void kernelspecStartsThroughItsLauncherWithMessageInterrupts(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("seqlab");
        Path file = KernelspecInstaller.install(spec);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new Gson().fromJson(Files.readString(file), Map.class);
        assertEquals("message", json.get("interrupt_mode"));
        assertEquals("java", json.get("language"));
        @SuppressWarnings("unchecked")
        List<String> argv = (List<String>) json.get("argv");
        // memory and CPU are decided by seqlab-java when the kernel starts, not written here
        assertEquals(spec.resolve("seqlab-java").toString(), argv.get(0));
        assertTrue(Files.isExecutable(spec.resolve("seqlab-java")));
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java").toString(), argv.get(1));
        assertEquals(List.of(Main.class.getName(), "kernel", "{connection_file}"), argv.subList(3, 6));
        assertTrue(argv.stream().noneMatch(a -> a.startsWith("-Xmx") || a.contains("maxbytes")), argv.toString());
        assertTrue(json.get("env") == null, "no environment fixed at install time: " + json.get("env"));
        for (int size : new int[] {32, 64}) {
            BufferedImage logo = ImageIO.read(spec.resolve("logo-" + size + "x" + size + ".png").toFile());
            assertEquals(size, logo.getWidth());
            assertEquals(size, logo.getHeight());
        }
        assertTrue(Files.readString(spec.resolve("logo-svg.svg")).startsWith("<svg"));
    }

    @Test
    void theJarIsCopiedBesideKernelJsonOnceAndThenKept(@TempDir Path dir) throws Exception {
        Path built = Files.writeString(dir.resolve("built.jar"), "pretend jar");
        Path spec = Files.createDirectories(dir.resolve("spec"));
        String classPath = KernelspecInstaller.installClassPath(spec, built);
        Path installed = spec.resolve("seqlab-kernel.jar");
        assertEquals(installed.toString(), classPath);
        assertEquals("pretend jar", Files.readString(installed));
        // how the next install knows it is the same jar
        assertEquals(Files.getLastModifiedTime(built).toMillis(), Files.getLastModifiedTime(installed).toMillis());
        Object copied = Files.readAttributes(installed, BasicFileAttributes.class).fileKey(); // a new copy is a new file
        KernelspecInstaller.installClassPath(spec, built);
        assertEquals(copied, Files.readAttributes(installed, BasicFileAttributes.class).fileKey(), "an unchanged jar is not copied again");
        Files.delete(built); // mvn clean: the installed kernel keeps its own copy
        assertTrue(Files.isRegularFile(installed));
        Files.writeString(built, "rebuilt jar!");
        KernelspecInstaller.installClassPath(spec, built);
        assertEquals("rebuilt jar!", Files.readString(installed));
        try (var files = Files.list(spec)) {
            assertEquals(List.of(installed), files.toList(), "no temporary files left behind");
        }
    }

    @Test
    void jarsMagicExpandsGlobs(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/c.txt"), "");
        assertEquals(2, Magics.resolve("lib/*.jar", dir).size());
        assertEquals(1, Magics.resolve("lib/a.jar", dir).size());
        List<Path> added = new java.util.ArrayList<>();
        Magics.Effects effects = new Magics.Effects() {
            @Override public void addToClasspath(List<Path> entries) { added.addAll(entries); }
            @Override public void say(String line) {}
        };
        String java = new Magics(effects, new MavenDependencies(dir.resolve("m2"), MavenSettings.NONE)).apply("%jars lib/*.jar\nint x = 1;", dir);
        assertEquals("\nint x = 1;", java);
        assertEquals(2, added.size());
        // a failing magic line adds nothing, not even the good lines before it
        added.clear();
        org.junit.jupiter.api.Assertions.assertThrows(CellError.class,
                () -> new Magics(effects, new MavenDependencies(dir.resolve("m2"), MavenSettings.NONE)).apply("%jars lib/*.jar\n%jars nope.jar", dir));
        assertEquals(List.of(), added);
    }
}
