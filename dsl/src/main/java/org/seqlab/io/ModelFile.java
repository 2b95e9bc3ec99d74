package org.seqlab.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.graph.ParameterLayout;
import org.seqlab.graph.Seq2SeqGraph;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.ModelSpecException;
import org.seqlab.model.Seq2SeqSpec;

/**
 * One file per model: a zip with a manifest, the spec as text, the vocabulary as escaped text and
 * the flat parameters with a name/shape index. An encoder-decoder's file says {@code model seq2seq}
 * in its manifest and holds both vocabularies ({@code source_vocab.txt}, {@code target_vocab.txt}).
 *
 * <p>Reading trusts nothing in the file. Every entry is read with a size limit, and the weights'
 * limit comes from the spec: the spec is parsed first, its parameter layout computed without
 * allocating ({@link ParameterLayout}), and a spec that needs more weight bytes than the file could
 * inflate to is refused before anything is allocated; the weights are then streamed against that
 * layout, name by name and value by value. Unknown entries are never inflated, so a zip bomb costs
 * nothing. Each entry's CRC is checked. Every malformed input ends in an {@link IOException} that
 * names the file and what is wrong; NaN or infinite weights are refused.
 *
 * <p>Writing goes to a hidden temporary file in the same folder, {@code .NAME.<digits>.tmp}, held
 * under a file lock while it is written, synced and renamed over the target (which keeps its
 * permissions), so a crash mid-save leaves the old file. A save first removes temporary files of
 * that naming that no live writer holds: what killed saves left behind.
 */
public final class ModelFile {
    static final String MAGIC = "seqlab-model";
    static final int FORMAT = 1;
    private static final String MANIFEST = "manifest.txt", SPEC = "spec.txt", VOCAB = "vocab.txt", PARAMS = "params.bin";
    private static final String SOURCE_VOCAB = "source_vocab.txt", TARGET_VOCAB = "target_vocab.txt";
    private static final List<String> OURS = List.of(MANIFEST, SPEC, VOCAB, PARAMS, SOURCE_VOCAB, TARGET_VOCAB);
    /** The manifest line of a model that is not a sequence model (files without one hold sequence models). */
    private static final String KIND = "model ", SEQ2SEQ = "seq2seq";
    /** Deflate expands at most 1032:1; an entry that would have to expand more is not what it claims. */
    static final long MAX_DEFLATE_RATIO = 1032;
    /** Our files have four entries; room for a few more from later formats. */
    static final int MAX_ENTRIES = 64;
    static final int MAX_MANIFEST_BYTES = 4 << 10;
    static final int MAX_SPEC_BYTES = 1 << 20;
    static final int MAX_VOCAB_BYTES = 32 << 20;
    /** Generous per token: escaped word tokens are a few to a few dozen bytes. */
    static final int VOCAB_BYTES_PER_TOKEN = 128;
    /** A temporary file no writer has touched for this long, and that no writer has locked, is left over. */
    static final Duration STALE_TEMP_AGE = Duration.ofSeconds(10);

    /** What a file holds. */
    public record Contents(ModelSpec spec, DataType dtype, INDArray params, List<String> paramNames) {
    }

    /** What an encoder-decoder's file holds. */
    public record Seq2SeqContents(Seq2SeqSpec spec, DataType dtype, INDArray params, List<String> paramNames) {
    }

    /** Writes a model's zip entries. */
    private interface Entries {
        void write(ZipOutputStream zip, double[] values) throws IOException;
    }

    private ModelFile() {
    }

    // ---------------------------------------------------------------- writing

    public static void write(Path file, ModelSpec spec, CompiledModel model) throws IOException {
        write(file, model.parameters(), ParameterLayout.of(spec), (zip, values) -> writeEntries(zip, spec, model, values));
    }

    /** An encoder-decoder: its spec, both vocabularies and its parameters. */
    public static void write(Path file, Seq2SeqSpec spec, Seq2SeqGraph model) throws IOException {
        write(file, model.parameters(), ParameterLayout.of(spec), (zip, values) -> {
            text(zip, MANIFEST, List.of(MAGIC + " " + FORMAT, "dtype " + model.dtype().name(), KIND + SEQ2SEQ));
            text(zip, SPEC, spec.toLines());
            for (String[] v : new String[][] {{SOURCE_VOCAB, spec.sourceVocab().toText()}, {TARGET_VOCAB, spec.targetVocab().toText()}}) {
                zip.putNextEntry(new ZipEntry(v[0]));
                zip.write(v[1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            writeParams(zip, model.parameters(), values);
        });
    }

    private static void write(Path file, ParameterBuffer parameters, ParameterLayout layout, Entries entries) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot save the model to " + target + ": it is a directory; give a file path such as "
                    + target.resolve("model.seqlab"));
        }
        double[] values = parameters.values().toDoubleVector();
        long bad = firstNonFinite(values);
        if (bad >= 0) {
            throw new IllegalStateException("the model has " + countNonFinite(values) + " NaN or infinite weights (first: "
                    + layout.locate(bad) + " = " + values[(int) bad] + "); a file with them could not be "
                    + "loaded. Retrain it (a fit that diverges rolls back to finite weights), or save an earlier model.");
        }
        Path dir = target.getParent();
        if (dir != null) Files.createDirectories(dir);
        String name = target.getFileName().toString();
        removeStaleTemporaries(dir, name);
        Path tmp = null;
        try {
            FileChannel channel = null;
            while (channel == null) {
                tmp = dir.resolve(temporaryName(name, ThreadLocalRandom.current().nextLong() >>> 1));
                try {
                    channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException taken) {
                    // another writer drew the same number: draw again
                }
            }
            try (FileChannel ch = channel; FileLock lock = lockIfPossible(ch)) {
                try (ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(keepOpen(Channels.newOutputStream(ch))))) {
                    entries.write(zip, values);
                }
                ch.force(true);
                keepPermissions(target, tmp);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } finally {
            if (tmp != null) Files.deleteIfExists(tmp);
        }
    }

    private static void writeEntries(ZipOutputStream zip, ModelSpec spec, CompiledModel model, double[] values) throws IOException {
        text(zip, MANIFEST, List.of(MAGIC + " " + FORMAT, "dtype " + model.dtype().name()));
        text(zip, SPEC, spec.toLines());
        if (spec.vocab() != null) {
            zip.putNextEntry(new ZipEntry(VOCAB));
            zip.write(spec.vocab().toText().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        writeParams(zip, model.parameters(), values);
    }

    private static void writeParams(ZipOutputStream zip, ParameterBuffer parameters, double[] values) throws IOException {
        zip.putNextEntry(new ZipEntry(PARAMS));
        DataOutputStream out = new DataOutputStream(zip);
        Map<String, INDArray> named = parameters.byName();
        out.writeInt(named.size());
        for (Map.Entry<String, INDArray> e : named.entrySet()) {
            out.writeUTF(e.getKey());
            long[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (long d : shape) out.writeLong(d);
        }
        out.writeLong(values.length);
        for (double v : values) out.writeDouble(v);
        out.flush();
        zip.closeEntry();
    }

    /** The writer's lock tells a later save that this file is in use; a file system without locks still saves. */
    private static FileLock lockIfPossible(FileChannel ch) {
        try {
            return ch.lock();
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static String temporaryName(String target, long number) {
        return "." + target + "." + number + ".tmp";
    }

    /** True for {@code .NAME.<digits>.tmp}: what this class (and earlier versions, through createTempFile) names them. */
    static boolean isTemporaryOf(String candidate, String target) {
        String prefix = "." + target + ".", suffix = ".tmp";
        if (candidate.length() <= prefix.length() + suffix.length() || !candidate.startsWith(prefix) || !candidate.endsWith(suffix)) {
            return false;
        }
        String middle = candidate.substring(prefix.length(), candidate.length() - suffix.length());
        return !middle.isEmpty() && middle.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Deletes this target's temporary files that no writer holds: a writer keeps its file locked
     * until the rename, and the system drops the lock when the process dies, so an unlocked file
     * that has not been written for {@link #STALE_TEMP_AGE} belongs to a save that was killed.
     * Best effort: a file that cannot be opened or deleted is left alone.
     */
    static void removeStaleTemporaries(Path dir, String target) {
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir, p -> isTemporaryOf(p.getFileName().toString(), target))) {
            for (Path p : candidates) {
                try {
                    if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) continue;
                    long age = now - Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                    if (age < STALE_TEMP_AGE.toMillis()) continue;
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                         FileLock lock = ch.tryLock()) {
                        if (lock != null) Files.delete(p);
                    }
                } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
                    // held by a writer in this JVM, or not ours to touch: leave it
                }
            }
        } catch (IOException e) {
            // an unreadable folder: the save itself will say what is wrong
        }
    }

    /** The replaced file's permissions carry over (a 0644 model stays 0644); a new file gets the usual umask default. */
    private static void keepPermissions(Path target, Path tmp) throws IOException {
        if (!Files.exists(target)) return;
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(target);
            Files.setPosixFilePermissions(tmp, mode);
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX modes keeps its own defaults
        }
    }

    /** Lets the zip stream close (finishing its deflater) without closing the locked channel under it. */
    private static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void text(ZipOutputStream zip, String name, List<String> lines) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    // ---------------------------------------------------------------- reading

    public static Contents read(Path file) throws IOException {
        return (Contents) readAny(file, false);
    }

    /** Reads an encoder-decoder's file, with the same checks as {@link #read}. */
    public static Seq2SeqContents readSeq2Seq(Path file) throws IOException {
        return (Seq2SeqContents) readAny(file, true);
    }

    private static Object readAny(Path file, boolean seq2seq) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a model file; give the path of a file written by "
                    + "model.save(path), such as " + file.resolve("model.seqlab"));
        }
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no model file here");
        try (ZipFile zip = open(file)) {
            return read(file, zip, seq2seq);
        } catch (ZipException | EOFException e) {
            throw damaged(file, e.getMessage());
        } catch (RuntimeException e) {
            // anything the checks below did not foresee still ends as a clear IOException, not a crash
            throw damaged(file, e.toString());
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException | IllegalArgumentException e) {
            byte[] head = new byte[4];
            int n;
            try (InputStream in = Files.newInputStream(file)) {
                n = in.readNBytes(head, 0, 4);
            }
            if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                throw damaged(file, "the zip directory at its end is missing or broken: " + e.getMessage());
            }
            throw notOurs(file, "it is not a zip archive");
        }
    }

    private static Object read(Path file, ZipFile zip, boolean seq2seq) throws IOException {
        Map<String, ZipEntry> entries = ourEntries(file, zip);
        ZipEntry manifestEntry = entries.get(MANIFEST);
        if (manifestEntry == null) throw notOurs(file, "it has no " + MANIFEST);
        List<String> manifest = lines(file, MANIFEST, readEntry(file, zip, manifestEntry, MAX_MANIFEST_BYTES));
        if (manifest.isEmpty() || !manifest.get(0).startsWith(MAGIC + " ")) throw notOurs(file, "its manifest is not seqlab's");
        String format = manifest.get(0).substring(MAGIC.length() + 1).trim();
        if (!format.equals(String.valueOf(FORMAT))) {
            throw new IOException(file + " has model format '" + abbreviate(format) + "', this seqlab reads format " + FORMAT
                    + "; load it with the seqlab version that saved it");
        }
        DataType dtype = dtype(file, manifest);
        boolean holdsSeq2Seq = manifest.contains(KIND + SEQ2SEQ);
        if (holdsSeq2Seq && !seq2seq) throw new IOException(file + " holds an encoder-decoder; load it with Seq2SeqModel.load(path)");
        if (!holdsSeq2Seq && seq2seq) {
            throw new IOException(file + " holds a sequence model, not an encoder-decoder; load it with Model.load(path)");
        }
        for (String required : List.of(SPEC, PARAMS)) {
            if (!entries.containsKey(required)) throw damaged(file, "it has no " + required);
        }
        List<String> specLines = lines(file, SPEC, readEntry(file, zip, entries.get(SPEC), MAX_SPEC_BYTES));
        if (seq2seq) return readSeq2Seq(file, zip, entries, specLines, dtype);
        ModelSpec spec = parseSpec(file, specLines, null);
        ModelSpec parsed = spec;
        ParameterLayout layout = layout(file, () -> ParameterLayout.of(parsed));
        float[] floats = null;
        double[] doubles = null;
        ZipEntry paramsEntry = entries.get(PARAMS);
        checkWeightsFit(file, layout, paramsEntry, dtype == DataType.FLOAT ? 4 : 8);
        if (dtype == DataType.FLOAT) floats = new float[(int) layout.total()];
        else doubles = new double[(int) layout.total()];
        long firstBad = readParams(file, zip, paramsEntry, layout, floats, doubles);

        Vocab vocab = null;
        ZipEntry vocabEntry = entries.get(VOCAB);
        if (vocabEntry != null) {
            if (!spec.input().isTokens()) throw damaged(file, "it has a vocabulary but its spec reads real-valued features");
            long limit = Math.min(MAX_VOCAB_BYTES, 4096 + (long) VOCAB_BYTES_PER_TOKEN * spec.input().vocabSize());
            String text = utf8(file, VOCAB, readEntry(file, zip, vocabEntry, limit));
            try {
                vocab = Vocab.parse(text);
            } catch (RuntimeException e) {
                throw damaged(file, VOCAB + " is not a saved vocabulary: " + e.getMessage());
            }
            if (vocab.size() != spec.input().vocabSize()) {
                throw damaged(file, VOCAB + " has " + vocab.size() + " tokens but the spec reads " + spec.input().vocabSize());
            }
            spec = parseSpec(file, specLines, vocab);
        }
        if (firstBad >= 0) {
            long count = floats != null ? countNonFinite(floats) : countNonFinite(doubles);
            throw new IOException(file + " holds " + count + " NaN or infinite weights (first: " + layout.locate(firstBad)
                    + "); it was saved from a model whose training diverged and cannot predict anything. Retrain the model, "
                    + "or load an earlier copy.");
        }
        INDArray params = floats != null ? Nd4j.createFromArray(floats) : Nd4j.createFromArray(doubles);
        return new Contents(spec, dtype, params.reshape(1, layout.total()), layout.names());
    }

    /** The rest of an encoder-decoder's file: both vocabularies, the spec they complete, its weights. */
    private static Seq2SeqContents readSeq2Seq(Path file, ZipFile zip, Map<String, ZipEntry> entries, List<String> specLines,
                                               DataType dtype) throws IOException {
        Vocab[] vocabs = new Vocab[2];
        String[] names = {SOURCE_VOCAB, TARGET_VOCAB};
        for (int i = 0; i < 2; i++) {
            ZipEntry e = entries.get(names[i]);
            if (e == null) throw damaged(file, "it has no " + names[i]);
            String text = utf8(file, names[i], readEntry(file, zip, e, MAX_VOCAB_BYTES));
            try {
                vocabs[i] = Vocab.parse(text);
            } catch (RuntimeException bad) {
                throw damaged(file, names[i] + " is not a saved vocabulary: " + bad.getMessage());
            }
        }
        Seq2SeqSpec spec;
        try {
            spec = Seq2SeqSpec.fromLines(specLines, vocabs[0], vocabs[1]);
        } catch (ModelSpecException e) {
            throw damaged(file, SPEC + " describes an encoder-decoder seqlab refuses: " + e.getMessage());
        } catch (RuntimeException e) {
            throw damaged(file, SPEC + " cannot be read (" + reason(e) + ")");
        }
        ParameterLayout layout = layout(file, () -> ParameterLayout.of(spec));
        ZipEntry paramsEntry = entries.get(PARAMS);
        checkWeightsFit(file, layout, paramsEntry, dtype == DataType.FLOAT ? 4 : 8);
        float[] floats = dtype == DataType.FLOAT ? new float[(int) layout.total()] : null;
        double[] doubles = dtype == DataType.FLOAT ? null : new double[(int) layout.total()];
        long firstBad = readParams(file, zip, paramsEntry, layout, floats, doubles);
        if (firstBad >= 0) {
            throw new IOException(file + " holds NaN or infinite weights (first: " + layout.locate(firstBad) + "); retrain the "
                    + "model, or load an earlier copy.");
        }
        INDArray params = floats != null ? Nd4j.createFromArray(floats) : Nd4j.createFromArray(doubles);
        return new Seq2SeqContents(spec, dtype, params.reshape(1, layout.total()), layout.names());
    }

    /** Our entries by name; refuses archives with too many entries, two entries of one of our names, or a folder in their place. */
    private static Map<String, ZipEntry> ourEntries(Path file, ZipFile zip) throws IOException {
        if (zip.size() > MAX_ENTRIES) throw damaged(file, "it has " + zip.size() + " entries; a model file has " + OURS.size());
        Map<String, ZipEntry> ours = new HashMap<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            String bare = e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1) : e.getName();
            if (!OURS.contains(bare)) continue; // from a later format, or junk: never inflated
            if (e.isDirectory()) throw damaged(file, bare + " is a folder inside the archive, not a file");
            if (ours.put(bare, e) != null) throw damaged(file, "it has two " + bare + " entries");
        }
        return ours;
    }

    /** The whole entry, refusing it as soon as it passes {@code limit} bytes, with its CRC checked. */
    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry e, long limit) throws IOException {
        if (e.getSize() > limit) throw tooLarge(file, e, e.getSize(), limit);
        CheckedInputStream in = new CheckedInputStream(zip.getInputStream(e), new CRC32());
        try (in) {
            byte[] bytes = in.readNBytes((int) limit + 1);
            if (bytes.length > limit) throw tooLarge(file, e, -1, limit);
            checkCrc(file, e, in);
            return bytes;
        }
    }

    private static void checkCrc(Path file, ZipEntry e, CheckedInputStream in) throws IOException {
        if (e.getCrc() != -1 && in.getChecksum().getValue() != e.getCrc()) {
            throw damaged(file, e.getName() + " fails its checksum");
        }
    }

    private static IOException tooLarge(Path file, ZipEntry e, long size, long limit) {
        return damaged(file, e.getName() + (size >= 0 ? " is " + size + " bytes" : " is larger than it should be")
                + "; at most " + limit + " are expected there");
    }

    private static DataType dtype(Path file, List<String> manifest) throws IOException {
        String line = manifest.size() > 1 ? manifest.get(1) : "";
        String name = line.startsWith("dtype ") ? line.substring("dtype ".length()).trim() : "";
        if (name.equals("FLOAT")) return DataType.FLOAT;
        if (name.equals("DOUBLE")) return DataType.DOUBLE;
        throw damaged(file, "its manifest gives the number type as '" + abbreviate(line) + "'; expected 'dtype FLOAT' or 'dtype DOUBLE'");
    }

    /**
     * The spec, or an IOException naming the file and the line at fault. Parse errors (a bad number,
     * a missing word, an unknown kind) are located by reading each line on its own: a line that
     * parses fails alone only in validation (a lone line is not a whole model), a bad one fails
     * before that. Validation errors already name the layer.
     */
    private static ModelSpec parseSpec(Path file, List<String> lines, Vocab vocab) throws IOException {
        try {
            return ModelSpec.fromLines(lines, vocab);
        } catch (ModelSpecException e) {
            throw damaged(file, SPEC + " describes a model seqlab refuses: " + e.getMessage());
        } catch (RuntimeException e) {
            for (int i = 0; i < lines.size(); i++) {
                try {
                    ModelSpec.fromLines(List.of(lines.get(i)), null);
                } catch (ModelSpecException parsedButIncomplete) {
                    // this line reads fine
                } catch (RuntimeException bad) {
                    throw damaged(file, SPEC + " line " + (i + 1) + " '" + abbreviate(lines.get(i)) + "' cannot be read ("
                            + reason(bad) + ")");
                }
            }
            throw damaged(file, SPEC + " cannot be read (" + reason(e) + ")");
        }
    }

    private static ParameterLayout layout(Path file, java.util.function.Supplier<ParameterLayout> ofSpec) throws IOException {
        ParameterLayout layout;
        try {
            layout = ofSpec.get();
        } catch (ArithmeticException e) {
            throw damaged(file, "its spec asks for more parameters than can be counted");
        } catch (RuntimeException e) {
            throw damaged(file, "its spec cannot be built: " + e.getMessage());
        }
        if (layout.total() > Integer.MAX_VALUE - 8) {
            throw damaged(file, String.format("its spec asks for %,d parameters; seqlab models hold at most %,d",
                    layout.total(), Integer.MAX_VALUE - 8));
        }
        return layout;
    }

    /** Bytes of params.bin for this layout: count, then name, rank and dims per tensor, then the value count and the values. */
    private static long paramsBytes(ParameterLayout layout) {
        long bytes = 4 + 8;
        for (int i = 0; i < layout.names().size(); i++) {
            bytes += 2 + layout.names().get(i).getBytes(StandardCharsets.UTF_8).length + 4 + 8L * layout.shapes().get(i).length;
        }
        return bytes + 8 * layout.total();
    }

    /** Before allocating: the weights the spec needs must be what the entry declares, and inflatable from what the file holds. */
    private static void checkWeightsFit(Path file, ParameterLayout layout, ZipEntry e, int bytesPerValue) throws IOException {
        long needed = paramsBytes(layout);
        long stored = e.getCompressedSize() >= 0 ? e.getCompressedSize() : Long.MAX_VALUE;
        long available = Math.min(stored, Files.size(file));
        if (needed > MAX_DEFLATE_RATIO * available + 1024) {
            throw damaged(file, String.format("its spec needs %,d parameters (%s of weights), more than the %s in the file "
                    + "can hold", layout.total(), bytes(needed), bytes(available)));
        }
        if (e.getSize() >= 0 && e.getSize() != needed) {
            throw damaged(file, String.format("%s is %,d bytes but its spec's %,d parameters take %,d", PARAMS, e.getSize(),
                    layout.total(), needed));
        }
        long heap = Runtime.getRuntime().maxMemory();
        long valueBytes = layout.total() * bytesPerValue;
        if (valueBytes > heap) {
            throw new IOException(String.format("%s needs %s for its %,d weights, more than this JVM's %s heap; start Java "
                    + "with a larger -Xmx (or SEQLAB_MEMORY)", file, bytes(valueBytes), layout.total(), bytes(heap)));
        }
    }

    /**
     * Streams params.bin against the layout into {@code floats} or {@code doubles}, refusing the
     * first header field that differs from the spec, a short or long entry and a bad checksum.
     * Returns the flat index of the first non-finite value, or -1.
     */
    private static long readParams(Path file, ZipFile zip, ZipEntry e, ParameterLayout layout, float[] floats, double[] doubles)
            throws IOException {
        CheckedInputStream checked = new CheckedInputStream(zip.getInputStream(e), new CRC32());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(checked, 1 << 16))) {
            int tensors = in.readInt();
            if (tensors != layout.names().size()) {
                throw damaged(file, PARAMS + " lists " + tensors + " parameter tensors; its spec has " + layout.names().size());
            }
            for (int i = 0; i < tensors; i++) {
                String name = in.readUTF();
                String expected = layout.names().get(i);
                if (!name.equals(expected)) {
                    throw damaged(file, PARAMS + " has parameter '" + abbreviate(name) + "' where its spec has '" + expected + "'");
                }
                long[] shape = layout.shapes().get(i);
                int rank = in.readInt();
                if (rank != shape.length) {
                    throw damaged(file, PARAMS + " gives " + name + " rank " + rank + "; its spec gives " + Arrays.toString(shape));
                }
                for (int d = 0; d < rank; d++) {
                    long dim = in.readLong();
                    if (dim != shape[d]) {
                        throw damaged(file, PARAMS + " gives " + name + " dimension " + d + " as " + dim + "; its spec gives "
                                + Arrays.toString(shape));
                    }
                }
            }
            long count = in.readLong();
            if (count != layout.total()) {
                throw damaged(file, String.format("%s says it holds %,d values; its spec needs %,d", PARAMS, count, layout.total()));
            }
            long firstBad = -1;
            byte[] chunk = new byte[1 << 16];
            int n = (int) count;
            for (int from = 0; from < n; ) {
                int k = Math.min(n - from, chunk.length / 8);
                in.readFully(chunk, 0, 8 * k);
                ByteBuffer values = ByteBuffer.wrap(chunk, 0, 8 * k);
                for (int i = 0; i < k; i++) {
                    double v = values.getDouble();
                    if (floats != null) floats[from + i] = (float) v;
                    else doubles[from + i] = v;
                    boolean finite = floats != null ? Float.isFinite(floats[from + i]) : Double.isFinite(v);
                    if (!finite && firstBad < 0) firstBad = from + i;
                }
                from += k;
            }
            if (in.read() != -1) throw damaged(file, PARAMS + " goes on after the values its spec needs");
            checkCrc(file, e, checked);
            return firstBad;
        } catch (java.io.UTFDataFormatException bad) {
            throw damaged(file, PARAMS + " has a parameter name that is not valid text");
        } catch (EOFException early) {
            throw damaged(file, "the weights end early");
        }
    }

    private static List<String> lines(Path file, String entry, byte[] bytes) throws IOException {
        String s = utf8(file, entry, bytes);
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        return new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    }

    /** Strict UTF-8: a malformed byte is damage, not a replacement character. */
    private static String utf8(Path file, String entry, byte[] bytes) throws IOException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw damaged(file, entry + " is not UTF-8 text");
        }
    }

    static long firstNonFinite(double[] values) {
        for (int i = 0; i < values.length; i++) if (!Double.isFinite(values[i])) return i;
        return -1;
    }

    private static long countNonFinite(double[] values) {
        long n = 0;
        for (double v : values) if (!Double.isFinite(v)) n++;
        return n;
    }

    private static long countNonFinite(float[] values) {
        long n = 0;
        for (float v : values) if (!Float.isFinite(v)) n++;
        return n;
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** At most 60 characters of something read from the file, control characters shown as '?'. */
    private static String abbreviate(String s) {
        String cut = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String bytes(long n) {
        if (n >= 1L << 30) return String.format("%.1f GB", n / (double) (1L << 30));
        if (n >= 1L << 20) return String.format("%.1f MB", n / (double) (1L << 20));
        if (n >= 1L << 10) return String.format("%.1f KB", n / (double) (1L << 10));
        return n + " bytes";
    }

    private static IOException notOurs(Path file, String why) {
        return new IOException(file + " is not a seqlab model file (" + why + "). Save models with "
                + "model.save(path) and load them with Model.load(path).");
    }

    private static IOException damaged(Path file, String detail) {
        return new IOException(file + " is truncated or damaged (" + detail + "); it cannot be loaded. "
                + "Re-save the model, or use an earlier copy.");
    }
}
