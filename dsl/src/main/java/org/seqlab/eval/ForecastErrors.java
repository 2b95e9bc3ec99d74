package org.seqlab.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.seqlab.viz.HtmlTable;

/**
 * How far each forecast is from what happened: mean absolute error, root mean squared error, and the
 * mean absolute error relative to the first forecast added (usually the naive one: below 1 beats it).
 */
public final class ForecastErrors {
    private final double[] actual;
    private final Map<String, double[]> forecasts = new LinkedHashMap<>();
    private String units = "";

    private ForecastErrors(double[] actual) {
        this.actual = actual.clone();
    }

    public static ForecastErrors of(double[] actual) {
        Objects.requireNonNull(actual, "actual");
        if (actual.length == 0) throw new IllegalArgumentException("no actual values to compare with");
        return new ForecastErrors(actual);
    }

    /** A forecast of every actual value, in the same order. */
    public ForecastErrors add(String name, double[] forecast) {
        if (forecast.length != actual.length) {
            throw new IllegalArgumentException("forecast '" + name + "' has " + forecast.length + " values but there are "
                    + actual.length + " actual values; forecast each of them");
        }
        forecasts.put(name, forecast.clone());
        return this;
    }

    /** The unit of the values, shown in the column headers ("sunspots"). */
    public ForecastErrors units(String units) {
        this.units = units == null ? "" : units;
        return this;
    }

    public double meanAbsoluteError(String name) {
        double[] f = forecast(name);
        double s = 0;
        for (int i = 0; i < actual.length; i++) s += Math.abs(f[i] - actual[i]);
        return s / actual.length;
    }

    public double rootMeanSquaredError(String name) {
        double[] f = forecast(name);
        double s = 0;
        for (int i = 0; i < actual.length; i++) s += (f[i] - actual[i]) * (f[i] - actual[i]);
        return Math.sqrt(s / actual.length);
    }

    private double[] forecast(String name) {
        double[] f = forecasts.get(name);
        if (f == null) throw new IllegalArgumentException("no forecast called '" + name + "'; there are " + forecasts.keySet());
        return f;
    }

    public List<String> names() {
        return new ArrayList<>(forecasts.keySet());
    }

    public HtmlTable table() {
        String unit = units.isEmpty() ? "" : " (" + units + ")";
        String reference = forecasts.isEmpty() ? "" : forecasts.keySet().iterator().next();
        HtmlTable t = HtmlTable.of("forecast", "mean absolute error" + unit, "root mean squared error" + unit,
                "MAE / MAE of " + reference);
        double base = forecasts.isEmpty() ? Double.NaN : meanAbsoluteError(reference);
        for (String name : forecasts.keySet()) {
            double mae = meanAbsoluteError(name);
            t.row(name, String.format(Locale.ROOT, "%.2f", mae), String.format(Locale.ROOT, "%.2f", rootMeanSquaredError(name)),
                    String.format(Locale.ROOT, "%.2f", mae / base));
        }
        return t.caption("one-step-ahead forecasts of " + actual.length + " values; lower is better");
    }

    public String html() {
        return table().html();
    }

    @Override
    public String toString() {
        return table().toString();
    }
}
