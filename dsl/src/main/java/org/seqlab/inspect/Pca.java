package org.seqlab.inspect;

/**
 * Principal components of a small point cloud (rows are points), by power iteration on the
 * covariance matrix with deflation: enough for 2-D pictures of embeddings and hidden states, with
 * no dependency beyond plain Java.
 */
final class Pca {
    final double[][] projected;
    final double[] explained;

    private Pca(double[][] projected, double[] explained) {
        this.projected = projected;
        this.explained = explained;
    }

    /** The first {@code k} components: {@code projected[point][k]} and the share of variance each explains. */
    static Pca of(double[][] points, int k) {
        int n = points.length, d = points[0].length;
        double[] mean = new double[d];
        for (double[] p : points) for (int j = 0; j < d; j++) mean[j] += p[j] / n;
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = points[i][j] - mean[j];
        double[][] cov = new double[d][d];
        for (double[] r : x) {
            for (int a = 0; a < d; a++) {
                if (r[a] == 0) continue;
                for (int b = 0; b < d; b++) cov[a][b] += r[a] * r[b] / Math.max(1, n - 1);
            }
        }
        double total = 0;
        for (int j = 0; j < d; j++) total += cov[j][j];
        double[][] proj = new double[n][k];
        double[] explained = new double[k];
        for (int c = 0; c < Math.min(k, d); c++) {
            double[] v = new double[d];
            for (int j = 0; j < d; j++) v[j] = 1.0 / Math.sqrt(d) * (1 + 0.01 * j); // fixed start: deterministic
            double lambda = 0;
            for (int it = 0; it < 500; it++) {
                double[] w = new double[d];
                for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) w[a] += cov[a][b] * v[b];
                double norm = 0;
                for (double e : w) norm += e * e;
                norm = Math.sqrt(norm);
                if (norm < 1e-300) break;
                double change = 0;
                for (int a = 0; a < d; a++) {
                    double nv = w[a] / norm;
                    change += Math.abs(nv - v[a]);
                    v[a] = nv;
                }
                lambda = norm;
                if (change < 1e-12) break;
            }
            explained[c] = total > 0 ? lambda / total : 0;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += x[i][j] * v[j];
                proj[i][c] = s;
            }
            // deflate: remove the found direction
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) cov[a][b] -= lambda * v[a] * v[b];
        }
        return new Pca(proj, explained);
    }
}
