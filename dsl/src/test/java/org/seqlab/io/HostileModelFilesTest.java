package org.seqlab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.seqlab.Model;
import org.seqlab.Seq;
import org.seqlab.data.Vocab;

/**
 * Model.load of a file nobody should trust: every malformed input ends in an IOException that
 * names the file, within a second and 100 MB, and a file either loads to exactly what was saved
 * or is refused. The inputs are a real saved file mutated in many ways: cut at every few bytes,
 * bytes flipped, each entry's content broken, counts and sizes that lie, zip bombs, duplicate
 * entries and folders.
 */
class HostileModelFilesTest {
    private static final String TEXT = "the cat sat on the mat.\nthe dog sat on the log.\n";
    private static final long SECOND_NANOS = 1_000_000_000L;
    private static final long BUDGET_BYTES = 100L << 20;

    @TempDir
    static Path dir;
    private static Path original;
    private static byte[] originalBytes;
    private static Map<String, byte[]> entries;
    private static INDArray originalParams;
    private static int fileCounter;

    @BeforeAll
    static void saveOne() throws IOException {
        Model m = Seq.model().vocab(Vocab.chars(TEXT)).embed(4).lstm(8).attention(2).softmax().seed(3).build();
        original = dir.resolve("model.seqlab");
        m.save(original);
        originalBytes = Files.readAllBytes(original);
        entries = unzip(originalBytes);
        originalParams = m.graph().parameters().values().dup();
    }

    // ---------------------------------------------------------------- the three files of the issue

    @Test
    void aSmallFileWhoseSpecClaimsAHugeLstmIsRefusedBeforeAllocating() throws IOException {
        // ~100 KB of real weights, as in the report (109 KB, `layer lstm 8000`: 7.2 GB resident before failing)
        Model m = Seq.model().vocab(Vocab.chars(TEXT)).embed(16).lstm(64).softmax().seed(1).build();
        Path real = dir.resolve("sized.seqlab");
        m.save(real);
        Map<String, byte[]> e = unzip(Files.readAllBytes(real));
        e.put("spec.txt", utf8(new String(e.get("spec.txt"), StandardCharsets.UTF_8).replace("layer lstm 64", "layer lstm 8000")));
        Path hostile = zip(e);
        assertTrue(Files.size(hostile) > 50_000, "a file of the reported size: " + Files.size(hostile));
        IOException x = refused(hostile);
        assertTrue(x.getMessage().contains("its spec needs 256,"), x.getMessage());
        assertTrue(x.getMessage().contains("more than the"), x.getMessage());
    }

    @Test
    void paramsClaimingTwoBillionValuesAreRefused() throws IOException {
        Params p = Params.parse(entries.get("params.bin"));
        IOException x = refused(with("params.bin", p.bytes(Integer.MAX_VALUE - 8L, p.values)));
        assertTrue(x.getMessage().contains("params.bin is ") || x.getMessage().contains("says it holds 2,147,483,639 values"),
                x.getMessage());
        // the same lie with an honest-looking entry size: the streaming reader stops at the count
        byte[] lying = p.bytes(Integer.MAX_VALUE - 8L, p.values);
        IOException y = refused(raw(List.of(stored("manifest.txt", entries.get("manifest.txt")), stored("spec.txt", entries.get("spec.txt")),
                stored("vocab.txt", entries.get("vocab.txt")), RawEntry.lyingSize("params.bin", lying, entries.get("params.bin").length))));
        assertTrue(y.getMessage().contains("says it holds 2,147,483,639 values"), y.getMessage());
    }

    @Test
    void zipBombsCostNothing() throws IOException {
        long gigabytes3 = 3L << 30;
        byte[] bomb = deflatedZeros(gigabytes3); // ~3 MB that inflate to 3 GB
        assertTrue(bomb.length > 2_000_000 && bomb.length < 4_000_000, "a 3 MB bomb: " + bomb.length);
        for (String place : List.of("params.bin", "vocab.txt", "spec.txt", "manifest.txt")) {
            List<RawEntry> honest = new ArrayList<>(), lying = new ArrayList<>();
            for (var e : entries.entrySet()) {
                if (e.getKey().equals(place)) {
                    honest.add(new RawEntry(place, bomb, 8, 0, gigabytes3));
                    lying.add(new RawEntry(place, bomb, 8, 0, e.getValue().length)); // claims the real size, inflates to 3 GB
                } else {
                    honest.add(stored(e.getKey(), e.getValue()));
                    lying.add(stored(e.getKey(), e.getValue()));
                }
            }
            IOException a = refused(raw(honest));
            assertTrue(a.getMessage().contains(place), place + ": " + a.getMessage());
            refused(raw(lying));
        }
        // a bomb under a name we do not read is never inflated: the model loads
        List<RawEntry> extra = new ArrayList<>();
        for (var e : entries.entrySet()) extra.add(stored(e.getKey(), e.getValue()));
        extra.add(new RawEntry("extra.bin", bomb, 8, 0, gigabytes3));
        loadsAsSaved(raw(extra));
    }

    // ---------------------------------------------------------------- fuzz-ish: every few bytes

    @Test
    void cutAtAnyLengthTheFileIsRefused() throws IOException {
        int tried = 0;
        for (int n = 0; n < originalBytes.length; n += n < 64 || n > originalBytes.length - 400 ? 2 : 17) {
            refusedQuietly(write(Arrays.copyOf(originalBytes, n)), "cut at " + n);
            tried++;
        }
        assertTrue(tried > 400, "tried " + tried);
    }

    @Test
    void aFlippedOrZeroedByteAnywhereLoadsAsSavedOrIsRefused() throws IOException {
        int refusedCount = 0, loaded = 0;
        // densest over the last bytes: the zip directory, where the structure is
        for (int i = 0; i < originalBytes.length; i += i > originalBytes.length - 400 ? 5 : 29) {
            for (int mode = 0; mode < 2; mode++) {
                byte[] b = originalBytes.clone();
                b[i] = mode == 0 ? (byte) ~b[i] : 0;
                if (b[i] == originalBytes[i]) continue;
                if (loadsAsSavedOrRefused(write(b), (mode == 0 ? "flipped" : "zeroed") + " byte " + i)) loaded++;
                else refusedCount++;
            }
        }
        assertTrue(refusedCount > 250 && loaded > 0, "refused " + refusedCount + ", loaded " + loaded);
    }

    // ---------------------------------------------------------------- each entry broken, table-driven

    @Test
    void everyBrokenManifestIsRefused() throws IOException {
        Map<String, String> table = new LinkedHashMap<>();
        table.put("", "not a seqlab model file");
        table.put("hello", "not a seqlab model file");
        table.put("seqlab-model 2\ndtype FLOAT", "model format '2'");
        table.put("seqlab-model x\ndtype FLOAT", "model format 'x'");
        table.put("seqlab-model 99999999999999999999\ndtype FLOAT", "model format");
        table.put("seqlab-model 1", "number type");
        table.put("seqlab-model 1\ndtype HALF", "number type as 'dtype HALF'");
        table.put("seqlab-model 1\ndtype \u0000\u0001", "number type");
        table.put("seqlab-model 1\n" + "x".repeat(10_000), "at most 4096");
        for (var row : table.entrySet()) {
            IOException x = refused(with("manifest.txt", utf8(row.getKey())));
            assertTrue(x.getMessage().contains(row.getValue()), row.getKey() + " -> " + x.getMessage());
        }
        assertTrue(refused(with("manifest.txt", new byte[] {'s', (byte) 0xC3, 0x28})).getMessage().contains("not UTF-8"));
        assertTrue(refused(without("manifest.txt")).getMessage().contains("not a seqlab model file (it has no manifest.txt)"));
    }

    @Test
    void everyBrokenSpecLineIsRefusedAndNamed() throws IOException {
        List<String> lines = List.of(new String(entries.get("spec.txt"), StandardCharsets.UTF_8).split("\n"));
        assertEquals("layer lstm 8", lines.get(2), "the spec this test edits");
        List<String> replacements = List.of("layer lstm abc", "layer lstm", "layer lstm 99999999999", "layer lstm -5",
                "layer lstm 0", "layer warp 3", "layer", "input tokens x", "input tokens -4", "input tokens 0",
                "input features 3", "input", "head softmax", "head bogus 3", "head softmax -1", "head linear 2147483647",
                "seed x", "seed", "garbage", "layer embed 2147483647", "layer dense 2147483647 relu", "layer dense 4 warp",
                "layer attention 3 auto", "layer attention 0 auto", "layer attention 2", "layer rnn 4", "layer dropout 2",
                "layer dropout NaN", "layer bidirectional", "layer bidirectional dense 4 relu", "layer last", "layer embed 4",
                "input tokens 2147483647", "\u00ff\u00fe");
        int named = 0;
        for (int i = 0; i < lines.size(); i++) {
            for (String r : replacements) {
                List<String> edited = new ArrayList<>(lines);
                edited.set(i, r);
                Path f = with("spec.txt", utf8(String.join("\n", edited) + "\n"));
                if (loadsAsSavedOrRefused(f, "line " + (i + 1) + " = '" + r + "'")) continue;
                if (refusedQuietly(f, r).getMessage().contains("spec.txt line " + (i + 1) + " '")) named++;
            }
        }
        assertTrue(named > 50, "parse errors name their line: " + named);
        IOException x = refused(with("spec.txt", utf8(String.join("\n", lines).replace("layer lstm 8", "layer lstm abc"))));
        assertTrue(x.getMessage().contains("spec.txt line 3 'layer lstm abc' cannot be read (For input string: \"abc\")"), x.getMessage());
        assertTrue(refused(with("spec.txt", utf8(""))).getMessage().contains("describes a model seqlab refuses"));
        assertTrue(refused(with("spec.txt", new byte[] {'i', (byte) 0xFF})).getMessage().contains("spec.txt is not UTF-8"));
        assertTrue(refused(with("spec.txt", utf8("layer layernorm\n".repeat(70_000)))).getMessage().contains("at most 1048576"));
        assertTrue(refused(without("spec.txt")).getMessage().contains("has no spec.txt"));
        // one layer more than the weights: the header says so before any value is read
        String extra = String.join("\n", lines).replace("layer lstm 8", "layer lstm 8\nlayer lstm 8");
        assertTrue(refused(with("spec.txt", utf8(extra))).getMessage().contains("parameter"));
    }

    @Test
    void everyBrokenVocabularyIsRefused() throws IOException {
        String vocab = new String(entries.get("vocab.txt"), StandardCharsets.UTF_8);
        Map<String, String> table = new LinkedHashMap<>();
        table.put("not a vocabulary", "not a saved vocabulary");
        table.put(vocab.replaceFirst("seqlab-vocab 1 \\w+", "seqlab-vocab 1 SPACESHIP"), "not a saved vocabulary");
        table.put(vocab.substring(0, vocab.lastIndexOf('\n', vocab.length() - 2) + 1), "tokens but the spec reads");
        table.put(vocab + "z".repeat(200_000), "at most");
        for (var row : table.entrySet()) {
            IOException x = refused(with("vocab.txt", utf8(row.getKey())));
            assertTrue(x.getMessage().contains(row.getValue()), x.getMessage());
        }
        assertTrue(refused(with("vocab.txt", new byte[] {(byte) 0xC0, (byte) 0x80})).getMessage().contains("vocab.txt is not UTF-8"));
    }

    @Test
    void everyBrokenWeightsEntryIsRefused() throws IOException {
        Params p = Params.parse(entries.get("params.bin"));
        Map<String, byte[]> table = new LinkedHashMap<>();
        table.put("says it holds 2,147,483,639 values", p.bytes(Integer.MAX_VALUE - 8L, p.values));
        table.put("says it holds -1 values", p.bytes(-1, p.values));
        table.put("lists 0 parameter tensors", p.withTensorCount(0));
        table.put("lists -1 parameter tensors", p.withTensorCount(-1));
        table.put("lists 2147483647 parameter tensors", p.withTensorCount(Integer.MAX_VALUE));
        table.put("has parameter 'embedding_1/F'", p.renamed(0, "embedding_1/F"));
        table.put("rank 99", p.withRank(0, 99));
        table.put("dimension 1 as 5", p.withDim(0, 1, 5));
        table.put("the weights end early", Arrays.copyOf(p.bytes(), p.bytes().length - 8));
        table.put("goes on after the values", concat(p.bytes(), new byte[8]));
        table.put("is not valid text", p.withRawName(0, new byte[] {(byte) 0xFF, (byte) 0xFE}));
        for (var row : table.entrySet()) {
            // through the zip as a writer would set it, and with an entry size that agrees with the spec
            IOException x = refused(with("params.bin", row.getValue()));
            IOException y = refused(raw(List.of(stored("manifest.txt", entries.get("manifest.txt")), stored("spec.txt", entries.get("spec.txt")),
                    stored("vocab.txt", entries.get("vocab.txt")), RawEntry.lyingSize("params.bin", row.getValue(), p.bytes().length))));
            assertTrue(x.getMessage().contains(row.getValue().length == p.bytes().length ? row.getKey() : "params.bin"), x.getMessage());
            assertTrue(y.getMessage().contains(row.getKey()), row.getKey() + " -> " + y.getMessage());
        }
        assertTrue(refused(without("params.bin")).getMessage().contains("has no params.bin"));
        IOException empty = refused(with("params.bin", new byte[0]));
        assertTrue(empty.getMessage().contains("its spec needs 925 parameters (7.5 KB of weights), more than the"), empty.getMessage());
    }

    @Test
    void nanOrInfiniteWeightsAreRefusedWithWhereTheyAre() throws IOException {
        Params p = Params.parse(entries.get("params.bin"));
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, 1e300 /* beyond float */}) {
            double[] v = p.values.clone();
            v[5] = bad;
            v[9] = bad;
            IOException x = refused(with("params.bin", p.bytes(v.length, v)));
            assertTrue(x.getMessage().contains("holds 2 NaN or infinite weights (first: embedding_1/E[1, 1])"), x.getMessage());
        }
    }

    @Test
    void duplicateEntriesFoldersAndArchiveShapesAreRefused() throws IOException {
        List<RawEntry> all = new ArrayList<>();
        for (var e : entries.entrySet()) all.add(stored(e.getKey(), e.getValue()));
        for (String name : entries.keySet()) {
            List<RawEntry> twice = new ArrayList<>(all);
            twice.add(stored(name, entries.get(name)));
            assertTrue(refused(raw(twice)).getMessage().contains("two " + name + " entries"), name);
            List<RawEntry> folder = new ArrayList<>();
            for (RawEntry r : all) folder.add(r.name().equals(name) ? stored(name + "/", new byte[0]) : r);
            IOException x = refused(raw(folder));
            assertTrue(x.getMessage().contains(name + " is a folder"), x.getMessage());
        }
        List<RawEntry> crowded = new ArrayList<>(all);
        for (int i = 0; i < 1000; i++) crowded.add(stored("junk" + i, new byte[0]));
        assertTrue(refused(raw(crowded)).getMessage().contains("1004 entries"));
        assertTrue(refused(zip(Map.of())).getMessage().contains("not a seqlab model file"));
        assertTrue(refused(write(new byte[0])).getMessage().contains("not a seqlab model file (it is not a zip archive)"));
        assertTrue(refused(write("just some text".getBytes(StandardCharsets.UTF_8))).getMessage().contains("not a zip archive"));
        byte[] junk = new byte[5000];
        new java.util.Random(1).nextBytes(junk);
        refused(write(junk));
        loadsAsSaved(raw(all)); // our own raw writer makes loadable files: the refusals above are the edits'
        Map<String, byte[]> noVocab = new LinkedHashMap<>(entries);
        noVocab.remove("vocab.txt");
        Model m = Model.load(zip(noVocab)); // a vocabulary is optional (a model built with .vocab(n))
        assertEquals(null, m.vocab());
    }

    // ---------------------------------------------------------------- helpers

    /** Refused with an IOException that names the file, within a second and 100 MB of allocation. */
    private static IOException refused(Path file) {
        return check(file, file.getFileName().toString(), true);
    }

    private static IOException refusedQuietly(Path file, String what) {
        return check(file, what, true);
    }

    private static void loadsAsSaved(Path file) {
        check(file, file.getFileName().toString(), false);
    }

    /** True when it loaded (to exactly the saved weights), false when refused; anything else fails. */
    private static boolean loadsAsSavedOrRefused(Path file, String what) {
        return check(file, what, null) == null;
    }

    private static IOException check(Path file, String what, Boolean mustRefuse) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes0 = threads.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        IOException refusal = null;
        Model loaded = null;
        try {
            loaded = Model.load(file);
        } catch (IOException e) {
            refusal = e;
        } catch (RuntimeException | Error e) {
            fail(what + ": " + e, e);
        }
        long nanos = System.nanoTime() - t0;
        long allocated = threads.getCurrentThreadAllocatedBytes() - bytes0;
        assertTrue(nanos < SECOND_NANOS, what + " took " + nanos / 1e6 + " ms");
        assertTrue(allocated < BUDGET_BYTES, what + " allocated " + allocated / (1 << 20) + " MB");
        if (refusal != null) {
            if (Boolean.FALSE.equals(mustRefuse)) fail(what + " should load: " + refusal.getMessage(), refusal);
            assertTrue(refusal.getMessage().contains(file.toString()), "the message names the file: " + refusal.getMessage());
            return refusal;
        }
        if (Boolean.TRUE.equals(mustRefuse)) fail(what + " was loaded");
        assertEquals(originalParams, loaded.graph().parameters().values(), what + " loaded other weights than were saved");
        return null;
    }

    private static Map<String, byte[]> unzip(byte[] file) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(file))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    private static Path with(String entry, byte[] content) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        e.put(entry, content);
        return zip(e);
    }

    private static Path without(String entry) throws IOException {
        Map<String, byte[]> e = new LinkedHashMap<>(entries);
        e.remove(entry);
        return zip(e);
    }

    private static Path zip(Map<String, byte[]> content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (var e : content.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return write(bytes.toByteArray());
    }

    private static Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("hostile-" + (fileCounter++ % 8) + ".seqlab");
        Files.write(f, bytes);
        return f;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Raw deflate data inflating to {@code size} zero bytes, built from one compressed megabyte
     * repeated (a full flush resets the compressor, so each repetition is the same bytes): a 3 GB
     * bomb takes milliseconds to make.
     */
    private static byte[] deflatedZeros(long size) {
        byte[] mb = new byte[1 << 20];
        Deflater d = new Deflater(9, true);
        byte[] first = flush(d, mb), next = flush(d, mb);
        assertTrue(Arrays.equals(first, next), "a flushed megabyte compresses the same each time");
        d.finish();
        byte[] end = new byte[64];
        int endLength = d.deflate(end);
        d.end();
        long chunks = size / mb.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < chunks; i++) out.writeBytes(next);
        out.write(end, 0, endLength);
        return out.toByteArray();
    }

    private static byte[] flush(Deflater d, byte[] input) {
        d.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    private static RawEntry stored(String name, byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return new RawEntry(name, content, 0, crc.getValue(), content.length);
    }

    /** One zip entry as written, with whatever size and CRC it claims: method 0 stored, 8 deflated. */
    private record RawEntry(String name, byte[] data, int method, long crc, long size) {
        /** {@code content} deflated, with its true CRC, claiming to inflate to {@code claimedSize} bytes. */
        static RawEntry lyingSize(String name, byte[] content, long claimedSize) {
            CRC32 crc = new CRC32();
            crc.update(content);
            Deflater d = new Deflater(9, true);
            d.setInput(content);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) out.write(buf, 0, d.deflate(buf));
            d.end();
            return new RawEntry(name, out.toByteArray(), 8, crc.getValue(), claimedSize);
        }
    }

    /** A zip archive written byte by byte, so duplicates, folders and lying sizes can be made; no zip64. */
    private static Path raw(List<RawEntry> list) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (RawEntry e : list) {
            byte[] name = utf8(e.name());
            int offset = out.size();
            // a stored entry's size in its local header is what it holds: readers find the data's end there
            long localSize = e.method() == 0 ? e.data().length : e.size();
            out.writeBytes(le(0x04034b50, 4, 20, 2, 0, 2, e.method(), 2, 0, 2, 0x21, 2, e.crc(), 4, e.data().length, 4,
                    localSize, 4, name.length, 2, 0, 2));
            out.writeBytes(name);
            out.writeBytes(e.data());
            central.writeBytes(le(0x02014b50, 4, 20, 2, 20, 2, 0, 2, e.method(), 2, 0, 2, 0x21, 2, e.crc(), 4,
                    e.data().length, 4, e.size(), 4, name.length, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 4, offset, 4));
            central.writeBytes(name);
        }
        int centralOffset = out.size();
        out.writeBytes(central.toByteArray());
        out.writeBytes(le(0x06054b50, 4, 0, 2, 0, 2, list.size(), 2, list.size(), 2, central.size(), 4, centralOffset, 4, 0, 2));
        return write(out.toByteArray());
    }

    /** Little-endian fields given as value, width pairs. */
    private static byte[] le(long... valueWidth) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < valueWidth.length; i += 2) {
            if (valueWidth[i + 1] == 2) b.putShort((short) valueWidth[i]);
            else b.putInt((int) valueWidth[i]);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /** params.bin taken apart, to be written back with one thing changed. */
    private record Params(List<String> names, List<long[]> shapes, double[] values) {
        static Params parse(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            int n = in.readInt();
            List<String> names = new ArrayList<>();
            List<long[]> shapes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
                long[] s = new long[in.readInt()];
                for (int d = 0; d < s.length; d++) s[d] = in.readLong();
                shapes.add(s);
            }
            double[] v = new double[(int) in.readLong()];
            for (int i = 0; i < v.length; i++) v[i] = in.readDouble();
            return new Params(names, shapes, v);
        }

        byte[] bytes() {
            return bytes(values.length, values);
        }

        byte[] bytes(long count, double[] v) {
            return write(names.size(), i -> utf(names.get(i)), shapes, count, v);
        }

        byte[] withTensorCount(int n) {
            return write(n, i -> utf(names.get(i)), shapes, values.length, values);
        }

        byte[] renamed(int which, String name) {
            return write(names.size(), i -> utf(i == which ? name : names.get(i)), shapes, values.length, values);
        }

        byte[] withRawName(int which, byte[] name) {
            return write(names.size(), i -> {
                if (i != which) return utf(names.get(i));
                byte[] b = new byte[2 + name.length];
                b[1] = (byte) name.length;
                System.arraycopy(name, 0, b, 2, name.length);
                return b;
            }, shapes, values.length, values);
        }

        byte[] withRank(int which, int rank) {
            List<long[]> s = new ArrayList<>(shapes);
            s.set(which, new long[rank]);
            return write(names.size(), i -> utf(names.get(i)), s, values.length, values);
        }

        byte[] withDim(int which, int dim, long value) {
            List<long[]> s = new ArrayList<>(shapes);
            long[] changed = s.get(which).clone();
            changed[dim] = value;
            s.set(which, changed);
            return write(names.size(), i -> utf(names.get(i)), s, values.length, values);
        }

        private static byte[] utf(String s) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                new DataOutputStream(b).writeUTF(s);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return b.toByteArray();
        }

        private static byte[] write(int tensors, java.util.function.IntFunction<byte[]> name, List<long[]> shapes, long count, double[] v) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            try {
                out.writeInt(tensors);
                for (int i = 0; i < shapes.size(); i++) {
                    out.write(name.apply(i));
                    out.writeInt(shapes.get(i).length);
                    for (long d : shapes.get(i)) out.writeLong(d);
                }
                out.writeLong(count);
                for (double x : v) out.writeDouble(x);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return b.toByteArray();
        }
    }
}
