package org.seqlab.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Blas#threads()} follows the count OpenBLAS runs with, whether seqlab or ND4J set it last. */
class BlasThreadsTest {

    @Test
    void aCountSetThroughNd4jIsSeenAndSeqlabsOwnSettingsAreToo() {
        try {
            Nd4j.factory().blas().setMaxThreads(2); // as a user's notebook cell would
            assertEquals(2, Blas.threads());
            Blas.setThreads(1); // a recurrent pass on a team, then its restore
            assertEquals(1, Blas.threads(), "seqlab's own setting, which the presets' getter does not see");
            Blas.setThreads(2);
            assertEquals(2, Blas.threads());
            Nd4j.factory().blas().setMaxThreads(1); // the user again, after seqlab has run
            assertEquals(1, Blas.threads(), "a count set through ND4J after seqlab's is not hidden by a stale copy");
        } finally {
            Blas.setThreads(1);
        }
    }
}
