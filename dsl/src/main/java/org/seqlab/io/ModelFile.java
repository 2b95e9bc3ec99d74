package org.seqlab.io;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.seqlab.data.Vocab;
import org.seqlab.graph.CompiledModel;
import org.seqlab.graph.ParameterBuffer;
import org.seqlab.graph.Seq2SeqGraph;
import org.seqlab.model.ModelSpec;
import org.seqlab.model.Seq2SeqSpec;

/**
 * One file per model: a zip with a manifest, the spec as text, the vocabulary (or, for an
 * encoder-decoder, both vocabularies; the manifest then says {@code model seq2seq}) as escaped text and
 * the flat parameters with a name/shape index (checked against the compiled spec on load). Zip gives a checksum per entry, so a truncated or
 * damaged file is detected instead of loading garbage. Writing goes to a temporary file in the same
 * folder which is synced and then renamed over the target, so a crash mid-save leaves the old file.
 */
public final class ModelFile {
    static final String MAGIC = "seqlab-model";
    static final int FORMAT = 1;
    private static final String MANIFEST = "manifest.txt", SPEC = "spec.txt", VOCAB = "vocab.txt", PARAMS = "params.bin";
    private static final String SOURCE_VOCAB = "source_vocab.txt", TARGET_VOCAB = "target_vocab.txt";
    /** Manifest line naming a model kind other than a sequence model (files without it hold sequence models). */
    private static final String KIND = "model";
    private static final String SEQ2SEQ = "seq2seq";

    /** What a file holds. */
    public record Contents(ModelSpec spec, DataType dtype, INDArray params, List<String> paramNames) {
    }

    private ModelFile() {
    }

    public static void write(Path file, ModelSpec spec, CompiledModel model) throws IOException {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        if (spec.vocab() != null) texts.put(VOCAB, spec.vocab().toText());
        write(file, null, spec.toLines(), texts, model.parameters(), model.dtype());
    }

    /** An encoder-decoder: its spec lines, both vocabularies and its parameters. */
    public static void write(Path file, Seq2SeqSpec spec, Seq2SeqGraph model) throws IOException {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        texts.put(SOURCE_VOCAB, spec.sourceVocab().toText());
        texts.put(TARGET_VOCAB, spec.targetVocab().toText());
        write(file, SEQ2SEQ, spec.toLines(), texts, model.parameters(), model.dtype());
    }

    private static void write(Path file, String kind, List<String> specLines, Map<String, String> texts, ParameterBuffer parameters,
                              DataType dtype) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp, StandardOpenOption.WRITE);
                 ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(raw))) {
                List<String> manifest = new ArrayList<>(List.of(MAGIC + " " + FORMAT, "dtype " + dtype.name()));
                if (kind != null) manifest.add(KIND + " " + kind);
                text(zip, MANIFEST, manifest);
                text(zip, SPEC, specLines);
                for (Map.Entry<String, String> t : texts.entrySet()) {
                    zip.putNextEntry(new ZipEntry(t.getKey()));
                    zip.write(t.getValue().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
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
                double[] values = parameters.values().toDoubleVector();
                out.writeLong(values.length);
                for (double v : values) out.writeDouble(v);
                out.flush();
                zip.closeEntry();
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Contents read(Path file) throws IOException {
        Raw raw = readRaw(file);
        if (SEQ2SEQ.equals(raw.kind())) {
            throw new IOException(file + " holds an encoder-decoder; load it with Seq2SeqModel.load(path)");
        }
        String vocabText = raw.texts().get(VOCAB);
        Vocab vocab = vocabText == null ? null : Vocab.parse(vocabText);
        return new Contents(ModelSpec.fromLines(raw.specLines(), vocab), raw.dtype(), raw.params(), raw.paramNames());
    }

    /** What an encoder-decoder file holds. */
    public record Seq2SeqContents(Seq2SeqSpec spec, DataType dtype, INDArray params, List<String> paramNames) {
    }

    public static Seq2SeqContents readSeq2Seq(Path file) throws IOException {
        Raw raw = readRaw(file);
        if (!SEQ2SEQ.equals(raw.kind())) {
            throw new IOException(file + " holds a sequence model, not an encoder-decoder; load it with Model.load(path)");
        }
        String source = raw.texts().get(SOURCE_VOCAB), target = raw.texts().get(TARGET_VOCAB);
        if (source == null || target == null) throw damaged(file, "missing " + (source == null ? SOURCE_VOCAB : TARGET_VOCAB));
        Seq2SeqSpec spec = Seq2SeqSpec.fromLines(raw.specLines(), Vocab.parse(source), Vocab.parse(target));
        return new Seq2SeqContents(spec, raw.dtype(), raw.params(), raw.paramNames());
    }

    private record Raw(String kind, DataType dtype, List<String> specLines, Map<String, String> texts, INDArray params,
                       List<String> paramNames) {
    }

    private static Raw readRaw(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no model file here");
        List<String> manifest = null, specLines = null;
        Map<String, String> texts = new java.util.HashMap<>();
        byte[] params = null;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] bytes = zip.readAllBytes();
                switch (e.getName()) {
                    case MANIFEST -> manifest = lines(bytes);
                    case SPEC -> specLines = lines(bytes);
                    case VOCAB, SOURCE_VOCAB, TARGET_VOCAB -> texts.put(e.getName(), new String(bytes, StandardCharsets.UTF_8));
                    case PARAMS -> params = bytes;
                    default -> { }
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw damaged(file, e.getMessage());
        }
        if (manifest == null || manifest.isEmpty() || !manifest.get(0).startsWith(MAGIC + " ")) {
            throw new IOException(file + " is not a seqlab model file (no seqlab manifest). Save models with "
                    + "model.save(path) and load them with Model.load(path).");
        }
        int format = Integer.parseInt(manifest.get(0).substring(MAGIC.length() + 1).trim());
        if (format != FORMAT) {
            throw new IOException(file + " has model format " + format + ", this seqlab reads format " + FORMAT);
        }
        if (specLines == null || params == null) throw damaged(file, "missing " + (specLines == null ? SPEC : PARAMS));
        DataType dtype = DataType.valueOf(manifest.get(1).substring("dtype ".length()).trim());
        String kind = null;
        for (String line : manifest) if (line.startsWith(KIND + " ")) kind = line.substring(KIND.length() + 1).trim();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(params))) {
            int n = in.readInt();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
                int rank = in.readInt();
                for (int d = 0; d < rank; d++) in.readLong();
            }
            long count = in.readLong();
            double[] values = new double[Math.toIntExact(count)];
            for (int i = 0; i < values.length; i++) values[i] = in.readDouble();
            INDArray flat = Nd4j.createFromArray(values).reshape(1, values.length).castTo(dtype);
            return new Raw(kind, dtype, specLines, texts, flat, names);
        } catch (java.io.EOFException e) {
            throw damaged(file, "the weights end early");
        }
    }

    private static IOException damaged(Path file, String detail) {
        return new IOException(file + " is truncated or damaged (" + detail + "); it cannot be loaded. "
                + "Re-save the model, or use an earlier copy.");
    }

    private static void text(ZipOutputStream zip, String name, List<String> lines) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }

    private static List<String> lines(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.endsWith("\n")) s = s.substring(0, s.length() - 1);
        return new ArrayList<>(Arrays.asList(s.split("\n", -1)));
    }
}
