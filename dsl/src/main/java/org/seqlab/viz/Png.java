package org.seqlab.viz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Rendering XChart charts to PNG bytes, headless (no display needed in CI, JShell or Binder). */
public final class Png {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Png() {
    }

    public static byte[] of(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new IllegalStateException("could not encode the chart as PNG", e);
        }
    }

    /** Writes {@code png} to {@code file} (parent folders created) and returns the file. */
    public static Path save(byte[] png, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            return Files.write(file, png);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file + ": " + e.getMessage(), e);
        }
    }
}
