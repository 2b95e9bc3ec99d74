package org.seqlab.data.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

import org.seqlab.data.LabelledSequences;
import org.seqlab.data.Vocab;

/**
 * Short restaurant reviews from our own grammar, labelled positive or negative, where negation and
 * word order decide the label. Five kinds of sentence:
 *
 * <ul>
 *   <li>{@link Kind#PLAIN}: "the soup was really tasty ." (the adjective decides)</li>
 *   <li>{@link Kind#NEGATED}: "the soup was not tasty ." ("not" flips the adjective)</li>
 *   <li>{@link Kind#CONTRAST}: "the food was good , not bad at all ." (the first adjective decides)</li>
 *   <li>{@link Kind#NOT_BUT}: "the food was not good but bad ." (the adjective after "but" decides)</li>
 *   <li>{@link Kind#EXPECTED}: "i expected the food to be good , but it was bad ." (the last adjective decides)</li>
 * </ul>
 *
 * In the last three kinds the two adjectives have opposite polarity, and every such review comes with
 * its twin: the same sentence with the two adjectives swapped, the very same words, the opposite label.
 * A model that sees only which words occur (a bag of words, a mean of embeddings) gives both twins the
 * same answer, so it is right on exactly half of them; only the order tells them apart. The same seed
 * gives the same reviews; no two reviews of one call have the same words unless they are twins, and a
 * {@link Split}'s test reviews share no bag of words with its training reviews.
 */
public final class Reviews {

    /** How the sentence is built, which says what decides its label. */
    public enum Kind {
        PLAIN, NEGATED, CONTRAST, NOT_BUT, EXPECTED;

        /** True when swapping the two adjectives flips the label with the same words: only order tells. */
        public boolean orderDecides() {
            return this == CONTRAST || this == NOT_BUT || this == EXPECTED;
        }
    }

    /** One review: its text (tokens separated by spaces), its label and the kind of sentence. */
    public record Review(String text, String label, Kind kind) {
        public Review {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(kind, "kind");
        }

        public boolean positive() {
            return label.equals(POSITIVE_LABEL);
        }
    }

    public static final String POSITIVE_LABEL = "positive";
    public static final String NEGATIVE_LABEL = "negative";
    /** Class names in class-id order, as {@link #dataset} numbers them. */
    public static final List<String> LABELS = List.of(NEGATIVE_LABEL, POSITIVE_LABEL);

    public static final List<String> POSITIVE = List.of("good", "great", "lovely", "fresh", "friendly", "tasty",
            "excellent", "pleasant", "superb", "charming");
    public static final List<String> NEGATIVE = List.of("bad", "awful", "bland", "rude", "slow", "stale",
            "noisy", "dull", "terrible", "greasy");
    private static final List<String> ASPECTS = List.of("food", "soup", "service", "bread", "coffee", "staff",
            "dessert", "music", "room", "pasta", "salad", "waiter");
    private static final List<String> INTENSIFIERS = List.of("really", "very", "quite", "truly", "so");
    private static final List<String> OPENERS = List.of("honestly ,", "overall ,", "to be fair ,", "sadly ,",
            "i think");

    private final Random random;

    private Reviews(long seed) {
        this.random = new Random(seed);
    }

    /** Training and test reviews with no bag of words in common (twins stay on the same side). */
    public record Split(List<Review> train, List<Review> test) {
        public Split {
            train = List.copyOf(train);
            test = List.copyOf(test);
        }
    }

    /** {@code n} reviews (see {@link #generate(int, int, long)}), all for one list. */
    public static List<Review> generate(int n, long seed) {
        return generate(n, 0, seed).train();
    }

    /**
     * {@code trainSize} training and {@code testSize} test reviews, about half positive, the kinds in equal
     * shares, twins next to each other in random order. Asking for more than the grammar makes is refused.
     */
    public static Split generate(int trainSize, int testSize, long seed) {
        if (trainSize < 1 || testSize < 0) {
            throw new IllegalArgumentException("asked for " + trainSize + " training and " + testSize + " test reviews;"
                    + " ask for at least one training review and no negative count");
        }
        if (trainSize + testSize > MAX_REVIEWS) {
            throw new IllegalArgumentException("asked for " + (trainSize + testSize) + " reviews; the grammar makes at"
                    + " most " + MAX_REVIEWS + " without repeating itself, ask for fewer");
        }
        Reviews grammar = new Reviews(seed);
        Set<String> bags = new HashSet<>();
        return new Split(grammar.reviews(trainSize, bags), grammar.reviews(testSize, bags));
    }

    private static final int MAX_REVIEWS = 20_000;

    /** {@code n} reviews in units (a single review, or a pair of twins) whose bags are not in {@code bags} yet. */
    private List<Review> reviews(int n, Set<String> bags) {
        List<List<Review>> units = new ArrayList<>();
        int[] perKind = new int[Kind.values().length];
        int count = 0;
        int attempts = 0;
        while (count < n) {
            if (++attempts > 100 * n + 1000) {
                throw new IllegalStateException("could not make " + n + " different reviews; ask for fewer");
            }
            Kind kind = leastUsed(perKind, n - count >= 2);
            List<Review> unit = unit(kind);
            if (!bags.add(bag(unit.get(0).text()))) continue;
            units.add(unit);
            perKind[kind.ordinal()] += unit.size();
            count += unit.size();
        }
        Collections.shuffle(units, random);
        List<Review> out = new ArrayList<>(n);
        for (List<Review> unit : units) out.addAll(unit);
        return out;
    }

    /** The kind with the fewest reviews so far; only single-review kinds when one place is left. */
    private static Kind leastUsed(int[] perKind, boolean pairFits) {
        Kind best = null;
        for (Kind k : Kind.values()) {
            if (k.orderDecides() && !pairFits) continue;
            if (best == null || perKind[k.ordinal()] < perKind[best.ordinal()]) best = k;
        }
        return best;
    }

    private static String bag(String text) {
        String[] words = text.split(" ");
        Arrays.sort(words);
        return String.join(" ", words);
    }

    /** The reviews as a labelled dataset (class 0 negative, 1 positive) with the given word vocabulary. */
    public static LabelledSequences dataset(List<Review> reviews, Vocab vocab) {
        Objects.requireNonNull(reviews, "reviews");
        Objects.requireNonNull(vocab, "vocab");
        if (reviews.isEmpty()) {
            throw new IllegalArgumentException("no reviews given; generate some with Reviews.generate(n, seed)");
        }
        int[][] sequences = new int[reviews.size()][];
        int[] labels = new int[reviews.size()];
        for (int i = 0; i < sequences.length; i++) {
            sequences[i] = vocab.encode(reviews.get(i).text());
            labels[i] = LABELS.indexOf(reviews.get(i).label());
        }
        return LabelledSequences.classes(sequences, labels, vocab, LABELS);
    }

    /** The texts, one per review, joined by newlines: what {@code Vocab.words(...)} needs. */
    public static String corpus(List<Review> reviews) {
        StringBuilder b = new StringBuilder();
        for (Review r : reviews) {
            b.append(r.text()).append('\n');
        }
        return b.toString();
    }

    /** Polarity of a word of {@link #POSITIVE} (+1) or {@link #NEGATIVE} (-1); 0 for any other word. */
    public static int polarity(String word) {
        return POSITIVE.contains(word) ? 1 : NEGATIVE.contains(word) ? -1 : 0;
    }

    /** One review, or for the kinds where order decides a review and its twin (the adjectives swapped). */
    private List<Review> unit(Kind kind) {
        boolean positive = random.nextBoolean();
        String aspect = pick(ASPECTS);
        String was = random.nextInt(4) == 0 ? "is" : "was";
        String opener = random.nextInt(4) == 0 ? pick(OPENERS) + " " : "";
        String intensifier = kind.orderDecides() ? "" : intensifier();
        // "first" has the sentence's polarity in PLAIN, CONTRAST; the opposite one in NEGATED, NOT_BUT, EXPECTED
        boolean firstPositive = switch (kind) {
            case PLAIN, CONTRAST -> positive;
            case NEGATED, NOT_BUT, EXPECTED -> !positive;
        };
        String first = adjective(firstPositive);
        String second = adjective(!firstPositive);
        Review review = new Review(opener + text(kind, aspect, was, intensifier, first, second), label(positive), kind);
        if (!kind.orderDecides()) return List.of(review);
        Review twin = new Review(opener + text(kind, aspect, was, intensifier, second, first), label(!positive), kind);
        return List.of(review, twin);
    }

    private static String text(Kind kind, String aspect, String was, String intensifier, String first, String second) {
        return switch (kind) {
            case PLAIN -> "the " + aspect + " " + was + " " + intensifier + first + " .";
            case NEGATED -> "the " + aspect + " " + was + " not " + intensifier + first + " .";
            case CONTRAST -> "the " + aspect + " " + was + " " + first + " , not " + second + " at all .";
            case NOT_BUT -> "the " + aspect + " " + was + " not " + first + " but " + second + " .";
            case EXPECTED -> "i expected the " + aspect + " to be " + first + " , but it " + was + " " + second + " .";
        };
    }

    private static String label(boolean positive) {
        return positive ? POSITIVE_LABEL : NEGATIVE_LABEL;
    }

    private String adjective(boolean positive) {
        return pick(positive ? POSITIVE : NEGATIVE);
    }

    private String intensifier() {
        return random.nextInt(3) == 0 ? pick(INTENSIFIERS) + " " : "";
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
