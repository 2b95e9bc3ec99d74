package org.seqlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqlab.data.LabelledSequencesTest.assertMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.Table;

class CsvTest {

    @TempDir
    Path dir;

    @Test
    void timeSeriesFromCsv() throws IOException {
        Path file = dir.resolve("weather.csv");
        Files.writeString(file, "day,temp,rain\n1,10.5,0\n2,11.0,1.5\n3,12.5,0\n4,11.5,2\n5,13.0,0\n");
        Table table = Csv.read(file);
        assertEquals(5, table.rowCount());
        TimeSeriesWindows windows = TimeSeriesWindows.fromTable(table, 2, 1, TargetKind.VALUES_PER_SEQUENCE, false,
                "temp", "rain");
        assertEquals(3, windows.size());
        Batch batch = windows.batches(3, null).get(0);
        assertArrayEquals(new long[] {3, 2, 2}, batch.inputs().shape());
        assertEquals(12.5f, batch.targets().getFloat(0, 0));
        assertEquals(2f, batch.targets().getFloat(1, 1));
    }

    @Test
    void labelledTextFromCsv() throws IOException {
        Path file = dir.resolve("reviews.csv");
        Files.writeString(file, "text,label\n\"a fine day\",good\n\"rain again\",bad\n\"sun\",good\n");
        Table table = Csv.read(file);
        LabelledSequences data = LabelledSequences.fromTable(table, "text", "label");
        assertEquals(3, data.size());
        assertEquals(List.of("bad", "good"), data.classNames());
        assertEquals("rain again", data.vocab().decode(data.sequence(1)));
        assertEquals(TargetKind.CLASS_PER_SEQUENCE, data.targetKind());
    }

    @Test
    void errorsNameColumnsAndFiles() throws IOException {
        Path file = dir.resolve("t.csv");
        Files.writeString(file, "a,b,name\n1,2,x\n3,,y\n");
        Table table = Csv.read(file);
        assertMessage(() -> TimeSeriesWindows.fromTable(table, 1, 1, TargetKind.VALUES_PER_STEP, false, "c"),
                "no column 'c'; available columns: [a, b, name]");
        assertMessage(() -> LabelledSequences.fromTable(table, "text", "name"), "available columns: [a, b, name]");
        assertMessage(() -> Csv.doubles(table, "b"), "missing value at row 1");
        assertMessage(() -> Csv.doubles(table, "name"), "not numbers");
        assertMessage(() -> TimeSeriesWindows.fromTable(table, 1, 1, TargetKind.VALUES_PER_STEP, false), "name at least one column");
        assertMessage(() -> Csv.read(dir.resolve("missing.csv")), "no CSV file at");
    }

    /** Debian's python3-statsmodels ships small public datasets as CSV; read one when it is installed. */
    @Test
    void readsStatsmodelsSunspotsWhenInstalled() {
        Path sunspots = Path.of("/usr/lib/python3/dist-packages/statsmodels/datasets/sunspots/sunspots.csv");
        Assumptions.assumeTrue(Files.isRegularFile(sunspots), "python3-statsmodels is not installed");
        Table table = Csv.read(sunspots);
        assertTrue(table.rowCount() > 300, "yearly sunspot numbers from 1700");
        TimeSeriesWindows windows = TimeSeriesWindows.fromTable(table, 20, 1, TargetKind.VALUES_PER_SEQUENCE, true,
                "SUNACTIVITY");
        assertEquals(table.rowCount() - 20, windows.size());
        assertEquals(1, windows.featureSize());
        assertTrue(windows.normalizer().mean()[0] > 10);
    }
}
