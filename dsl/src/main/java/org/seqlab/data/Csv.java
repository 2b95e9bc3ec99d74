package org.seqlab.data;

import java.nio.file.Files;
import java.nio.file.Path;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;

/** CSV files as tablesaw tables, and column look-ups whose errors list the columns there are. */
public final class Csv {

    private Csv() {
    }

    /** Reads a CSV file with a header row; column types are detected by tablesaw. */
    public static Table read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no CSV file at " + path.toAbsolutePath()
                    + "; check the path (relative paths start at " + Path.of("").toAbsolutePath() + ")");
        }
        try {
            return Table.read().usingOptions(CsvReadOptions.builder(path.toFile()).header(true));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("could not read " + path + " as CSV with a header row: "
                    + e.getMessage(), e);
        }
    }

    /** The column called {@code name}; the error names the missing column and lists the available ones. */
    public static Column<?> column(Table table, String name) {
        if (name == null || !table.columnNames().contains(name)) {
            throw new IllegalArgumentException("table '" + table.name() + "' has no column '" + name
                    + "'; available columns: " + table.columnNames());
        }
        return table.column(name);
    }

    /** A numeric column as doubles; missing cells are an error naming the row. */
    public static double[] doubles(Table table, String name) {
        Column<?> column = column(table, name);
        if (!(column instanceof NumericColumn<?> numeric)) {
            throw new IllegalArgumentException("column '" + name + "' holds " + column.type().name()
                    + ", not numbers; pick a numeric column of " + table.columnNames());
        }
        double[] values = new double[numeric.size()];
        for (int row = 0; row < values.length; row++) {
            if (numeric.isMissing(row)) {
                throw new IllegalArgumentException("column '" + name + "' has a missing value at row " + row
                        + "; fill or drop missing rows first (e.g. table.dropRowsWithMissingValues())");
            }
            values[row] = numeric.getDouble(row);
        }
        return values;
    }

    /** Any column as strings, one per row. */
    public static String[] strings(Table table, String name) {
        Column<?> column = column(table, name);
        String[] values = new String[column.size()];
        for (int row = 0; row < values.length; row++) {
            values[row] = column.getString(row);
        }
        return values;
    }

}
