package org.seqlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link DivergenceGuard#afterUpdate}: its quick sum never passes a non-finite weight nor fails finite ones whose sum overflows. */
class DivergenceGuardTest {

    @Test
    void finiteWeightsWhoseSumOverflowsFloatPass() {
        INDArray params = Nd4j.zeros(DataType.FLOAT, 1000);
        DivergenceGuard guard = new DivergenceGuard(params, 10, 5);
        params.putScalar(3, 3e38f);
        params.putScalar(700, 3e38f);
        assertNull(guard.afterUpdate(1));
        assertEquals(3e38f, params.getFloat(3), "nothing was rolled back");
    }

    @Test
    void oneNonFiniteWeightAnywhereIsCaughtAndRolledBack() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            INDArray params = Nd4j.ones(DataType.FLOAT, 100_003);
            DivergenceGuard guard = new DivergenceGuard(params, 10, 5);
            assertNull(guard.beforeUpdate(1, 2.0, 1.0));
            params.putScalar(100_002, bad);
            String problem = guard.afterUpdate(1);
            assertTrue(problem != null && problem.contains("made 1 of the 100,003 weights NaN or infinite"), bad + ": " + problem);
            assertEquals(1f, params.getFloat(100_002), "rolled back to the weights before the update");
        }
    }
}
