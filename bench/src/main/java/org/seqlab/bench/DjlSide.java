package org.seqlab.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.nn.transformer.IdEmbedding;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The reference a Java user would pick instead: libtorch 2.7.1 through DJL 0.36's PyTorch engine
 * (MKL and oneDNN inside; DJL's LSTM block runs libtorch's fused LSTM), one workload per JVM.
 * Same shapes, Adam (lr 1e-3, PyTorch's betas and eps), global-norm clipping at 5 computed here as
 * {@code torch.nn.utils.clip_grad_norm_} does (DJL's optClipGrad clips values only), median of the
 * timed steps after the warm-up. Threads: {@code -Dai.djl.pytorch.num_threads}, set by the
 * orchestrator together with {@code -Dai.djl.offline=true} (libtorch is extracted from the
 * pytorch-native-cpu jar, nothing is downloaded).
 */
public final class DjlSide {
    private static final float CLIP = 5f;

    private DjlSide() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Workload w = Workload.named(args.text("workload", "lstm128"));
        Engine engine = Engine.getEngine("PyTorch");
        Result r = new Result().put("side", "libtorch").put("workload", w.name())
                .put("threads", System.getProperty("ai.djl.pytorch.num_threads", "1"))
                .put("version", engine.getVersion());
        try (Model model = Model.newInstance("bench", "PyTorch")) {
            CharModel block = new CharModel(w);
            model.setBlock(block);
            if (w.generate()) {
                generate(model, block, w, r);
            } else {
                train(model, block, w, args.integer("warmup", 10), args.integer("warmup-seconds", Workload.WARMUP_SECONDS),
                        args.integer("steps", 20), args.integer("rss-steps", 0), r);
            }
        }
        r.put("peak_rss_mb", Memory.peakMb()).print();
    }

    static void train(Model model, CharModel block, Workload w, int warmup, double warmupSeconds, int steps, int rssSteps,
            Result r) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f))
                        .optBeta1(0.9f).optBeta2(0.999f).optEpsilon(1e-8f).build());
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new Shape(w.batch(), w.time()));
            r.put("params", String.valueOf(parameterCount(block)));
            int every = Math.max(1, rssSteps / 10);
            List<Double> seconds = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            // warm-up: at least `warmup` steps and `warmupSeconds`, as on seqlab's side
            long timedEnd = Long.MAX_VALUE;
            for (int step = 0; rssSteps > 0 ? step < rssSteps : seconds.size() < steps || System.nanoTime() < timedEnd; step++) {
                boolean timed = rssSteps == 0 && step >= warmup && System.nanoTime() >= warmEnd;
                if (timed && seconds.isEmpty()) timedEnd = System.nanoTime() + (long) (Workload.TIMED_SECONDS * 1e9);
                try (NDManager batch = trainer.getManager().newSubManager()) {
                    NDArray x = batch.randomInteger(0, Workload.CLASSES, new Shape(w.batch(), w.time()), DataType.INT64);
                    NDArray y = batch.randomInteger(0, Workload.CLASSES, new Shape((long) w.batch() * w.time()), DataType.INT64);
                    long t0 = System.nanoTime();
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.zeroGradients();
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits.reshape(-1, Workload.CLASSES)));
                        collector.backward(loss);
                    }
                    clipGlobalNorm(block, CLIP);
                    trainer.step();
                    if (timed) seconds.add((System.nanoTime() - t0) / 1e9);
                }
                if (rssSteps > 0 && (step + 1) % every == 0) rss.add(Memory.rssMb());
            }
            if (rssSteps > 0) {
                r.put("rss_steps", rssSteps).put("rss_mb", rss.stream().mapToDouble(Double::doubleValue).toArray());
            } else {
                double median = Result.median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
                r.put("tokens_per_s", w.tokensPerStep() / median).put("step_ms", median * 1e3);
            }
        }
    }

    /** Trainable scalars of the initialized block. */
    static long parameterCount(Block block) {
        return block.getParameters().values().stream().filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getArray().size()).sum();
    }

    /** As clip_grad_norm_: the L2 norm over every gradient, and all scaled by clip/norm when above clip. */
    static void clipGlobalNorm(Block block, float clip) {
        List<NDArray> grads = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (p.requiresGradient()) grads.add(p.getArray().getGradient());
        }
        double sumSquares = 0;
        for (NDArray g : grads) {
            try (NDArray s = g.square().sum()) {
                sumSquares += s.getFloat();
            }
        }
        double norm = Math.sqrt(sumSquares);
        if (norm > clip) {
            float scale = (float) (clip / (norm + 1e-6));
            for (NDArray g : grads) g.muli(scale);
        }
    }

    /** One token at a time with the LSTM state carried, sampling at temperature 0.8 in Java. */
    static void generate(Model model, CharModel block, Workload w, Result r) {
        NDManager manager = model.getNDManager();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        r.put("params", String.valueOf(parameterCount(block)));
        ParameterStore store = new ParameterStore(manager, false);
        Random random = new Random(1);
        long warmEnd = System.nanoTime() + (long) (Workload.WARMUP_SECONDS * 1e9);
        do {
            run(block, store, manager, Workload.GENERATE_WARMUP, random);
        } while (System.nanoTime() < warmEnd);
        long t0 = System.nanoTime();
        run(block, store, manager, Workload.GENERATED, random);
        r.put("tokens_per_s", Workload.GENERATED / ((System.nanoTime() - t0) / 1e9));
    }

    private static void run(CharModel block, ParameterStore store, NDManager manager, int n, Random random) {
        int token = 1;
        NDList state = null;
        for (int i = 0; i < n; i++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray x = scope.create(new long[] {token}, new Shape(1, 1));
                NDList out = block.step(store, x, state);
                if (state != null) state.close();
                state = new NDList(out.get(1), out.get(2));
                state.attach(manager);
                float[] logits = out.get(0).toFloatArray();
                token = sample(logits, 0.8, random);
            }
        }
        if (state != null) state.close();
    }

    static int sample(float[] logits, double temperature, Random random) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) sum += p[i] = Math.exp((logits[i] - logits[best]) / temperature);
        double u = random.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) if ((u -= p[i]) <= 0) return i;
        return best;
    }

    /**
     * The workload's layers as DJL blocks: embedding, then recurrent blocks and attention, or
     * positions and a transformer stack; a linear head.
     */
    static final class CharModel extends AbstractBlock {
        private final Workload w;
        private final List<Block> layers = new ArrayList<>();
        private final List<Integer> widths = new ArrayList<>();
        private final Linear head;
        private Block recurrentStep;

        CharModel(Workload w) {
            this.w = w;
            int width = 0;
            for (int i = 0; i < w.layers().size(); i++) {
                String[] l = w.layer(i);
                int n = l.length > 1 ? Integer.parseInt(l[1]) : 0;
                Block b = switch (l[0]) {
                    case "embed" -> new IdEmbedding.Builder().setDictionarySize(Workload.CLASSES).setEmbeddingSize(n).build();
                    case "lstm" -> LSTM.builder().setStateSize(n).setNumLayers(1).optBatchFirst(true).build();
                    case "gru" -> GRU.builder().setStateSize(n).setNumLayers(1).optBatchFirst(true).build();
                    case "rnn" -> RNN.builder().setStateSize(n).setNumLayers(1).optBatchFirst(true)
                            .setActivation(RNN.Activation.TANH).build();
                    case "attention" -> new CausalSelfAttention(width, n, true);
                    case "positional" -> new SinusoidalPositions(width);
                    case "transformer" -> new TransformerStack(width, n, Integer.parseInt(l[2]), Integer.parseInt(l[3]));
                    default -> throw new IllegalArgumentException("DJL side: no layer kind " + l[0]);
                };
                if (List.of("embed", "lstm", "gru", "rnn").contains(l[0])) width = n;
                layers.add(addChildBlock(l[0] + "_" + i, b));
                widths.add(width);
            }
            head = addChildBlock("head", Linear.builder().setUnits(Workload.CLASSES).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList x = inputs;
            for (Block b : layers) x = b.forward(store, x, training, params);
            return head.forward(store, x, training, params);
        }

        /** Generation step (embed, LSTM with state): {logits [C], h, c}. */
        NDList step(ParameterStore store, NDArray token, NDList state) {
            NDList x = layers.get(0).forward(store, new NDList(token), false);
            if (recurrentStep == null) {
                String[] l = w.layer(1);
                if (!l[0].equals("lstm") || layers.size() != 2) throw new IllegalStateException("generation runs embed -> LSTM");
                // The same parameters as layer 1, in a block that takes and returns the state.
                recurrentStep = LSTM.builder().setStateSize(Integer.parseInt(l[1])).setNumLayers(1).optBatchFirst(true)
                        .optReturnState(true).build();
                var from = layers.get(1).getParameters().values();
                var to = recurrentStep.getParameters().values();
                for (int i = 0; i < from.size(); i++) to.get(i).setArray(from.get(i).getArray());
            }
            NDList in = state == null ? x : new NDList(x.get(0), state.get(0), state.get(1));
            NDList out = recurrentStep.forward(store, in, false);
            NDList logits = head.forward(store, new NDList(out.get(0)), false);
            return new NDList(logits.singletonOrThrow().reshape(-1), out.get(1), out.get(2));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), Workload.CLASSES)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).initialize(manager, dataType, s);
                s = new Shape(s.get(0), s.get(1), widths.get(i));
            }
            head.initialize(manager, dataType, s);
        }
    }

    /**
     * Causal multi-head self-attention, as seqlab's attention layer: q k v from one linear map,
     * softmax(q k^T / sqrt(dh) + causal mask) v, output projection, and + x when {@code residual}
     * (the card's attention(8); a transformer block adds its residual itself).
     */
    static final class CausalSelfAttention extends AbstractBlock {
        private final int width;
        private final int heads;
        private final boolean residual;
        private final Linear qkv;
        private final Linear out;

        CausalSelfAttention(int width, int heads, boolean residual) {
            this.width = width;
            this.heads = heads;
            this.residual = residual;
            qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * width).build());
            out = addChildBlock("out", Linear.builder().setUnits(width).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long b = x.getShape().get(0), t = x.getShape().get(1), dh = width / heads;
            NDList parts = qkv.forward(store, inputs, training).singletonOrThrow().split(3, 2);
            NDArray q = parts.get(0).reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
            NDArray k = parts.get(1).reshape(b, t, heads, dh).transpose(0, 2, 3, 1);
            NDArray v = parts.get(2).reshape(b, t, heads, dh).transpose(0, 2, 1, 3);
            float[] mask = new float[(int) (t * t)];
            for (int i = 0; i < t; i++) for (int j = i + 1; j < t; j++) mask[(int) (i * t + j)] = -1e9f;
            NDArray scores = q.matMul(k).muli(1.0 / Math.sqrt(dh)).addi(x.getManager().create(mask, new Shape(t, t)));
            NDArray context = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, width);
            NDArray y = out.forward(store, new NDList(context), training).singletonOrThrow();
            return new NDList(residual ? y.add(x) : y);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            qkv.initialize(manager, dataType, inputShapes[0]);
            out.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width));
        }
    }

    /**
     * Adds fixed sinusoidal positions, as seqlab's {@code positional()}: {@code P[t, 2i] = sin(t / 10000^(2i/D))},
     * {@code P[t, 2i+1] = cos(t / 10000^(2i/D))}; no parameters.
     */
    static final class SinusoidalPositions extends AbstractBlock {
        private final int width;
        private float[] table = new float[0];
        private long tableSteps;

        SinusoidalPositions(int width) {
            this.width = width;
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            long t = x.getShape().get(1);
            if (tableSteps != t) {
                table = new float[(int) (t * width)];
                for (int step = 0; step < t; step++) {
                    for (int i = 0; 2 * i < width; i++) {
                        double angle = step / Math.pow(10000, 2.0 * i / width);
                        table[step * width + 2 * i] = (float) Math.sin(angle);
                        if (2 * i + 1 < width) table[step * width + 2 * i + 1] = (float) Math.cos(angle);
                    }
                }
                tableSteps = t;
            }
            return new NDList(x.add(x.getManager().create(table, new Shape(t, width))));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }

    /**
     * {@code blocks} pre-norm causal transformer blocks and a final layer norm, as seqlab's
     * {@code transformer(blocks, heads, ffn)} and torch.nn.TransformerEncoderLayer(norm_first=True):
     * {@code h = x + MHA(LN1(x))}, {@code y = h + W2 GELU(W1 LN2(h) + b1) + b2}; eps 1e-5, exact GELU, no dropout.
     */
    static final class TransformerStack extends AbstractBlock {
        /** Per block: ln_1, attention, ln_2, ffn_1, ffn_2 (five parts); then the final norm. */
        private final List<Block> parts = new ArrayList<>();
        private final int blocks;
        private final int ffn;

        TransformerStack(int width, int blocks, int heads, int ffn) {
            this.blocks = blocks;
            this.ffn = ffn;
            for (int b = 1; b <= blocks; b++) {
                parts.add(addChildBlock("ln_1_" + b, norm()));
                parts.add(addChildBlock("attention_" + b, new CausalSelfAttention(width, heads, false)));
                parts.add(addChildBlock("ln_2_" + b, norm()));
                parts.add(addChildBlock("ffn_1_" + b, Linear.builder().setUnits(ffn).build()));
                parts.add(addChildBlock("ffn_2_" + b, Linear.builder().setUnits(width).build()));
            }
            parts.add(addChildBlock("norm", norm()));
        }

        private static LayerNorm norm() {
            return LayerNorm.builder().axis(2).optEpsilon(1e-5f).build();
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDList x = inputs;
            for (int i = 0; i < 5 * blocks; i += 5) {
                NDList attended = parts.get(i + 1).forward(store, parts.get(i).forward(store, x, training), training);
                NDList h = new NDList(x.singletonOrThrow().add(attended.singletonOrThrow()));
                NDList hidden = parts.get(i + 3).forward(store, parts.get(i + 2).forward(store, h, training), training);
                NDList f = parts.get(i + 4).forward(store, new NDList(Activation.gelu(hidden.singletonOrThrow())), training);
                x = new NDList(h.singletonOrThrow().add(f.singletonOrThrow()));
            }
            return parts.get(parts.size() - 1).forward(store, x, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            Shape hidden = new Shape(s.get(0), s.get(1), ffn);
            for (int i = 0; i < parts.size(); i++) {
                // ffn_2 (the 5th part of each block) reads the hidden layer; everything else reads [B, T, width]
                parts.get(i).initialize(manager, dataType, i % 5 == 4 ? hidden : s);
            }
        }
    }
}
