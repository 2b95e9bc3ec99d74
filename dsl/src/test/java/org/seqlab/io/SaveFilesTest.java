package org.seqlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqlab.Model;
import org.seqlab.Seq;

/** What a save leaves on disk: no stale temporaries of ours, and the replaced file's mode. */
class SaveFilesTest {
    private static final Instant LONG_AGO = Instant.now().minusSeconds(3600);

    private static Model model() {
        return Seq.model().vocab(12).embed(4).lstm(4).softmax().seed(1).build();
    }

    private static Path old(Path p) throws IOException {
        Files.write(p, new byte[1000]); // a partial zip, as a killed save leaves it
        Files.setLastModifiedTime(p, FileTime.from(LONG_AGO));
        return p;
    }

    @Test
    void aSaveRemovesWhatKilledSavesLeftAndNothingElse(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.seqlab");
        Path killed1 = old(dir.resolve(".model.seqlab.123456789.tmp"));
        Path killed2 = old(dir.resolve(".model.seqlab.9087654321012345678.tmp"));
        Path fresh = dir.resolve(".model.seqlab.42.tmp");
        Files.write(fresh, new byte[10]); // just created: may be a save starting right now
        List<Path> notOurs = List.of(old(dir.resolve(".model.seqlab.tmp")), old(dir.resolve(".model.seqlab.abc.tmp")),
                old(dir.resolve(".other.seqlab.123.tmp")), old(dir.resolve("model.seqlab.123.tmp")),
                old(dir.resolve(".model.seqlab.123.tmp.bak")), old(dir.resolve(".model.seqlabx.123.tmp")));
        Path elsewhere = old(Files.createDirectory(dir.resolve("elsewhere")).resolve(".model.seqlab.7.tmp"));
        Path link = Files.createSymbolicLink(dir.resolve(".model.seqlab.77.tmp"), elsewhere);

        model().save(target);

        assertFalse(Files.exists(killed1), "stale temporary removed");
        assertFalse(Files.exists(killed2), "stale temporary removed");
        assertTrue(Files.exists(fresh), "a fresh one may be in use");
        for (Path p : notOurs) assertTrue(Files.exists(p), "not of our naming: " + p.getFileName());
        assertTrue(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.exists(elsewhere), "links are not followed");
        assertTrue(Model.load(target).isCompiled());
    }

    @Test
    void aTemporaryHeldByALiveWriterStaysUntilThatWriterIsKilled(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.seqlab");
        Path inUse = dir.resolve(".model.seqlab.31337.tmp");
        Path classes = Path.of(LockHolder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes.toString(), LockHolder.class.getName(), inUse.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream()));
            assertEquals("locked", out.readLine());
            Files.setLastModifiedTime(inUse, FileTime.from(LONG_AGO)); // a slow writer: old, but alive
            model().save(target);
            assertTrue(Files.exists(inUse), "a live writer's file is left alone");
        } finally {
            writer.destroyForcibly(); // SIGKILL, as a kernel restart or an OOM kill
            assertTrue(writer.waitFor(10, TimeUnit.SECONDS));
        }
        model().save(target);
        assertFalse(Files.exists(inUse), "a killed writer's file goes with the next save");
    }

    @Test
    void replacingAFileKeepsItsModeAndANewFileGetsTheUsualOne(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.seqlab");
        model().save(target);
        for (String mode : List.of("rw-r--r--", "rw-r-----", "rw-rw-r--")) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(mode));
            model().save(target);
            assertEquals(mode, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
        Path fresh = dir.resolve("fresh.seqlab");
        model().save(fresh);
        Path plain = Files.createFile(dir.resolve("plain.txt")); // what this process's umask gives any new file
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(plain)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)), "not 0600 like a temporary file");
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void directoriesAreNamedInTheMessage(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("models"));
        IOException load = assertThrows(IOException.class, () -> Model.load(folder));
        assertTrue(load.getMessage().contains(folder.toString()) && load.getMessage().contains("is a directory"), load.getMessage());
        IOException save = assertThrows(IOException.class, () -> model().save(folder));
        assertTrue(save.getMessage().contains(folder.toString()) && save.getMessage().contains("is a directory")
                && save.getMessage().contains(folder.resolve("model.seqlab").toString()), save.getMessage());
        Path file = Files.writeString(dir.resolve("file"), "x");
        IOException under = assertThrows(IOException.class, () -> model().save(file.resolve("model.seqlab")));
        assertTrue(under.getMessage().contains(file.toString()), under.toString());
    }

    @Test
    void aModelWithNonFiniteWeightsIsNotSaved(@TempDir Path dir) {
        Model m = model();
        m.params().get("lstm_1/W_hh").putScalar(1, 2, Double.NaN);
        String msg = assertThrows(IllegalStateException.class, () -> m.save(dir.resolve("nan.seqlab"))).getMessage();
        assertTrue(msg.contains("1 NaN or infinite weights (first: lstm_1/W_hh[1, 2] = NaN)"), msg);
        assertFalse(Files.exists(dir.resolve("nan.seqlab")));
    }

    @Test
    void ourTemporaryNamesAreRecognisedExactly() {
        assertTrue(ModelFile.isTemporaryOf(ModelFile.temporaryName("m.seqlab", 12), "m.seqlab"));
        assertTrue(ModelFile.isTemporaryOf(".a[b]*.seqlab.5.tmp", "a[b]*.seqlab"), "names are not patterns");
        assertFalse(ModelFile.isTemporaryOf(".m.seqlab..tmp", "m.seqlab"));
        assertFalse(ModelFile.isTemporaryOf(".m.seqlab.-5.tmp", "m.seqlab"));
        assertFalse(ModelFile.isTemporaryOf(".xm.seqlab.5.tmp", "m.seqlab"));
    }
}
